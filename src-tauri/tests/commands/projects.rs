//! Project and partner commands: validation errors cross IPC as {kind, message, field}.

use serde_json::json;

use crate::support::Shell;

#[test]
fn invalid_input_comes_back_with_the_field_to_mark() {
    let shell = Shell::new();
    let e = shell.err("project_create", json!({"input": {"name": "  "}}));
    assert_eq!(e["kind"], "invalid");
    assert_eq!(e["field"], "name");
    let e = shell.err("project_create", json!({"input": {"name": "X", "start_date": "2022-13-01"}}));
    assert_eq!(e["field"], "start_date", "{e}");
}

#[test]
fn ids_from_the_window_must_be_positive() {
    let shell = Shell::new();
    for id in [0, -1] {
        let e = shell.err("project_get", json!({ "id": id }));
        assert_eq!(e["kind"], "invalid", "{e}");
    }
    let e = shell.err("project_get", json!({"id": 999}));
    assert_eq!(e["kind"], "not_found", "{e}");
}

#[test]
fn deleting_a_project_with_events_asks_first_then_cascades() {
    let shell = Shell::new();
    let p = shell.ok("project_create", json!({"input": {"name": "In Search of Solidarity"}}));
    let id = p["id"].as_i64().unwrap();
    shell.ok(
        "event_create",
        json!({"input": {"project_id": id, "title": "Webinar", "starts_at": "2022-06-28T18:00", "timezone": "Europe/Kyiv"}}),
    );
    let e = shell.err("project_delete", json!({"id": id, "cascade": false}));
    assert_eq!(e["kind"], "conflict", "{e}");
    shell.ok("project_delete", json!({"id": id, "cascade": true}));
    assert_eq!(shell.ok("event_list", json!({"projectId": null})).as_array().unwrap().len(), 0);
}
