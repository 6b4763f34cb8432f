//! Export commands through IPC: a CSV is written where the save dialog said; a path that is the
//! database itself is refused in plain words (issue 21) and the database stays as it was.

use serde_json::json;

use crate::support::Shell;

#[test]
fn exports_write_csv_and_refuse_the_database_file() {
    let shell = Shell::new();
    shell.ok("sample_data_load", json!({}));
    let db = shell.ok("app_status", json!({}))["database_path"].as_str().unwrap().to_string();
    let dir = std::path::Path::new(&db).parent().unwrap().to_path_buf();
    let out = dir.join("people.csv");
    let done = shell
        .ok("export_people", json!({"job": 1, "path": out.to_str().unwrap(), "options": {"delimiter": "semicolon"}}));
    assert!(done["rows"].as_u64().unwrap() > 10, "{done}");
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.starts_with('\u{feff}') && text.lines().next().unwrap().contains(';'));

    let before = std::fs::read(&db).unwrap();
    let err = shell.err("export_people", json!({"job": 2, "path": db, "options": null}));
    assert_eq!(err["kind"], "invalid", "{err}");
    assert!(err["message"].as_str().unwrap().contains("is the Rollcall database itself"), "{err}");
    let err =
        shell.err("export_report", json!({"job": 3, "path": format!("{db}-wal"), "kind": "donor", "projectId": 1}));
    assert!(err["message"].as_str().unwrap().contains("working file of the Rollcall database"), "{err}");
    assert_eq!(std::fs::read(&db).unwrap().len(), before.len());
    assert!(shell.ok("safety_check", json!({"job": 5}))["ok"].as_bool().unwrap());
    let err = shell
        .err("export_people", json!({"job": 6, "path": dir.join("people.exe").to_str().unwrap(), "options": null}));
    assert_eq!(err["field"], "path", "{err}");
}
