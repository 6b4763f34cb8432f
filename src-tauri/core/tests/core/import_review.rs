//! The import review of issue #19: the rows of a report listed as people with flags, per-row decisions
//! (skip, rename) applied before anything is written, preview counts equal to the commit's with the
//! decisions, and a decision's email remembered for the next import.

use std::path::PathBuf;

use rollcall_core::db::Connection;
use rollcall_core::events::{self, EventInput};
use rollcall_core::import::{
    self, Action, Flag, ImportOptions, ImportReport, MatchRule, Resolution, ReviewOutcome, ReviewRow,
};
use rollcall_core::people::{self, PeopleQuery, PersonInput};
use rollcall_core::progress::Progress;

use crate::support::{fixtures, invalid_field, new_db, project};

fn review_file() -> PathBuf {
    fixtures().join("import").join("zoom_review.csv")
}

fn event(conn: &Connection, title: &str) -> i64 {
    let p = project(conn, "Review");
    events::create(
        conn,
        &EventInput { project_id: p, title: title.into(), starts_at: "2024-03-14T10:00".into(), ..Default::default() },
    )
    .unwrap()
    .id
}

fn preview(conn: &Connection, event_id: i64, resolutions: &[Resolution]) -> ImportReport {
    import::preview_with(conn, event_id, &review_file(), &ImportOptions::default(), resolutions, &Progress::none())
        .unwrap()
}

fn at(r: &ImportReport, line: u64) -> &ReviewRow {
    r.people.iter().find(|p| p.line == line).unwrap_or_else(|| panic!("no review row at line {line}: {:?}", r.people))
}

fn counts(r: &ImportReport) -> (u64, u64, u64, u64, u64, u64) {
    (r.people_created, r.people_matched, r.attendances, r.attendances_created, r.attendances_updated, r.skipped_total)
}

#[test]
fn issue19_review_lists_people_and_flags_rows_that_are_not_people() {
    let t = new_db();
    let e = event(&t.conn, "Webinar");
    let r = import::preview(&t.conn, e, &review_file(), &ImportOptions::default(), &Progress::none()).unwrap();
    assert_eq!((r.people_total, r.people.len()), (8, 8));
    let lines: Vec<(u64, &str, Vec<Flag>, u64)> =
        r.people.iter().map(|p| (p.line, p.name.as_str(), p.flags.clone(), p.rows)).collect();
    assert_eq!(
        lines,
        vec![
            (2, "Krok", vec![Flag::Bracket], 1),
            (3, "Galaxy A52", vec![Flag::DeviceName], 1),
            (4, "+373 69 123 456", vec![Flag::PhoneNumber], 1),
            (5, "Mariam", vec![Flag::OneWord], 1),
            (6, "Оксана", vec![Flag::OneWord], 1),
            (7, "Andrei Rusu", vec![], 2),
            (8, "Nadiia Kravets", vec![], 1),
            (9, "Levan Gelashvili", vec![], 1),
        ]
    );
    assert!(r.people.iter().all(|p| p.outcome == ReviewOutcome::New && p.person_id.is_none()));
    let krok = at(&r, 2);
    let hint = krok.suggested.as_ref().unwrap();
    assert_eq!((hint.name.as_str(), hint.organisation.as_deref()), ("Iryna Marchenko", Some("Krok")));
    // A real rename of Zoom's convention is not flagged.
    let plain = import::preview(
        &t.conn,
        e,
        &fixtures().join("import").join("zoom_meeting_plain.csv"),
        &ImportOptions::default(),
        &Progress::none(),
    )
    .unwrap();
    let giorgi = plain.people.iter().find(|p| p.name == "გიორგი კაპანაძე").unwrap();
    assert_eq!(giorgi.flags, vec![]);
    assert_eq!(plain.people.iter().find(|p| p.name == "Гість").unwrap().flags, vec![Flag::DeviceName]);

    // The JSON the window and `--dry-run --json` read.
    let json = serde_json::to_value(&r).unwrap();
    assert_eq!(json["people_total"], 8);
    let first = &json["people"][0];
    assert_eq!((first["outcome"].as_str(), first["flags"][0].as_str()), (Some("new"), Some("bracket")));
    assert_eq!(first["suggested"]["organisation"], "Krok");
}

#[test]
fn issue19_flags_of_names() {
    use rollcall_core::import::review_flags as flags;
    for (name, email, want) in [
        ("Galaxy A52", None, vec![Flag::DeviceName]),
        ("iPhone", None, vec![Flag::DeviceName]),
        ("Olena's iPad", None, vec![Flag::DeviceName]),
        ("Samsung SM-A525F", None, vec![Flag::DeviceName]),
        ("HUAWEI P30", None, vec![Flag::DeviceName]),
        ("Redmi Note 10", None, vec![Flag::DeviceName]),
        ("Pixel 7", None, vec![Flag::DeviceName]),
        ("Zoom user", None, vec![Flag::DeviceName]),
        ("Guest", None, vec![Flag::DeviceName]),
        ("+373 69 123 456", None, vec![Flag::PhoneNumber]),
        ("(067) 123-45-67", None, vec![Flag::PhoneNumber]),
        ("Mariam", None, vec![Flag::OneWord]),
        ("Оксана", None, vec![Flag::OneWord]),
        ("Mariam", Some("mariam@example.ge"), vec![]),
        ("olena@example.org", None, vec![Flag::EmailAsName]),
        ("Olena Koval", None, vec![]),
        ("Nino Pixelashvili", None, vec![]),
        ("Honor Blackman", None, vec![]),
        ("Max Plus", None, vec![]),
        ("iPhone 13 Pro Max", None, vec![Flag::DeviceName]),
        ("Ірина Note", None, vec![]),
    ] {
        assert_eq!(flags(name, email), want, "{name}");
    }
}

#[test]
fn issue19_rows_can_be_skipped_and_renamed_before_anything_is_written() {
    let mut t = new_db();
    let e = event(&t.conn, "Webinar");
    // An existing person the renamed "Mariam" turns out to be.
    let mariam = people::create(&t.conn, &PersonInput { full_name: "Mariam Abashidze".into(), ..Default::default() })
        .unwrap()
        .id;
    let decisions = vec![
        Resolution::skip_line(3),
        Resolution::skip_line(4),
        Resolution::rename_line(2, "Iryna Marchenko", Some("Krok".into())),
        Resolution::rename_line(5, "Mariam Abashidze", None),
    ];
    let p = preview(&t.conn, e, &decisions);
    assert_eq!(at(&p, 3).outcome, ReviewOutcome::Skipped);
    assert_eq!(at(&p, 3).code.as_deref(), Some("decided_skip"));
    let iryna = at(&p, 2);
    assert_eq!(
        (iryna.name.as_str(), iryna.organisation.as_deref(), iryna.renamed_from.as_deref(), iryna.flags.clone()),
        ("Iryna Marchenko", Some("Krok"), Some("Krok"), vec![])
    );
    let m = at(&p, 5);
    assert_eq!((m.outcome, m.person_id, m.rule), (ReviewOutcome::Matched, Some(mariam), Some(MatchRule::Name)));
    assert_eq!(m.person_name.as_deref(), Some("Mariam Abashidze"));
    // Skipped by decision: listed with their code, not a reason to doubt the file.
    assert_eq!(p.skipped.iter().map(|s| (s.line, s.why.clone())).collect::<Vec<_>>().len(), 2);
    assert!(p.skipped.iter().all(|s| s.why == import::Reason::DecidedSkip));
    assert_eq!(p.needs_confirmation, None);
    assert_eq!(counts(&p), (5, 1, 6, 6, 0, 2));

    let s = import::commit(&mut t.conn, e, &review_file(), &ImportOptions::default(), &decisions, &Progress::none())
        .unwrap();
    assert_eq!(counts(&s), counts(&p));
    let found = people::list(&t.conn, &PeopleQuery { search: Some("Marchenko".into()), ..Default::default() }).unwrap();
    assert_eq!(found.items.len(), 1);
    assert_eq!(found.items[0].organisation_name.as_deref(), Some("Krok"));
    for gone in ["Galaxy", "+373", "Krok"] {
        let q = PeopleQuery { search: Some(gone.into()), ..Default::default() };
        let names: Vec<String> = people::list(&t.conn, &q).unwrap().items.into_iter().map(|p| p.full_name).collect();
        assert!(!names.iter().any(|n| n == gone || n.starts_with(gone)), "{gone}: {names:?}");
    }

    // Bad row decisions are refused with the field.
    for bad in [
        Resolution::rename_line(2, "  ", None),
        Resolution::new("line:x", Action::Skip, None),
        Resolution::new("line:2", Action::New, None),
        Resolution::new("email:a@b.c", Action::Rename, None),
    ] {
        let r = import::preview_with(&t.conn, e, &review_file(), &ImportOptions::default(), &[bad], &Progress::none());
        assert_eq!(invalid_field(r), "resolutions");
    }
}

/// Issue #19: the Import button said 40 and 41 were written: the preview ignored the decisions. With the
/// decisions, the preview's counts are exactly the commit's.
#[test]
fn issue19_preview_counts_equal_commit() {
    let mut t = new_db();
    let e = event(&t.conn, "Webinar");
    // Nadiia with another email, and two people called Levan Gelashvili: both rows are ambiguous.
    let nadiia = people::create(
        &t.conn,
        &PersonInput {
            full_name: "Nadiia Kravets".into(),
            email: Some("nadiia@old.org.ua".into()),
            ..Default::default()
        },
    )
    .unwrap()
    .id;
    for email in ["levan1@example.ge", "levan2@example.ge"] {
        people::create(
            &t.conn,
            &PersonInput { full_name: "Levan Gelashvili".into(), email: Some(email.into()), ..Default::default() },
        )
        .unwrap();
    }
    let undecided = preview(&t.conn, e, &[]);
    assert_eq!(undecided.ambiguous_total, 2);
    assert_eq!(at(&undecided, 8).outcome, ReviewOutcome::Decide);
    assert_eq!(at(&undecided, 8).key.as_deref(), Some("email:nadiia.kravets@krok.org.ua"));
    let decisions = vec![
        Resolution::new("email:nadiia.kravets@krok.org.ua", Action::Person, Some(nadiia)),
        Resolution::new("email:levan.gelashvili@gov.ge", Action::New, None),
        Resolution::skip_line(4),
    ];
    let p = preview(&t.conn, e, &decisions);
    assert_eq!(undecided.attendances, 6, "undecided rows are left out of a preview without decisions");
    assert_eq!(counts(&p), (6, 1, 7, 7, 0, 1));
    let n = at(&p, 8);
    assert_eq!((n.outcome, n.rule, n.person_id), (ReviewOutcome::Matched, Some(MatchRule::Decision), Some(nadiia)));
    assert_eq!(at(&p, 9).outcome, ReviewOutcome::New);
    let s = import::commit(&mut t.conn, e, &review_file(), &ImportOptions::default(), &decisions, &Progress::none())
        .unwrap();
    assert_eq!(counts(&s), counts(&p));
    let written: i64 =
        t.conn.query_row("SELECT count(*) FROM attendance WHERE event_id = ?1", [e], |r| r.get(0)).unwrap();
    assert_eq!(written as u64, p.attendances);
}

#[test]
fn issue19_a_decided_email_is_remembered_for_the_next_import() {
    let mut t = new_db();
    let first = event(&t.conn, "Webinar 1");
    let second = event(&t.conn, "Webinar 2");
    let nadiia = people::create(
        &t.conn,
        &PersonInput {
            full_name: "Nadiia Kravets".into(),
            email: Some("nadiia@old.org.ua".into()),
            ..Default::default()
        },
    )
    .unwrap()
    .id;
    let decide = vec![Resolution::new("email:nadiia.kravets@krok.org.ua", Action::Person, Some(nadiia))];
    let one = import::commit(&mut t.conn, first, &review_file(), &ImportOptions::default(), &decide, &Progress::none())
        .unwrap();
    assert_eq!(one.ambiguous_total, 1);
    let kept = people::other_emails(&t.conn, nadiia).unwrap();
    assert_eq!(
        kept.iter().map(|e| (e.email.as_str(), e.source.as_str())).collect::<Vec<_>>(),
        [("nadiia.kravets@krok.org.ua", "import")]
    );
    assert_eq!(
        people::get(&t.conn, nadiia).unwrap().email.as_deref(),
        Some("nadiia@old.org.ua"),
        "the person is not changed"
    );

    // Another event, the same address: matched by it, no question.
    let p = preview(&t.conn, second, &[]);
    assert_eq!(p.ambiguous_total, 0);
    let n = at(&p, 8);
    assert_eq!((n.outcome, n.rule, n.person_id), (ReviewOutcome::Matched, Some(MatchRule::OtherEmail), Some(nadiia)));
    let two =
        import::commit(&mut t.conn, second, &review_file(), &ImportOptions::default(), &[], &Progress::none()).unwrap();
    assert_eq!(two.people_matched, 8, "everyone of the file is known now");

    // Search finds the person by the other address; it is in their data download.
    let q = PeopleQuery { search: Some("kravets@krok".into()), ..Default::default() };
    let found = people::list(&t.conn, &q).unwrap();
    assert_eq!((found.total, found.items.iter().map(|p| p.id).collect::<Vec<_>>()), (1, vec![nadiia]));
    let short = PeopleQuery { search: Some("kr".into()), ..Default::default() };
    assert!(people::list(&t.conn, &short).unwrap().items.iter().any(|p| p.id == nadiia));
    let data = rollcall_core::privacy::person_data(&t.conn, nadiia).unwrap();
    assert_eq!(data.other_emails.len(), 1);

    // Undoing the import whose decision kept it forgets it (the later import goes first).
    import::undo(&mut t.conn, two.import_id.unwrap()).unwrap();
    import::undo(&mut t.conn, one.import_id.unwrap()).unwrap();
    assert_eq!(people::other_emails(&t.conn, nadiia).unwrap(), vec![]);

    // Erasure takes the addresses with the person.
    import::commit(&mut t.conn, first, &review_file(), &ImportOptions::default(), &decide, &Progress::none()).unwrap();
    assert_eq!(people::other_emails(&t.conn, nadiia).unwrap().len(), 1);
    rollcall_core::privacy::erase_person(&mut t.conn, nadiia).unwrap();
    let left: i64 = t.conn.query_row("SELECT count(*) FROM person_emails", [], |r| r.get(0)).unwrap();
    assert_eq!(left, 0);
}

#[test]
fn issue19_merge_keeps_the_dropped_email_as_another_address() {
    let mut t = new_db();
    let keep = people::create(
        &t.conn,
        &PersonInput {
            full_name: "Nadiia Kravets".into(),
            email: Some("nadiia@old.org.ua".into()),
            ..Default::default()
        },
    )
    .unwrap()
    .id;
    let drop = people::create(
        &t.conn,
        &PersonInput {
            full_name: "Nadiia Kravets".into(),
            email: Some("nadiia.kravets@krok.org.ua".into()),
            ..Default::default()
        },
    )
    .unwrap()
    .id;
    rollcall_core::merge::merge_people(&mut t.conn, keep, drop).unwrap();
    let kept = people::other_emails(&t.conn, keep).unwrap();
    assert_eq!(
        kept.iter().map(|e| (e.email.as_str(), e.source.as_str())).collect::<Vec<_>>(),
        [("nadiia.kravets@krok.org.ua", "merge")]
    );
    let e = event(&t.conn, "Webinar");
    let p = preview(&t.conn, e, &[]);
    assert_eq!((at(&p, 8).outcome, at(&p, 8).person_id), (ReviewOutcome::Matched, Some(keep)));
}
