//! Data safety: damaged files are refused and left alone, checks, verified backups and their rotation and
//! restore, encryption at rest, a full disk, and hostile input.

use std::path::{Path, PathBuf};

use rollcall_core::db::{self, Connection};
use rollcall_core::people::{self, PersonInput};
use rollcall_core::safety::{self, FileState};
use rollcall_core::stress::{self, StressSpec};

use crate::support::{new_db, TestDb};
use rollcall_core::encryption;
use rollcall_core::open::{self, OpenOptions};
use rollcall_core::progress::Progress;
use rollcall_core::restore;

/// A database with enough rows for many pages of every kind, closed (so it is one file, WAL emptied).
fn filled() -> (tempfile::TempDir, PathBuf) {
    let TestDb { dir, path, mut conn } = new_db();
    stress::generate(
        &mut conn,
        &StressSpec { seed: 7, events: 20, people: 600, attendances: 3000, ..StressSpec::default() },
    )
    .unwrap();
    drop(conn);
    (dir, path)
}

fn people_count(conn: &Connection) -> i64 {
    conn.query_row("SELECT count(*) FROM people", [], |r| r.get(0)).unwrap()
}

fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_default()
}

fn root_page(path: &Path, table: &str) -> usize {
    let c = Connection::open(path).unwrap();
    c.query_row("SELECT rootpage FROM sqlite_schema WHERE name = ?1", [table], |r| r.get::<_, i64>(0)).unwrap() as usize
}

fn no_backups(_path: &Path) -> OpenOptions {
    OpenOptions { daily_backup: false, ..OpenOptions::default() }
}

/// How each kind of damage is made, and whether `open_checked` can still open the file read-only
/// (damage inside the database) or must refuse it (no database header at all).
#[derive(Clone, Copy)]
enum Damage {
    TextFile,
    RandomBytesOddSize,
    EmptyFile,
    TruncatedAtPage,
    TruncatedMidPage,
    HeaderMagic,
    PageSize,
    PeopleRootPageType,
    AttendanceRootZeroed,
}

fn damage(path: &Path, how: Damage) {
    let mut bytes = read(path);
    let page = 4096usize;
    match how {
        Damage::TextFile => bytes = "this is a text file, not a database\n".repeat(300).into_bytes(),
        Damage::RandomBytesOddSize => {
            bytes = (0..5000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect()
        }
        Damage::EmptyFile => bytes.clear(),
        Damage::TruncatedAtPage => bytes.truncate((bytes.len() / page / 2) * page),
        Damage::TruncatedMidPage => bytes.truncate(bytes.len() / 2 + 100),
        Damage::HeaderMagic => bytes[0] ^= 0xff,
        Damage::PageSize => {
            bytes[16] = 0x03;
            bytes[17] = 0x00;
        }
        Damage::PeopleRootPageType => {
            let at = (root_page(path, "people") - 1) * page;
            bytes[at] = 0xff;
        }
        Damage::AttendanceRootZeroed => {
            let at = (root_page(path, "attendance") - 1) * page;
            bytes[at..at + page].fill(0);
        }
    }
    std::fs::write(path, bytes).unwrap();
}

#[test]
fn damaged_files_are_refused_with_a_clear_error_and_left_untouched() {
    // (damage, open_checked opens it read-only with a problem rather than failing)
    let cases = [
        (Damage::TextFile, false),
        (Damage::RandomBytesOddSize, false),
        (Damage::EmptyFile, false),
        (Damage::TruncatedAtPage, true),
        (Damage::TruncatedMidPage, true),
        (Damage::HeaderMagic, false),
        (Damage::PageSize, false),
        (Damage::PeopleRootPageType, true),
        (Damage::AttendanceRootZeroed, true),
    ];
    for (i, (how, readable)) in cases.into_iter().enumerate() {
        let (_dir, path) = filled();
        damage(&path, how);
        let before = read(&path);
        let err = open::open(&path).err().unwrap_or_else(|| panic!("case {i}: a damaged file opened"));
        assert_eq!(err.kind(), "bad_database", "case {i}: {err}");
        assert!(err.to_string().contains("rollcall.sqlite3"), "case {i}: the message names the file: {err}");
        assert_eq!(read(&path), before, "case {i}: the file changed");

        match open::open_checked(&path, &OpenOptions::default()) {
            Ok(opened) => {
                assert!(readable, "case {i}: opened, but it has no database in it");
                assert!(opened.read_only, "case {i}");
                assert!(opened.problem.as_deref().unwrap_or("").contains("damaged"), "case {i}: {:?}", opened.problem);
                assert!(opened.conn.execute("DELETE FROM projects", []).is_err(), "case {i}: a write went through");
                assert!(!safety::check(&opened.conn).unwrap().ok, "case {i}: the check passed");
            }
            Err(e) => {
                assert!(!readable, "case {i}: {e}");
                assert_eq!(e.kind(), "bad_database", "case {i}: {e}");
            }
        }
        assert_eq!(read(&path), before, "case {i}: the file changed after open_checked");
    }
}

#[test]
fn single_byte_flips_anywhere_never_crash_and_a_refused_file_is_never_rewritten() {
    let (_dir, path) = filled();
    let original = read(&path);
    let people = people_count(&Connection::open(&path).unwrap());
    let (mut refused, mut opened) = (0, 0);
    // 150 offsets from a fixed pseudo-random sequence (SplitMix64), the same in every run.
    let mut seed = 0x5afe_u64;
    let offsets = (0..150).map(|_| {
        seed = seed.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = seed;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        ((z ^ (z >> 31)) % original.len() as u64) as usize
    });
    for at in offsets {
        let mut bytes = original.clone();
        bytes[at] ^= 0x55;
        std::fs::write(&path, &bytes).unwrap();
        let _ = std::fs::remove_dir_all(path.parent().unwrap().join("backups"));
        match open::open_with(&path, &no_backups(&path)) {
            Err(e) => {
                refused += 1;
                assert_eq!(read(&path), bytes, "offset {at}: refused ({e}) but the file changed");
            }
            Ok(conn) => {
                opened += 1;
                // A flip the checks cannot see (inside a value) leaves every row readable.
                if let Ok(n) = conn.query_row("SELECT count(*) FROM people", [], |r| r.get::<_, i64>(0)) {
                    assert_eq!(n, people, "offset {at}: the people changed without an error");
                }
            }
        }
    }
    assert!(refused > 0 && opened > 0, "refused {refused}, opened {opened}");
}

#[test]
fn an_empty_file_is_refused_not_made_into_a_new_database() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rollcall.sqlite3");
    std::fs::write(&path, b"").unwrap();
    assert_eq!(open::open(&path).unwrap_err().kind(), "bad_database");
    assert_eq!(read(&path).len(), 0);
    assert_eq!(safety::file_state(&path).unwrap(), FileState::Empty);
}

#[test]
fn check_reports_ok_or_the_first_problem_in_one_line() {
    let t = new_db();
    crate::support::project(&t.conn, "P");
    let report = safety::check(&t.conn).unwrap();
    assert!(report.ok, "{report:?}");
    assert!(report.summary.starts_with("ok:") && !report.summary.contains('\n'), "{}", report.summary);

    // A row pointing at nothing, slipped in with the foreign keys off.
    t.conn.execute_batch("PRAGMA foreign_keys = OFF;").unwrap();
    t.conn
        .execute(
            "INSERT INTO consents (uid, person_id, purpose, given_on, created_at, updated_at) VALUES ('x', 999, 'p', '2022-01-01', 'now', 'now')",
            [],
        )
        .unwrap();
    let report = safety::check(&t.conn).unwrap();
    assert!(!report.ok);
    assert!(report.summary.starts_with("damaged: 1 problem(s), first: consents row"), "{}", report.summary);
    assert_eq!(report.foreign_keys.len(), 1);
}

#[test]
fn a_backup_is_complete_verified_private_and_written_whole() {
    let (dir, path) = filled();
    let conn = open::open_with(&path, &no_backups(&path)).unwrap();
    let out = dir.path().join("copies").join("mine.sqlite3");
    let info = safety::backup(&conn, &out).unwrap();
    assert_eq!((info.kind.as_str(), info.encrypted, info.bytes), ("manual", false, read(&out).len() as u64));
    let copy = Connection::open(&out).unwrap();
    assert_eq!(people_count(&copy), people_count(&conn));
    assert_eq!(db::schema_version(&copy).unwrap(), db::latest_version());
    let leftovers: Vec<_> = std::fs::read_dir(out.parent().unwrap()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(leftovers, vec![std::ffi::OsString::from("mine.sqlite3")], "no temporary files are left");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&out).unwrap().permissions().mode() & 0o777, 0o600);
        assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600, "the database too");
    }
    assert_eq!(safety::backup(&conn, &path).unwrap_err().kind(), "invalid", "never over the database itself");
}

#[test]
fn a_daily_backup_is_made_once_a_day_and_ten_are_kept() {
    let (_dir, path) = filled();
    assert!(safety::list_backups(&path).unwrap().is_empty(), "a new database is not backed up");
    let opened = open::open_checked(&path, &OpenOptions::default()).unwrap();
    let daily = opened.latest_backup.clone().expect("the first open of the day backs up");
    assert_eq!(daily.kind, "daily");
    drop(opened);
    let again = open::open_checked(&path, &OpenOptions::default()).unwrap();
    assert_eq!(safety::list_backups(&path).unwrap().len(), 1, "only once a day");
    for _ in 0..12 {
        safety::backup_now(&again.conn, &path).unwrap();
    }
    let list = safety::list_backups(&path).unwrap();
    assert_eq!(list.len(), safety::KEEP_BACKUPS);
    assert!(list.iter().all(|b| b.kind == "manual"), "the oldest (the daily one) went first");
    assert!(list.windows(2).all(|w| w[0].created_at >= w[1].created_at), "newest first");
}

#[test]
fn a_backup_before_an_update_is_verified_listed_with_its_kind_and_rotated() {
    let (_dir, path) = filled();
    let conn = open::open_with(&path, &no_backups(&path)).unwrap();
    let made = safety::backup_before_update(&conn, &path).unwrap();
    assert_eq!(made.kind, "before-update");
    assert!(made.file_name.ends_with("-before-update.sqlite3"), "{}", made.file_name);
    let copy = Connection::open(&made.path).unwrap();
    assert_eq!(people_count(&copy), people_count(&conn));
    assert_eq!(safety::list_backups(&path).unwrap()[0].kind, "before-update");
    for _ in 0..safety::KEEP_BACKUPS {
        safety::backup_now(&conn, &path).unwrap();
    }
    assert!(safety::list_backups(&path).unwrap().iter().all(|b| b.kind == "manual"), "rotated like the others");
}

#[test]
fn backups_made_within_the_same_second_keep_their_kind() {
    let (_dir, path) = filled();
    let conn = open::open_with(&path, &no_backups(&path)).unwrap();
    // Names have one-second precision: a second backup within the same second is named `manual-2`.
    // Backups of this small database take milliseconds, so a pair within one second comes quickly.
    let mut pair = None;
    for _ in 0..20 {
        let (a, b) = (safety::backup_now(&conn, &path).unwrap(), safety::backup_now(&conn, &path).unwrap());
        if a.created_at == b.created_at {
            pair = Some(b);
            break;
        }
    }
    let second = pair.expect("two backups within one second");
    let n = second.file_name.strip_suffix(".sqlite3").and_then(|s| s.rsplit_once("-manual-")).map(|(_, n)| n);
    assert!(n.and_then(|n| n.parse::<u32>().ok()).is_some_and(|n| n >= 2), "{}", second.file_name);
    assert_eq!(second.kind, "manual");
    let listed = safety::list_backups(&path).unwrap();
    assert!(listed.iter().any(|b| b.file_name == second.file_name));
    let kinds: Vec<&str> = listed.iter().map(|b| b.kind.as_str()).collect();
    assert!(kinds.iter().all(|k| *k == "manual"), "{kinds:?}");
}

/// A database as the first release wrote it: schema version 1, with one project.
fn version_1_database(path: &Path) {
    let c = Connection::open(path).unwrap();
    c.execute_batch(include_str!("../../migrations/0001_init.sql")).unwrap();
    c.execute_batch(&format!(
        "PRAGMA user_version = 1; PRAGMA application_id = {}; PRAGMA journal_mode = WAL;",
        db::APPLICATION_ID
    ))
    .unwrap();
    c.execute(
        "INSERT INTO projects (uid, name, created_at, updated_at) VALUES ('0190d0a0-0000-7000-8000-000000000001', 'Old', 'now', 'now')",
        [],
    )
    .unwrap();
}

#[test]
fn a_migration_is_preceded_by_a_verified_backup_of_the_old_version() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rollcall.sqlite3");
    version_1_database(&path);
    let conn = open::open(&path).unwrap();
    assert_eq!(db::schema_version(&conn).unwrap(), db::latest_version());
    let list = safety::list_backups(&path).unwrap();
    let before = list
        .iter()
        .find(|b| b.kind == format!("before-v{}", db::latest_version()))
        .expect("a backup before the migration");
    let old = Connection::open(&before.path).unwrap();
    assert_eq!(db::schema_version(&old).unwrap(), 1, "the backup holds the database as it was");
    assert_eq!(old.query_row("SELECT name FROM projects", [], |r| r.get::<_, String>(0)).unwrap(), "Old");
    assert_eq!(list.len(), 1, "the migration's backup is today's backup too");
}

#[test]
fn restore_brings_a_backup_back_keeps_the_current_database_and_refuses_bad_backups() {
    let (dir, path) = filled();
    let conn = open::open_with(&path, &no_backups(&path)).unwrap();
    let before = people_count(&conn);
    let backup = dir.path().join("backup.sqlite3");
    safety::backup(&conn, &backup).unwrap();
    people::create(&conn, &PersonInput { full_name: "Added after the backup".into(), ..Default::default() }).unwrap();
    drop(conn);

    // A backup that is damaged, or not a Rollcall database, is refused and nothing changes.
    let current = read(&path);
    let damaged = dir.path().join("damaged.sqlite3");
    std::fs::copy(&backup, &damaged).unwrap();
    damage(&damaged, Damage::PeopleRootPageType);
    let foreign = dir.path().join("foreign.sqlite3");
    Connection::open(&foreign).unwrap().execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1);").unwrap();
    for (bad, kind) in
        [(&damaged, "bad_database"), (&foreign, "bad_database"), (&dir.path().join("none.sqlite3"), "not_found")]
    {
        assert_eq!(restore::restore(&path, bad, None).unwrap_err().kind(), kind, "{}", bad.display());
        assert_eq!(read(&path), current, "{}", bad.display());
    }

    // While another connection is reading, the file is not replaced under it.
    let reader = Connection::open(&path).unwrap();
    reader.execute_batch("BEGIN; SELECT count(*) FROM people;").unwrap();
    assert_eq!(restore::restore(&path, &backup, None).unwrap_err().kind(), "conflict");
    drop(reader);

    let report = restore::restore(&path, &backup, None).unwrap();
    let conn = open::open_with(&path, &no_backups(&path)).unwrap();
    assert_eq!(people_count(&conn), before);
    let saved = report.safety_copy.expect("the current database is kept");
    assert_eq!(saved.kind, "before-restore");
    assert_eq!(people_count(&Connection::open(&saved.path).unwrap()), before + 1);
    assert!(
        !dir.path().join("rollcall.sqlite3-wal").exists() || read(&dir.path().join("rollcall.sqlite3-wal")).is_empty()
    );
    assert!(!std::fs::read_dir(dir.path()).unwrap().any(|e| e
        .unwrap()
        .file_name()
        .to_string_lossy()
        .ends_with(".tmp")));
}

#[test]
fn a_database_too_damaged_to_back_up_is_copied_raw_before_a_restore() {
    let (dir, path) = filled();
    let backup = dir.path().join("backup.sqlite3");
    safety::backup(&open::open_with(&path, &no_backups(&path)).unwrap(), &backup).unwrap();
    damage(&path, Damage::TruncatedMidPage);
    let damaged = read(&path);
    let report = restore::restore(&path, &backup, None).unwrap();
    let copy = report.safety_copy.unwrap();
    assert_eq!(copy.kind, "before-restore-damaged");
    assert_eq!(read(Path::new(&copy.path)), damaged);
    assert!(safety::check(&open::open(&path).unwrap()).unwrap().ok);
}

const PASS: &str = "correct horse battery";

fn keyed(passphrase: &str) -> OpenOptions {
    OpenOptions { passphrase: Some(passphrase.into()), daily_backup: false, ..OpenOptions::default() }
}

/// Whether SQLCipher reads the file with this passphrase (a plain connection, nothing written).
fn opens_with(path: &Path, passphrase: &str) -> bool {
    let c = Connection::open_with_flags(path, rollcall_core::rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
    c.execute_batch("PRAGMA cipher_log_level = NONE;").unwrap();
    c.pragma_update(None, "key", passphrase).unwrap();
    c.query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get::<_, i64>(0)).is_ok()
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

fn database_files(path: &Path) -> Vec<u8> {
    let mut all = read(path);
    for suffix in ["-wal", "-shm"] {
        all.extend(read(&PathBuf::from(format!("{}{suffix}", path.display()))));
    }
    all
}

#[test]
fn an_encrypted_database_has_no_readable_header_or_names_and_needs_the_right_passphrase() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rollcall.sqlite3");
    let conn = open::open_with(&path, &keyed(PASS)).unwrap();
    people::create(
        &conn,
        &PersonInput {
            full_name: "Zemfira Encryptedova".into(),
            email: Some("zemfira.enc@example.invalid".into()),
            ..Default::default()
        },
    )
    .unwrap();
    // Read the bytes while the connection is open too: the write-ahead log is encrypted as well.
    for bytes in [database_files(&path), {
        drop(conn);
        database_files(&path)
    }] {
        for needle in ["SQLite format 3", "Zemfira", "zemfira.enc@example.invalid", "CREATE TABLE", "people"] {
            assert!(!contains(&bytes, needle.as_bytes()), "{needle:?} is readable in the file");
        }
    }
    assert_eq!(safety::file_state(&path).unwrap(), FileState::Encrypted);

    let before = read(&path);
    assert_eq!(open::open(&path).unwrap_err().kind(), "passphrase_required");
    assert_eq!(open::open_with(&path, &keyed("not the passphrase")).unwrap_err().kind(), "wrong_passphrase");
    assert_eq!(read(&path), before, "a wrong passphrase changes nothing");
    let conn = open::open_with(&path, &keyed(PASS)).unwrap();
    assert_eq!(people_count(&conn), 1);
    assert!(open::open_checked(&path, &keyed(PASS)).unwrap().encrypted);

    // Its backups are encrypted with the same passphrase, which a restore needs.
    let backup = safety::backup_now(&conn, &path).unwrap();
    assert!(backup.encrypted);
    assert!(!contains(&read(Path::new(&backup.path)), b"Zemfira"));
    drop(conn);
    assert_eq!(restore::restore(&path, Path::new(&backup.path), None).unwrap_err().kind(), "passphrase_required");
    assert_eq!(
        restore::restore(&path, Path::new(&backup.path), Some("not the passphrase")).unwrap_err().kind(),
        "wrong_passphrase"
    );
    assert_eq!(read(&path), before);
    restore::restore(&path, Path::new(&backup.path), Some(PASS)).unwrap();
    assert_eq!(people_count(&open::open_with(&path, &keyed(PASS)).unwrap()), 1);
}

#[test]
fn encrypt_decrypt_and_change_passphrase_convert_the_database_and_its_backups() {
    let (_dir, path) = filled();
    // The first open of the day leaves a plain daily backup.
    let people = people_count(&open::open(&path).unwrap());
    assert_eq!(encryption::encrypt(&path, "short").unwrap_err().kind(), "invalid");

    let report = encryption::encrypt(&path, PASS).unwrap();
    assert_eq!((report.encrypted, report.backups_converted, report.backups_skipped.len()), (true, 1, 0));
    assert!(safety::list_backups(&path).unwrap().iter().all(|b| b.encrypted), "no plain backup is left beside it");
    assert_eq!(safety::file_state(&path).unwrap(), FileState::Encrypted);
    let conn = open::open_with(&path, &keyed(PASS)).unwrap();
    assert_eq!(people_count(&conn), people);
    assert!(safety::check(&conn).unwrap().ok);
    assert_eq!(db::schema_version(&conn).unwrap(), db::latest_version());
    drop(conn);
    // Encrypting again with the same passphrase finishes an interrupted job (here: nothing left to do);
    // with another passphrase it is refused.
    assert_eq!(encryption::encrypt(&path, PASS).unwrap().backups_converted, 0);
    assert_eq!(encryption::encrypt(&path, "another passphrase").unwrap_err().kind(), "conflict", "already encrypted");

    let before = read(&path);
    assert_eq!(
        encryption::change_passphrase(&path, "wrong passphrase", "another passphrase").unwrap_err().kind(),
        "wrong_passphrase"
    );
    assert_eq!(read(&path), before);
    encryption::change_passphrase(&path, PASS, "another passphrase").unwrap();
    assert_eq!(open::open_with(&path, &keyed(PASS)).unwrap_err().kind(), "wrong_passphrase");
    let backup = safety::list_backups(&path).unwrap().remove(0);
    assert!(opens_with(Path::new(&backup.path), "another passphrase"), "the backup follows the new passphrase");
    assert!(!opens_with(Path::new(&backup.path), PASS));

    assert_eq!(encryption::decrypt(&path, "wrong passphrase").unwrap_err().kind(), "wrong_passphrase");
    let report = encryption::decrypt(&path, "another passphrase").unwrap();
    assert!(!report.encrypted);
    assert_eq!(safety::file_state(&path).unwrap(), FileState::Plain);
    assert!(safety::list_backups(&path).unwrap().iter().all(|b| !b.encrypted));
    assert_eq!(people_count(&open::open(&path).unwrap()), people);
}

/// Issue 19: encrypting, changing the passphrase and decrypting say how far they have got, in bytes of
/// the database and its backups: from nothing to all of them, never past the total, never backwards
/// between the database and a backup.
#[test]
fn issue19_encryption_reports_its_progress_over_the_database_and_its_backups() {
    let (_dir, path) = filled();
    drop(open::open(&path).unwrap());
    let files = |path: &Path| -> u64 {
        read(path).len() as u64 + safety::list_backups(path).unwrap().iter().map(|b| b.bytes).sum::<u64>()
    };
    type Run = dyn Fn(&Path, &Progress) -> rollcall_core::Result<encryption::CryptoReport>;
    let steps: [(&str, &Run); 3] = [
        ("encrypt", &|p, progress| encryption::encrypt_with(p, PASS, progress)),
        ("change", &|p, progress| encryption::change_passphrase_with(p, PASS, "another passphrase", progress)),
        ("decrypt", &|p, progress| encryption::decrypt_with(p, "another passphrase", progress)),
    ];
    for (name, run) in steps {
        let expected = files(&path);
        let reports = std::sync::Mutex::new(Vec::new());
        let report = |done: u64, total: u64| reports.lock().unwrap().push((done, total));
        run(&path, &Progress::new(&report, None)).unwrap();
        let reports = reports.into_inner().unwrap();
        assert_eq!(reports.first(), Some(&(0, expected)), "{name}: starts at nothing of every file");
        assert_eq!(reports.last(), Some(&(expected, expected)), "{name}: ends with all of them");
        assert!(reports.iter().all(|&(done, total)| done <= total && total == expected), "{name}: {reports:?}");
        assert!(reports.len() >= 3, "{name}: the database, then its backup: {reports:?}");
    }
}

#[test]
fn a_full_disk_during_a_write_is_a_clear_error_and_nothing_of_the_write_is_kept() {
    let mut t = new_db();
    crate::support::project(&t.conn, "Before");
    let pages: i64 = t.conn.query_row("PRAGMA page_count", [], |r| r.get(0)).unwrap();
    // The file may grow by a few pages only: like a disk with a few kilobytes left.
    t.conn.execute_batch(&format!("PRAGMA max_page_count = {}", pages + 4)).unwrap();
    let err = db::write(&mut t.conn, |tx| {
        for i in 0..2000 {
            people::create(
                tx,
                &PersonInput { full_name: format!("Person {i}"), notes: Some("x".repeat(2000)), ..Default::default() },
            )?;
        }
        Ok(())
    })
    .unwrap_err();
    assert_eq!(err.kind(), "disk_full", "{err}");
    assert!(err.to_string().contains("not saved"), "{err}");
    drop(t.conn);
    let conn = open::open(&t.path).unwrap();
    assert_eq!(people_count(&conn), 0);
    assert_eq!(conn.query_row("SELECT count(*) FROM projects", [], |r| r.get::<_, i64>(0)).unwrap(), 1);
    assert!(safety::check(&conn).unwrap().ok);
}

/// What validation does with hostile text: control characters are refused (they can hide text or break
/// terminals and files), everything else is stored exactly as given, markup included, since the UI
/// shows text as text and exports neutralise formulas.
#[test]
fn hostile_names_are_refused_or_stored_verbatim() {
    let t = new_db();
    // (input, what is stored: None when refused)
    let cases: &[(&str, Option<&str>)] = &[
        ("NUL\0inside", None),
        ("bell\u{7}", None),
        ("escape \u{1b}[31mred", None),
        ("two\nlines", None),
        ("next\u{85}line", None),
        // Leading and trailing white space, the next-line control included, is trimmed: cleaned.
        ("\u{85}\t Trimmed \u{85}", Some("Trimmed")),
    ];
    for (name, stored) in cases {
        let r = people::create(&t.conn, &PersonInput { full_name: name.to_string(), ..Default::default() });
        match stored {
            None => assert_eq!(crate::support::invalid_field(r), "full_name", "{name:?}"),
            Some(s) => assert_eq!(r.unwrap().full_name, *s, "{name:?}"),
        }
    }
    let long = "я".repeat(rollcall_core::validate::MAX_SHORT + 1);
    assert_eq!(
        crate::support::invalid_field(people::create(&t.conn, &PersonInput { full_name: long, ..Default::default() })),
        "full_name"
    );
    let long_notes = "n".repeat(rollcall_core::validate::MAX_LONG + 1);
    let r =
        people::create(&t.conn, &PersonInput { full_name: "X".into(), notes: Some(long_notes), ..Default::default() });
    assert_eq!(crate::support::invalid_field(r), "notes");

    let verbatim = [
        "<script>alert('x')</script>",
        "<img src=x onerror=alert(1)>",
        "Ali\u{202e}cipe\u{202c} (right-to-left override)",
        "Zero\u{200b}width\u{200d}joiner",
        "مریم\u{200c}السادات",
        "=HYPERLINK(\"http://example.invalid\")",
        "'; DROP TABLE people; --",
    ];
    for name in verbatim {
        let p = people::create(
            &t.conn,
            &PersonInput { full_name: name.into(), notes: Some(format!("<b>{name}</b>")), ..Default::default() },
        )
        .unwrap();
        let back = people::get(&t.conn, p.id).unwrap();
        assert_eq!((back.full_name.as_str(), back.notes.as_str()), (name, format!("<b>{name}</b>").as_str()));
        let json = serde_json::to_string(&rollcall_core::privacy::person_data(&t.conn, p.id).unwrap()).unwrap();
        let parsed: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(parsed["person"]["full_name"], name);
    }
    assert_eq!(people_count(&t.conn), verbatim.len() as i64 + 1, "the tables are all still there");
}

fn person(conn: &Connection, name: &str, email: &str) -> i64 {
    people::create(conn, &PersonInput { full_name: name.into(), email: Some(email.into()), ..Default::default() })
        .unwrap()
        .id
}

/// Regression (issue 21, cases 2 and 5): a restore into an encrypted database needs its passphrase and
/// keeps it encrypted, even from a plain backup, and erases again the people erased since.
#[test]
fn issue21_restore_into_an_encrypted_database_needs_its_passphrase_and_keeps_it_encrypted() {
    let (dir, path) = filled();
    let conn = open::open_with(&path, &no_backups(&path)).unwrap();
    let erased = person(&conn, "Ніна Ерасед", "nina.erased@example.org");
    let plain_backup = dir.path().join("plain-backup.sqlite3");
    safety::backup(&conn, &plain_backup).unwrap();
    drop(conn);
    encryption::encrypt(&path, PASS).unwrap();
    let mut conn = open::open_with(&path, &keyed(PASS)).unwrap();
    rollcall_core::privacy::erase_person(&mut conn, erased).unwrap();
    let people = people_count(&conn);
    drop(conn);

    let before = read(&path);
    for (passphrase, kind) in [(None, "passphrase_required"), (Some("wrong passphrase"), "wrong_passphrase")] {
        assert_eq!(restore::restore(&path, &plain_backup, passphrase).unwrap_err().kind(), kind);
        assert_eq!(read(&path), before, "nothing changed");
    }
    let report = restore::restore(&path, &plain_backup, Some(PASS)).unwrap();
    assert!(report.encrypted);
    assert_eq!(report.erasures_reapplied, 1);
    assert_eq!(safety::file_state(&path).unwrap(), FileState::Encrypted, "still encrypted");
    let all = database_files(&path);
    assert!(!contains(&all, b"SQLite format 3"), "no plain page");
    assert!(!contains(&all, "nina.erased".as_bytes()));
    let conn = open::open_with(&path, &keyed(PASS)).unwrap();
    assert_eq!(people_count(&conn), people, "the backup's people, less the one erased since");
    assert!(safety::check(&conn).unwrap().ok);
    drop(conn);
    // The copy of the database before the restore is kept out of the rotation.
    let saved = report.safety_copy.unwrap();
    assert!(saved.encrypted);
    let conn = open::open_with(&path, &keyed(PASS)).unwrap();
    for _ in 0..12 {
        safety::backup_now(&conn, &path).unwrap();
    }
    assert!(Path::new(&saved.path).exists(), "the pre-restore copy survives the rotation");
    let kept = safety::list_backups(&path).unwrap();
    assert_eq!(kept.iter().filter(|b| b.kind == "manual").count(), safety::KEEP_BACKUPS);
}

/// Regression (issue 21, case 3): while anyone else has the database open, restore, encrypt and a new
/// passphrase are refused before the safety copy, and the file is unchanged.
#[test]
fn issue21_restore_and_encryption_are_refused_while_another_connection_has_the_database_open() {
    let (dir, path) = filled();
    let conn = open::open_with(&path, &no_backups(&path)).unwrap();
    let backup = dir.path().join("b.sqlite3");
    safety::backup(&conn, &backup).unwrap();
    let backups_before = safety::list_backups(&path).unwrap().len();
    // An idle connection (the desktop app left open, another command between statements).
    let before = read(&path);
    assert_eq!(restore::restore(&path, &backup, None).unwrap_err().kind(), "conflict");
    assert_eq!(encryption::encrypt(&path, PASS).unwrap_err().kind(), "conflict");
    assert_eq!(read(&path), before);
    assert_eq!(safety::list_backups(&path).unwrap().len(), backups_before, "no safety copy was even made");
    drop(conn);
    restore::restore(&path, &backup, None).unwrap();
    encryption::encrypt(&path, PASS).unwrap();
    let other = open::open_with(&path, &keyed(PASS)).unwrap();
    assert_eq!(encryption::change_passphrase(&path, PASS, "another passphrase").unwrap_err().kind(), "conflict");
    assert_eq!(encryption::decrypt(&path, PASS).unwrap_err().kind(), "conflict");
    drop(other);
    encryption::decrypt(&path, PASS).unwrap();
}

/// Regression (issue 21, case 6): an encryption interrupted after the database was converted leaves
/// plain backups; the next open with the passphrase (or the next `encrypt`) encrypts them.
#[test]
fn issue21_an_interrupted_encryption_is_finished_by_the_next_open_or_encrypt() {
    let (dir, path) = filled();
    drop(open::open(&path).unwrap());
    let plain = safety::list_backups(&path).unwrap().remove(0);
    let kept_plain = dir.path().join("plain-copy");
    std::fs::copy(&plain.path, &kept_plain).unwrap();
    encryption::encrypt(&path, PASS).unwrap();
    // As if the run was killed before the backups: put the plain one back.
    std::fs::copy(&kept_plain, &plain.path).unwrap();
    assert!(!safety::file_state(Path::new(&plain.path)).unwrap().eq(&FileState::Encrypted));
    drop(open::open_with(&path, &keyed(PASS)).unwrap());
    assert_eq!(safety::file_state(Path::new(&plain.path)).unwrap(), FileState::Encrypted, "finished at open");

    std::fs::copy(&kept_plain, &plain.path).unwrap();
    let report = encryption::encrypt(&path, PASS).unwrap();
    assert_eq!(report.backups_converted, 1, "finished by encrypt");
    assert!(safety::list_backups(&path).unwrap().iter().all(|b| b.encrypted));
}

/// Regression (issue 21, case 10): databases that share a folder and a file stem keep their backups
/// apart: backing up one never rotates out the other's, and encrypting one never re-keys the other's.
#[test]
fn issue21_databases_with_the_same_stem_keep_their_backups_apart() {
    let (dir, path) = filled();
    let old = dir.path().join("rollcall.old");
    std::fs::copy(&path, &old).unwrap();
    drop(open::open(&path).unwrap());
    let mine = safety::list_backups(&path).unwrap();
    assert_eq!(mine.len(), 1);
    let conn = open::open_with(&old, &no_backups(&old)).unwrap();
    assert!(safety::list_backups(&old).unwrap().is_empty(), "the other database's backups are not mine");
    for _ in 0..12 {
        safety::backup_now(&conn, &old).unwrap();
    }
    drop(conn);
    assert_eq!(safety::list_backups(&path).unwrap(), mine, "not rotated out by the other database");
    encryption::encrypt(&old, PASS).unwrap();
    assert!(!safety::list_backups(&path).unwrap()[0].encrypted, "not re-keyed by the other database");
    // Backups named by earlier versions (`<stem>-<stamp>-<kind>.sqlite3`) still belong to `<stem>.sqlite3`.
    let legacy = safety::backups_dir(&path).join("rollcall-2026-01-02-030405Z-daily.sqlite3");
    std::fs::copy(&mine[0].path, &legacy).unwrap();
    assert!(safety::list_backups(&path).unwrap().iter().any(|b| b.path == legacy.display().to_string()));
    assert!(!safety::list_backups(&old).unwrap().iter().any(|b| b.path == legacy.display().to_string()));
}

/// Damage inside an index: quick_check does not compare indexes with their tables, so a changed index
/// entry passes it while integrity_check finds it. Changes one byte of `needle` in the index leaf page
/// (b-tree page type 0x0a) that holds it; the table's own copies of the text are left alone.
pub(crate) fn damage_index(path: &Path, needle: &[u8]) {
    let mut bytes = read(path);
    let page = 4096;
    let at = (1..bytes.len() / page)
        .filter(|&p| bytes[p * page] == 0x0a)
        .find_map(|p| {
            bytes[p * page..(p + 1) * page].windows(needle.len()).position(|w| w == needle).map(|i| p * page + i)
        })
        .expect("an index page holds the key");
    bytes[at] ^= 0x01;
    std::fs::write(path, bytes).unwrap();
}

/// Regression (issue 21, case 4): index damage that quick_check misses is found at open; the desktop
/// app opens the database read-only and the command line refuses it, so nothing is written to it.
#[test]
fn issue21_index_damage_that_quick_check_misses_is_found_at_open_and_nothing_is_written() {
    let TestDb { dir: _dir, path, conn } = new_db();
    for i in 0..40 {
        person(&conn, &format!("Person {i}"), &format!("p{i}@example.org"));
    }
    person(&conn, "Zuzanna Qwertyuiop", "zq@example.org");
    drop(conn);
    damage_index(&path, b"zuzanna qwertyuiop");
    let raw = Connection::open(&path).unwrap();
    let quick: String = raw.query_row("PRAGMA quick_check", [], |r| r.get(0)).unwrap();
    assert_eq!(quick, "ok", "the damage is of the kind quick_check misses");
    drop(raw);
    let before = read(&path);
    assert_eq!(open::open_with(&path, &no_backups(&path)).unwrap_err().kind(), "bad_database");
    let opened = open::open_checked(&path, &no_backups(&path)).unwrap();
    assert!(opened.read_only && opened.problem.is_some());
    assert!(people::create(&opened.conn, &PersonInput { full_name: "New".into(), ..Default::default() }).is_err());
    drop(opened);
    assert_eq!(read(&path), before, "nothing was written");
}

/// Regression (issue 21, case 4): a database too large for the check at every open gets the full check
/// at the first open of the day, before anything is written.
#[test]
fn issue21_a_large_database_is_fully_checked_at_the_first_open_of_the_day() {
    let TestDb { dir: _dir, path, conn } = new_db();
    person(&conn, "Zuzanna Qwertyuiop", "zq@example.org");
    // Notes of 20,000 characters make the file larger than the quick-check limit.
    let notes = "x".repeat(20_000);
    conn.execute_batch("BEGIN").unwrap();
    for i in 0..1000 {
        people::create(
            &conn,
            &PersonInput { full_name: format!("Bulk {i}"), notes: Some(notes.clone()), ..Default::default() },
        )
        .unwrap();
    }
    conn.execute_batch("COMMIT").unwrap();
    db::checkpoint(&conn).unwrap();
    drop(conn);
    assert!(std::fs::metadata(&path).unwrap().len() > open::QUICK_CHECK_MAX_BYTES);
    damage_index(&path, b"zuzanna qwertyuiop");
    let before = read(&path);
    // No backup yet today: this is the first open of the day.
    assert_eq!(open::open(&path).unwrap_err().kind(), "bad_database");
    let opened = open::open_checked(&path, &OpenOptions::default()).unwrap();
    assert!(opened.read_only, "the desktop app opens it read-only with the banner");
    drop(opened);
    assert_eq!(read(&path), before);
}

/// Regression (issue 21, "also"): the same passphrase typed with composed or decomposed accents opens
/// the same database.
#[test]
fn issue21_a_passphrase_opens_in_either_unicode_normal_form() {
    let (_dir, path) = filled();
    drop(open::open_with(&path, &no_backups(&path)).unwrap());
    let composed = "pässwörd-ქართული-café";
    let decomposed: String = {
        use unicode_normalization::UnicodeNormalization;
        composed.nfd().collect()
    };
    assert_ne!(composed, decomposed);
    encryption::encrypt(&path, &decomposed).unwrap();
    assert!(open::open_with(&path, &keyed(composed)).is_ok());
    assert!(open::open_with(&path, &keyed(&decomposed)).is_ok());
}
