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

fn names(page: &people::PeoplePage) -> Vec<String> {
    page.items.iter().map(|p| p.full_name.clone()).collect()
}

/// People with a missing country, gender or organisation (any combination), for completing "not stated".
#[test]
fn issue19_people_filter_by_missing_country_gender_organisation() {
    use rollcall_core::organisations::{self, OrganisationInput};
    use rollcall_core::people::Missing;
    let t = new_db();
    let c = &t.conn;
    let org = organisations::create(c, &OrganisationInput { name: "Krok".into(), ..Default::default() }).unwrap().id;
    let person = |name: &str, country: Option<&str>, gender: Option<&str>, organisation_id: Option<i64>| {
        people::create(
            c,
            &PersonInput {
                full_name: name.into(),
                country: country.map(Into::into),
                gender: gender.map(Into::into),
                organisation_id,
                ..Default::default()
            },
        )
        .unwrap();
    };
    person("Anna Complete", Some("UA"), Some("woman"), Some(org));
    person("Bohdan No Country", None, Some("man"), Some(org));
    person("Chiara No Gender", Some("IT"), None, Some(org));
    person("Dmytro Nothing", None, None, None);
    person("Eka Prefers Not", Some("GE"), Some("prefers_not_to_say"), None);
    let list = |missing: Vec<Missing>| people::list(c, &PeopleQuery { missing, ..Default::default() }).unwrap();
    assert_eq!(names(&list(vec![Missing::Country])), ["Bohdan No Country", "Dmytro Nothing"]);
    assert_eq!(names(&list(vec![Missing::Gender])), ["Chiara No Gender", "Dmytro Nothing"]);
    assert_eq!(names(&list(vec![Missing::Organisation])), ["Dmytro Nothing", "Eka Prefers Not"]);
    let all = list(Missing::ALL.to_vec());
    assert_eq!((names(&all), all.total), (vec!["Dmytro Nothing".to_string()], 1));
    // With a search and paging, the total still counts only the filtered people.
    let q = PeopleQuery { search: Some("no".into()), missing: vec![Missing::Country], limit: 1, ..Default::default() };
    let page = people::list(c, &q).unwrap();
    assert_eq!((page.items.len(), page.total), (1, 2));
    assert_eq!(Missing::parse_list("country, organization").unwrap(), vec![Missing::Country, Missing::Organisation]);
    assert_eq!(invalid_field(Missing::parse_list("age")), "missing");
}

/// A bulk edit sets the fields given for every person at once, validated like a single edit, all or none,
/// and each person's change is recorded for partners like a single edit.
#[test]
fn issue19_bulk_update_sets_fields_in_one_transaction_and_logs_changes() {
    use rollcall_core::organisations::{self, OrganisationInput};
    use rollcall_core::people::BulkUpdate;
    let mut t = new_db();
    let org =
        organisations::create(&t.conn, &OrganisationInput { name: "Krok".into(), ..Default::default() }).unwrap().id;
    let a = add(&t.conn, "Andrei Rusu", Some("andrei.rusu@example.md"));
    let b = add(&t.conn, "Oksana Lysenko", None);
    let keep = people::create(
        &t.conn,
        &PersonInput { full_name: "Kept".into(), country: Some("PL".into()), ..Default::default() },
    )
    .unwrap()
    .id;
    let changes = |c: &rollcall_core::db::Connection| -> i64 {
        c.query_row("SELECT count(*) FROM site_changes WHERE entity = 'person'", [], |r| r.get(0)).unwrap()
    };
    let before = changes(&t.conn);
    let s = people::bulk_update(
        &mut t.conn,
        &BulkUpdate {
            ids: vec![a, b],
            country: Some("md".into()),
            gender: Some("жінка".into()),
            organisation_id: Some(org),
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!((s.updated, s.fields.clone()), (2, vec!["country".to_string(), "gender".into(), "organisation".into()]));
    for id in [a, b] {
        let p = people::get(&t.conn, id).unwrap();
        assert_eq!(
            (p.country.as_deref(), p.gender.as_deref(), p.gender_text.as_deref(), p.organisation_id),
            (Some("MD"), Some("woman"), Some("жінка"), Some(org))
        );
    }
    assert_eq!(changes(&t.conn), before + 2, "each person's change is in the partners' change log");
    assert_eq!(people::get(&t.conn, keep).unwrap().country.as_deref(), Some("PL"), "others are untouched");
    // Only the fields given change.
    people::bulk_update(&mut t.conn, &BulkUpdate { ids: vec![a], country: Some("RO".into()), ..Default::default() })
        .unwrap();
    let p = people::get(&t.conn, a).unwrap();
    assert_eq!((p.country.as_deref(), p.gender.as_deref(), p.organisation_id), (Some("RO"), Some("woman"), Some(org)));

    // Refusals change nothing: a bad country, an unknown organisation, an unknown id among good ones.
    let bad = |t: &mut crate::support::TestDb, u: BulkUpdate| invalid_field(people::bulk_update(&mut t.conn, &u));
    assert_eq!(
        bad(&mut t, BulkUpdate { ids: vec![a], country: Some("Moldova".into()), ..Default::default() }),
        "country"
    );
    assert_eq!(
        bad(&mut t, BulkUpdate { ids: vec![a], organisation_id: Some(999), ..Default::default() }),
        "organisation_id"
    );
    assert_eq!(bad(&mut t, BulkUpdate { ids: vec![], country: Some("UA".into()), ..Default::default() }), "ids");
    assert_eq!(bad(&mut t, BulkUpdate { ids: vec![a], ..Default::default() }), "fields");
    let err = people::bulk_update(
        &mut t.conn,
        &BulkUpdate { ids: vec![b, 999_999], country: Some("UA".into()), ..Default::default() },
    )
    .unwrap_err();
    assert_eq!(err.kind(), "not_found");
    assert_eq!(people::get(&t.conn, b).unwrap().country.as_deref(), Some("MD"), "all or none");
    // "not_stated" clears a gender.
    people::bulk_update(
        &mut t.conn,
        &BulkUpdate { ids: vec![b], gender: Some("not_stated".into()), ..Default::default() },
    )
    .unwrap();
    assert_eq!(people::get(&t.conn, b).unwrap().gender, None);
}

/// Suggestions come from the email's country domain and from domains organisations are known by (their
/// website, or most of their members' emails); public mail providers and generic domains suggest nothing,
/// and nothing is applied.
#[test]
fn issue19_suggestions_from_email_domains_are_only_suggested() {
    use rollcall_core::organisations::{self, OrganisationInput};
    use rollcall_core::people::{Missing, SuggestionField, SuggestionQuery, SuggestionReason};
    let t = new_db();
    let c = &t.conn;
    let krok = organisations::create(
        c,
        &OrganisationInput {
            name: "Krok".into(),
            website: Some("https://www.krok.org.ua/about".into()),
            ..Default::default()
        },
    )
    .unwrap()
    .id;
    let lab =
        organisations::create(c, &OrganisationInput { name: "Civic Lab".into(), ..Default::default() }).unwrap().id;
    let gmail_org =
        organisations::create(c, &OrganisationInput { name: "Gmail users".into(), ..Default::default() }).unwrap().id;
    let member = |name: &str, email: &str, org: i64| {
        people::create(
            c,
            &PersonInput {
                full_name: name.into(),
                email: Some(email.into()),
                organisation_id: Some(org),
                country: Some("GE".into()),
                ..Default::default()
            },
        )
        .unwrap();
    };
    member("Lab One", "one@civiclab.ge", lab);
    member("Lab Two", "two@civiclab.ge", lab);
    member("Gmail One", "g1@gmail.com", gmail_org);
    member("Gmail Two", "g2@gmail.com", gmail_org);
    let ua = add(c, "Nadiia Kravets", Some("nadiia.kravets@kyiv.krok.org.ua"));
    let ge = add(c, "Levan Gelashvili", Some("levan@civiclab.ge"));
    let md = add(c, "Andrei Rusu", Some("andrei.rusu@example.md"));
    let gmail = add(c, "Plain Gmail", Some("plain@gmail.com"));
    let ukrnet = add(c, "Ukr Net", Some("someone@ukr.net"));
    let com = add(c, "Dot Com", Some("someone@company.com"));
    let all = people::suggestions(c, &SuggestionQuery::default()).unwrap();
    let of = |id: i64| -> Vec<(SuggestionField, String, SuggestionReason)> {
        all.iter().filter(|s| s.person_id == id).map(|s| (s.field, s.value.clone(), s.reason)).collect()
    };
    assert_eq!(
        of(ua),
        vec![
            (SuggestionField::Country, "UA".into(), SuggestionReason::EmailCountryDomain),
            (SuggestionField::Organisation, krok.to_string(), SuggestionReason::OrganisationWebsite),
        ]
    );
    assert_eq!(
        of(ge),
        vec![
            (SuggestionField::Country, "GE".into(), SuggestionReason::EmailCountryDomain),
            (SuggestionField::Organisation, lab.to_string(), SuggestionReason::OrganisationMembers),
        ]
    );
    assert_eq!(of(md), vec![(SuggestionField::Country, "MD".into(), SuggestionReason::EmailCountryDomain)]);
    for id in [gmail, ukrnet, com] {
        assert_eq!(of(id), vec![], "person {id}");
    }
    // Only one field, only some people; nothing was applied.
    let only = people::suggestions(
        c,
        &SuggestionQuery { ids: Some(vec![ua, md]), missing: vec![Missing::Organisation], limit: 0 },
    )
    .unwrap();
    assert_eq!(only.iter().map(|s| (s.person_id, s.label.as_str())).collect::<Vec<_>>(), vec![(ua, "Krok")]);
    assert_eq!(people::get(c, ua).unwrap().country, None);
    let gender = SuggestionQuery { missing: vec![Missing::Gender], ..Default::default() };
    assert_eq!(invalid_field(people::suggestions(c, &gender)), "missing");
}
