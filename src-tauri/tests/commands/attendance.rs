//! Attendance commands through IPC: set creates then changes only what is given, remove deletes one
//! record, and ids that are not positive are refused before the core.

use serde_json::json;

use crate::support::Shell;

#[test]
fn attendance_is_set_changed_listed_and_removed() {
    let shell = Shell::new();
    let project = shell.ok("project_create", json!({"input": {"name": "P"}}));
    let event = shell.ok(
        "event_create",
        json!({"input": {"project_id": project["id"], "title": "W", "starts_at": "2022-06-28T18:00", "timezone": "Europe/Kyiv"}}),
    );
    let person = shell.ok("person_create", json!({"input": {"full_name": "Олена Коваленко"}}));
    let ids = json!({"event_id": event["id"], "person_id": person["id"]});
    let set = shell.ok(
        "attendance_set",
        json!({"input": {"event_id": event["id"], "person_id": person["id"], "role": "moderator", "minutes": 50}}),
    );
    assert_eq!((set["role"].as_str(), set["minutes"].as_i64()), (Some("moderator"), Some(50)), "{set}");
    let changed = shell.ok(
        "attendance_set",
        json!({"input": {"event_id": event["id"], "person_id": person["id"], "status": "absent"}}),
    );
    assert_eq!((changed["role"].as_str(), changed["status"].as_str()), (Some("moderator"), Some("absent")));
    assert_eq!(shell.ok("attendance_list", json!({"eventId": event["id"]})).as_array().unwrap().len(), 1);
    // The window's page of the list, with its filter (in any case).
    let page = shell.ok(
        "attendance_page",
        json!({"eventId": event["id"], "query": {"filter": "КОВАЛЕНКО", "offset": 0, "limit": 100}}),
    );
    assert_eq!((page["total"].as_i64(), page["all"].as_i64()), (Some(1), Some(1)), "{page}");
    assert_eq!(page["items"][0]["name"], "Олена Коваленко");
    let page = shell.ok("attendance_page", json!({"eventId": event["id"], "query": {"filter": "nobody"}}));
    assert_eq!((page["total"].as_i64(), page["all"].as_i64()), (Some(0), Some(1)), "{page}");
    assert_eq!(shell.err("attendance_page", json!({"eventId": 0, "query": {}}))["kind"], "invalid");
    shell.ok("attendance_remove", json!({"eventId": ids["event_id"], "personId": ids["person_id"]}));
    assert!(shell.ok("attendance_list", json!({"eventId": event["id"]})).as_array().unwrap().is_empty());
    let err = shell.err("attendance_remove", json!({"eventId": -1, "personId": 1}));
    assert_eq!(err["kind"], "invalid");
    let err = shell
        .err("attendance_set", json!({"input": {"event_id": event["id"], "person_id": person["id"], "role": "king"}}));
    assert_eq!(err["kind"], "invalid", "{err}");
}
