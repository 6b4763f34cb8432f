//! Event and organisation commands through IPC: create, read, update, list, delete with its cascade rule,
//! and validation errors that name the field.

use serde_json::json;

use crate::support::Shell;

#[test]
fn an_event_is_created_updated_listed_and_deleted_with_its_attendance_only_on_request() {
    let shell = Shell::new();
    let org = shell.ok("organisation_create", json!({"input": {"name": "World of Tolerance", "country": "GE"}}));
    let project = shell.ok("project_create", json!({"input": {"name": "Solidarity"}}));
    let event = shell.ok(
        "event_create",
        json!({"input": {"project_id": project["id"], "title": "Webinar 1", "starts_at": "2022-06-28T18:00",
                         "timezone": "Europe/Kyiv", "organiser_id": org["id"]}}),
    );
    assert_eq!(event["organiser_id"], org["id"], "{event}");
    let updated = shell.ok(
        "event_update",
        json!({"id": event["id"], "input": {"project_id": project["id"], "title": "Webinar one",
               "starts_at": "2022-06-28T18:00", "timezone": "Europe/Kyiv"}}),
    );
    assert_eq!(updated["title"], "Webinar one");
    assert_eq!(shell.ok("event_list", json!({"projectId": project["id"]})).as_array().unwrap().len(), 1);

    let person = shell.ok("person_create", json!({"input": {"full_name": "Нино Беридзе"}}));
    shell.ok(
        "attendance_set",
        json!({"input": {"event_id": event["id"], "person_id": person["id"], "role": "speaker"}}),
    );
    let refused = shell.err("event_delete", json!({"id": event["id"], "cascade": false}));
    assert_eq!(refused["kind"], "conflict", "{refused}");
    shell.ok("event_delete", json!({"id": event["id"], "cascade": true}));
    assert!(shell.ok("event_list", json!({"projectId": null})).as_array().unwrap().is_empty());
}

#[test]
fn bad_event_input_names_the_field() {
    let shell = Shell::new();
    let project = shell.ok("project_create", json!({"input": {"name": "P"}}));
    let err = shell.err(
        "event_create",
        json!({"input": {"project_id": project["id"], "title": "W", "starts_at": "yesterday", "timezone": "Europe/Kyiv"}}),
    );
    assert_eq!((err["kind"].as_str(), err["field"].as_str()), (Some("invalid"), Some("starts_at")), "{err}");
    let err = shell.err("event_get", json!({"id": 0}));
    assert_eq!(err["kind"], "invalid");
    let err = shell.err("organisation_create", json!({"input": {"name": "X", "country": "Georgia"}}));
    assert_eq!(err["field"], "country", "{err}");
}
