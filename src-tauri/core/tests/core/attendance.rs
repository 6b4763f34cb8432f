//! Attendance: manual entry, defaults, validation, history and cascades.

use rollcall_core::attendance::{self, AttendanceInput, AttendanceQuery};
use rollcall_core::events::{self, EventInput};
use rollcall_core::organisations::{self, OrganisationInput};
use rollcall_core::people::{self, PersonInput};

use crate::support::{invalid_field, new_db, project};

#[test]
fn set_creates_then_changes_only_what_is_given() {
    let mut t = new_db();
    let p = project(&t.conn, "P");
    let e = crate::support::event(&t.conn, p);
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

/// Issue 19: the window asks for an event's list a page at a time, filtered in the core; the pages are
/// `for_event`'s order cut in pieces, and the filter finds a name in any case or accent, an email, an
/// organisation or a country code.
#[test]
fn an_event_list_comes_a_page_at_a_time_with_its_filter() {
    let t = new_db();
    let p = project(&t.conn, "P");
    let e = crate::support::event(&t.conn, p);
    let krok =
        organisations::create(&t.conn, &OrganisationInput { name: "Krok Foundation".into(), ..Default::default() })
            .unwrap()
            .id;
    let people = [
        ("Олена Коваленко", Some("olena@example.org"), Some(krok), Some("UA"), "participant"),
        ("Łukasz Nowak", None, None, Some("PL"), "participant"),
        ("Ana Ceban", Some("ana@example.md"), None, Some("MD"), "speaker"),
        ("Nino Beridze", Some("nino@example.ge"), None, None, "participant"),
        ("Zofia Wiśniewska", None, None, None, "participant"),
    ];
    for (name, email, organisation_id, country, role) in people {
        let id = people::create(
            &t.conn,
            &PersonInput {
                full_name: name.into(),
                email: email.map(Into::into),
                organisation_id,
                country: country.map(Into::into),
                ..Default::default()
            },
        )
        .unwrap()
        .id;
        attendance::set(
            &t.conn,
            &AttendanceInput { event_id: e, person_id: id, role: Some(role.into()), ..Default::default() },
        )
        .unwrap();
    }
    let whole = attendance::for_event(&t.conn, e).unwrap();
    let page = |filter: Option<&str>, offset, limit| {
        attendance::page(&t.conn, e, &AttendanceQuery { filter: filter.map(Into::into), offset, limit }).unwrap()
    };
    let names = |p: &attendance::AttendancePage| p.items.iter().map(|a| a.name.clone()).collect::<Vec<_>>();

    let first = page(None, 0, 2);
    assert_eq!((first.total, first.all, first.offset, first.limit), (5, 5, 0, 2));
    assert_eq!(first.items, whole[..2]);
    assert_eq!(first.items[0].name, "Ana Ceban", "speakers first, as in for_event");
    assert_eq!(page(None, 2, 2).items, whole[2..4]);
    assert_eq!(page(None, 0, 0).items, whole, "no limit: the whole list");
    // Past the end (the list shrank under a redraw): the last page.
    let last = page(None, 10, 2);
    assert_eq!((last.offset, last.items.as_slice()), (4, &whole[4..]));

    for (filter, expected) in [
        ("КОВАЛЕНКО", vec!["Олена Коваленко"]),
        ("lukasz", vec!["Łukasz Nowak"]),
        ("wisniew", vec!["Zofia Wiśniewska"]),
        ("krok", vec!["Олена Коваленко"]),
        ("nino@", vec!["Nino Beridze"]),
        ("md", vec!["Ana Ceban"]),
        ("  ", vec!["Ana Ceban", "Łukasz Nowak", "Nino Beridze", "Zofia Wiśniewska", "Олена Коваленко"]),
    ] {
        let found = page(Some(filter), 0, 100);
        assert_eq!(names(&found), expected, "{filter:?}");
        assert_eq!((found.total, found.all), (expected.len() as i64, 5), "{filter:?}");
    }
    let none = page(Some("nobody"), 0, 100);
    assert_eq!((none.total, none.all, none.offset, none.items.len()), (0, 5, 0, 0));
}
