//! The foundation commands: add and list for each domain, JSON shapes, errors and exit codes.

use crate::support::{run_with_db, Cli};

#[test]
fn add_prints_the_created_object_and_list_prints_an_array() {
    let cli = Cli::new();
    let project = cli.json(&["project", "add", "--name", "In Search of Solidarity", "--code", "ISS", "--donor", "EU", "--start", "2022-03-01", "--end", "2023-02-28"]);
    assert!(project["id"].as_i64().unwrap() > 0);
    assert_eq!(project["name"], "In Search of Solidarity");
    let pid = project["id"].to_string();

    let org = cli.json(&["org", "add", "--name", "World of Tolerance", "--country", "ge", "--kind", "ngo"]);
    assert_eq!(org["country"], "GE");
    let oid = org["id"].to_string();
    let partner = cli.json(&["partner", "add", "--project", &pid, "--org", &oid, "--role", "partner"]);
    assert_eq!(partner["role"], "partner");

    let event = cli.json(&["event", "add", "--project", &pid, "--title", "Webinar", "--starts", "2022-06-28T15:00", "--tz", "Europe/Kyiv", "--kind", "webinar"]);
    assert_eq!(event["starts_utc"], "2022-06-28T12:00:00Z");
    let person = cli.json(&["person", "add", "--name", "Олена Коваленко", "--email", "olena@example.org", "--country", "UA", "--org", &oid]);
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
    cli.json(&["project", "list"]);
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
