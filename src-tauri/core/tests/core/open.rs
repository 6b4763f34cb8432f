//! Opening with its policy: the first-of-the-day work the desktop app defers until its window is usable
//! (issue 18): the day's backup once, and for a large database the full check that finds damage.

use rollcall_core::open::{self, OpenOptions};
use rollcall_core::people::{self, PersonInput};
use rollcall_core::safety;

use crate::support::new_db;

fn deferred() -> OpenOptions {
    OpenOptions { daily_backup: false, ..OpenOptions::default() }
}

#[test]
fn the_deferred_daily_work_backs_up_once_a_day() {
    let t = new_db();
    let path = t.path.clone();
    drop(t.conn);
    let conn = open::open_with(&path, &deferred()).unwrap();
    // A new database gets no backup, and opening with the daily work deferred makes none: it is due.
    assert!(safety::list_backups(&path).unwrap().is_empty());
    let first = open::daily_maintenance(&conn, &path, safety::KEEP_BACKUPS).unwrap();
    assert!(first.backup.is_some() && first.problem.is_none(), "{first:?}");
    let second = open::daily_maintenance(&conn, &path, safety::KEEP_BACKUPS).unwrap();
    assert!(second.backup.is_none() && second.problem.is_none(), "once a day: {second:?}");
}

/// Issue 18: the day's backup tells the window how far it has got, from nothing to the whole copy.
#[test]
fn the_daily_backup_reports_its_progress_from_start_to_end() {
    let t = new_db();
    let path = t.path.clone();
    let conn = t.conn;
    let notes = "y".repeat(4_000);
    conn.execute_batch("BEGIN").unwrap();
    for i in 0..2_000 {
        people::create(
            &conn,
            &PersonInput { full_name: format!("Person {i}"), notes: Some(notes.clone()), ..Default::default() },
        )
        .unwrap();
    }
    conn.execute_batch("COMMIT").unwrap();
    let seen = std::sync::Mutex::new(Vec::new());
    let report = |done: u64, total: u64| seen.lock().unwrap().push((done, total));
    let progress = rollcall_core::progress::Progress::new(&report, None);
    let made = open::daily_maintenance_with(&conn, &path, safety::KEEP_BACKUPS, Some(&progress)).unwrap();
    let backup = made.backup.expect("a backup was due");
    let seen = seen.into_inner().unwrap();
    assert_eq!(seen.first().map(|s| s.0), Some(0), "{seen:?}");
    let (done, total) = *seen.last().unwrap();
    assert!(total > 8_000_000 && done == total, "{seen:?}");
    // The copy's figures never go back, and the end is the size of the pages in use, about the copy's.
    let copy: Vec<_> = seen.iter().skip(1).collect();
    assert!(copy.windows(2).all(|w| w[0].0 <= w[1].0 && w[0].1 == w[1].1), "{seen:?}");
    let size = std::fs::metadata(&backup.path).unwrap().len();
    assert!(size.abs_diff(total) < total / 10, "copy {size} bytes, estimated {total}");
    // Nothing more is due today, and then nothing is reported.
    let seen_again = std::sync::Mutex::new(Vec::new());
    let report_again = |done: u64, total: u64| seen_again.lock().unwrap().push((done, total));
    let again = open::daily_maintenance_with(
        &conn,
        &path,
        safety::KEEP_BACKUPS,
        Some(&rollcall_core::progress::Progress::new(&report_again, None)),
    )
    .unwrap();
    assert!(again.backup.is_none() && seen_again.into_inner().unwrap().is_empty());
}

#[test]
fn the_deferred_daily_work_finds_damage_in_a_large_database_and_makes_no_backup_of_it() {
    let t = new_db();
    let path = t.path.clone();
    let conn = t.conn;
    people::create(&conn, &PersonInput { full_name: "Zuzanna Qwertyuiop".into(), ..Default::default() }).unwrap();
    let notes = "x".repeat(20_000);
    conn.execute_batch("BEGIN").unwrap();
    for i in 0..300 {
        people::create(
            &conn,
            &PersonInput { full_name: format!("Bulk {i}"), notes: Some(notes.clone()), ..Default::default() },
        )
        .unwrap();
    }
    conn.execute_batch("COMMIT").unwrap();
    rollcall_core::db::checkpoint(&conn).unwrap();
    drop(conn);
    assert!(std::fs::metadata(&path).unwrap().len() > open::FULL_CHECK_MAX_BYTES);
    crate::safety::damage_index(&path, b"zuzanna qwertyuiop");
    // The window opens at once (no check of a large file before the first paint)...
    let conn = open::open_with(&path, &deferred()).unwrap();
    // ...and the deferred work finds the damage before any backup copies it.
    let found = open::daily_maintenance(&conn, &path, safety::KEEP_BACKUPS).unwrap();
    assert!(found.problem.is_some() && found.backup.is_none(), "{found:?}");
    assert!(safety::list_backups(&path).unwrap().is_empty());
}
