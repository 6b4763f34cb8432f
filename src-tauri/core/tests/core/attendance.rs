//! Attendance: manual entry, defaults, validation, history and cascades.

use rollcall_core::attendance::{self, AttendanceInput};
use rollcall_core::events::{self, EventInput};
use rollcall_core::people::{self, PersonInput};

use crate::support::{invalid_field, new_db, project};

#[test]
fn set_creates_then_changes_only_what_is_given() {
    let mut t = new_db();
    let p = project(&t.conn, "P");
    let e = events::create(&t.conn, &EventInput { project_id: p, title: "W".into(), starts_at: "2022-06-28T15:00".into(), ..Default::default() })
        .unwrap()
        .id;
    let person = people::create(&t.conn, &PersonInput { full_name: "Ana".into(), ..Default::default() }).unwrap().id;
    let a = attendance::set(&t.conn, &AttendanceInput { event_id: e, person_id: person, minutes: Some(50), ..Default::default() }).unwrap();
    assert_eq!((a.role.as_str(), a.status.as_str(), a.minutes, a.source.as_str()), ("participant", "attended", Some(50), "manual"));
    let a = attendance::set(&t.conn, &AttendanceInput { event_id: e, person_id: person, status: Some("absent".into()), ..Default::default() })
        .unwrap();
    assert_eq!((a.status.as_str(), a.minutes), ("absent", Some(50)));
    assert_eq!(attendance::for_event(&t.conn, e).unwrap().len(), 1);
    assert_eq!(attendance::history(&t.conn, person).unwrap()[0].event_title, "W");
    assert_eq!(
        invalid_field(attendance::set(&t.conn, &AttendanceInput { event_id: e, person_id: person, role: Some("guest".into()), ..Default::default() })),
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
