//! .xlsx exports (`export::xlsx`), read back with calamine and compared with the CSV export of the same
//! data: the same rows in the same order (the sheets of a report one after another), numbers typed as
//! numbers and dates as dates, Cyrillic and Georgian intact, text that starts like a formula stored as a
//! string (never a formula), a title row naming the project and period, and refusals that write nothing.

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

use calamine::{open_workbook, Data, Reader, Xlsx};
use rollcall_core::attendance::{self, AttendanceInput};
use rollcall_core::events::{self, EventInput};
use rollcall_core::export::csv::neutralise;
use rollcall_core::export::xlsx::serial;
use rollcall_core::export::{self, ExportFormat, ExportOptions};
use rollcall_core::indicators::{self, IndicatorInput, IndicatorOptions};
use rollcall_core::organisations::{self, OrganisationInput};
use rollcall_core::people::{self, PersonInput};
use rollcall_core::progress::Progress;
use rollcall_core::reports::{DonorOptions, SummaryOptions};
use rollcall_core::stress::{self, StressSpec};
use rollcall_core::{sample, Error};

use crate::support::{new_db, project, TestDb};

/// One sheet read back: its name, its title (row 1), its header (row 2) and its data rows.
struct SheetBack {
    name: String,
    title: String,
    header: Vec<String>,
    rows: Vec<Vec<Data>>,
}

fn read_xlsx(path: &Path) -> Vec<SheetBack> {
    let mut book: Xlsx<_> = open_workbook(path).unwrap();
    let names = book.sheet_names();
    names
        .into_iter()
        .map(|name| {
            let range = book.worksheet_range(&name).unwrap();
            // Formulas are never written: every cell's formula is empty.
            let formulas = book.worksheet_formula(&name).unwrap();
            assert!(formulas.cells().all(|(_, _, f)| f.is_empty()), "{name}: a formula was written");
            let width = range.width();
            let mut rows = range.rows().map(|r| r.to_vec());
            let title = rows.next().map(|r| r[0].to_string()).unwrap_or_default();
            let header: Vec<String> =
                rows.next().unwrap().iter().map(|c| c.to_string()).filter(|h| !h.is_empty()).collect();
            let columns = header.len();
            let rows = rows
                .map(|mut r| {
                    r.resize(width.max(columns), Data::Empty);
                    r.truncate(columns);
                    r
                })
                .collect();
            SheetBack { name, title, header, rows }
        })
        .collect()
}

fn read_csv(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let bytes = std::fs::read(path).unwrap();
    let mut reader = csv::ReaderBuilder::new().from_reader(&bytes[3..]);
    let header = reader.headers().unwrap().iter().map(String::from).collect();
    let rows = reader.records().map(|r| r.unwrap().iter().map(String::from).collect()).collect();
    (header, rows)
}

/// Whether a workbook cell holds what the CSV cell says: text (the CSV makes formula-looking text inert
/// with a quote), a number printed the same, or a date at the same instant.
fn same_cell(x: &Data, csv: &str) -> bool {
    match x {
        Data::Empty => csv.is_empty(),
        Data::String(s) => neutralise(s) == csv,
        Data::Float(f) => csv.parse::<f64>().is_ok_and(|c| (c - f).abs() < 1e-9),
        Data::Int(i) => csv == i.to_string(),
        Data::DateTime(d) => serial(csv).is_some_and(|(s, _)| (s - d.as_f64()).abs() < 1e-6),
        other => panic!("unexpected cell {other:?}"),
    }
}

/// Exports with `run` to CSV and to .xlsx in `dir` and checks that the workbook holds the CSV's rows,
/// cell for cell (the sheets of a report one after another). Returns the workbook's sheets.
fn compare(
    dir: &Path,
    name: &str,
    base: &ExportOptions,
    mut run: impl FnMut(&Path, &ExportOptions) -> rollcall_core::Result<u64>,
) -> Vec<SheetBack> {
    let csv_path = dir.join(format!("{name}.csv"));
    let xlsx_path = dir.join(format!("{name}.xlsx"));
    let n_csv = run(&csv_path, base).unwrap();
    // The extension decides; asking for the format explicitly gives the same file.
    let n_xlsx = run(&xlsx_path, &ExportOptions { format: Some(ExportFormat::Xlsx), ..base.clone() }).unwrap();
    assert_eq!(n_csv, n_xlsx, "{name}: rows written");
    assert!(std::fs::read(&xlsx_path).unwrap().starts_with(b"PK\x03\x04"), "{name}: a zip");
    let (header, rows) = read_csv(&csv_path);
    let sheets = read_xlsx(&xlsx_path);
    let mut xrows = Vec::new();
    for s in &sheets {
        assert_eq!(s.header, header, "{name}: header of sheet {}", s.name);
        xrows.extend(s.rows.iter().cloned());
    }
    assert_eq!(xrows.len(), rows.len(), "{name}: rows");
    for (i, (x, c)) in xrows.iter().zip(&rows).enumerate() {
        assert_eq!(x.len(), c.len(), "{name}: row {i}");
        for (j, (xc, cc)) in x.iter().zip(c).enumerate() {
            assert!(same_cell(xc, cc), "{name}: row {i}, column {}: xlsx {xc:?}, csv {cc:?}", header[j]);
        }
    }
    sheets
}

fn column(s: &SheetBack, name: &str) -> usize {
    s.header.iter().position(|h| h == name).unwrap_or_else(|| panic!("no column {name}"))
}

fn sample_db() -> (TestDb, i64) {
    let mut t = new_db();
    sample::load(&mut t.conn).unwrap();
    let iss: i64 =
        t.conn.query_row("SELECT id FROM projects WHERE name = ?1", [sample::PROJECT_NAME], |r| r.get(0)).unwrap();
    (t, iss)
}

#[test]
fn every_export_writes_the_csv_rows_as_typed_cells() {
    let (mut t, iss) = sample_db();
    let webinar: i64 = t.conn.query_row("SELECT id FROM events WHERE kind = 'webinar'", [], |r| r.get(0)).unwrap();
    let person: i64 = t.conn.query_row("SELECT id FROM people ORDER BY id LIMIT 1", [], |r| r.get(0)).unwrap();
    let org: i64 = t.conn.query_row("SELECT id FROM organisations ORDER BY id LIMIT 1", [], |r| r.get(0)).unwrap();
    indicators::add(
        &t.conn,
        iss,
        &IndicatorInput {
            name: "Women reached".into(),
            filter: Some("gender=woman".into()),
            target: Some(40.0),
            ..Default::default()
        },
    )
    .unwrap();

    let dir = t.dir.path().to_path_buf();
    let plain = ExportOptions::default();
    let sheets =
        compare(&dir, "event", &plain, |p, o| export::event_attendance(&t.conn, webinar, p, o, &Progress::none()));
    let s = &sheets[0];
    assert_eq!(s.name, "Attendance");
    assert!(s.title.starts_with(sample::PROJECT_NAME) && s.title.contains("2022-06-28"), "{}", s.title);
    assert_eq!(s.rows.len(), 57);
    // Numbers are numbers, dates are dates, and names in any script are intact.
    let row = &s.rows[0];
    assert!(matches!(row[column(s, "event_id")], Data::Float(_)));
    assert!(matches!(row[column(s, "person_id")], Data::Float(_)));
    assert!(matches!(row[column(s, "event_date")], Data::DateTime(_)));
    assert!(matches!(row[column(s, "starts_at")], Data::DateTime(_)));
    assert!(s.rows.iter().any(|r| matches!(r[column(s, "minutes")], Data::Float(m) if m > 0.0)));
    let names: Vec<String> = s.rows.iter().map(|r| r[column(s, "name")].to_string()).collect();
    assert!(names.iter().any(|n| n == "ნინო ბერიძე"), "{names:?}");
    assert!(names.iter().any(|n| n.chars().any(|c| ('\u{0400}'..='\u{04FF}').contains(&c))), "{names:?}");

    compare(&dir, "project", &plain, |p, o| export::project_attendance(&t.conn, iss, p, o, &Progress::none()));
    compare(&dir, "people", &plain, |p, o| export::people(&t.conn, p, o, &Progress::none()));
    compare(&dir, "history", &plain, |p, o| export::person_history(&t.conn, person, p, o, &Progress::none()));
    compare(&dir, "org", &plain, |p, o| export::organisation_participation(&t.conn, org, p, o, &Progress::none()));
    // Pseudonymous exports are the same in both formats: codes, no names or emails.
    let pseudonymous = ExportOptions { pseudonymous: true, ..Default::default() };
    let sheets = compare(&dir, "pseudonymous", &pseudonymous, |p, o| {
        export::project_attendance(&t.conn, iss, p, o, &Progress::none())
    });
    assert_eq!(sheets[0].header[8], "person_code");
    assert!(!sheets[0].header.iter().any(|h| h == "name" || h == "email"));
    let sheets =
        compare(&dir, "people_pseudonymous", &pseudonymous, |p, o| export::people(&t.conn, p, o, &Progress::none()));
    assert!(sheets[0].rows.iter().all(|r| r[0].to_string().starts_with("P-")));

    let period = SummaryOptions { from: Some("2022-01-01".into()), to: Some("2022-12-31".into()) };
    let summary = compare(&dir, "summary", &plain, |p, o| {
        export::project_summary(&mut t.conn, iss, &period, p, o, &Progress::none())
    });
    let names: Vec<&str> = summary.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "Project",
            "Totals",
            "Events by kind",
            "People by country",
            "People by gender",
            "People by organisation",
            "People by role",
            "Attendance by event"
        ]
    );
    assert!(summary[1].title.contains("2022-01-01 to 2022-12-31"), "{}", summary[1].title);
    let average = summary[1].rows.iter().find(|r| r[1] == Data::String("average_minutes".into())).unwrap();
    assert_eq!(average[4], Data::Float(76.5));
    let donor = compare(&dir, "donor", &plain, |p, o| {
        export::donor_table(&mut t.conn, iss, &DonorOptions::default(), p, o, &Progress::none())
    });
    assert_eq!(donor[0].rows[0][0], Data::String("woman".into()));
    assert_eq!(donor[0].rows[0][4], Data::Float(24.0));
    let indicators = compare(&dir, "indicators", &plain, |p, o| {
        export::indicators(&mut t.conn, iss, &IndicatorOptions::default(), p, o, &Progress::none())
    });
    assert_eq!(indicators[0].rows.len(), 1);
    assert_eq!(indicators[0].rows[0][6], Data::Float(40.0));
}

#[test]
fn issue17_formula_looking_text_is_stored_as_a_string() {
    let t = new_db();
    let p = project(&t.conn, "=HYPERLINK(\"http://evil\",\"Project\")");
    let e = events::create(
        &t.conn,
        &EventInput { project_id: p, title: "+1".into(), starts_at: "2024-05-01T10:00".into(), ..Default::default() },
    )
    .unwrap()
    .id;
    let org = organisations::create(&t.conn, &OrganisationInput { name: "@SUM(A1)".into(), ..Default::default() })
        .unwrap()
        .id;
    let names = ["=HYPERLINK(\"http://x\",\"click\")", "+1", "@SUM(A1)", "-2+3", "Олена Коваленко", "ნინო ბერიძე"];
    for name in names {
        let id = people::create(
            &t.conn,
            &PersonInput { full_name: name.into(), organisation_id: Some(org), ..Default::default() },
        )
        .unwrap()
        .id;
        attendance::set(
            &t.conn,
            &AttendanceInput { event_id: e, person_id: id, minutes: Some(30), ..Default::default() },
        )
        .unwrap();
    }
    let sheets = compare(t.dir.path(), "injection", &ExportOptions::default(), |path, o| {
        export::event_attendance(&t.conn, e, path, o, &Progress::none())
    });
    let s = &sheets[0];
    let written: Vec<Data> = s.rows.iter().map(|r| r[column(s, "name")].clone()).collect();
    for name in names {
        assert!(written.contains(&Data::String(name.into())), "{name} not a string in {written:?}");
    }
    assert!(s.rows.iter().all(|r| r[column(s, "event")] == Data::String("+1".into())));
    assert!(s.rows.iter().all(|r| r[column(s, "organisation")] == Data::String("@SUM(A1)".into())));
    assert!(s
        .rows
        .iter()
        .all(|r| r[column(s, "project")] == Data::String("=HYPERLINK(\"http://evil\",\"Project\")".into())));
    assert!(s.title.starts_with("=HYPERLINK"), "the title is text too: {}", s.title);
}

#[test]
fn a_format_that_disagrees_with_the_extension_is_refused_and_nothing_is_written() {
    let (t, iss) = sample_db();
    for (name, format) in
        [("list.csv", ExportFormat::Xlsx), ("list.xlsx", ExportFormat::Csv), ("list.ods", ExportFormat::Xlsx)]
    {
        let path = t.dir.path().join(name);
        let opts = ExportOptions { format: Some(format), ..Default::default() };
        match export::project_attendance(&t.conn, iss, &path, &opts, &Progress::none()) {
            Err(Error::Invalid { field, .. }) => assert_eq!(field, "path"),
            other => panic!("{name}: expected a refusal, got {other:?}"),
        }
        assert!(!path.exists(), "{name} was written");
    }
    // The database itself is refused as a destination in either format, before its name is looked at.
    for format in [ExportFormat::Csv, ExportFormat::Xlsx] {
        let opts = ExportOptions { format: Some(format), ..Default::default() };
        let before = std::fs::read(&t.path).unwrap().len();
        assert!(export::people(&t.conn, &t.path, &opts, &Progress::none()).is_err());
        assert_eq!(std::fs::read(&t.path).unwrap().len(), before);
    }
    let leftovers: Vec<_> = std::fs::read_dir(t.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn a_cancelled_xlsx_export_leaves_the_previous_file_and_no_temporary_file() {
    let mut t = new_db();
    let spec = StressSpec { seed: 7, projects: 1, organisations: 5, events: 20, people: 1000, attendances: 10_000 };
    let s = stress::generate(&mut t.conn, &spec).unwrap();
    let path = t.dir.path().join("attendance.xlsx");
    std::fs::write(&path, b"previous").unwrap();
    // Cancelled at the first progress report (after 8192 rows), while the workbook is being written.
    let cancel = AtomicBool::new(false);
    let report = |_: u64, _: u64| cancel.store(true, Ordering::Relaxed);
    let progress = Progress::new(&report, Some(&cancel));
    let err =
        export::project_attendance(&t.conn, s.project_ids[0], &path, &ExportOptions::default(), &progress).unwrap_err();
    assert!(matches!(err, Error::Cancelled), "{err:?}");
    assert_eq!(std::fs::read(&path).unwrap(), b"previous");
    let names: Vec<String> = std::fs::read_dir(t.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(!names.iter().any(|n| n.ends_with(".tmp")), "{names:?}");
    // Not cancelled, the 10,000 rows are all there.
    let n = export::project_attendance(&t.conn, s.project_ids[0], &path, &ExportOptions::default(), &Progress::none())
        .unwrap();
    assert_eq!(n, 10_000);
    assert_eq!(read_xlsx(&path)[0].rows.len(), 10_000);
}
