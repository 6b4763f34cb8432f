//! Privacy: everything about a person (JSON and CSV), erasure that leaves no byte of them in the database
//! files and keeps anonymous counts, retention candidates, and consent withdrawal.

use std::path::{Path, PathBuf};

use rollcall_core::attendance::{self, AttendanceInput};
use rollcall_core::db::Connection;
use rollcall_core::events::{self, EventInput};
use rollcall_core::import::{self, ImportOptions};
use rollcall_core::organisations::{self, OrganisationInput};
use rollcall_core::people::{self, ConsentInput, PersonInput};
use rollcall_core::privacy::{self, DataFormat};
use rollcall_core::progress::Progress;
use rollcall_core::{text, Error};

use crate::support::{fixtures, new_db, project};
use rollcall_core::open;

fn event(conn: &Connection, project_id: i64, title: &str, starts_at: &str) -> i64 {
    events::create(
        conn,
        &EventInput {
            project_id,
            title: title.into(),
            starts_at: starts_at.into(),
            timezone: Some("Europe/Kyiv".into()),
            ..Default::default()
        },
    )
    .unwrap()
    .id
}

fn person(conn: &Connection, name: &str, email: Option<&str>) -> i64 {
    people::create(conn, &PersonInput { full_name: name.into(), email: email.map(Into::into), ..Default::default() })
        .unwrap()
        .id
}

fn attend(conn: &Connection, event_id: i64, person_id: i64, role: &str, status: &str, minutes: Option<i64>) {
    attendance::set(
        conn,
        &AttendanceInput { event_id, person_id, role: Some(role.into()), status: Some(status.into()), minutes },
    )
    .unwrap();
}

fn count(conn: &Connection, sql: &str) -> i64 {
    conn.query_row(sql, [], |r| r.get(0)).unwrap()
}

#[test]
fn person_data_holds_the_record_organisation_consents_attendance_and_imports() {
    let mut t = new_db();
    let p = project(&t.conn, "In Search of Solidarity");
    let e1 = event(&t.conn, p, "Webinar", "2022-06-28T15:00");
    let org =
        organisations::create(&t.conn, &OrganisationInput { name: "World of Tolerance".into(), ..Default::default() })
            .unwrap()
            .id;
    // The Zoom report creates Olena; then she is given an organisation, a consent and a second event.
    import::commit(
        &mut t.conn,
        e1,
        &fixtures().join("import/zoom_meeting_header.csv"),
        &ImportOptions::default(),
        &[],
        &Progress::none(),
    )
    .unwrap();
    let olena = t
        .conn
        .query_row("SELECT id FROM people WHERE email_key = 'olena.kovalenko@ukr.net'", [], |r| r.get::<_, i64>(0))
        .unwrap();
    let mut input = PersonInput {
        full_name: "Олена Коваленко".into(),
        email: Some("olena.kovalenko@ukr.net".into()),
        ..Default::default()
    };
    input.organisation_id = Some(org);
    people::update(&t.conn, olena, &input).unwrap();
    people::add_consent(
        &t.conn,
        olena,
        &ConsentInput {
            purpose: "reports to the donor".into(),
            given_on: Some("2022-06-01".into()),
            method: Some("registration form".into()),
        },
    )
    .unwrap();
    let e2 = event(&t.conn, p, "Training", "2022-09-01T10:00");
    attend(&t.conn, e2, olena, "speaker", "attended", Some(90));

    let data = privacy::person_data(&t.conn, olena).unwrap();
    assert_eq!(data.person.full_name, "Олена Коваленко");
    assert_eq!(data.organisation.as_ref().map(|o| o.name.as_str()), Some("World of Tolerance"));
    assert_eq!(data.consents.len(), 1);
    let events: Vec<(&str, &str, &str)> =
        data.attendance.iter().map(|a| (a.event_title.as_str(), a.role.as_str(), a.source.as_str())).collect();
    assert_eq!(events, [("Training", "speaker", "manual"), ("Webinar", "participant", "import")]);
    assert_eq!(data.attendance[1].project_name, "In Search of Solidarity");
    let effects: Vec<&str> = data.imports.iter().map(|i| i.effect.as_str()).collect();
    assert_eq!(effects, ["created the person", "recorded attendance"]);
    assert_eq!(data.imports[0].file_name, "zoom_meeting_header.csv");

    // JSON: the same structure, readable back.
    let json_path = t.dir.path().join("olena.json");
    let written = privacy::write_person_data(&t.conn, olena, &json_path, DataFormat::Json).unwrap();
    assert_eq!(written.bytes, std::fs::metadata(&json_path).unwrap().len());
    let back: privacy::PersonData = serde_json::from_slice(&std::fs::read(&json_path).unwrap()).unwrap();
    assert_eq!(back, data);

    // CSV: one row per fact, with the header named in the API.
    let csv_path = t.dir.path().join("olena.csv");
    privacy::write_person_data(&t.conn, olena, &csv_path, DataFormat::Csv).unwrap();
    let bytes = std::fs::read(&csv_path).unwrap();
    let mut reader = csv::Reader::from_reader(&bytes[3..]);
    assert_eq!(reader.headers().unwrap().iter().collect::<Vec<_>>(), privacy::PERSON_DATA_CSV_HEADER);
    let rows: Vec<Vec<String>> = reader.records().map(|r| r.unwrap().iter().map(String::from).collect()).collect();
    assert_eq!(rows.len(), privacy::person_data_rows(&data).len());
    let has = |section: &str, field: &str, value: &str| {
        rows.iter().any(|r| r[0] == section && r[2] == field && r[3] == value)
    };
    assert!(has("person", "full_name", "Олена Коваленко"));
    assert!(has("consent", "method", "registration form"));
    assert!(has("attendance", "event_title", "Training"));
    assert!(has("import", "effect", "created the person"));

    assert_eq!(privacy::person_data(&t.conn, 9999).unwrap_err().kind(), "not_found");
}

const NAME: &str = "Zoltán Quixotic-Wrenfeather";
const EMAIL: &str = "Zq.Wrenfeather@Example.Invalid";

fn all_bytes(path: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    ["", "-wal", "-shm"]
        .iter()
        .map(|s| {
            let p = PathBuf::from(format!("{}{s}", path.display()));
            let bytes = std::fs::read(&p).unwrap_or_default();
            (p, bytes)
        })
        .collect()
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[test]
fn an_erased_person_leaves_no_byte_of_their_name_or_email_in_the_database_files() {
    let mut t = new_db();
    let p = project(&t.conn, "P");
    let events: Vec<i64> =
        (0..3).map(|i| event(&t.conn, p, &format!("Event {i}"), &format!("2022-0{}-10T10:00", i + 1))).collect();
    // Neighbours before and after, so the person's rows share pages with others that stay.
    for i in 0..300 {
        let id = person(&t.conn, &format!("Neighbour {i:03} Before"), Some(&format!("before{i}@example.org")));
        attend(&t.conn, events[i % 3], id, "participant", "attended", Some(30));
    }
    let target = person(&t.conn, NAME, Some(EMAIL));
    people::update(
        &t.conn,
        target,
        &PersonInput {
            full_name: NAME.into(),
            email: Some(EMAIL.into()),
            notes: Some(format!("Notes about {NAME}")),
            ..Default::default()
        },
    )
    .unwrap();
    people::add_consent(&t.conn, target, &ConsentInput { purpose: format!("contact {EMAIL}"), ..Default::default() })
        .unwrap();
    attend(&t.conn, events[0], target, "speaker", "attended", Some(45));
    attend(&t.conn, events[1], target, "participant", "registered", None);
    for i in 0..300 {
        person(&t.conn, &format!("Neighbour {i:03} After"), Some(&format!("after{i}@example.org")));
    }
    // Planner statistics keep sample index keys (names, emails) in sqlite_stat4: they must go too.
    t.conn.execute_batch("ANALYZE;").unwrap();
    // A search that goes through the trigram index.
    assert_eq!(
        people::list(&t.conn, &people::PeopleQuery { search: Some("wrenfeather".into()), ..Default::default() })
            .unwrap()
            .total,
        1
    );

    let summary = privacy::erase_person(&mut t.conn, target).unwrap();
    assert_eq!((summary.people, summary.attendance, summary.consents, summary.anonymous_attendance), (1, 2, 1, 2));
    assert!(summary.log_cleared);
    assert_eq!(people::get(&t.conn, target).unwrap_err().kind(), "not_found");
    assert_eq!(
        people::list(&t.conn, &people::PeopleQuery { search: Some("wrenfeather".into()), ..Default::default() })
            .unwrap()
            .total,
        0
    );
    assert!(count(&t.conn, "PRAGMA page_count") > 10);

    let needles = [
        NAME.to_string(),
        EMAIL.to_string(),
        text::fold(NAME),
        EMAIL.to_lowercase(),
        "Quixotic".to_string(),
        "Wrenfeather".to_string(),
        "wrenfeather".to_string(),
    ];
    // While the connection is still open (as in the desktop app), and after it is closed.
    let open = all_bytes(&t.path);
    drop(t.conn);
    for (file, bytes) in open.into_iter().chain(all_bytes(&t.path)) {
        for needle in &needles {
            assert!(!contains(&bytes, needle.as_bytes()), "{needle:?} is still in {}", file.display());
        }
    }
    // The neighbours are all still there, and so is the erased person's attendance, as numbers.
    let conn = open::open(&t.path).unwrap();
    assert_eq!(count(&conn, "SELECT count(*) FROM people"), 600);
    let counts = privacy::anonymous_counts(&conn, Some(p), None).unwrap();
    let got: Vec<(i64, &str, &str, i64, i64)> =
        counts.iter().map(|c| (c.event_id, c.role.as_str(), c.status.as_str(), c.count, c.minutes)).collect();
    assert_eq!(got, [(events[0], "speaker", "attended", 1, 45), (events[1], "participant", "registered", 1, 0)]);
    assert_eq!(privacy::anonymous_people(&conn, p).unwrap(), 1, "attended one event of the project");
    assert!(rollcall_core::safety::check(&conn).unwrap().ok);
}

#[test]
fn erasing_several_people_is_all_or_nothing_and_anonymous_counts_add_up() {
    let mut t = new_db();
    let p = project(&t.conn, "P");
    let e = event(&t.conn, p, "Webinar", "2022-06-28T15:00");
    let a = person(&t.conn, "Anna", None);
    let b = person(&t.conn, "Bohdan", None);
    attend(&t.conn, e, a, "participant", "attended", Some(30));
    attend(&t.conn, e, b, "participant", "attended", Some(50));

    assert_eq!(privacy::erase_people(&mut t.conn, &[a, 9999]).unwrap_err().kind(), "not_found");
    assert_eq!(count(&t.conn, "SELECT count(*) FROM people"), 2, "nothing was erased");
    assert_eq!(count(&t.conn, "SELECT count(*) FROM event_anonymous_counts"), 0);

    let s = privacy::erase_people(&mut t.conn, &[a, b]).unwrap();
    assert_eq!((s.people, s.attendance), (2, 2));
    let counts = privacy::anonymous_counts(&t.conn, None, Some(e)).unwrap();
    assert_eq!((counts.len(), counts[0].count, counts[0].minutes), (1, 2, 80));
    assert_eq!(privacy::anonymous_people(&t.conn, p).unwrap(), 2);
    assert_eq!(count(&t.conn, "SELECT count(*) FROM erasures"), 2);
}

#[test]
fn erasure_removes_the_import_journal_and_undoing_the_import_later_spares_everyone_else() {
    let mut t = new_db();
    let p = project(&t.conn, "P");
    let e = event(&t.conn, p, "Webinar", "2022-06-28T15:00");
    let s = import::commit(
        &mut t.conn,
        e,
        &fixtures().join("import/zoom_meeting_header.csv"),
        &ImportOptions::default(),
        &[],
        &Progress::none(),
    )
    .unwrap();
    let created = count(&t.conn, "SELECT count(*) FROM import_people");
    let olena = t
        .conn
        .query_row("SELECT id FROM people WHERE email_key = 'olena.kovalenko@ukr.net'", [], |r| r.get::<_, i64>(0))
        .unwrap();
    let summary = privacy::erase_person(&mut t.conn, olena).unwrap();
    assert_eq!(summary.import_journal, 1);
    assert_eq!(count(&t.conn, "SELECT count(*) FROM import_people"), created - 1);
    import::undo(&mut t.conn, s.import_id.unwrap()).unwrap();
    assert_eq!(count(&t.conn, "SELECT count(*) FROM people"), 0, "the import's other people went with the undo");
}

#[test]
fn retention_lists_people_not_seen_at_any_event_since_a_date() {
    let mut t = new_db();
    let p = project(&t.conn, "P");
    let old = event(&t.conn, p, "Old", "2021-03-01T10:00");
    let future = event(&t.conn, p, "Future", "2099-03-01T10:00");
    let came_before = person(&t.conn, "Came before", None);
    let comes_later = person(&t.conn, "Comes later", None);
    let registered_later = person(&t.conn, "Registered later", None);
    let never = person(&t.conn, "Never came", None);
    let added_after = person(&t.conn, "Added after the date", None);
    attend(&t.conn, old, came_before, "participant", "attended", None);
    attend(&t.conn, old, comes_later, "participant", "attended", None);
    attend(&t.conn, future, comes_later, "participant", "attended", None);
    attend(&t.conn, future, registered_later, "participant", "registered", None);
    t.conn.execute("UPDATE people SET created_at = '2099-01-02T00:00:00Z' WHERE id = ?1", [added_after]).unwrap();
    people::add_consent(&t.conn, never, &ConsentInput { purpose: "newsletter".into(), ..Default::default() }).unwrap();

    let since = "2099-01-01";
    let found = privacy::retention_candidates(&t.conn, since).unwrap();
    let names: Vec<&str> = found.iter().map(|p| p.full_name.as_str()).collect();
    assert_eq!(names, ["Came before", "Never came"]);
    assert_eq!(
        (found[0].last_event.as_deref(), found[0].attendance, found[1].open_consents),
        (Some("2021-03-01"), 1, 1)
    );
    assert_eq!(privacy::retention_candidates(&t.conn, "2099-13-01").unwrap_err().kind(), "invalid");

    let ids: Vec<i64> = found.iter().map(|p| p.id).collect();
    privacy::erase_people(&mut t.conn, &ids).unwrap();
    assert!(privacy::retention_candidates(&t.conn, since).unwrap().is_empty());
    assert_eq!(count(&t.conn, "SELECT count(*) FROM people"), 3);
}

#[test]
fn consent_is_withdrawn_on_a_date_never_before_it_was_given() {
    let t = new_db();
    let id = person(&t.conn, "Nino", None);
    people::add_consent(
        &t.conn,
        id,
        &ConsentInput { purpose: "photos".into(), given_on: Some("2022-05-01".into()), method: Some("email".into()) },
    )
    .unwrap();
    people::add_consent(
        &t.conn,
        id,
        &ConsentInput { purpose: "newsletter".into(), given_on: Some("2022-05-01".into()), ..Default::default() },
    )
    .unwrap();
    // (purpose, date, how many are withdrawn or the kind of error)
    type Case<'a> = (Option<&'a str>, Option<&'a str>, Result<usize, &'a str>);
    let cases: &[Case] = &[
        (Some("photos"), Some("2022-04-30"), Ok(0)),
        (Some("photos"), Some("not a date"), Err("invalid")),
        (Some("photos"), Some("2022-06-01"), Ok(1)),
        (Some("photos"), Some("2022-07-01"), Ok(0)),
        (None, None, Ok(1)),
    ];
    for (purpose, on, expected) in cases {
        let got = people::withdraw_consent_on(&t.conn, id, *purpose, *on).map_err(|e: Error| e.kind());
        assert_eq!(got, *expected, "{purpose:?} {on:?}");
    }
    let consents = people::consents(&t.conn, id).unwrap();
    let photos = consents.iter().find(|c| c.purpose == "photos").unwrap();
    assert_eq!((photos.withdrawn_on.as_deref(), photos.method.as_deref()), (Some("2022-06-01"), Some("email")));
    assert!(consents.iter().all(|c| c.withdrawn_on.is_some()));
}

#[test]
fn a_bad_retention_date_names_the_before_field() {
    let t = new_db();
    for bad in ["last year", "2099-13-01", " "] {
        match privacy::retention_candidates(&t.conn, bad) {
            Err(Error::Invalid { field, message, .. }) => {
                assert_eq!(field, "before", "{bad:?}");
                assert!(!message.contains("since"), "{bad:?}: {message}");
            }
            other => panic!("{bad:?}: not an Invalid error: {other:?}"),
        }
    }
}

/// Regression (issue 21, case 11): erasing a person and then undoing the import that brought them leaves
/// no attendance or unique person in the reports with no record behind it; a second event's import and
/// a record typed by hand keep theirs.
#[test]
fn issue21_undo_after_erase_leaves_no_phantom_figures() {
    use rollcall_core::reports::{self, SummaryOptions};
    let mut t = new_db();
    let p = project(&t.conn, "P");
    let e1 = event(&t.conn, p, "Webinar 1", "2022-06-28T15:00");
    let e2 = event(&t.conn, p, "Webinar 2", "2022-07-28T15:00");
    let report = fixtures().join("import/zoom_meeting_header.csv");
    let opts = ImportOptions::default();
    let first = import::commit(&mut t.conn, e1, &report, &opts, &[], &Progress::none()).unwrap();
    let empty = reports::project_summary(&mut t.conn, p, &SummaryOptions::default()).unwrap();
    assert!(empty.attendances > 0);
    let olena = t
        .conn
        .query_row("SELECT id FROM people WHERE email_key = 'olena.kovalenko@ukr.net'", [], |r| r.get::<_, i64>(0))
        .unwrap();
    // Someone who also came to a second event, recorded by hand: they stay counted after the undo.
    let other = t
        .conn
        .query_row(
            "SELECT p.id FROM people p JOIN attendance a ON a.person_id = p.id
              WHERE a.status = 'attended' AND p.id <> ?1 ORDER BY p.id LIMIT 1",
            [olena],
            |r| r.get::<_, i64>(0),
        )
        .unwrap();
    attend(&t.conn, e2, other, "participant", "attended", Some(30));
    privacy::erase_people(&mut t.conn, &[olena, other]).unwrap();
    let erased = reports::project_summary(&mut t.conn, p, &SummaryOptions::default()).unwrap();
    assert_eq!(erased.unique_people, empty.unique_people, "erasure keeps the totals");
    import::undo(&mut t.conn, first.import_id.unwrap()).unwrap();
    let after = reports::project_summary(&mut t.conn, p, &SummaryOptions::default()).unwrap();
    assert_eq!(after.attendances, 1, "only the record typed by hand at the second event is left");
    assert_eq!(after.unique_people, 1, "and its person, anonymous now");
    assert_eq!(count(&t.conn, "SELECT count(*) FROM import_anonymous_counts"), 0);
    assert!(rollcall_core::safety::check(&t.conn).unwrap().ok);
}
