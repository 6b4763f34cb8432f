//! The files Rollcall writes: never over the database or its own files (however the path is spelled),
//! private from their first byte, and no temporary file left behind by a killed writer (issue 21).

use std::path::{Path, PathBuf};

use rollcall_core::db::Connection;
use rollcall_core::export::{self, ExportOptions};
use rollcall_core::files::{self, Staged};
use rollcall_core::privacy::{self, DataFormat};
use rollcall_core::progress::Progress;
use rollcall_core::safety;
use rollcall_core::sample;

use crate::support::{new_db, TestDb};
use rollcall_core::open;

/// Writes a file from the open database to the path given.
type Writer = fn(&mut Connection, &Path) -> rollcall_core::Result<()>;

/// Every way of writing a file that starts from an open database, each pointed at `out`.
fn writers() -> Vec<(&'static str, Writer)> {
    fn project(conn: &Connection) -> i64 {
        conn.query_row("SELECT min(id) FROM projects", [], |r| r.get(0)).unwrap()
    }
    fn event(conn: &Connection) -> i64 {
        conn.query_row("SELECT min(event_id) FROM attendance", [], |r| r.get(0)).unwrap()
    }
    fn person(conn: &Connection) -> i64 {
        conn.query_row("SELECT min(id) FROM people", [], |r| r.get(0)).unwrap()
    }
    vec![
        ("people CSV", |c, out| export::people(c, out, &ExportOptions::default(), &Progress::none()).map(drop)),
        ("event attendance CSV", |c, out| {
            export::event_attendance(c, event(c), out, &ExportOptions::default(), &Progress::none()).map(drop)
        }),
        ("project attendance CSV", |c, out| {
            export::project_attendance(c, project(c), out, &ExportOptions::default(), &Progress::none()).map(drop)
        }),
        ("project summary CSV", |c, out| {
            let p = project(c);
            export::project_summary(c, p, &Default::default(), out, &ExportOptions::default(), &Progress::none())
                .map(drop)
        }),
        ("donor table CSV", |c, out| {
            let p = project(c);
            export::donor_table(c, p, &Default::default(), out, &ExportOptions::default(), &Progress::none()).map(drop)
        }),
        ("person history CSV", |c, out| {
            export::person_history(c, person(c), out, &ExportOptions::default(), &Progress::none()).map(drop)
        }),
        ("person data JSON", |c, out| privacy::write_person_data(c, person(c), out, DataFormat::Json).map(drop)),
        ("person data CSV", |c, out| privacy::write_person_data(c, person(c), out, DataFormat::Csv).map(drop)),
        ("backup", |c, out| safety::backup(c, out).map(drop)),
    ]
}

fn sample_db() -> TestDb {
    let mut t = new_db();
    sample::load(&mut t.conn).unwrap();
    t
}

/// The spellings of "the database" and its files that a user (or a save dialog) can produce.
fn aliases_of_the_database(dir: &Path, db: &Path) -> Vec<(String, PathBuf)> {
    let name = db.file_name().unwrap();
    let symlink = dir.join("link-to-db.sqlite3");
    let hard = dir.join("hard-link.sqlite3");
    #[cfg(unix)]
    std::os::unix::fs::symlink(db, &symlink).unwrap();
    std::fs::hard_link(db, &hard).unwrap();
    std::fs::create_dir_all(dir.join("sub")).unwrap();
    std::fs::create_dir_all(files::backups_dir(db)).unwrap();
    vec![
        ("the path itself".into(), db.to_path_buf()),
        ("with ./ and ..".into(), dir.join("sub").join("..").join(".").join(name)),
        ("a symlink".into(), symlink),
        ("a hard link".into(), hard),
        ("its write-ahead log".into(), files::sidecar(db, "-wal")),
        ("its shared memory file".into(), files::sidecar(db, "-shm")),
        ("its rollback journal (not there yet)".into(), files::sidecar(db, "-journal")),
        ("the backups folder".into(), files::backups_dir(db).join("export.csv")),
    ]
}

#[test]
fn issue21_no_export_or_backup_is_written_over_the_database_or_its_files() {
    let TestDb { dir, path, mut conn } = sample_db();
    let people_before: i64 = conn.query_row("SELECT count(*) FROM people", [], |r| r.get(0)).unwrap();
    for (spelling, out) in aliases_of_the_database(dir.path(), &path) {
        for (writer, write) in writers() {
            let before = std::fs::read(&path).unwrap();
            let err = write(&mut conn, &out).expect_err(&format!("{writer} over {spelling} must be refused"));
            assert_eq!(err.kind(), "invalid", "{writer} over {spelling}: {err}");
            assert_eq!(std::fs::read(&path).unwrap(), before, "{writer} over {spelling} changed the database");
        }
    }
    drop(conn);
    let conn = open::open(&path).expect("the database still opens");
    let people: i64 = conn.query_row("SELECT count(*) FROM people", [], |r| r.get(0)).unwrap();
    assert_eq!(people, people_before);
    // Beside the database, every export still works.
    let mut conn = conn;
    for (writer, write) in writers() {
        let ext = match writer {
            "backup" => "sqlite3",
            "person data JSON" => "json",
            _ => "csv",
        };
        let out = dir.path().join(format!("{}.{ext}", writer.replace(' ', "-")));
        write(&mut conn, &out).unwrap_or_else(|e| panic!("{writer}: {e}"));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&out).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600, "{writer} is private");
        }
    }
}

#[test]
fn issue21_a_temporary_file_is_private_from_its_first_byte_and_gone_after_a_failure() {
    let TestDb { dir, path, conn: _conn } = new_db();
    let dest = dir.path().join("export.csv");
    let staged = Staged::create(&dest, "export", Some(&path), "out").unwrap();
    let temp = staged.temp_path().to_path_buf();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&temp).unwrap().permissions().mode() & 0o777, 0o600);
    }
    // While its writer works, a sweep (another window opening the database) leaves it alone.
    assert_eq!(files::sweep(&path), 0);
    assert!(temp.exists());
    drop(staged);
    assert!(!temp.exists(), "an unfinished file is deleted");
    assert!(!dest.exists());
}

#[test]
fn issue21_a_temporary_file_left_by_a_killed_writer_is_swept_at_the_next_open() {
    let TestDb { dir, path, conn } = new_db();
    drop(conn);
    // A child process starts an export and is killed (SIGKILL) while the temporary file exists: this test
    // binary re-runs itself as that child.
    let dest = dir.path().join("export.csv");
    let status = std::process::Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "files::stage_and_die", "--nocapture"])
        .env("ROLLCALL_STAGE_DB", &path)
        .env("ROLLCALL_STAGE_DEST", &dest)
        .status()
        .unwrap();
    assert!(!status.success(), "the child dies without cleaning up");
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert_eq!(left.len(), 1, "the killed writer left its temporary file");
    drop(open::open(&path).unwrap());
    let left = std::fs::read_dir(dir.path())
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .count();
    assert_eq!(left, 0, "opening the database swept it");
}

/// The child of the test above: stages a file, writes into it and kills itself. Without the variables
/// it does nothing (it runs as an ordinary, passing test).
#[test]
fn stage_and_die() {
    let (Some(db), Some(dest)) = (std::env::var_os("ROLLCALL_STAGE_DB"), std::env::var_os("ROLLCALL_STAGE_DEST"))
    else {
        return;
    };
    use std::io::Write;
    let mut staged = Staged::create(Path::new(&dest), "export", Some(Path::new(&db)), "out").unwrap();
    staged.file().write_all(b"half an export").unwrap();
    std::mem::forget(staged);
    kill_self();
}

/// Sends SIGKILL to this process: no destructor and no exit handler runs.
fn kill_self() -> ! {
    let pid = std::process::id();
    let _ = std::process::Command::new("kill").args(["-9", &pid.to_string()]).status();
    std::thread::sleep(std::time::Duration::from_secs(10));
    std::process::abort()
}

/// Issue 20: people's folders are named in their language (`C:\Users\Олена\Документи` on Windows, the
/// same in a home folder elsewhere): the database, its backups, an imported report, a workbook and every
/// export work under such names, with spaces and brackets, and a backup restores from there.
#[test]
fn issue20_paths_in_other_scripts_work_for_the_database_backups_imports_and_exports() {
    use rollcall_core::events::{self, EventInput};
    use rollcall_core::import::{self, AmbiguousPolicy, ImportOptions};
    let options = ImportOptions { ambiguous: AmbiguousPolicy::New, ..ImportOptions::default() };
    let root = tempfile::tempdir().unwrap();
    let home = root.path().join("Олена Коваленко").join("ნინოს ფაილები (2026)");
    std::fs::create_dir_all(&home).unwrap();
    let path = home.join("Rollcall база данных.sqlite3");
    let mut conn = open::open(&path).unwrap();
    sample::load(&mut conn).unwrap();
    let project: i64 = conn.query_row("SELECT min(id) FROM projects", [], |r| r.get(0)).unwrap();
    let event = events::create(
        &conn,
        &EventInput {
            project_id: project,
            title: "Вебінар".into(),
            starts_at: "2022-06-28T15:00".into(),
            timezone: Some("Europe/Kyiv".into()),
            ..Default::default()
        },
    )
    .unwrap()
    .id;
    for (fixture, name) in [
        ("zoom_meeting_plain.csv", "Звіт Zoom — учасники.csv"),
        ("zoom_meeting_plain.xlsx", "Звіт Zoom — учасники.xlsx"),
    ] {
        let report = home.join(name);
        std::fs::copy(crate::support::fixtures().join("import").join(fixture), &report).unwrap();
        let preview = import::preview(&conn, event, &report, &options, &Progress::none())
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(preview.file_name, name);
        let done = import::commit(&mut conn, event, &report, &options, &[], &Progress::none())
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(done.rows > 0 && done.rows == preview.rows && done.people_total > 0, "{name}: {done:?}");
    }
    let exports = home.join("Експорт для донора");
    std::fs::create_dir_all(&exports).unwrap();
    for (writer, write) in writers() {
        let ext = match writer {
            "backup" => "sqlite3",
            "person data JSON" => "json",
            _ => "csv",
        };
        let out = exports.join(format!("{} — ანგარიში.{ext}", writer.replace(' ', "-")));
        write(&mut conn, &out).unwrap_or_else(|e| panic!("{writer}: {e}"));
        assert!(std::fs::metadata(&out).unwrap().len() > 0, "{writer}");
    }
    let xlsx = exports.join("Донорська таблиця.xlsx");
    let xlsx_options = ExportOptions { format: Some(export::ExportFormat::Xlsx), ..ExportOptions::default() };
    export::donor_table(&mut conn, project, &Default::default(), &xlsx, &xlsx_options, &Progress::none()).unwrap();
    assert!(std::fs::metadata(&xlsx).unwrap().len() > 0);
    // The backups folder beside the database, a backup listed by its own non-Latin name, and a restore.
    let made = safety::backup_now(&conn, &path).unwrap();
    assert!(made.file_name.starts_with("Rollcall база данных.sqlite3."), "{}", made.file_name);
    assert!(safety::list_backups(&path).unwrap().iter().any(|b| b.file_name == made.file_name));
    let people: i64 = conn.query_row("SELECT count(*) FROM people", [], |r| r.get(0)).unwrap();
    drop(conn);
    rollcall_core::restore::restore(&path, std::path::Path::new(&made.path), None).unwrap();
    let conn = open::open(&path).unwrap();
    assert_eq!(conn.query_row::<i64, _, _>("SELECT count(*) FROM people", [], |r| r.get(0)).unwrap(), people);
}

/// Issue 20: on Windows, Excel holds every file it shows open without letting it be replaced. An export
/// over such a file waits a moment (virus scanners let go quickly), then says the file is open in another
/// program; the file keeps what it had and no temporary file is left beside it.
#[cfg(windows)]
#[test]
fn issue20_a_file_held_open_by_another_program_is_not_replaced_and_says_so() {
    use std::os::windows::fs::OpenOptionsExt;
    let TestDb { dir, mut conn, .. } = sample_db();
    let out = dir.path().join("Звіт.csv");
    std::fs::write(&out, "what Excel shows\r\n").unwrap();
    // FILE_SHARE_READ only, as Excel opens a workbook: others may read it, not write or delete it.
    let held = std::fs::OpenOptions::new().read(true).share_mode(0x1).open(&out).unwrap();
    for (writer, write) in writers() {
        let err = write(&mut conn, &out).expect_err(&format!("{writer} over a held file"));
        assert_eq!(err.kind(), "file_in_use", "{writer}: {err}");
        assert!(err.to_string().contains("Звіт.csv"), "{err}");
    }
    drop(held);
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "what Excel shows\r\n");
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".rollcall-"))
        .collect();
    assert!(left.is_empty(), "temporary files left: {left:?}");
    // Once Excel lets go, the same export goes through.
    export::people(&conn, &out, &ExportOptions::default(), &Progress::none()).unwrap();
}
