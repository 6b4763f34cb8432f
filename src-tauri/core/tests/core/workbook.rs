//! Importing workbooks (`import::workbook`): each .xlsx, .xls and .ods fixture gives the same attendance
//! (people, roles, statuses, minutes, organisations, countries) as the CSV it was made from, through the
//! same detection, mapping, preview, commit and undo; sheets are listed and chosen; password-protected,
//! damaged and misnamed files are refused with their reason, and nothing is written.

use std::path::PathBuf;

use rollcall_core::db::Connection;
use rollcall_core::events::{self, EventInput};
use rollcall_core::import::{self, Format, ImportOptions, MappingSource, Reason};
use rollcall_core::progress::Progress;
use rollcall_core::Error;

use crate::support::{fixtures, new_db, project, TestDb};

fn fixture(name: &str) -> PathBuf {
    fixtures().join("import").join(name)
}

fn event(conn: &Connection) -> i64 {
    let p = project(conn, "Excel in and out");
    events::create(
        conn,
        &EventInput {
            project_id: p,
            title: "Webinar".into(),
            starts_at: "2022-06-28T15:00".into(),
            ..Default::default()
        },
    )
    .unwrap()
    .id
}

/// The attendance of an event as the coordinator sees it, sorted.
fn attendance(conn: &Connection, event_id: i64) -> Vec<String> {
    let mut stmt = conn
        .prepare(
            "SELECT p.full_name, coalesce(p.email, ''), coalesce(o.name, ''), coalesce(p.country, ''), coalesce(p.gender, ''),
                    a.role, a.status, coalesce(a.minutes, -1), coalesce(a.first_join, ''), coalesce(a.last_leave, '')
               FROM attendance a JOIN people p ON p.id = a.person_id LEFT JOIN organisations o ON o.id = p.organisation_id
              WHERE a.event_id = ?1",
        )
        .unwrap();
    let mut rows: Vec<String> = stmt
        .query_map([event_id], |r| {
            Ok((0..10)
                .map(|i| format!("{:?}", r.get::<_, rollcall_core::rusqlite::types::Value>(i).unwrap()))
                .collect::<Vec<_>>()
                .join("|"))
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    rows.sort();
    rows
}

/// Imports `file` into a new database and returns its attendance and the report.
fn import(file: &str, options: &ImportOptions) -> (Vec<String>, import::ImportReport, TestDb) {
    let mut t = new_db();
    let e = event(&t.conn);
    let report = import::commit(&mut t.conn, e, &fixture(file), options, &[], &Progress::none())
        .unwrap_or_else(|err| panic!("{file}: {err}"));
    (attendance(&t.conn, e), report, t)
}

#[test]
fn issue17_workbooks_give_the_same_attendance_as_their_csv() {
    let registered = ImportOptions { status: Some("registered".into()), ..Default::default() };
    let named = |sheet: &str| ImportOptions { sheet: Some(sheet.into()), ..Default::default() };
    // (workbook, options, the CSV it was made from, format, sheet read)
    let cases: Vec<(&str, ImportOptions, &str, Format, &str)> = vec![
        (
            "zoom_meeting_plain.xlsx",
            ImportOptions::default(),
            "zoom_meeting_plain.csv",
            Format::named("zoom"),
            "Participants",
        ),
        (
            "zoom_meeting_plain_1904.xlsx",
            ImportOptions::default(),
            "zoom_meeting_plain.csv",
            Format::named("zoom"),
            "Participants",
        ),
        (
            "zoom_meeting_plain.ods",
            ImportOptions::default(),
            "zoom_meeting_plain.csv",
            Format::named("zoom"),
            "Participants",
        ),
        (
            "zoom_meeting_plain.xls",
            ImportOptions::default(),
            "zoom_meeting_plain.csv",
            Format::named("zoom"),
            "Participants",
        ),
        ("signin_uk.xlsx", ImportOptions::default(), "signin_uk_cp1251.csv", Format::GENERIC, "Реєстрація"),
        (
            "google_forms_registration.xlsx",
            registered.clone(),
            "google_forms_registration.csv",
            Format::GENERIC,
            "Form Responses 1",
        ),
        ("two_sheets.xlsx", ImportOptions::default(), "google_meet.csv", Format::named("meet"), "Attendance"),
        ("cover_sheet.xlsx", named("Attendance"), "google_meet.csv", Format::named("meet"), "Attendance"),
        ("cover_sheet.xlsx", named("2"), "google_meet.csv", Format::named("meet"), "Attendance"),
        ("cover_sheet.xlsx", named("attendance"), "google_meet.csv", Format::named("meet"), "Attendance"),
    ];
    for (workbook, options, csv, format, sheet) in cases {
        let csv_options = ImportOptions { sheet: None, ..options.clone() };
        let (expected, csv_report, _) = import(csv, &csv_options);
        let (got, report, _) = import(workbook, &options);
        assert!(!expected.is_empty(), "{csv}");
        assert_eq!(got, expected, "{workbook} against {csv}");
        assert_eq!(report.format, format, "{workbook}");
        assert_eq!(report.sheet.as_deref(), Some(sheet), "{workbook}");
        assert_eq!(csv_report.sheet, None);
        assert_eq!(report.rows, csv_report.rows, "{workbook}");
        assert_eq!(report.skipped_total, csv_report.skipped_total, "{workbook}");
        assert_eq!(report.file_name, workbook);
    }
}

#[test]
fn a_cell_holding_an_error_is_read_as_empty_and_warned_about_at_its_row_and_column() {
    let (_, report, _) = import("signin_uk.xlsx", &ImportOptions::default());
    let warning = report.warnings.iter().find(|w| matches!(w.why, Reason::CellError { .. })).expect("a warning");
    assert_eq!(warning.line, 8);
    assert_eq!(warning.why, Reason::CellError { column: "C".into(), error: "#N/A".into() });
    // The title row and the empty rows above the header are not people, and the empty row is not skipped.
    assert_eq!((report.rows, report.skipped_total), (5, 0));
    assert_eq!(report.mapping_source, Some(MappingSource::Guessed));
}

#[test]
fn a_workbook_is_previewed_undone_and_recognised_again_like_a_csv() {
    let mut t = new_db();
    let e = event(&t.conn);
    let path = fixture("signin_uk.xlsx");
    let before = attendance(&t.conn, e);
    let preview = import::preview(&t.conn, e, &path, &ImportOptions::default(), &Progress::none()).unwrap();
    assert_eq!(attendance(&t.conn, e), before);
    let first = import::commit(&mut t.conn, e, &path, &ImportOptions::default(), &[], &Progress::none()).unwrap();
    assert_eq!(
        (preview.people_created, preview.attendances_created),
        (first.people_created, first.attendances_created)
    );
    // The same sheet again: already imported.
    let again = import::commit(&mut t.conn, e, &path, &ImportOptions::default(), &[], &Progress::none()).unwrap();
    assert!(again.already_imported);
    // The CSV with the same header row finds the mapping the workbook's import confirmed.
    let e2 = events::create(
        &t.conn,
        &EventInput {
            project_id: 1,
            title: "Second".into(),
            starts_at: "2022-06-29T15:00".into(),
            ..Default::default()
        },
    )
    .unwrap()
    .id;
    let csv =
        import::preview(&t.conn, e2, &fixture("signin_uk_cp1251.csv"), &ImportOptions::default(), &Progress::none())
            .unwrap();
    assert_eq!(csv.mapping_source, Some(MappingSource::Remembered));
    import::undo(&mut t.conn, first.import_id.unwrap()).unwrap();
    assert_eq!(attendance(&t.conn, e), before);
}

#[test]
fn sheets_are_listed_with_their_rows_and_a_csv_has_none() {
    let sheets = import::sheets(&fixture("two_sheets.xlsx")).unwrap();
    let seen: Vec<(usize, &str, u64, bool, bool)> =
        sheets.iter().map(|s| (s.index, s.name.as_str(), s.rows, s.empty, s.visible)).collect();
    assert_eq!(seen, [(1, "Sheet1", 0, true, true), (2, "Attendance", 5, false, true)]);
    let cover = import::sheets(&fixture("cover_sheet.xlsx")).unwrap();
    assert_eq!(cover.iter().map(|s| s.empty).collect::<Vec<_>>(), [false, false]);
    assert!(import::sheets(&fixture("google_meet.csv")).unwrap().is_empty());
    assert_eq!(import::sheet_headers(&fixture("signin_uk.xlsx"), None).unwrap()[1], "ПІБ");
    assert_eq!(import::sheet_headers(&fixture("cover_sheet.xlsx"), Some("Attendance")).unwrap()[0], "First name");
    assert!(matches!(import::sheets(&fixture("bad_password.xlsx")), Err(Error::Parse { .. })));
}

#[test]
fn issue17_unreadable_workbooks_are_refused_with_their_reason_and_nothing_is_written() {
    let mut t = new_db();
    let e = event(&t.conn);
    let imports =
        |conn: &Connection| -> i64 { conn.query_row("SELECT count(*) FROM imports", [], |r| r.get(0)).unwrap() };
    let people =
        |conn: &Connection| -> i64 { conn.query_row("SELECT count(*) FROM people", [], |r| r.get(0)).unwrap() };
    // (file, sheet asked for, the sheet named in the error, words of the message)
    let cases: &[(&str, Option<&str>, Option<&str>, &str)] = &[
        ("bad_password.xlsx", None, None, "protected with a password"),
        ("bad_truncated.xlsx", None, None, "damaged or incomplete"),
        ("bad_workbook.xlsx", None, None, "damaged or incomplete"),
        ("bad_text_named.xlsx", None, None, "named .xlsx but is not a workbook: it holds plain text"),
        ("cover_sheet.xlsx", None, Some("Cover"), "other sheets: 2 \"Attendance\""),
        ("two_sheets.xlsx", Some("1"), None, "is empty"),
    ];
    for &(file, sheet, in_sheet, words) in cases {
        let options = ImportOptions { sheet: sheet.map(String::from), ..Default::default() };
        let path = fixture(file);
        for result in [
            import::preview(&t.conn, e, &path, &options, &Progress::none()).map(|_| ()),
            import::commit(&mut t.conn, e, &path, &options, &[], &Progress::none()).map(|_| ()),
        ] {
            match result {
                Err(err @ Error::Parse { .. }) => {
                    let Error::Parse { file: f, sheet: s, message, .. } = &err else { unreachable!() };
                    assert_eq!(f, file);
                    assert_eq!(s.as_deref(), in_sheet, "{file}: {err}");
                    assert!(message.contains(words), "{file}: {err}");
                    assert!(err.to_string().starts_with(file), "{err}");
                }
                other => panic!("{file}: expected a parse error, got {other:?}"),
            }
        }
    }
    // A sheet that is not there is an invalid choice, naming the sheets there are.
    let options = ImportOptions { sheet: Some("Registrations".into()), ..Default::default() };
    match import::preview(&t.conn, e, &fixture("cover_sheet.xlsx"), &options, &Progress::none()) {
        Err(Error::Invalid { field, message, .. }) => {
            assert_eq!(field, "sheet");
            assert!(message.contains("1 \"Cover\", 2 \"Attendance\""), "{message}");
        }
        other => panic!("expected an invalid sheet, got {other:?}"),
    }
    assert_eq!((imports(&t.conn), people(&t.conn)), (0, 0));
}

#[test]
fn a_parse_error_in_a_sheet_names_the_sheet_row_and_column_letter() {
    let err = Error::parse("signin.xlsx", Some(7), Some(3), "the cell cannot be read").in_sheet("Attendance");
    assert_eq!(err.to_string(), "signin.xlsx, sheet \"Attendance\", row 7, column C: the cell cannot be read");
    let csv = Error::parse("signin.csv", Some(7), Some(3), "the cell cannot be read");
    assert_eq!(csv.to_string(), "signin.csv, line 7, column 3: the cell cannot be read");
}
