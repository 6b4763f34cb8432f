//! People: validation, search in any script with paging, consent, and delete.

use rollcall_core::people::{self, ConsentInput, PeopleQuery, PersonInput};

use crate::support::{invalid_field, new_db};

fn add(conn: &rollcall_core::db::Connection, name: &str, email: Option<&str>) -> i64 {
    people::create(conn, &PersonInput { full_name: name.into(), email: email.map(Into::into), ..Default::default() })
        .unwrap()
        .id
}

fn search(conn: &rollcall_core::db::Connection, text: &str) -> Vec<String> {
    people::list(conn, &PeopleQuery { search: Some(text.into()), ..Default::default() })
        .unwrap()
        .items
        .into_iter()
        .map(|p| p.full_name)
        .collect()
}

#[test]
fn search_is_substring_case_and_accent_insensitive_in_cyrillic_georgian_and_latin() {
    let t = new_db();
    add(&t.conn, "Олена Коваленко", Some("Olena.K@Example.org"));
    add(&t.conn, "ОЛЕНА ЯРЕМЧУК", None);
    add(&t.conn, "ნინო ბერიძე", None);
    add(&t.conn, "Łukasz Wiśniewski", None);
    add(&t.conn, "Cristina Țurcanu", None);
    let cases: &[(&str, &[&str])] = &[
        ("олена", &["Олена Коваленко", "ОЛЕНА ЯРЕМЧУК"]),
        ("ОЛЕНА", &["Олена Коваленко", "ОЛЕНА ЯРЕМЧУК"]),
        ("валенко", &["Олена Коваленко"]),
        ("ბერიძ", &["ნინო ბერიძე"]),
        ("lukasz", &["Łukasz Wiśniewski"]),
        ("wisniew", &["Łukasz Wiśniewski"]),
        ("turcanu", &["Cristina Țurcanu"]),
        ("example.org", &["Олена Коваленко"]),
        // Short texts (under a trigram) still work, by scanning.
        ("ні", &[]),
        ("ци", &[]),
        ("нн", &[]),
        ("\"; DROP", &[]),
    ];
    for (text, expected) in cases {
        let mut found = search(&t.conn, text);
        found.sort();
        let mut want: Vec<String> = expected.iter().map(|s| s.to_string()).collect();
        want.sort();
        assert_eq!(found, want, "search {text:?}");
    }
    assert_eq!(search(&t.conn, "ол").len(), 2, "two-letter search");
}

#[test]
fn search_follows_edits_and_deletes() {
    let mut t = new_db();
    let id = add(&t.conn, "Олена Коваленко", None);
    people::update(&t.conn, id, &PersonInput { full_name: "Ірина Бондаренко".into(), ..Default::default() }).unwrap();
    assert!(search(&t.conn, "олена").is_empty());
    assert_eq!(search(&t.conn, "ірина"), vec!["Ірина Бондаренко"]);
    people::delete(&mut t.conn, id, false).unwrap();
    assert!(search(&t.conn, "ірина").is_empty());
}

#[test]
fn paging_returns_the_total_and_a_stable_order() {
    let t = new_db();
    for i in 0..25 {
        add(&t.conn, &format!("Person {i:02}"), None);
    }
    let page = people::list(&t.conn, &PeopleQuery { limit: 10, offset: 20, ..Default::default() }).unwrap();
    assert_eq!(page.total, 25);
    let names: Vec<_> = page.items.iter().map(|p| p.full_name.as_str()).collect();
    assert_eq!(names, ["Person 20", "Person 21", "Person 22", "Person 23", "Person 24"]);
}

#[test]
fn invalid_people_are_refused_with_the_field() {
    let t = new_db();
    let bad = [
        (PersonInput { full_name: "".into(), ..Default::default() }, "full_name"),
        (PersonInput { full_name: "A".into(), email: Some("not an email".into()), ..Default::default() }, "email"),
        (PersonInput { full_name: "A".into(), country: Some("UKR".into()), ..Default::default() }, "country"),
        (PersonInput { full_name: "A\u{0007}".into(), ..Default::default() }, "full_name"),
        (PersonInput { full_name: "A".into(), organisation_id: Some(42), ..Default::default() }, "organisation_id"),
    ];
    for (input, field) in bad {
        assert_eq!(invalid_field(people::create(&t.conn, &input)), field, "{input:?}");
    }
}

#[test]
fn names_with_html_are_stored_verbatim() {
    let t = new_db();
    let name = "<img src=x onerror=alert(1)> Тест";
    let id = add(&t.conn, name, None);
    assert_eq!(people::get(&t.conn, id).unwrap().full_name, name);
}

#[test]
fn consent_is_recorded_and_withdrawn() {
    let t = new_db();
    let id = add(&t.conn, "Ana Rusu", None);
    let c = people::add_consent(
        &t.conn,
        id,
        &ConsentInput { purpose: "Reporting".into(), given_on: Some("2022-06-20".into()), method: None },
    )
    .unwrap();
    assert_eq!(c.withdrawn_on, None);
    assert_eq!(people::withdraw_consent(&t.conn, id, Some("Reporting")).unwrap(), 1);
    assert!(people::consents(&t.conn, id).unwrap()[0].withdrawn_on.is_some());
    assert_eq!(invalid_field(people::add_consent(&t.conn, id, &ConsentInput::default())), "purpose");
}
