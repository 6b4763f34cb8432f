//! Attendance: manual entry, defaults, validation, history and cascades.

use rollcall_core::attendance::{self, AttendanceInput};
use rollcall_core::events::{self, EventInput};
use rollcall_core::people::{self, PersonInput};

use crate::support::{invalid_field, new_db, project};

#[test]
fn set_creates_then_changes_only_what_is_given() {
    let mut t = new_db();
    let p = project(&t.conn, "P");
    let e = events::create(
        &t.conn,
        &EventInput { project_id: p, title: "W".into(), starts_at: "2022-06-28T15:00".into(), ..Default::default() },
    )
    .unwrap()
    .id;
    let person = people::create(&t.conn, &PersonInput { full_name: "Ana".into(), ..Default::default() }).unwrap().id;
    let a = attendance::set(
        &t.conn,
        &AttendanceInput { event_id: e, person_id: person, minutes: Some(50), ..Default::default() },
    )
    .unwrap();
    assert_eq!(
        (a.role.as_str(), a.status.as_str(), a.minutes, a.source.as_str()),
        ("participant", "attended", Some(50), "manual")
    );
    let a = attendance::set(
        &t.conn,
        &AttendanceInput { event_id: e, person_id: person, status: Some("absent".into()), ..Default::default() },
    )
    .unwrap();
    assert_eq!((a.status.as_str(), a.minutes), ("absent", Some(50)));
    assert_eq!(attendance::for_event(&t.conn, e).unwrap().len(), 1);
    assert_eq!(attendance::history(&t.conn, person).unwrap()[0].event_title, "W");
    assert_eq!(
        invalid_field(attendance::set(
            &t.conn,
            &AttendanceInput { event_id: e, person_id: person, role: Some("guest".into()), ..Default::default() }
        )),
        "role"
    );
    // Deleting the person asks first, then takes the attendance along.
    assert_eq!(people::delete(&mut t.conn, person, false).unwrap_err().kind(), "conflict");
    people::delete(&mut t.conn, person, true).unwrap();
    assert!(attendance::for_event(&t.conn, e).unwrap().is_empty());
}

#[test]
fn foreign_keys_are_enforced_by_the_database_itself() {
    let t = new_db();
    let err = t
        .conn
        .execute(
            "INSERT INTO attendance (uid, event_id, person_id, created_at, updated_at) VALUES ('x', 41, 42, 'now', 'now')",
            [],
        )
        .unwrap_err();
    assert!(err.to_string().contains("FOREIGN KEY"), "{err}");
}

#[test]
fn expected_people_are_the_projects_regulars_not_yet_on_the_list() {
    let t = new_db();
    let p = project(&t.conn, "P");
    let other = project(&t.conn, "Other");
    let event = |project_id, title: &str| {
        events::create(
            &t.conn,
            &EventInput { project_id, title: title.into(), starts_at: "2022-06-28T15:00".into(), ..Default::default() },
        )
        .unwrap()
        .id
    };
    let (first, second, third, elsewhere) = (event(p, "1"), event(p, "2"), event(p, "3"), event(other, "x"));
    let person =
        |name: &str| people::create(&t.conn, &PersonInput { full_name: name.into(), ..Default::default() }).unwrap().id;
    let (ana, bogdan, cancelled, stranger) = (person("Ana"), person("Bogdan"), person("Cancelled"), person("Stranger"));
    let mark = |event_id, person_id, status: &str| {
        attendance::set(
            &t.conn,
            &AttendanceInput { event_id, person_id, status: Some(status.into()), ..Default::default() },
        )
        .unwrap();
    };
    mark(first, ana, "attended");
    mark(second, ana, "absent");
    mark(first, bogdan, "attended");
    mark(first, cancelled, "cancelled");
    mark(elsewhere, stranger, "attended");

    let expected = attendance::expected(&t.conn, third).unwrap();
    let names: Vec<(&str, i64)> = expected.iter().map(|e| (e.name.as_str(), e.events)).collect();
    assert_eq!(names, [("Ana", 2), ("Bogdan", 1)]);

    // Once marked, a person leaves the expected list.
    mark(third, ana, "attended");
    let names: Vec<String> = attendance::expected(&t.conn, third).unwrap().into_iter().map(|e| e.name).collect();
    assert_eq!(names, ["Bogdan"]);
}
