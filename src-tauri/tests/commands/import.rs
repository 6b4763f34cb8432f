//! Import commands through IPC: preview writes nothing, commit lands the file, a second commit changes
//! nothing, undo takes it back; bad paths and files are refused with a message naming the file.

use serde_json::{json, Value};

use crate::support::Shell;

fn fixture(name: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import").join(name);
    path.canonicalize().unwrap().to_str().unwrap().to_string()
}

/// A shell with one project and one webinar; returns the event id.
fn with_event() -> (Shell, i64) {
    let shell = Shell::new();
    let project = shell.ok("project_create", json!({"input": {"name": "Import test"}}));
    let event = shell.ok(
        "event_create",
        json!({"input": {"project_id": project["id"], "title": "Webinar", "starts_at": "2022-06-28T18:00", "timezone": "Europe/Kyiv"}}),
    );
    (shell, event["id"].as_i64().unwrap())
}

fn attendance_count(shell: &Shell, event: i64) -> usize {
    shell.ok("attendance_list", json!({"eventId": event})).as_array().unwrap().len()
}

#[test]
fn preview_commit_reimport_and_undo_of_a_zoom_report() {
    let (shell, event) = with_event();
    let path = fixture("zoom_meeting_plain.csv");
    let options = json!({"format": "auto", "mapping": null});

    let preview = shell.ok("import_preview", json!({"job": 1, "eventId": event, "path": path, "options": options}));
    assert_eq!(preview["format"], "zoom", "{preview}");
    assert!(preview["rows"].as_u64().unwrap() > 0);
    assert_eq!(attendance_count(&shell, event), 0, "a preview writes nothing");

    let summary = shell
        .ok("import_commit", json!({"job": 2, "eventId": event, "path": path, "options": options, "resolutions": []}));
    let landed = attendance_count(&shell, event) as u64;
    assert_eq!(summary["attendances"].as_u64().unwrap(), landed, "{summary}");
    assert_eq!(summary["people_created"], preview["people_new"]);

    let again = shell
        .ok("import_commit", json!({"job": 3, "eventId": event, "path": path, "options": options, "resolutions": []}));
    assert_eq!(again["already_imported"], true);
    assert_eq!(attendance_count(&shell, event) as u64, landed);

    let imports = shell.ok("import_list", json!({"eventId": event}));
    assert_eq!(imports.as_array().unwrap().len(), 1);
    let undo = shell.ok("import_undo", json!({"id": imports[0]["id"]}));
    assert_eq!(undo["attendances_deleted"].as_u64().unwrap(), landed, "{undo}");
    assert_eq!(attendance_count(&shell, event), 0);
}

#[test]
fn bad_files_and_paths_are_refused_and_nothing_is_written() {
    let (shell, event) = with_event();
    let options = json!({});
    let e = shell.err(
        "import_commit",
        json!({"job": 1, "eventId": event, "path": fixture("bad_binary.csv"), "options": options, "resolutions": []}),
    );
    assert_eq!(e["kind"], "parse", "{e}");
    assert!(e["message"].as_str().unwrap().contains("bad_binary.csv"), "{e}");

    for (path, field) in [("relative.csv", "path"), ("", "path"), ("/no/such/file.csv", "path")] {
        let e = shell.err("import_preview", json!({"job": 2, "eventId": event, "path": path, "options": options}));
        assert_eq!((e["kind"].as_str(), e["field"].as_str()), (Some("invalid"), Some(field)), "{path}: {e}");
    }
    let e = shell
        .err("import_preview", json!({"job": 3, "eventId": 0, "path": fixture("google_meet.csv"), "options": options}));
    assert_eq!(e["field"], "event_id");
    let e = shell.err(
        "import_preview",
        json!({"job": 4, "eventId": event, "path": fixture("google_meet.csv"), "options": {"format": "excel"}}),
    );
    assert!(e.is_string() || e["kind"].is_string(), "an unknown format is refused: {e}");
    assert_eq!(attendance_count(&shell, event), 0);
    assert_eq!(shell.ok("import_list", json!({"eventId": event})), json!([]));
}

#[test]
fn a_sheet_without_known_columns_offers_its_headers_for_mapping() {
    let (shell, event) = with_event();
    let path = fixture("bad_no_columns.csv");
    let e = shell.err("import_preview", json!({"job": 1, "eventId": event, "path": path, "options": {}}));
    assert_eq!(e["kind"], "parse");
    let headers = shell.ok("import_headers", json!({"path": path}));
    assert!(!headers.as_array().unwrap().is_empty(), "{headers}");
}

#[test]
fn a_pasted_list_marks_people_attended() {
    let (shell, event) = with_event();
    let text = "Olena Kovalenko, olena@example.org\nნინო ბერიძე\n";
    let dry: Value = shell.ok("import_paste", json!({"eventId": event, "text": text, "dryRun": true}));
    assert_eq!(dry["people_created"], 2, "{dry}");
    assert_eq!(attendance_count(&shell, event), 0);
    shell.ok("import_paste", json!({"eventId": event, "text": text, "dryRun": false}));
    assert_eq!(attendance_count(&shell, event), 2);
    let e = shell.err("import_paste", json!({"eventId": event, "text": "x".repeat(6 << 20), "dryRun": true}));
    assert_eq!(e["field"], "text");
}

/// The window's list of formats comes from the core's registry (issue 12).
#[test]
fn the_window_gets_the_formats_from_the_core() {
    let shell = Shell::new();
    let names = shell.ok("import_formats", json!({}));
    let names: Vec<&str> = names.as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
    assert_eq!((names.first(), names.last()), (Some(&"auto"), Some(&"generic")), "{names:?}");
    assert!(names.contains(&"webex"), "{names:?}");
}

/// Issue #19: the review lists people with flags, and the preview takes the same decisions (per-row skip
/// and rename included) as the commit, so its counts are what the commit writes.
#[test]
fn issue19_preview_with_decisions_lists_people_and_counts_what_commit_writes() {
    let (shell, event) = with_event();
    let path = fixture("zoom_review.csv");
    let options = json!({"format": "auto"});
    let plain = shell.ok("import_preview", json!({"job": 1, "eventId": event, "path": path, "options": options}));
    assert_eq!(plain["people_total"], 8);
    let galaxy = plain["people"].as_array().unwrap().iter().find(|p| p["line"] == 3).unwrap().clone();
    assert_eq!((galaxy["flags"][0].as_str(), galaxy["outcome"].as_str()), (Some("device_name"), Some("new")));
    let resolutions = json!([
        {"key": "line:3", "action": "skip"},
        {"key": "line:2", "action": "rename", "name": "Iryna Marchenko", "organisation": "Krok"}
    ]);
    let preview = shell.ok(
        "import_preview",
        json!({"job": 2, "eventId": event, "path": path, "options": options, "resolutions": resolutions}),
    );
    let iryna = preview["people"].as_array().unwrap().iter().find(|p| p["line"] == 2).unwrap().clone();
    assert_eq!((iryna["name"].as_str(), iryna["renamed_from"].as_str()), (Some("Iryna Marchenko"), Some("Krok")));
    assert_eq!(preview["attendances"], 7);
    let summary = shell.ok(
        "import_commit",
        json!({"job": 3, "eventId": event, "path": path, "options": options, "resolutions": resolutions}),
    );
    for key in ["people_created", "people_matched", "attendances", "skipped_total"] {
        assert_eq!(summary[key], preview[key], "{key}");
    }
    assert_eq!(attendance_count(&shell, event) as u64, preview["attendances"].as_u64().unwrap());
    let bad = json!([{"key": "line:2", "action": "rename", "name": ""}]);
    let e = shell.err(
        "import_preview",
        json!({"job": 4, "eventId": event, "path": path, "options": options, "resolutions": bad}),
    );
    assert_eq!(e["field"], "resolutions", "{e}");
    let e = shell.err(
        "import_preview",
        json!({"job": 5, "eventId": event, "path": path, "options": options, "resolutions": [{"key": "k", "action": "person", "person_id": 0}]}),
    );
    assert_eq!(e["field"], "person_id", "{e}");
}
