//! Data safety and privacy on the command line: check, backup, restore, encryption with the passphrase
//! in the environment, person export / erase / consent, retention, damaged files, kill -9 during an
//! import, and a disk that fills up.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use rollcall_core::db::Connection;
use serde_json::Value;

use crate::support::{Cli, Run};

/// Runs the CLI on `db` with extra environment variables (and without any passphrase from the caller's).
fn run_env(db: &Path, args: &[&str], env: &[(&str, &str)]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_rollcall-cli"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("ROLLCALL_DB")
        .env_remove("ROLLCALL_PASSPHRASE")
        .env_remove("ROLLCALL_NEW_PASSPHRASE")
        .envs(env.iter().copied())
        .output()
        .expect("run rollcall-cli");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// A failure as the CLI reports one: exit code 1, nothing on stdout, one line on stderr.
fn assert_one_line_error(run: &Run, contains: &str) {
    assert_eq!(run.code, 1, "stdout: {} stderr: {}", run.stdout, run.stderr);
    assert!(run.stdout.is_empty(), "{}", run.stdout);
    assert_eq!(run.stderr.trim_end().lines().count(), 1, "{}", run.stderr);
    assert!(run.stderr.contains(contains), "{:?} not in {}", contains, run.stderr);
}

fn flip_people_root_page(db: &Path) {
    let root: i64 = Connection::open(db)
        .unwrap()
        .query_row("SELECT rootpage FROM sqlite_schema WHERE name = 'people'", [], |r| r.get(0))
        .unwrap();
    let mut bytes = std::fs::read(db).unwrap();
    bytes[(root as usize - 1) * 4096] = 0xff;
    std::fs::write(db, bytes).unwrap();
}

#[test]
fn check_prints_one_line_and_a_damaged_database_is_refused_and_left_as_it_is() {
    let cli = Cli::new();
    cli.json(&["sample-data"]);
    let ok = cli.run(&["check"]);
    assert_eq!(ok.code, 0, "{}", ok.stderr);
    assert_eq!(ok.stdout.trim_end().lines().count(), 1);
    assert!(ok.stdout.starts_with("ok: "), "{}", ok.stdout);
    assert_eq!(cli.json(&["check"])["ok"], true);

    flip_people_root_page(&cli.db);
    let before = std::fs::read(&cli.db).unwrap();
    assert_one_line_error(&cli.run(&["check"]), "damaged");
    assert_one_line_error(&cli.run(&["person", "list"]), "damaged");
    assert_one_line_error(&cli.run(&["project", "add", "--name", "New"]), "damaged");
    assert_eq!(std::fs::read(&cli.db).unwrap(), before);
}

#[test]
fn a_file_that_is_not_a_database_is_never_replaced_by_a_new_one() {
    let cases: &[(&str, &[u8])] = &[
        ("text", b"Name,Email\nOlena,olena@example.org\n"),
        ("empty", b""),
        ("half a header", b"SQLite format 3\0\x10\x00"),
    ];
    for (what, bytes) in cases {
        let cli = Cli::new();
        std::fs::write(&cli.db, bytes).unwrap();
        for args in [&["project", "list"][..], &["project", "add", "--name", "New"], &["check"], &["backup"]] {
            let run = cli.run(args);
            assert_one_line_error(&run, "cli.sqlite3");
            assert!(
                run.stderr.contains("not a Rollcall database")
                    || run.stderr.contains("empty")
                    || run.stderr.contains("shorter"),
                "{what}: {}",
                run.stderr
            );
        }
        assert_eq!(std::fs::read(&cli.db).unwrap(), *bytes, "{what}");
    }
}

#[test]
fn backup_list_and_restore_with_the_json_keys() {
    let cli = Cli::new();
    cli.json(&["sample-data"]);
    let out = cli.path("copy.sqlite3");
    let b = cli.json(&["backup", "--out", out.to_str().unwrap()]);
    for key in ["path", "file_name", "created_at", "kind", "bytes", "encrypted"] {
        assert!(b.get(key).is_some(), "{key} missing from {b}");
    }
    assert_eq!((b["kind"].as_str(), b["encrypted"].as_bool()), (Some("manual"), Some(false)));
    let into_folder = cli.json(&["backup"]);
    assert!(into_folder["path"].as_str().unwrap().contains("backups"), "{into_folder}");
    let list = cli.json(&["backup", "list"]);
    let kinds: Vec<&str> = list.as_array().unwrap().iter().map(|b| b["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["manual", "daily"]);

    let projects = cli.json(&["project", "list"]).as_array().unwrap().len();
    cli.json(&["project", "add", "--name", "After the backup"]);
    let olena = cli.json(&["person", "list", "--search", "Олена Коваленко"])[0]["id"].to_string();
    cli.json(&["person", "erase", &olena, "--yes"]);

    let restored = cli.json(&["restore", out.to_str().unwrap()]);
    assert_eq!(restored["erasures_reapplied"], 1, "{restored}");
    assert_eq!(restored["safety_copy"]["kind"], "before-restore");
    assert_eq!(cli.json(&["project", "list"]).as_array().unwrap().len(), projects, "the project added later is gone");
    assert!(
        cli.json(&["person", "list", "--search", "Олена Коваленко"]).as_array().unwrap().is_empty(),
        "an erasure survives a restore"
    );
    assert_one_line_error(&cli.run(&["restore", cli.path("missing.sqlite3").to_str().unwrap()]), "does not exist");
}

const PASS: &[(&str, &str)] = &[("ROLLCALL_PASSPHRASE", "correct horse battery")];

#[test]
fn encryption_takes_passphrases_from_the_environment_only() {
    let cli = Cli::new();
    cli.json(&["sample-data"]);
    assert_one_line_error(&run_env(&cli.db, &["encrypt"], &[]), "ROLLCALL_PASSPHRASE");
    assert_one_line_error(&run_env(&cli.db, &["encrypt"], &[("ROLLCALL_PASSPHRASE", "short")]), "at least 8");
    let run = run_env(&cli.db, &["--json", "encrypt"], PASS);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let report: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(report["encrypted"], true);
    assert!(!std::fs::read(&cli.db).unwrap().starts_with(b"SQLite format 3"));

    assert_one_line_error(&run_env(&cli.db, &["person", "list"], &[]), "passphrase is needed");
    let before = std::fs::read(&cli.db).unwrap();
    assert_one_line_error(
        &run_env(&cli.db, &["person", "list"], &[("ROLLCALL_PASSPHRASE", "wrong horse battery")]),
        "passphrase is wrong",
    );
    assert_eq!(std::fs::read(&cli.db).unwrap(), before);
    let listed = run_env(&cli.db, &["--json", "person", "list", "--search", "олена"], PASS);
    assert_eq!(listed.code, 0, "{}", listed.stderr);
    assert!(listed.stdout.contains("Олена"));

    let new = [PASS[0], ("ROLLCALL_NEW_PASSPHRASE", "staple battery horse")];
    assert_eq!(run_env(&cli.db, &["passphrase"], &new).code, 0);
    assert_one_line_error(&run_env(&cli.db, &["check"], PASS), "passphrase is wrong");
    let decrypted = run_env(&cli.db, &["decrypt"], &[("ROLLCALL_PASSPHRASE", "staple battery horse")]);
    assert_eq!(decrypted.code, 0, "{}", decrypted.stderr);
    assert!(std::fs::read(&cli.db).unwrap().starts_with(b"SQLite format 3\0"));
    assert_eq!(cli.run(&["check"]).code, 0);

    let help = cli.run(&["--help"]).stdout;
    assert!(!help.contains("--passphrase"), "a passphrase flag would show in ps: {help}");
}

#[test]
fn person_export_erase_consent_and_retention() {
    let cli = Cli::new();
    cli.json(&["sample-data"]);
    let id = cli.json(&["person", "list", "--search", "Олена Коваленко"])[0]["id"].to_string();

    let json_out = cli.path("olena.json");
    let written = cli.json(&["person", "export", &id, "--out", json_out.to_str().unwrap()]);
    assert_eq!((written["format"].as_str(), written["person_id"].to_string()), (Some("json"), id.clone()));
    let data: Value = serde_json::from_slice(&std::fs::read(&json_out).unwrap()).unwrap();
    for key in ["generated_at", "person", "organisation", "consents", "attendance", "imports"] {
        assert!(data.get(key).is_some(), "{key} missing");
    }
    assert_eq!(data["person"]["full_name"], "Олена Коваленко");
    let csv_out = cli.path("olena.csv");
    cli.json(&["person", "export", &id, "--out", csv_out.to_str().unwrap(), "--format", "csv"]);
    let csv = std::fs::read_to_string(&csv_out).unwrap();
    assert!(csv.starts_with("\u{feff}section,record,field,value\r\n"), "{csv}");
    assert!(csv.contains("person,") && csv.contains("Олена Коваленко"));
    assert_one_line_error(&cli.run(&["person", "export", &id, "--out", "x", "--format", "xml"]), "json or csv");

    let c = cli.json(&["person", "consent", &id, "--purpose", "photos", "--method", "email", "--date", "2022-05-01"]);
    assert_eq!(
        (c["purpose"].as_str(), c["given_on"].as_str(), c["method"].as_str()),
        (Some("photos"), Some("2022-05-01"), Some("email"))
    );
    let w = cli.json(&["person", "consent", &id, "--purpose", "photos", "--withdraw", "--date", "2022-06-01"]);
    assert_eq!(w["withdrawn"], 1);
    assert_one_line_error(
        &cli.run(&["person", "consent", &id, "--purpose", "photos", "--withdraw"]),
        "no open consent",
    );

    assert_one_line_error(&cli.run(&["person", "erase", &id]), "--yes");
    assert_eq!(cli.json(&["person", "show", &id])["full_name"], "Олена Коваленко", "nothing erased without --yes");
    let erased = cli.json(&["person", "erase", &id, "--yes"]);
    assert_eq!(erased["people"], 1);
    assert_one_line_error(&cli.run(&["person", "show", &id]), "does not exist");

    // The sample's people were all added today, so a date in the future finds them all.
    let everyone = cli.json(&["person", "list"]).as_array().unwrap().len();
    let candidates = cli.json(&["retention", "--before", "2999-01-01"]);
    assert_eq!(candidates.as_array().unwrap().len(), everyone);
    assert!(cli.json(&["retention", "--before", "2000-01-01"]).as_array().unwrap().is_empty());
    assert_one_line_error(&cli.run(&["retention", "--before", "2999-01-01", "--erase"]), "--yes");
    let bad_date = cli.run(&["retention", "--before", "last year"]);
    assert_one_line_error(&bad_date, "before must be a date");
    assert!(!bad_date.stderr.contains("since"), "{}", bad_date.stderr);
    let gone = cli.json(&["retention", "--before", "2999-01-01", "--erase", "--yes"]);
    assert_eq!(gone["people"].as_u64(), Some(everyone as u64));
    assert!(cli.json(&["person", "list"]).as_array().unwrap().is_empty());
}

/// A Zoom meeting report of `rows` different participants.
fn zoom_report(path: &Path, rows: usize) {
    let mut s = String::from("Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest\n");
    for i in 0..rows {
        s.push_str(&format!(
            "Participant {i:05},p{i}@example.org,28/06/2022 15:{m:02}:00,28/06/2022 16:{m:02}:00,60,No\n",
            m = i % 60
        ));
    }
    std::fs::write(path, s).unwrap();
}

/// A database with a project and an event, and a large report to import into it.
fn import_setup(cli: &Cli, rows: usize) -> (String, PathBuf) {
    let event = cli.with_event();
    let report = cli.path("zoom.csv");
    zoom_report(&report, rows);
    (event, report)
}

/// (integrity check result, people, attendance records, imports) of a database file.
fn state(db: &Path) -> (String, i64, i64, i64) {
    let c = Connection::open(db).unwrap();
    let integrity: String = c.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
    let n = |t: &str| c.query_row(&format!("SELECT count(*) FROM {t}"), [], |r| r.get::<_, i64>(0)).unwrap();
    (integrity, n("people"), n("attendance"), n("imports"))
}

/// SplitMix64, so the kill moments of a run can be repeated from its seed.
fn next(seed: &mut u64) -> u64 {
    *seed = seed.wrapping_add(0x9e37_79b9_7f4a_7c15);
    let mut z = *seed;
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

#[test]
fn kill_9_during_an_import_leaves_all_of_it_or_none() {
    const ROWS: i64 = 5000;
    let runs: usize = std::env::var("ROLLCALL_FAULT_RUNS").ok().and_then(|v| v.parse().ok()).unwrap_or(24);
    let cli = Cli::new();
    let (event, report) = import_setup(&cli, ROWS as usize);
    let template = std::fs::read(&cli.db).unwrap();
    let import = ["import", report.to_str().unwrap(), "--event", event.as_str()];

    // One complete run: how long an import takes here, and what "all of it" looks like.
    let started = Instant::now();
    assert_eq!(cli.run(&import).code, 0);
    let full = started.elapsed();
    assert_eq!(state(&cli.db), ("ok".into(), ROWS, ROWS, 1));

    let mut seed = std::env::var("ROLLCALL_FAULT_SEED").ok().and_then(|v| v.parse().ok()).unwrap_or(0x5afe);
    let (mut none, mut all) = (0, 0);
    for run in 0..runs {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("fault.sqlite3");
        std::fs::write(&db, &template).unwrap();
        // Half of the kills anywhere in the import, half near its end, where it commits.
        let fraction = (next(&mut seed) % 1000) as f64 / 1000.0;
        let at = if run % 2 == 0 { full.mul_f64(fraction * 1.1) } else { full.mul_f64(0.8 + fraction * 0.3) };
        let mut child = Command::new(env!("CARGO_BIN_EXE_rollcall-cli"))
            .arg("--db")
            .arg(&db)
            .args(import)
            .env_remove("ROLLCALL_DB")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(at);
        let _ = child.kill(); // SIGKILL on Unix: no destructor, no rollback, no checkpoint runs.
        child.wait().unwrap();
        let got = state(&db);
        match got {
            (ref ok, 0, 0, 0) if ok == "ok" => none += 1,
            (ref ok, p, a, 1) if ok == "ok" && p == ROWS && a == ROWS => all += 1,
            other => panic!("run {run}, killed after {at:?}: {other:?}"),
        }
    }
    eprintln!("kill -9 during an import: {runs} runs, {none} left nothing, {all} left everything (a full import took {full:?})");
}

/// Runs the CLI with the size of any file it writes limited to `blocks` (of 512 bytes, dash's unit),
/// the way a nearly full disk stops a write. SIGXFSZ is ignored, so the write fails with EFBIG.
fn run_with_file_limit(db: &Path, blocks: u64, args: &[&str]) -> Run {
    let out = Command::new("sh")
        .arg("-c")
        .arg(format!("trap '' XFSZ; ulimit -f {blocks} && exec \"$0\" \"$@\""))
        .arg(env!("CARGO_BIN_EXE_rollcall-cli"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("ROLLCALL_DB")
        .output()
        .unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

#[test]
fn a_disk_that_fills_up_during_an_import_or_a_backup_is_a_clear_error_and_no_damage() {
    let cli = Cli::new();
    let (event, report) = import_setup(&cli, 5000);
    // Today's backup is made now (the second open), so the limited runs below do not need to write one.
    cli.json(&["project", "list"]);
    let size = std::fs::metadata(&cli.db).unwrap().len();
    let limit = (size + 256 * 1024) / 512;

    let run = run_with_file_limit(&cli.db, limit, &["import", report.to_str().unwrap(), "--event", &event]);
    assert_eq!(run.code, 1, "{} {}", run.stdout, run.stderr);
    let last = run.stderr.trim_end().lines().last().unwrap_or_default();
    assert!(last.starts_with("rollcall-cli: ") && last.contains("not saved"), "{}", run.stderr);
    assert_eq!(state(&cli.db), ("ok".into(), 0, 0, 0));

    // A backup larger than the space left: an error, and no partial file anywhere.
    cli.json(&["sample-data"]);
    let out = cli.path("full.sqlite3");
    let run = run_with_file_limit(&cli.db, 64, &["backup", "--out", out.to_str().unwrap()]);
    assert_eq!(run.code, 1, "{} {}", run.stdout, run.stderr);
    assert!(run.stderr.trim_end().lines().last().unwrap_or_default().contains("not saved"), "{}", run.stderr);
    assert!(!out.exists());
    let leftovers: Vec<String> = std::fs::read_dir(cli.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    assert_eq!(cli.run(&["check"]).code, 0);
}

#[test]
fn a_kill_leaves_no_half_written_backup_under_a_backup_name() {
    let cli = Cli::new();
    cli.json(&["sample-data"]);
    let out = cli.path("b.sqlite3");
    for delay_ms in [0u64, 5, 10, 20, 40] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_rollcall-cli"))
            .arg("--db")
            .arg(&cli.db)
            .args(["backup", "--out", out.to_str().unwrap()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay_ms));
        let _ = child.kill();
        child.wait().unwrap();
        // Either no backup yet, or a whole one that passes its check.
        if out.exists() {
            let c = Connection::open(&out).unwrap();
            let ok: String = c.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
            assert_eq!(ok, "ok", "killed after {delay_ms} ms");
        }
    }
    assert_eq!(cli.run(&["check"]).code, 0);
}

#[test]
fn backup_json_kind_stays_manual_for_backups_within_one_second() {
    let cli = Cli::new();
    cli.json(&["sample-data"]);
    // Two backups within the same second get names ending `-manual-2`, `-manual-3`, ...
    let mut same_second = false;
    for _ in 0..10 {
        let (a, b) = (cli.json(&["backup"]), cli.json(&["backup"]));
        assert_eq!((a["kind"].as_str(), b["kind"].as_str()), (Some("manual"), Some("manual")));
        if a["created_at"] == b["created_at"] {
            same_second = true;
            break;
        }
    }
    assert!(same_second, "no two backups within one second");
    let list = cli.json(&["backup", "list"]);
    let list = list.as_array().unwrap();
    let suffixed: Vec<&Value> = list.iter().filter(|b| b["file_name"].as_str().unwrap().contains("-manual-")).collect();
    assert!(!suffixed.is_empty(), "{list:?}");
    assert!(suffixed.iter().all(|b| b["kind"] == "manual"), "{list:?}");
    // The rest is the day's automatic backup made when the database was first opened again.
    assert!(list.iter().all(|b| b["kind"] == "manual" || b["kind"] == "daily"), "{list:?}");
}

#[test]
fn an_export_into_a_missing_folder_names_the_requested_file() {
    let cli = Cli::new();
    cli.json(&["sample-data"]);
    let out = cli.path("no such folder").join("people.csv");
    let run = cli.run(&["export", "people", "--out", out.to_str().unwrap()]);
    assert_one_line_error(&run, &out.display().to_string());
    assert!(!run.stderr.contains(".people.csv."), "names the temporary file: {}", run.stderr);
}

/// Every file in `dir` and below (the database's folder, its backups, its pending notes).
fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let p = entry.path();
        if p.is_dir() {
            out.extend(files_under(&p));
        } else {
            out.push(p);
        }
    }
    out
}

fn starts_with_sqlite_header(path: &Path) -> bool {
    std::fs::read(path).map(|b| b.starts_with(b"SQLite format 3\0")).unwrap_or(false)
}

/// Regression (issue 21, case 1): no export can replace the database, however its path is written.
#[test]
fn issue21_an_export_pointed_at_the_database_is_refused_and_the_database_is_intact() {
    let cli = Cli::new();
    cli.json(&["sample-data"]);
    let db = cli.db.to_str().unwrap().to_string();
    let dotted = cli.dir.path().join(".").join("cli.sqlite3");
    let dotted = dotted.to_str().unwrap();
    let wal = format!("{db}-wal");
    for out in [db.as_str(), dotted, wal.as_str()] {
        for args in [
            vec!["export", "people", "--out", out],
            vec!["export", "attendance", "--project", "1", "--out", out],
            vec!["export", "report", "project", "--project", "1", "--out", out],
            vec!["export", "report", "donor", "--project", "1", "--out", out],
            vec!["person", "export", "1", "--out", out],
            vec!["person", "export", "1", "--out", out, "--format", "csv"],
            vec!["backup", "--out", out],
        ] {
            let run = cli.run(&args);
            assert_one_line_error(&run, "choose another file name");
            assert_eq!(cli.run(&["check"]).code, 0, "{args:?}");
        }
    }
    assert!(!cli.json(&["person", "list"]).as_array().unwrap().is_empty());
}

/// Regression (issue 21, cases 2 and 5): restoring into an encrypted database needs its passphrase and
/// leaves it encrypted.
#[test]
fn issue21_restore_into_an_encrypted_database_needs_the_passphrase_and_stays_encrypted() {
    let cli = Cli::new();
    cli.json(&["sample-data"]);
    let plain = cli.path("plain-backup.sqlite3");
    cli.json(&["backup", "--out", plain.to_str().unwrap()]);
    let pass = [("ROLLCALL_PASSPHRASE", "correct horse battery")];
    assert_eq!(run_env(&cli.db, &["encrypt"], &pass).code, 0);
    let before = std::fs::read(&cli.db).unwrap();
    let restore = ["restore", plain.to_str().unwrap()];
    assert_one_line_error(&run_env(&cli.db, &restore, &[]), "passphrase");
    assert_one_line_error(&run_env(&cli.db, &restore, &[("ROLLCALL_PASSPHRASE", "wrong passphrase")]), "wrong");
    assert_eq!(std::fs::read(&cli.db).unwrap(), before, "nothing changed");
    let run = run_env(&cli.db, &["--json", "restore", plain.to_str().unwrap()], &pass);
    assert_eq!(run.json()["encrypted"], Value::Bool(true));
    assert!(!starts_with_sqlite_header(&cli.db), "the database is still encrypted");
    assert_eq!(run_env(&cli.db, &["check"], &pass).code, 0);
}

/// Regression (issue 21, case 3): a restore that overlaps an import never loses the import: either the
/// restore is refused while the import runs, or the import lands before (and is then in the restore's
/// safety copy) or after it.
#[test]
fn issue21_a_restore_overlapping_an_import_never_loses_an_import_reported_done() {
    const ROWS: usize = 3000;
    let trials: usize = std::env::var("ROLLCALL_FAULT_RUNS").ok().and_then(|v| v.parse().ok()).unwrap_or(12);
    let mut seed = 0x2121u64;
    let (mut refused, mut restored) = (0, 0);
    for trial in 0..trials {
        let cli = Cli::new();
        let event = cli.with_event();
        let empty = cli.path("empty-backup.sqlite3");
        cli.json(&["backup", "--out", empty.to_str().unwrap()]);
        let report = cli.path("zoom.csv");
        zoom_report(&report, ROWS);
        let import = Command::new(env!("CARGO_BIN_EXE_rollcall-cli"))
            .arg("--db")
            .arg(&cli.db)
            .args(["--json", "import", report.to_str().unwrap(), "--event", &event])
            .env_remove("ROLLCALL_DB")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(next(&mut seed) % 400));
        let restore = cli.run(&["--json", "restore", empty.to_str().unwrap()]);
        let import = import.wait_with_output().unwrap();
        if restore.code == 0 {
            restored += 1;
        } else {
            assert!(restore.stderr.contains("in use") || restore.stderr.contains("busy"), "{}", restore.stderr);
            refused += 1;
        }
        eprintln!(
            "trial {trial}: restore {} {}, import {} {}",
            restore.code,
            restore.stderr.trim(),
            import.status,
            String::from_utf8_lossy(&import.stderr).trim()
        );
        if import.status.success() {
            // An import reported done is in the database, or (if it landed before the restore) in the copy
            // the restore kept of the database as it was.
            let in_db = state(&cli.db).2 as usize;
            let in_copy = if restore.code == 0 {
                let copy = restore.json()["safety_copy"]["path"].as_str().unwrap().to_string();
                state(Path::new(&copy)).2 as usize
            } else {
                0
            };
            assert!(
                in_db == ROWS || in_copy == ROWS,
                "trial {trial}: the import said done, but the database holds {in_db} and the copy {in_copy} records"
            );
        }
        assert_eq!(cli.run(&["check"]).code, 0);
    }
    eprintln!("restore during an import: {trials} trials, {refused} refused while busy, {restored} restored");
}

/// Regression (issue 21, case 6): kill -9 during encrypt, decrypt or `backup --out` never leaves a
/// plain copy of an encrypted database or a temporary file once the database has been opened again, and
/// what is left while killed is private.
#[test]
fn issue21_kill_9_during_encrypt_decrypt_or_backup_leaves_no_plain_copy_behind() {
    let runs: usize = std::env::var("ROLLCALL_FAULT_RUNS").ok().and_then(|v| v.parse().ok()).unwrap_or(8);
    let pass = [("ROLLCALL_PASSPHRASE", "correct horse battery")];
    let mut seed = 0x6u64;
    for (what, args, encrypted_first) in [
        ("encrypt", vec!["encrypt"], false),
        ("decrypt", vec!["decrypt"], true),
        ("backup --out", vec!["backup", "--out", "OUT"], true),
    ] {
        for run in 0..runs {
            let cli = Cli::new();
            cli.json(&["sample-data"]);
            // A plain daily backup exists beside the database (made at the first open of the day).
            assert_eq!(cli.run(&["check"]).code, 0);
            if encrypted_first {
                assert_eq!(run_env(&cli.db, &["encrypt"], &pass).code, 0);
            }
            let out = cli.path("out.sqlite3");
            let args: Vec<&str> = args.iter().map(|a| if *a == "OUT" { out.to_str().unwrap() } else { a }).collect();
            let mut child = Command::new(env!("CARGO_BIN_EXE_rollcall-cli"))
                .arg("--db")
                .arg(&cli.db)
                .args(&args)
                .env_remove("ROLLCALL_DB")
                .envs(pass)
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .unwrap();
            std::thread::sleep(Duration::from_millis(next(&mut seed) % 900));
            let _ = child.kill();
            child.wait().unwrap();
            #[cfg(unix)]
            for f in files_under(cli.dir.path()) {
                use std::os::unix::fs::PermissionsExt;
                let name = f.file_name().unwrap().to_string_lossy().into_owned();
                if name.ends_with(".tmp") {
                    let mode = std::fs::metadata(&f).unwrap().permissions().mode() & 0o777;
                    assert_eq!(mode, 0o600, "{what}, run {run}: {name} is private while it exists");
                }
            }
            // The next command opens the database: leftovers are swept, an interrupted encryption finishes.
            let encrypted = !starts_with_sqlite_header(&cli.db);
            let env: &[(&str, &str)] = if encrypted { &pass } else { &[] };
            let check = run_env(&cli.db, &["check"], env);
            assert_eq!(check.code, 0, "{what}, run {run}: {}", check.stderr);
            let left: Vec<PathBuf> =
                files_under(cli.dir.path()).into_iter().filter(|f| f.to_string_lossy().ends_with(".tmp")).collect();
            assert!(left.is_empty(), "{what}, run {run}: {left:?}");
            if encrypted {
                let plain: Vec<PathBuf> = files_under(cli.dir.path())
                    .into_iter()
                    .filter(|f| starts_with_sqlite_header(f) && *f != out && !f.starts_with(cli.path("sub")))
                    .collect();
                assert!(plain.is_empty(), "{what}, run {run}: plain copies beside an encrypted database: {plain:?}");
            }
        }
    }
}

/// Regression (issue 21, case 12): a database on a read-only disk can be read; writes are refused with
/// a clear message. The disk is a read-only bind mount (root) or a folder without write permission.
#[test]
fn issue21_a_database_on_read_only_media_is_read_and_writes_are_refused() {
    let cli = Cli::new();
    cli.json(&["sample-data"]);
    assert_eq!(cli.run(&["check"]).code, 0);
    let media = cli.path("media");
    std::fs::create_dir_all(&media).unwrap();
    std::fs::copy(&cli.db, media.join("usb.sqlite3")).unwrap();
    let mount = cli.path("mnt");
    std::fs::create_dir_all(&mount).unwrap();
    let mounted = Command::new("mount").arg("--bind").arg(&media).arg(&mount).status().is_ok_and(|s| s.success())
        && Command::new("mount").args(["-o", "remount,bind,ro"]).arg(&mount).status().is_ok_and(|s| s.success());
    struct Unmount(PathBuf, bool);
    impl Drop for Unmount {
        fn drop(&mut self) {
            if self.1 {
                let _ = Command::new("umount").arg(&self.0).status();
            }
        }
    }
    let _guard = Unmount(mount.clone(), mounted);
    let db = if mounted {
        mount.join("usb.sqlite3")
    } else {
        let db = media.join("usb.sqlite3");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o444)).unwrap();
            std::fs::set_permissions(&media, std::fs::Permissions::from_mode(0o555)).unwrap();
        }
        // Windows has no read-only folders: the file's read-only attribute is what a locked medium shows.
        #[cfg(not(unix))]
        {
            let mut read_only = std::fs::metadata(&db).unwrap().permissions();
            read_only.set_readonly(true);
            std::fs::set_permissions(&db, read_only).unwrap();
        }
        db
    };
    if std::fs::OpenOptions::new().append(true).open(&db).is_ok() {
        eprintln!("cannot make read-only media here (root without mount): case not exercised");
        return;
    }
    let list = run_env(&db, &["--json", "person", "list"], &[]);
    assert_eq!(list.code, 0, "{}", list.stderr);
    assert!(!list.json().as_array().unwrap().is_empty());
    let add = run_env(&db, &["person", "add", "--name", "New Person"], &[]);
    assert_one_line_error(&add, "read-only");
    #[cfg(unix)]
    if !mounted {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&media, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    // The temporary folder is removed afterwards, which Windows refuses for a read-only file.
    #[cfg(not(unix))]
    {
        let mut writable = std::fs::metadata(&db).unwrap().permissions();
        #[allow(clippy::permissions_set_readonly_false)]
        writable.set_readonly(false);
        std::fs::set_permissions(&db, writable).unwrap();
    }
}

/// Regression (issue 21, "also"): paths that cannot hold a database are refused at once, and nothing
/// is created: `:memory:`, a folder or a path ending in `/`, /dev/null, a named pipe.
#[test]
fn issue21_database_paths_that_are_not_files_are_refused_at_once() {
    let cli = Cli::new();
    let folder = cli.path("folder");
    std::fs::create_dir_all(&folder).unwrap();
    let slash = format!("{}/", cli.path("new-folder").display());
    let fifo = cli.path("pipe");
    let made = Command::new("mkfifo").arg(&fifo).status().is_ok_and(|s| s.success());
    let mut paths = vec![":memory:".to_string(), folder.display().to_string(), slash.clone(), "/dev/null".into()];
    if made {
        paths.push(fifo.display().to_string());
    }
    for db in paths {
        let started = Instant::now();
        let run = run_env(Path::new(&db), &["sample-data"], &[]);
        assert!(started.elapsed() < Duration::from_secs(5), "{db} must not hang");
        assert_one_line_error(&run, db.trim_end_matches('/'));
    }
    assert!(!Path::new(&slash).exists(), "no folder or file was created");
}
