//! "Open" and "Show in folder" through IPC: only a file this session wrote at the user's request may be
//! opened; any other path, the database itself, or a written file since deleted is refused with the
//! field named. (Opening for real is tested in the window, with a stand-in opener: tests/e2e.)

use serde_json::json;

use crate::support::Shell;

#[test]
fn only_a_file_this_session_wrote_can_be_opened() {
    let shell = Shell::new();
    shell.ok("sample_data_load", json!({}));
    let db = shell.ok("app_status", json!({}))["database_path"].as_str().unwrap().to_string();
    let dir = std::path::Path::new(&db).parent().unwrap().to_path_buf();

    // A file the app did not write, though it exists, and the database: refused before any program runs.
    let other = dir.join("notes.csv");
    std::fs::write(&other, "a,b\n").unwrap();
    for path in [other.to_str().unwrap(), db.as_str()] {
        for command in ["file_open", "file_reveal"] {
            let err = shell.err(command, json!({"path": path}));
            assert_eq!((err["kind"].as_str(), err["field"].as_str()), (Some("invalid"), Some("path")), "{err}");
        }
    }
    for bad in ["", "relative/people.csv", "/tmp/\u{0}x.csv"] {
        assert_eq!(shell.err("file_open", json!({"path": bad}))["field"], "path");
    }

    // Written by an export, then deleted: refused as gone, not handed to the system.
    let out = dir.join("people.csv");
    shell.ok("export_people", json!({"job": 1, "path": out.to_str().unwrap(), "options": null}));
    std::fs::remove_file(&out).unwrap();
    let err = shell.err("file_open", json!({"path": out.to_str().unwrap()}));
    assert!(err["message"].as_str().unwrap().contains("no such file"), "{err}");
}
