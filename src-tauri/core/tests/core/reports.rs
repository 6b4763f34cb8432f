//! Reports: figures over the sample data worked out by hand from sample.rs, and a small hand-built
//! dataset with the edge cases (one person at several events and in several roles, blank and
//! self-described genders, local-date range borders, minutes and events thresholds, sparse person ids,
//! and rosters that must follow every change).

use rollcall_core::attendance::{self, AttendanceInput};
use rollcall_core::db::Connection;
use rollcall_core::events::{self, EventInput};
use rollcall_core::organisations::{self, OrganisationInput};
use rollcall_core::people::{self, PersonInput};
use rollcall_core::reports::{self, Breakdown, DonorOptions, SummaryOptions};
use rollcall_core::{projects, sample};

use crate::support::{new_db, project};

fn id_of(conn: &Connection, sql: &str, name: &str) -> i64 {
    conn.query_row(sql, [name], |r| r.get(0)).unwrap()
}

fn project_id(conn: &Connection, name: &str) -> i64 {
    id_of(conn, "SELECT id FROM projects WHERE name = ?1", name)
}

/// (label, count) pairs of a breakdown, in its order.
fn pairs(lines: &[Breakdown]) -> Vec<(&str, i64)> {
    lines.iter().map(|b| (b.label.as_str(), b.count)).collect()
}

// The sample's webinar: 3 hosts plus 54 participants numbered n = 1..54 (20 UA, 17 GE, 17 MD); those with
// n divisible by 11 (Софія Гнатюк, გიორგი კაპანაძე, ქეთევან დოლიძე, Doina Popescu) were absent, so 53
// attended. Every third participant of each country (index 2, 5, 8, ...) has no organisation.

#[test]
fn project_summary_of_the_sample_project() {
    let mut t = new_db();
    sample::load(&mut t.conn).unwrap();
    let iss = project_id(&t.conn, sample::PROJECT_NAME);
    let s = reports::project_summary(&mut t.conn, iss, &SummaryOptions::default()).unwrap();
    assert_eq!(s.project_name, "In Search of Solidarity");
    assert_eq!((s.events, s.attendances, s.unique_people, s.unique_organisations), (1, 53, 53, 4));
    assert_eq!(pairs(&s.events_by_kind), vec![("webinar", 1)]);
    // Hosts 118 + 120 + 125 minutes; participant n attended 30 + (37 n mod 91) minutes.
    assert_eq!(s.total_minutes, 4053);
    assert_eq!(s.average_minutes, Some(76.5));
    assert_eq!(pairs(&s.people_by_country), vec![("UA", 21), ("GE", 16), ("MD", 16)]);
    // Gender: categories in their fixed order (issue #15); the sample's "male"/"female" are mapped, and its
    // literal "not stated" is grouped with blank genders, last.
    assert_eq!(pairs(&s.people_by_gender), vec![("woman", 24), ("man", 25), ("non-binary", 1), ("not stated", 3)]);
    assert_eq!(
        pairs(&s.people_by_organisation),
        vec![
            ("Human Rights Vector", 15),
            ("Promo-LEX", 11),
            ("World of Tolerance", 10),
            ("Center for Participation and Development", 1),
            ("no organisation", 16)
        ]
    );
    assert_eq!(pairs(&s.people_by_role), vec![("participant", 50), ("moderator", 1), ("organiser", 1), ("speaker", 1)]);
    assert_eq!(s.attendance_by_event.len(), 1);
    let e = &s.attendance_by_event[0];
    assert_eq!(
        (e.title.as_str(), e.date.as_str(), e.attended),
        ("Human Rights: Examples of International Solidarity", "2022-06-28", 53)
    );

    // The conference project: Алесь (BY, speaker), Nazarii (UA) and Sasha (GE) as participants.
    let conf = project_id(&t.conn, "Solidarity Conference With the Belarusian People");
    let c = reports::project_summary(&mut t.conn, conf, &SummaryOptions::default()).unwrap();
    assert_eq!((c.events, c.attendances, c.unique_people, c.unique_organisations, c.total_minutes), (1, 3, 3, 3, 720));
    assert_eq!(c.average_minutes, Some(240.0));
    assert_eq!(pairs(&c.people_by_role), vec![("participant", 2), ("speaker", 1)]);
    assert_eq!(pairs(&c.people_by_country), vec![("BY", 1), ("GE", 1), ("UA", 1)]);
}

#[test]
fn donor_table_of_the_sample_project() {
    let mut t = new_db();
    sample::load(&mut t.conn).unwrap();
    let iss = project_id(&t.conn, sample::PROJECT_NAME);
    let d = reports::donor_table(&mut t.conn, iss, &DonorOptions::default()).unwrap();
    let columns: Vec<&str> = d.columns.iter().map(|c| c.label.as_str()).collect();
    assert_eq!(columns, ["GE", "MD", "UA"]);
    let rows: Vec<(&str, Vec<i64>, i64)> =
        d.rows.iter().map(|r| (r.label.as_str(), r.counts.clone(), r.total)).collect();
    assert_eq!(
        rows,
        vec![
            ("woman", vec![7, 7, 10], 24),
            ("man", vec![7, 8, 10], 25),
            ("non-binary", vec![0, 0, 1], 1),
            ("not stated", vec![2, 1, 0], 3),
        ]
    );
    assert_eq!(d.column_totals, vec![16, 16, 21]);
    assert_eq!(d.total, 53);

    // At least 116 minutes: the three hosts (118, 120, 125), and participants with 37 n mod 91 >= 86.
    // Since 37 * 32 = 1184 = 13 * 91 + 1, n = 32 r mod 91: r = 86 gives n = 22 (absent), 87 gives
    // n = 54 (117 minutes), 88 gives 86, 89 gives n = 27 (119 minutes), 90 gives 59; so two participants.
    let hosts_only =
        reports::donor_table(&mut t.conn, iss, &DonorOptions { min_minutes: Some(116), ..Default::default() }).unwrap();
    assert_eq!(hosts_only.total, 5);
}

#[test]
fn list_reports_of_the_sample() {
    let mut t = new_db();
    sample::load(&mut t.conn).unwrap();
    let iss = project_id(&t.conn, sample::PROJECT_NAME);
    let webinar = events::list(&t.conn, Some(iss)).unwrap()[0].id;
    let list = reports::event_attendance(&t.conn, webinar).unwrap();
    assert_eq!((list.rows.len(), list.attended), (57, 53));
    assert_eq!(list.event.date, "2022-06-28");
    let first: Vec<(&str, &str)> = list.rows.iter().take(3).map(|r| (r.name.as_str(), r.role.as_str())).collect();
    assert_eq!(
        first,
        [("Halyna Vovk", "organiser"), ("Nazarii Boiarskyi", "moderator"), ("Sasha Delemenchuk", "speaker")]
    );
    let absent: Vec<&str> = list.rows.iter().filter(|r| r.status == "absent").map(|r| r.name.as_str()).collect();
    assert_eq!(absent.len(), 4);
    assert!(absent.contains(&"Софія Гнатюк") && absent.contains(&"Doina Popescu"));

    let nazarii = id_of(&t.conn, "SELECT id FROM people WHERE full_name = ?1", "Nazarii Boiarskyi");
    let h = reports::person_history(&t.conn, nazarii).unwrap();
    assert_eq!((h.events_attended, h.projects, h.total_minutes), (2, 2, 360));
    let titles: Vec<&str> = h.entries.iter().map(|e| e.event_title.as_str()).collect();
    assert_eq!(
        titles,
        ["Human Rights: Examples of International Solidarity", "Solidarity Conference With the Belarusian People"]
    );

    // Human Rights Vector: Nazarii, Halyna and the 14 Ukrainian participants with an organisation (one of
    // them, Софія, absent) at the webinar, and Nazarii at the conference.
    let hrv = id_of(&t.conn, "SELECT id FROM organisations WHERE name = ?1", "Human Rights Vector");
    let o = reports::organisation_participation(&t.conn, hrv).unwrap();
    assert_eq!((o.rows.len(), o.attendances, o.people, o.events), (17, 16, 15, 2));
    assert_eq!(o.rows[0].date, "2022-06-28");
    assert_eq!(o.rows.last().unwrap().date, "2021-02-06");

    let p = reports::partners(&t.conn, iss).unwrap();
    let roles: Vec<(&str, &str)> = p.partners.iter().map(|x| (x.organisation_name.as_str(), x.role.as_str())).collect();
    assert_eq!(
        roles,
        [
            ("Human Rights Vector", "lead"),
            ("Promo-LEX", "partner"),
            ("World of Tolerance", "partner"),
            ("European Union", "funder"),
            ("Human Rights House Foundation", "supporter"),
        ]
    );
    assert_eq!(p.donor.as_deref(), Some("European Union"));
}

/// The hand-built project: three events (one at 01:00 Kyiv time, the day before in UTC), seven people
/// who attended, one with an id beyond the dense range, and records that must not count.
struct Hand {
    t: crate::support::TestDb,
    project: i64,
    e1: i64,
    e2: i64,
    e3: i64,
    a: i64,
    b: i64,
}

fn hand_built() -> Hand {
    let t = new_db();
    let c = &t.conn;
    let p = project(c, "Hand-built");
    let other = project(c, "Other project");
    let event = |project_id: i64, title: &str, kind: &str, starts_at: &str, tz: &str| {
        events::create(
            c,
            &EventInput {
                project_id,
                title: title.into(),
                kind: Some(kind.into()),
                starts_at: starts_at.into(),
                timezone: Some(tz.into()),
                ..Default::default()
            },
        )
        .unwrap()
        .id
    };
    let e1 = event(p, "Opening webinar", "webinar", "2024-03-01T10:00", "Europe/Kyiv");
    let e2 = event(p, "Night training", "training", "2024-03-15T01:00", "Europe/Kyiv");
    let e3 = event(p, "Partners' meeting", "meeting", "2024-04-01T18:00", "Asia/Tbilisi");
    let e4 = event(other, "Elsewhere", "webinar", "2024-03-10T10:00", "Europe/Kyiv");
    let org = |name: &str| {
        organisations::create(c, &OrganisationInput { name: name.into(), ..Default::default() }).unwrap().id
    };
    let (o1, o2) = (org("Org One"), org("Org Two"));
    let person = |name: &str, gender: Option<&str>, country: Option<&str>, org: Option<i64>| {
        people::create(
            c,
            &PersonInput {
                full_name: name.into(),
                gender: gender.map(Into::into),
                country: country.map(Into::into),
                organisation_id: org,
                ..Default::default()
            },
        )
        .unwrap()
        .id
    };
    let a = person("Anna", Some("Female"), Some("UA"), Some(o1));
    let b = person("Bela", Some("female"), Some("GE"), Some(o1));
    let cc = person("Cem", None, None, None);
    let d = person("Dana", Some("Non-Binary"), Some("UA"), Some(o2));
    let e = person("Eli", Some("non-binary"), Some("GE"), Some(o2));
    let f = person("Fox", None, Some("UA"), None);
    // A gender stored as an empty string (as an older import might have) counts as not stated.
    c.execute("UPDATE people SET gender = '' WHERE id = ?1", [f]).unwrap();
    let g = person("Gia", Some("Not stated"), Some("MD"), None);
    // An id far beyond the others: the reports' per-person counters must not assume dense ids.
    let h = 5_000_000i64;
    c.execute(
        "INSERT INTO people (id, uid, full_name, country, gender, name_key, search_key, created_at, updated_at)
         VALUES (?1, '0190a0a0-0000-7000-8000-000000000001', 'Hana', 'MD', 'non-binary', 'hana', 'hana', '2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z')",
        [h],
    )
    .unwrap();
    let set = |event_id: i64, person_id: i64, role: &str, status: &str, minutes: Option<i64>| {
        attendance::set(
            c,
            &AttendanceInput { event_id, person_id, role: Some(role.into()), status: Some(status.into()), minutes },
        )
        .unwrap();
    };
    set(e1, a, "participant", "attended", Some(60));
    set(e2, a, "speaker", "attended", Some(20));
    set(e3, a, "participant", "attended", None);
    set(e1, b, "participant", "attended", Some(45));
    set(e2, b, "participant", "registered", None);
    set(e1, cc, "participant", "absent", None);
    set(e3, cc, "participant", "attended", Some(90));
    set(e2, d, "participant", "attended", Some(10));
    set(e3, e, "participant", "attended", Some(30));
    set(e1, h, "participant", "attended", Some(5));
    set(e1, f, "participant", "attended", Some(120));
    set(e3, g, "participant", "cancelled", None);
    set(e4, a, "participant", "attended", Some(500));
    Hand { t, project: p, e1, e2, e3, a, b }
}

#[test]
fn summary_counts_people_once_and_roles_once_each() {
    let mut h = hand_built();
    let s = reports::project_summary(&mut h.t.conn, h.project, &SummaryOptions::default()).unwrap();
    assert_eq!((s.events, s.attendances, s.unique_people, s.unique_organisations), (3, 9, 7, 2));
    // Minutes known for 8 of the 9 attendances: 60 + 20 + 45 + 90 + 10 + 30 + 5 + 120.
    assert_eq!((s.total_minutes, s.average_minutes), (380, Some(47.5)));
    assert_eq!(pairs(&s.events_by_kind), vec![("meeting", 1), ("training", 1), ("webinar", 1)]);
    // "Female"/"female" and "Non-Binary"/"non-binary" (even Hana's, written around the core) map to their
    // categories, shown in the categories' order; NULL and '' are "not stated", and so is "Not stated"
    // (Gia's record is cancelled, so she is not counted at all).
    assert_eq!(pairs(&s.people_by_gender), vec![("woman", 2), ("non-binary", 3), ("not stated", 2)]);
    let gender_keys: Vec<&str> = s.people_by_gender.iter().map(|b| b.key.as_str()).collect();
    assert_eq!(gender_keys, ["woman", "non_binary", ""]);
    assert_eq!(pairs(&s.people_by_country), vec![("UA", 3), ("GE", 2), ("MD", 1), ("not stated", 1)]);
    assert_eq!(pairs(&s.people_by_organisation), vec![("Org One", 2), ("Org Two", 2), ("no organisation", 3)]);
    // Anna was a participant twice and a speaker once: once in each role.
    assert_eq!(pairs(&s.people_by_role), vec![("participant", 7), ("speaker", 1)]);
    let per_event: Vec<(i64, i64)> = s.attendance_by_event.iter().map(|e| (e.event_id, e.attended)).collect();
    assert_eq!(per_event, vec![(h.e1, 4), (h.e2, 2), (h.e3, 3)]);
}

#[test]
fn date_ranges_use_the_local_start_date_inclusively() {
    let mut h = hand_built();
    // (from, to, events, attendances, people). The night training starts on 2024-03-15 in Kyiv, which
    // is still 2024-03-14 in UTC: it belongs to the 15th.
    type Case<'a> = (Option<&'a str>, Option<&'a str>, i64, i64, i64);
    let cases: &[Case] = &[
        (Some("2024-03-15"), Some("2024-03-15"), 1, 2, 2),
        (None, Some("2024-03-14"), 1, 4, 4),
        (Some("2024-03-01"), Some("2024-03-01"), 1, 4, 4),
        (Some("2024-03-02"), Some("2024-04-01"), 2, 5, 4),
        (Some("2024-04-02"), None, 0, 0, 0),
        (Some("2024-01-01"), Some("2024-12-31"), 3, 9, 7),
    ];
    for &(from, to, events, attendances, people) in cases {
        let opts = SummaryOptions { from: from.map(Into::into), to: to.map(Into::into) };
        let s = reports::project_summary(&mut h.t.conn, h.project, &opts).unwrap();
        assert_eq!((s.events, s.attendances, s.unique_people), (events, attendances, people), "{from:?}..{to:?}");
        assert_eq!((s.from.as_deref(), s.to.as_deref()), (from, to));
    }
    let backwards = SummaryOptions { from: Some("2024-05-01".into()), to: Some("2024-04-01".into()) };
    assert_eq!(reports::project_summary(&mut h.t.conn, h.project, &backwards).unwrap_err().kind(), "invalid");
    let bad = SummaryOptions { from: Some("1 March".into()), to: None };
    assert_eq!(reports::project_summary(&mut h.t.conn, h.project, &bad).unwrap_err().kind(), "invalid");
    assert_eq!(
        reports::project_summary(&mut h.t.conn, 999, &SummaryOptions::default()).unwrap_err().kind(),
        "not_found"
    );
}

#[test]
fn donor_table_thresholds() {
    let mut h = hand_built();
    let d = reports::donor_table(&mut h.t.conn, h.project, &DonorOptions::default()).unwrap();
    let columns: Vec<(&str, &str)> = d.columns.iter().map(|c| (c.key.as_str(), c.label.as_str())).collect();
    assert_eq!(columns, [("GE", "GE"), ("MD", "MD"), ("UA", "UA"), ("", "not stated")]);
    let rows: Vec<(&str, Vec<i64>, i64)> =
        d.rows.iter().map(|r| (r.label.as_str(), r.counts.clone(), r.total)).collect();
    assert_eq!(
        rows,
        vec![("woman", vec![1, 0, 1, 0], 2), ("non-binary", vec![1, 1, 1, 0], 3), ("not stated", vec![0, 0, 1, 1], 2),]
    );
    assert_eq!((d.column_totals.clone(), d.total), (vec![2, 1, 3, 1], 7));

    // (min_minutes, min_events, people counted). An attendance qualifies with minutes >= min_minutes
    // (unknown minutes never do); a person needs min_events qualifying attendances.
    let cases: &[(Option<i64>, Option<i64>, i64)] = &[
        (Some(30), None, 5),    // Anna 60, Bela 45, Cem 90, Eli 30 (the border), Fox 120
        (Some(31), None, 4),    // Eli's 30 no longer reaches
        (None, Some(2), 1),     // only Anna attended twice (three times)
        (Some(15), Some(2), 1), // Anna: 60 and 20 qualify
        (Some(30), Some(2), 0), // Anna: only 60 qualifies (20 is short, the third is unknown)
        (None, Some(4), 0),
        (Some(0), Some(0), 7), // zero thresholds are no thresholds
    ];
    for &(min_minutes, min_events, total) in cases {
        let opts = DonorOptions { min_minutes, min_events, ..Default::default() };
        let d = reports::donor_table(&mut h.t.conn, h.project, &opts).unwrap();
        assert_eq!(d.total, total, "{min_minutes:?} / {min_events:?}");
        assert_eq!(d.rows.iter().map(|r| r.total).sum::<i64>(), total);
        assert_eq!(d.column_totals.iter().sum::<i64>(), total);
        assert_eq!(d.options.min_minutes, min_minutes);
    }
    let negative = DonorOptions { min_minutes: Some(-1), ..Default::default() };
    assert_eq!(reports::donor_table(&mut h.t.conn, h.project, &negative).unwrap_err().kind(), "invalid");
    // A date range applies to the donor table too: the night training alone had Anna and Dana.
    let night = DonorOptions { from: Some("2024-03-15".into()), to: Some("2024-03-15".into()), ..Default::default() };
    assert_eq!(reports::donor_table(&mut h.t.conn, h.project, &night).unwrap().total, 2);
}

#[test]
fn reports_follow_every_change_to_attendance() {
    let mut h = hand_built();
    let summary = |conn: &mut Connection, project: i64| {
        let s = reports::project_summary(conn, project, &SummaryOptions::default()).unwrap();
        (s.attendances, s.unique_people, s.total_minutes)
    };
    assert_eq!(summary(&mut h.t.conn, h.project), (9, 7, 380));
    let stored: i64 = h.t.conn.query_row("SELECT count(*) FROM report_rosters", [], |r| r.get(0)).unwrap();
    assert_eq!(stored, 3, "the first report stores the rosters of the project's events");

    // Each change below must reach the next report, through the rosters' triggers.
    attendance::set(
        &h.t.conn,
        &AttendanceInput {
            event_id: h.e2,
            person_id: h.b,
            status: Some("attended".into()),
            minutes: Some(40),
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(summary(&mut h.t.conn, h.project), (10, 7, 420));
    attendance::set(
        &h.t.conn,
        &AttendanceInput { event_id: h.e1, person_id: h.a, minutes: Some(70), ..Default::default() },
    )
    .unwrap();
    assert_eq!(summary(&mut h.t.conn, h.project), (10, 7, 430));
    attendance::remove(&h.t.conn, h.e2, h.b).unwrap();
    assert_eq!(summary(&mut h.t.conn, h.project), (9, 7, 390));
    // Deleting a person deletes their attendance by cascade, which must reach the rosters too.
    people::delete(&mut h.t.conn, h.a, true).unwrap();
    assert_eq!(summary(&mut h.t.conn, h.project), (6, 6, 300));
    events::delete(&mut h.t.conn, h.e3, true).unwrap();
    assert_eq!(summary(&mut h.t.conn, h.project), (4, 4, 180));
    let left: i64 =
        h.t.conn.query_row("SELECT count(*) FROM report_rosters WHERE event_id = ?1", [h.e3], |r| r.get(0)).unwrap();
    assert_eq!(left, 0);
    // A damaged roster is rebuilt rather than trusted.
    h.t.conn.execute("UPDATE report_rosters SET data = x'09' WHERE event_id = ?1", [h.e1]).unwrap();
    assert_eq!(summary(&mut h.t.conn, h.project), (4, 4, 180));

    // People's attributes are cached too: changing them, adding someone or deleting an organisation
    // (which clears its people's organisation) reaches the next report.
    let genders = |conn: &mut Connection, project: i64| {
        let s = reports::project_summary(conn, project, &SummaryOptions::default()).unwrap();
        (
            pairs(&s.people_by_gender).iter().map(|(l, n)| (l.to_string(), *n)).collect::<Vec<_>>(),
            s.unique_organisations,
        )
    };
    let stored: i64 = h.t.conn.query_row("SELECT count(*) FROM report_people", [], |r| r.get(0)).unwrap();
    assert_eq!(stored, 1);
    // Left: Bela (female, Org One), Dana (Non-Binary, Org Two), Hana (non-binary), Fox ('').
    assert_eq!(
        genders(&mut h.t.conn, h.project),
        (vec![("woman".into(), 1), ("non-binary".into(), 2), ("not stated".into(), 1)], 2)
    );
    h.t.conn.execute("UPDATE people SET gender = 'man' WHERE id = ?1", [h.b]).unwrap();
    assert_eq!(
        genders(&mut h.t.conn, h.project),
        (vec![("man".into(), 1), ("non-binary".into(), 2), ("not stated".into(), 1)], 2)
    );
    let org_one: i64 = id_of(&h.t.conn, "SELECT id FROM organisations WHERE name = ?1", "Org One");
    organisations::delete(&mut h.t.conn, org_one, true).unwrap();
    assert_eq!(genders(&mut h.t.conn, h.project).1, 1);
    let newcomer = people::create(
        &h.t.conn,
        &PersonInput { full_name: "Newcomer".into(), gender: Some("agender".into()), ..Default::default() },
    )
    .unwrap()
    .id;
    attendance::set(
        &h.t.conn,
        &AttendanceInput { event_id: h.e2, person_id: newcomer, minutes: Some(5), ..Default::default() },
    )
    .unwrap();
    assert_eq!(
        genders(&mut h.t.conn, h.project).0,
        vec![("man".into(), 1), ("non-binary".into(), 2), ("self-described".into(), 1), ("not stated".into(), 1)]
    );
    assert_eq!(summary(&mut h.t.conn, h.project), (5, 5, 185));

    // Another connection's change is seen as well.
    let other = rollcall_core::open::open(&h.t.path).unwrap();
    attendance::set(
        &other,
        &AttendanceInput { event_id: h.e1, person_id: h.b, minutes: Some(50), ..Default::default() },
    )
    .unwrap();
    assert_eq!(summary(&mut h.t.conn, h.project), (5, 5, 190));
}

#[test]
fn list_reports_edge_cases() {
    let h = hand_built();
    let l = reports::event_attendance(&h.t.conn, h.e1).unwrap();
    assert_eq!((l.rows.len(), l.attended), (5, 4));
    let history = reports::person_history(&h.t.conn, h.a).unwrap();
    // Anna: three events of the hand-built project and one of the other project.
    assert_eq!((history.events_attended, history.projects, history.total_minutes), (4, 2, 580));
    let org = id_of(&h.t.conn, "SELECT id FROM organisations WHERE name = ?1", "Org One");
    let o = reports::organisation_participation(&h.t.conn, org).unwrap();
    // Anna's four records and Bela's two (one of them only registered).
    assert_eq!((o.rows.len(), o.attendances, o.people, o.events), (6, 5, 2, 4));
    let empty = project(&h.t.conn, "No events yet");
    let mut conn = h.t.conn;
    let s = reports::project_summary(&mut conn, empty, &SummaryOptions::default()).unwrap();
    assert_eq!((s.events, s.attendances, s.unique_people, s.average_minutes), (0, 0, 0, None));
    assert!(s.people_by_gender.is_empty() && s.attendance_by_event.is_empty());
    let d = reports::donor_table(&mut conn, empty, &DonorOptions::default()).unwrap();
    assert!(d.rows.is_empty() && d.columns.is_empty());
    assert_eq!(d.total, 0);
    assert_eq!(reports::event_attendance(&conn, 999).unwrap_err().kind(), "not_found");
    assert_eq!(reports::person_history(&conn, 999).unwrap_err().kind(), "not_found");
    assert_eq!(reports::organisation_participation(&conn, 999).unwrap_err().kind(), "not_found");
    assert_eq!(reports::partners(&conn, 999).unwrap_err().kind(), "not_found");
    assert!(projects::get(&conn, empty).is_ok());
}

#[test]
fn report_json_field_names_are_stable() {
    let mut h = hand_built();
    let s = reports::project_summary(&mut h.t.conn, h.project, &SummaryOptions::default()).unwrap();
    let v = serde_json::to_value(&s).unwrap();
    let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        [
            "project_id",
            "project_name",
            "from",
            "to",
            "events",
            "events_by_kind",
            "attendances",
            "unique_people",
            "unique_organisations",
            "total_minutes",
            "average_minutes",
            "people_by_country",
            "people_by_gender",
            "people_by_organisation",
            "people_by_role",
            "attendance_by_event",
        ]
    );
    assert_eq!(v["people_by_country"][0], serde_json::json!({ "key": "UA", "label": "UA", "count": 3 }));
    assert_eq!(v["attendance_by_event"][0]["date"], "2024-03-01");
    let d = serde_json::to_value(reports::donor_table(&mut h.t.conn, h.project, &DonorOptions::default()).unwrap())
        .unwrap();
    let keys: Vec<&str> = d.as_object().unwrap().keys().map(String::as_str).collect();
    // rows_dimension and columns_dimension came with issue #15; the older keys are unchanged.
    assert_eq!(
        keys,
        [
            "project_id",
            "project_name",
            "options",
            "rows_dimension",
            "columns_dimension",
            "columns",
            "rows",
            "column_totals",
            "total"
        ]
    );
    assert_eq!(d["rows"][1]["counts"], serde_json::json!([1, 1, 1, 0]));
}

/// What erasure must not change in a summary: (events, attendances, unique people, total minutes,
/// average minutes, attendance per event).
type Totals = (i64, i64, i64, i64, Option<f64>, Vec<(i64, i64)>);

fn totals(s: &reports::ProjectSummary) -> Totals {
    let per_event = s.attendance_by_event.iter().map(|e| (e.event_id, e.attended)).collect();
    (s.events, s.attendances, s.unique_people, s.total_minutes, s.average_minutes, per_event)
}

#[test]
fn erased_people_keep_the_totals_of_summaries_and_donor_tables_as_an_erased_line() {
    let mut h = hand_built();
    let ranges: &[(Option<&str>, Option<&str>)] = &[
        (None, None),
        (Some("2024-03-15"), Some("2024-03-15")),
        (None, Some("2024-03-14")),
        (Some("2024-03-02"), Some("2024-04-01")),
        (Some("2024-04-02"), None),
    ];
    let summaries = |conn: &mut Connection| -> Vec<Totals> {
        ranges
            .iter()
            .map(|(from, to)| {
                let opts = SummaryOptions { from: from.map(Into::into), to: to.map(Into::into) };
                totals(&reports::project_summary(conn, h.project, &opts).unwrap())
            })
            .collect()
    };
    let before = summaries(&mut h.t.conn);
    let donor_before = reports::donor_table(&mut h.t.conn, h.project, &DonorOptions::default()).unwrap();

    // Anna attended all three events (once as speaker, once without minutes) and an event of the other
    // project; Bela attended the first and registered for the second.
    rollcall_core::privacy::erase_people(&mut h.t.conn, &[h.a, h.b]).unwrap();

    // Every range keeps its figures: whole project, one event, and ranges that leave out some of the
    // erased records (where the count of erased people is the least it can be, here exact).
    assert_eq!(summaries(&mut h.t.conn), before);
    let s = reports::project_summary(&mut h.t.conn, h.project, &SummaryOptions::default()).unwrap();
    let erased = Breakdown { key: reports::ERASED.into(), label: reports::ERASED_LABEL.into(), count: 2 };
    for lines in [&s.people_by_country, &s.people_by_gender, &s.people_by_organisation, &s.people_by_role] {
        assert_eq!(lines.last(), Some(&erased), "the erased line comes last");
    }
    assert_eq!(
        pairs(&s.people_by_country),
        vec![("UA", 2), ("GE", 1), ("MD", 1), ("not stated", 1), (reports::ERASED_LABEL, 2)]
    );
    assert_eq!(s.people_by_gender.iter().map(|b| b.count).sum::<i64>(), 7);
    assert_eq!(pairs(&s.people_by_role), vec![("participant", 5), (reports::ERASED_LABEL, 2)]);
    // Org One had only Anna and Bela: who they were with is gone, so it is no longer counted.
    assert_eq!(s.unique_organisations, 1);

    let d = reports::donor_table(&mut h.t.conn, h.project, &DonorOptions::default()).unwrap();
    assert_eq!(d.total, donor_before.total);
    let columns: Vec<&str> = d.columns.iter().map(|c| c.key.as_str()).collect();
    assert_eq!(columns, ["GE", "MD", "UA", "", reports::ERASED]);
    let last = d.rows.last().unwrap();
    assert_eq!(
        (last.key.as_str(), last.label.as_str(), last.counts.clone(), last.total),
        (reports::ERASED, reports::ERASED_LABEL, vec![0, 0, 0, 0, 2], 2)
    );
    assert_eq!(d.column_totals, vec![1, 1, 2, 1, 2]);
    assert!(d.rows.iter().all(|r| r.counts.len() == d.columns.len()));
    // How many events or minutes each erased person had is not kept: with thresholds they do not count.
    let twice =
        reports::donor_table(&mut h.t.conn, h.project, &DonorOptions { min_events: Some(2), ..Default::default() })
            .unwrap();
    assert_eq!((twice.total, twice.rows.len(), twice.columns.len()), (0, 0, 0));

    // The other project's figures stay too (Anna's 500 minutes there).
    let other = project_id(&h.t.conn, "Other project");
    let o = reports::project_summary(&mut h.t.conn, other, &SummaryOptions::default()).unwrap();
    assert_eq!((o.attendances, o.unique_people, o.total_minutes), (1, 1, 500));
}

#[test]
fn erasing_from_the_sample_keeps_the_project_totals() {
    let mut t = new_db();
    sample::load(&mut t.conn).unwrap();
    let iss = project_id(&t.conn, sample::PROJECT_NAME);
    let before = reports::project_summary(&mut t.conn, iss, &SummaryOptions::default()).unwrap();
    let attendee: i64 = t
        .conn
        .query_row(
            "SELECT a.person_id FROM attendance a JOIN events e ON e.id = a.event_id WHERE e.project_id = ?1 AND a.status = 'attended' ORDER BY a.person_id LIMIT 1",
            [iss],
            |r| r.get(0),
        )
        .unwrap();
    rollcall_core::privacy::erase_person(&mut t.conn, attendee).unwrap();
    let after = reports::project_summary(&mut t.conn, iss, &SummaryOptions::default()).unwrap();
    assert_eq!(totals(&after), totals(&before));
    assert_eq!((after.attendances, after.unique_people), (53, 53));
    assert_eq!(reports::donor_table(&mut t.conn, iss, &DonorOptions::default()).unwrap().total, 53);
}
