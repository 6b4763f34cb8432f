//! The foundation commands: add and list for each domain, JSON shapes, errors and exit codes.

use crate::support::{run_with_db, Cli};

#[test]
fn add_prints_the_created_object_and_list_prints_an_array() {
    let cli = Cli::new();
    let project = cli.json(&[
        "project",
        "add",
        "--name",
        "In Search of Solidarity",
        "--code",
        "ISS",
        "--donor",
        "EU",
        "--start",
        "2022-03-01",
        "--end",
        "2023-02-28",
    ]);
    assert!(project["id"].as_i64().unwrap() > 0);
    assert_eq!(project["name"], "In Search of Solidarity");
    let pid = project["id"].to_string();

    let org = cli.json(&["org", "add", "--name", "World of Tolerance", "--country", "ge", "--kind", "ngo"]);
    assert_eq!(org["country"], "GE");
    let oid = org["id"].to_string();
    let partner = cli.json(&["partner", "add", "--project", &pid, "--org", &oid, "--role", "partner"]);
    assert_eq!(partner["role"], "partner");

    let event = cli.json(&[
        "event",
        "add",
        "--project",
        &pid,
        "--title",
        "Webinar",
        "--starts",
        "2022-06-28T15:00",
        "--tz",
        "Europe/Kyiv",
        "--kind",
        "webinar",
    ]);
    assert_eq!(event["starts_utc"], "2022-06-28T12:00:00Z");
    let person = cli.json(&[
        "person",
        "add",
        "--name",
        "Олена Коваленко",
        "--email",
        "olena@example.org",
        "--country",
        "UA",
        "--org",
        &oid,
    ]);
    assert_eq!(person["full_name"], "Олена Коваленко");

    assert_eq!(cli.json(&["project", "list"]).as_array().unwrap().len(), 1);
    assert_eq!(cli.json(&["org", "list"]).as_array().unwrap().len(), 1);
    assert_eq!(cli.json(&["event", "list", "--project", &pid]).as_array().unwrap().len(), 1);
    let found = cli.json(&["person", "list", "--search", "ОЛЕНА"]);
    assert_eq!(found.as_array().unwrap().len(), 1);
    assert_eq!(found[0]["email"], "olena@example.org");
}

#[test]
fn errors_exit_non_zero_with_one_line_on_stderr() {
    let cli = Cli::new();
    let cases: &[&[&str]] = &[
        &["project", "add", "--name", " "],
        &["event", "add", "--project", "7", "--title", "x", "--starts", "2022-06-28T10:00"],
        &["org", "add", "--name", "X", "--country", "Georgia"],
        &["person", "add", "--name", "X", "--email", "nope"],
        &["partner", "add", "--project", "abc", "--org", "1", "--role", "lead"],
    ];
    for args in cases {
        let run = cli.run(args);
        assert_ne!(run.code, 0, "{args:?} should fail");
        assert_eq!(run.stderr.trim_end().lines().count(), 1, "{args:?}: {}", run.stderr);
        assert!(run.stdout.is_empty(), "{args:?} printed {}", run.stdout);
    }
}

#[test]
fn sample_data_loads_once_and_olena_is_found() {
    let cli = Cli::new();
    let summary = cli.json(&["sample-data"]);
    assert_eq!(summary["projects"], 2);
    let people = cli.json(&["person", "list", "--search", "олена"]);
    assert!(!people.as_array().unwrap().is_empty());
    assert_ne!(cli.run(&["sample-data"]).code, 0);
}

#[test]
fn rollcall_db_environment_variable_is_honoured() {
    let cli = Cli::new();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_rollcall-cli"))
        .args(["--json", "project", "add", "--name", "Via env"])
        .env("ROLLCALL_DB", &cli.db)
        .output()
        .unwrap();
    assert!(out.status.success());
    let listed = run_with_db(&cli.db, &["--json", "project", "list"]).json();
    assert_eq!(listed[0]["name"], "Via env");
}

#[test]
fn a_newer_database_is_refused() {
    let cli = Cli::new();
    cli.json(&["project", "add", "--name", "Creates the database"]);
    {
        let c = rollcall_core_conn(&cli.db);
        c.execute_batch("PRAGMA user_version = 42").unwrap();
    }
    let run = cli.run(&["project", "list"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("newer Rollcall"), "{}", run.stderr);
}

fn rollcall_core_conn(path: &std::path::Path) -> rollcall_core::db::Connection {
    rollcall_core::db::Connection::open(path).unwrap()
}

#[test]
fn output_into_a_closed_pipe_ends_quietly_without_a_panic() {
    let cli = Cli::new();
    cli.json(&["sample-data"]);
    for args in [&["person", "list"][..], &["--json", "person", "list"][..]] {
        // The reading end is closed before the CLI starts, as `| head -1` closes it after one line: every
        // write then fails with EPIPE.
        let (reader, writer) = std::io::pipe().unwrap();
        drop(reader);
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_rollcall-cli"))
            .arg("--db")
            .arg(&cli.db)
            .args(args)
            .env_remove("ROLLCALL_DB")
            .stdout(writer)
            .stderr(std::process::Stdio::piped())
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(matches!(out.status.code(), Some(0 | 141)), "{args:?}: {:?} {stderr}", out.status);
        assert!(stderr.is_empty(), "{args:?}: {stderr}");
    }
}

#[test]
fn commands_that_do_not_add_data_refuse_a_missing_database_and_create_nothing() {
    let cli = Cli::new();
    let db = cli.path("missing.sqlite3");
    let out = cli.path("out.csv");
    let out = out.to_str().unwrap();
    let cases: &[&[&str]] = &[
        &["check"],
        &["backup"],
        &["backup", "list"],
        &["backup", "--out", out],
        &["export", "people", "--out", out],
        &["report", "project", "1"],
        &["report", "donor", "--project", "1"],
        &["person", "list"],
        &["person", "export", "1", "--out", out],
        &["person", "erase", "1", "--yes"],
        &["project", "list"],
        &["import", "list"],
        &["retention", "--before", "2020-01-01"],
        &["encrypt"],
    ];
    for args in cases {
        let run = run_with_db(&db, args);
        assert_eq!(run.code, 1, "{args:?}: {}", run.stdout);
        assert!(run.stdout.is_empty(), "{args:?} printed {}", run.stdout);
        assert_eq!(run.stderr.trim_end().lines().count(), 1, "{args:?}: {}", run.stderr);
        assert!(run.stderr.contains(&format!("no database at {}", db.display())), "{args:?}: {}", run.stderr);
        let left: Vec<_> = std::fs::read_dir(cli.dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert!(left.is_empty(), "{args:?} created {left:?}");
    }
    // Adding data creates the database.
    assert_eq!(run_with_db(&db, &["project", "add", "--name", "First"]).code, 0);
    assert!(db.exists());
    assert_eq!(run_with_db(&db, &["check"]).code, 0);
}
