//! CSV exports, read back with the csv crate: BOM and delimiters, quoting, formula cells made inert while
//! numbers and phone numbers stay intact, pseudonymous codes, and failed exports that leave nothing behind.

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

use rollcall_core::attendance::{self, AttendanceInput};
use rollcall_core::events::{self, EventInput};
use rollcall_core::export::csv::{neutralise, CsvFile, CsvOptions, Delimiter};
use rollcall_core::export::{self, ExportOptions, Pseudonyms};
use rollcall_core::organisations::{self, OrganisationInput};
use rollcall_core::people::{self, PersonInput};
use rollcall_core::progress::Progress;
use rollcall_core::reports::{DonorOptions, SummaryOptions};
use rollcall_core::stress::{self, StressSpec};
use rollcall_core::{sample, Error};

use crate::support::{new_db, project};

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Reads a CSV file back: (header, rows), after checking and removing the BOM when `bom` is set.
fn read(path: &Path, delimiter: u8, bom: bool) -> (Vec<String>, Vec<Vec<String>>) {
    let bytes = std::fs::read(path).unwrap();
    assert_eq!(bytes.starts_with(BOM), bom, "BOM present: {}", bytes.starts_with(BOM));
    let body = if bom { &bytes[3..] } else { &bytes[..] };
    let mut reader = csv::ReaderBuilder::new().delimiter(delimiter).from_reader(body);
    let header = reader.headers().unwrap().iter().map(String::from).collect();
    let rows = reader.records().map(|r| r.unwrap().iter().map(String::from).collect()).collect();
    (header, rows)
}

fn column(header: &[String], name: &str) -> usize {
    header.iter().position(|h| h == name).unwrap_or_else(|| panic!("no column {name} in {header:?}"))
}

fn temp_files(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect()
}

#[test]
fn neutralise_makes_formulas_inert_and_leaves_numbers_alone() {
    // (cell, written as)
    let cases: &[(&str, &str)] = &[
        ("=HYPERLINK(\"http://x\",\"click\")", "'=HYPERLINK(\"http://x\",\"click\")"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"),
        ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
        ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
        ("  =1+1", "'  =1+1"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        (" \t@x", "' \t@x"),
        ("-", "'-"),
        ("+", "'+"),
        ("+380 50 123 4567x", "'+380 50 123 4567x"),
        ("+1 (2)", "'+1 (2)"),
        // Left alone: plain text, numbers and phone numbers.
        ("-12", "-12"),
        ("-3.5", "-3.5"),
        ("-3,5", "-3,5"),
        ("+7", "+7"),
        ("+380 50 123 4567", "+380 50 123 4567"),
        ("+380501234567", "+380501234567"),
        ("+380 (50) 123-45-67", "+380 (50) 123-45-67"),
        ("Олена = Коваленко", "Олена = Коваленко"),
        ("a=b", "a=b"),
        ("", ""),
        ("   ", "   "),
        ("2022-06-28", "2022-06-28"),
    ];
    for (cell, expected) in cases {
        assert_eq!(neutralise(cell), *expected, "{cell:?}");
    }
}

#[test]
fn csv_file_quotes_and_round_trips_with_every_delimiter() {
    let dir = tempfile::tempdir().unwrap();
    let cells = [
        "plain",
        "with,comma",
        "with;semicolon",
        "with\ttab",
        "say \"hi\"",
        "line1\nline2",
        "cr\r\nlf",
        "Ірина Бондаренко",
        "ნინო ბერიძე",
        "-12",
        "+380 50 123 4567",
        "=1+1",
        "",
    ];
    // What the spreadsheet reads: formula-like cells gain the quote, the rest are unchanged.
    let expected: Vec<String> = cells.iter().map(|c| neutralise(c).into_owned()).collect();
    assert_eq!(expected[5], "line1\nline2");
    assert_eq!(expected[11], "'=1+1");
    for (delimiter, byte) in [(Delimiter::Comma, b','), (Delimiter::Semicolon, b';'), (Delimiter::Tab, b'\t')] {
        for bom in [true, false] {
            let path = dir.path().join(format!("cells-{byte}-{bom}.csv"));
            let mut f = CsvFile::create(&path, &CsvOptions { delimiter, bom }, &["a", "b"], None).unwrap();
            f.row(cells).unwrap();
            f.row(["last", "row"]).unwrap();
            assert_eq!(f.finish().unwrap(), 2);
            let bytes = std::fs::read(&path).unwrap();
            let body = if bom { &bytes[3..] } else { &bytes[..] };
            assert!(body.starts_with(if byte == b',' {
                b"a,b\r\n"
            } else if byte == b';' {
                b"a;b\r\n"
            } else {
                b"a\tb\r\n"
            }));
            assert!(body.ends_with(b"row\r\n"), "rows end with CRLF");
            let mut reader = csv::ReaderBuilder::new().delimiter(byte).flexible(true).from_reader(body);
            let rows: Vec<Vec<String>> =
                reader.records().map(|r| r.unwrap().iter().map(String::from).collect()).collect();
            assert_eq!(rows[0], expected, "{delimiter:?} bom={bom}");
            assert_eq!(rows[1], ["last", "row"]);
            assert_eq!(bytes.starts_with(BOM), bom);
        }
    }
    assert_eq!("semicolon".parse::<Delimiter>().unwrap(), Delimiter::Semicolon);
    assert_eq!(" TAB ".parse::<Delimiter>().unwrap(), Delimiter::Tab);
    assert_eq!("pipe".parse::<Delimiter>().unwrap_err().kind(), "invalid");
    assert_eq!(
        serde_json::to_value(CsvOptions::default()).unwrap(),
        serde_json::json!({ "delimiter": "comma", "bom": true })
    );
}

#[test]
fn an_unfinished_csv_file_leaves_the_previous_file_and_no_temporary_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("report.csv");
    std::fs::write(&path, "the good file").unwrap();
    {
        let mut f = CsvFile::create(&path, &CsvOptions::default(), &["x"], None).unwrap();
        f.row(["half"]).unwrap();
        assert_eq!(temp_files(dir.path()).len(), 1, "rows go to a temporary file beside the destination");
        // Dropped without finish, as on an error.
    }
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "the good file");
    assert!(temp_files(dir.path()).is_empty());
    let missing = dir.path().join("no-such-folder").join("x.csv");
    assert_eq!(CsvFile::create(&missing, &CsvOptions::default(), &["x"], None).err().map(|e| e.kind()), Some("io"));
}

#[test]
fn event_attendance_export_of_the_sample() {
    let mut t = new_db();
    sample::load(&mut t.conn).unwrap();
    let webinar: i64 = t.conn.query_row("SELECT id FROM events WHERE kind = 'webinar'", [], |r| r.get(0)).unwrap();
    let path = t.dir.path().join("webinar.csv");
    let n = export::event_attendance(&t.conn, webinar, &path, &ExportOptions::default(), &Progress::none()).unwrap();
    assert_eq!(n, 57);
    let bytes = std::fs::read(&path).unwrap();
    assert_eq!(bytes.windows(2).filter(|w| w == b"\r\n").count(), 58, "header and 57 rows, CRLF");
    let (header, rows) = read(&path, b',', true);
    assert_eq!(
        header,
        [
            "project_id",
            "project",
            "event_id",
            "event",
            "event_kind",
            "event_date",
            "starts_at",
            "timezone",
            "person_id",
            "name",
            "email",
            "organisation",
            "country",
            "gender",
            "role",
            "status",
            "minutes",
            "first_join",
            "last_leave",
        ]
    );
    assert_eq!(rows.len(), 57);
    let (name, role, status, minutes) =
        (column(&header, "name"), column(&header, "role"), column(&header, "status"), column(&header, "minutes"));
    let first: Vec<(&str, &str)> = rows.iter().take(3).map(|r| (r[name].as_str(), r[role].as_str())).collect();
    assert_eq!(
        first,
        [("Halyna Vovk", "organiser"), ("Nazarii Boiarskyi", "moderator"), ("Sasha Delemenchuk", "speaker")]
    );
    assert_eq!(rows[0][column(&header, "event_date")], "2022-06-28");
    assert_eq!(rows[0][column(&header, "starts_at")], "2022-06-28T15:00");
    assert_eq!(rows.iter().filter(|r| r[status] == "absent").count(), 4);
    assert!(rows
        .iter()
        .any(|r| r[name] == "ნინო ბერიძე" && r[column(&header, "email")] == "nino.beridze@tolerance.ge"));
    let total: i64 = rows.iter().filter(|r| !r[minutes].is_empty()).map(|r| r[minutes].parse::<i64>().unwrap()).sum();
    assert_eq!(total, 4053);

    // The same with semicolons and no BOM.
    let opts = ExportOptions { delimiter: Delimiter::Semicolon, bom: false, ..Default::default() };
    export::event_attendance(&t.conn, webinar, &path, &opts, &Progress::none()).unwrap();
    let (header2, rows2) = read(&path, b';', false);
    assert_eq!((header2, rows2), (header, rows));
}

#[test]
fn formula_names_are_neutralised_in_exports_and_numbers_kept() {
    let t = new_db();
    let p = project(&t.conn, "Injection");
    let e = events::create(
        &t.conn,
        &EventInput { project_id: p, title: "=1+1".into(), starts_at: "2024-05-01T10:00".into(), ..Default::default() },
    )
    .unwrap()
    .id;
    let org =
        organisations::create(&t.conn, &OrganisationInput { name: "+380 50 123 4567".into(), ..Default::default() })
            .unwrap()
            .id;
    let names =
        ["=HYPERLINK(\"http://x\",\"click\")", "@SUM(A1)", "=cmd|' /C calc'!A0", "-2+3", "Quote \"the\" name, please"];
    for name in names {
        let id = people::create(
            &t.conn,
            &PersonInput {
                full_name: name.into(),
                organisation_id: Some(org),
                gender: Some("-12".into()),
                ..Default::default()
            },
        )
        .unwrap()
        .id;
        attendance::set(
            &t.conn,
            &AttendanceInput { event_id: e, person_id: id, minutes: Some(0), ..Default::default() },
        )
        .unwrap();
    }
    let path = t.dir.path().join("injection.csv");
    export::event_attendance(&t.conn, e, &path, &ExportOptions::default(), &Progress::none()).unwrap();
    let (header, rows) = read(&path, b',', true);
    let written: Vec<&str> = rows.iter().map(|r| r[column(&header, "name")].as_str()).collect();
    for name in names {
        let expected = if name.starts_with('Q') { name.to_string() } else { format!("'{name}") };
        assert!(written.contains(&expected.as_str()), "{expected} not in {written:?}");
    }
    assert!(rows.iter().all(|r| r[column(&header, "event")] == "'=1+1"));
    assert!(rows.iter().all(|r| r[column(&header, "organisation")] == "+380 50 123 4567"));
    assert!(rows.iter().all(|r| r[column(&header, "gender")] == "-12"));
    assert!(rows.iter().all(|r| r[column(&header, "minutes")] == "0"));
}

#[test]
fn pseudonymous_exports_hold_codes_not_names_and_codes_are_stable() {
    let mut t = new_db();
    sample::load(&mut t.conn).unwrap();
    let iss: i64 =
        t.conn.query_row("SELECT id FROM projects WHERE name = ?1", [sample::PROJECT_NAME], |r| r.get(0)).unwrap();
    let opts = ExportOptions { pseudonymous: true, ..Default::default() };
    let first = t.dir.path().join("first.csv");
    let second = t.dir.path().join("second.csv");
    assert_eq!(export::project_attendance(&t.conn, iss, &first, &opts, &Progress::none()).unwrap(), 57);
    export::project_attendance(&t.conn, iss, &second, &opts, &Progress::none()).unwrap();
    let (header, rows) = read(&first, b',', true);
    assert!(header.contains(&"person_code".to_string()));
    for gone in ["person_id", "name", "email"] {
        assert!(!header.contains(&gone.to_string()), "{gone} in a pseudonymous header");
    }
    let code = column(&header, "person_code");
    let codes: Vec<&str> = rows.iter().map(|r| r[code].as_str()).collect();
    for c in &codes {
        assert!(c.len() == 12 && c.starts_with("P-"), "{c}");
        assert!(c[2..].bytes().all(|b| b.is_ascii_uppercase() || (b'2'..=b'7').contains(&b)), "{c}");
    }
    let distinct: std::collections::HashSet<&&str> = codes.iter().collect();
    assert_eq!(distinct.len(), 57);
    // Stable across exports of the same database.
    assert_eq!(std::fs::read(&first).unwrap(), std::fs::read(&second).unwrap());

    // No name or email of anyone appears anywhere in the file.
    let text = std::fs::read_to_string(&first).unwrap();
    let mut stmt = t.conn.prepare("SELECT full_name, email FROM people").unwrap();
    let people: Vec<(String, Option<String>)> =
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).unwrap().map(Result::unwrap).collect();
    assert_eq!(people.len(), 58);
    for (name, email) in &people {
        assert!(!text.contains(name.as_str()), "a name leaked");
        if let Some(email) = email {
            assert!(!text.contains(email.as_str()), "an email leaked");
        }
    }

    // The codes come from the secret kept in settings; the same person has the same code in every export.
    let secret: String =
        t.conn.query_row("SELECT value FROM settings WHERE key = 'pseudonym_secret'", [], |r| r.get(0)).unwrap();
    assert_eq!(secret.len(), 64);
    let nazarii_uid: String =
        t.conn.query_row("SELECT uid FROM people WHERE full_name = 'Nazarii Boiarskyi'", [], |r| r.get(0)).unwrap();
    let nazarii_code = Pseudonyms::load_or_create(&t.conn).unwrap().code(&nazarii_uid);
    assert!(codes.contains(&nazarii_code.as_str()));
    let people_file = t.dir.path().join("people.csv");
    assert_eq!(export::people(&t.conn, &people_file, &opts, &Progress::none()).unwrap(), 58);
    let (ph, pr) = read(&people_file, b',', true);
    assert_eq!(ph, ["person_code", "organisation", "country", "gender", "events_attended"]);
    let row = pr.iter().find(|r| r[0] == nazarii_code).expect("Nazarii's code in the people export");
    assert_eq!(row[4], "2");
    // Rows are ordered by code, so the order tells nothing about names.
    let people_codes: Vec<&String> = pr.iter().map(|r| &r[0]).collect();
    assert!(people_codes.windows(2).all(|w| w[0] < w[1]));
    let people_text = std::fs::read_to_string(&people_file).unwrap();
    assert!(people.iter().all(|(name, _)| !people_text.contains(name.as_str())));

    // Another database has another secret, so the same uid gets another code.
    let other = new_db();
    assert_ne!(Pseudonyms::load_or_create(&other.conn).unwrap().code(&nazarii_uid), nazarii_code);
    // A known secret gives a known code (HMAC-SHA256 of the uid, first 50 bits in base32).
    assert_eq!(Pseudonyms::with_secret(b"key").code("uid"), Pseudonyms::with_secret(b"key").code("uid"));
    assert_ne!(Pseudonyms::with_secret(b"key").code("uid"), Pseudonyms::with_secret(b"key2").code("uid"));
}

#[test]
fn people_history_and_organisation_exports() {
    let mut t = new_db();
    sample::load(&mut t.conn).unwrap();
    let path = t.dir.path().join("out.csv");
    assert_eq!(export::people(&t.conn, &path, &ExportOptions::default(), &Progress::none()).unwrap(), 58);
    let (header, rows) = read(&path, b',', true);
    assert_eq!(header, ["person_id", "name", "email", "organisation", "country", "gender", "events_attended"]);
    let nazarii = rows.iter().find(|r| r[1] == "Nazarii Boiarskyi").unwrap();
    assert_eq!((nazarii[3].as_str(), nazarii[6].as_str()), ("Human Rights Vector", "2"));
    assert_eq!(rows.iter().filter(|r| r[6] == "0").count(), 4, "the four absent people attended nothing");

    let nazarii_id: i64 = nazarii[0].parse().unwrap();
    assert_eq!(
        export::person_history(&t.conn, nazarii_id, &path, &ExportOptions::default(), &Progress::none()).unwrap(),
        2
    );
    let (header, rows) = read(&path, b',', true);
    assert_eq!(rows[0][column(&header, "event_date")], "2022-06-28");
    assert_eq!(rows[1][column(&header, "minutes")], "240");
    assert!(rows.iter().all(|r| r[column(&header, "name")] == "Nazarii Boiarskyi"));

    let hrv: i64 =
        t.conn.query_row("SELECT id FROM organisations WHERE name = 'Human Rights Vector'", [], |r| r.get(0)).unwrap();
    let opts = ExportOptions { delimiter: Delimiter::Tab, ..Default::default() };
    assert_eq!(export::organisation_participation(&t.conn, hrv, &path, &opts, &Progress::none()).unwrap(), 17);
    let (header, rows) = read(&path, b'\t', true);
    assert!(rows.iter().all(|r| r[column(&header, "organisation")] == "Human Rights Vector"));
    assert_eq!(rows.iter().filter(|r| r[column(&header, "status")] == "attended").count(), 16);
}

#[test]
fn report_exports() {
    let mut t = new_db();
    sample::load(&mut t.conn).unwrap();
    let iss: i64 =
        t.conn.query_row("SELECT id FROM projects WHERE name = ?1", [sample::PROJECT_NAME], |r| r.get(0)).unwrap();
    let path = t.dir.path().join("donor.csv");
    let n = export::donor_table(
        &mut t.conn,
        iss,
        &DonorOptions::default(),
        &path,
        &ExportOptions::default(),
        &Progress::none(),
    )
    .unwrap();
    assert_eq!(n, 5);
    let (header, rows) = read(&path, b',', true);
    assert_eq!(header, ["gender", "GE", "MD", "UA", "total"]);
    assert_eq!(rows[0], ["woman", "7", "7", "10", "24"]);
    assert_eq!(rows[3], ["not stated", "2", "1", "0", "3"]);
    assert_eq!(rows[4], ["total", "16", "16", "21", "53"]);

    let path = t.dir.path().join("summary.csv");
    let opts = SummaryOptions { from: Some("2022-01-01".into()), to: Some("2022-12-31".into()) };
    export::project_summary(&mut t.conn, iss, &opts, &path, &ExportOptions::default(), &Progress::none()).unwrap();
    let (header, rows) = read(&path, b',', true);
    assert_eq!(header, ["section", "key", "label", "date", "value"]);
    let find = |section: &str, key: &str| -> Vec<String> {
        rows.iter().find(|r| r[0] == section && r[1] == key).unwrap_or_else(|| panic!("{section}/{key}")).clone()
    };
    assert_eq!(find("project", "from")[3], "2022-01-01");
    assert_eq!(find("total", "unique_people")[4], "53");
    assert_eq!(find("total", "average_minutes")[4], "76.5");
    assert_eq!(find("people_by_country", "UA")[4], "21");
    assert_eq!(find("people_by_gender", "")[2], "not stated");
    let event = rows.iter().find(|r| r[0] == "attendance_by_event").unwrap();
    assert_eq!((event[3].as_str(), event[4].as_str()), ("2022-06-28", "53"));
}

#[test]
fn a_cancelled_export_leaves_the_previous_file_and_no_temporary_file() {
    let mut t = new_db();
    let spec = StressSpec { seed: 7, projects: 1, organisations: 5, events: 20, people: 1000, attendances: 10_000 };
    let s = stress::generate(&mut t.conn, &spec).unwrap();
    let path = t.dir.path().join("attendance.csv");
    let n = export::project_attendance(&t.conn, s.project_ids[0], &path, &ExportOptions::default(), &Progress::none())
        .unwrap();
    assert_eq!(n, 10_000);
    let good = std::fs::read(&path).unwrap();

    // Cancelled at the first progress report (after 8192 rows), while the temporary file is being written.
    let cancel = AtomicBool::new(false);
    let reports = std::sync::Mutex::new(Vec::new());
    let report = |done: u64, total: u64| {
        reports.lock().unwrap().push((done, total));
        cancel.store(true, Ordering::Relaxed);
    };
    let progress = Progress::new(&report, Some(&cancel));
    let opts = ExportOptions { pseudonymous: true, ..Default::default() };
    let err = export::project_attendance(&t.conn, s.project_ids[0], &path, &opts, &progress).unwrap_err();
    assert!(matches!(err, Error::Cancelled), "{err:?}");
    assert_eq!(*reports.lock().unwrap(), vec![(8192, 10_000)]);
    assert_eq!(std::fs::read(&path).unwrap(), good, "the previous export is untouched");
    assert!(temp_files(t.dir.path()).is_empty(), "no temporary file is left behind");

    // Progress is reported every 8192 rows and at the end.
    let seen = std::sync::Mutex::new(Vec::new());
    let report = |done: u64, total: u64| seen.lock().unwrap().push((done, total));
    let progress = Progress::new(&report, None);
    export::project_attendance(&t.conn, s.project_ids[0], &path, &ExportOptions::default(), &progress).unwrap();
    assert_eq!(*seen.lock().unwrap(), vec![(8192, 10_000), (10_000, 10_000)]);
    // Other exports stop at once when already cancelled.
    let stop = AtomicBool::new(true);
    let nothing = |_: u64, _: u64| {};
    let cancelled = Progress::new(&nothing, Some(&stop));
    assert!(matches!(export::people(&t.conn, &path, &ExportOptions::default(), &cancelled), Err(Error::Cancelled)));
    assert!(matches!(
        export::donor_table(
            &mut t.conn,
            s.project_ids[0],
            &DonorOptions::default(),
            &path,
            &ExportOptions::default(),
            &cancelled
        ),
        Err(Error::Cancelled)
    ));
    assert_eq!(std::fs::read(&path).unwrap(), good);
}

#[test]
fn the_stress_generator_is_reproducible() {
    let mut a = new_db();
    let mut b = new_db();
    let spec = StressSpec { seed: 42, projects: 2, organisations: 3, events: 6, people: 80, attendances: 150 };
    let sa = stress::generate(&mut a.conn, &spec).unwrap();
    let sb = stress::generate(&mut b.conn, &spec).unwrap();
    assert_eq!((sa.events, sa.people, sa.attendances, sa.organisations), (6, 80, 150, 3));
    assert_eq!(sa.project_ids.len(), 2);
    type Row = (String, String, Option<String>, Option<String>, String, String, Option<i64>);
    let dump = |conn: &rollcall_core::db::Connection| -> Vec<Row> {
        let mut stmt = conn
            .prepare(
                "SELECT p.uid, p.full_name, p.country, p.gender, a.role, a.status, a.minutes
                   FROM attendance a JOIN people p ON p.id = a.person_id ORDER BY a.id",
            )
            .unwrap();
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    let (da, db) = (dump(&a.conn), dump(&b.conn));
    assert_eq!(da, db);
    assert_eq!(sb.attendances, 150);
    // Some names are in Cyrillic or Georgian, and some genders are missing.
    assert!(da.iter().any(|r| r
        .1
        .chars()
        .any(|c| ('\u{0400}'..='\u{04FF}').contains(&c) || ('\u{10A0}'..='\u{10FF}').contains(&c))));
    let people_without_gender: i64 =
        a.conn.query_row("SELECT count(*) FROM people WHERE gender IS NULL OR gender = ''", [], |r| r.get(0)).unwrap();
    assert!(people_without_gender > 0);
    let too_many = StressSpec { events: 2, people: 10, attendances: 11, ..spec };
    assert_eq!(stress::generate(&mut a.conn, &too_many).unwrap_err().kind(), "invalid");
}

#[test]
fn a_csv_file_in_a_missing_folder_fails_naming_the_requested_file_not_the_temporary_one() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("no such folder").join("people.csv");
    let err = match CsvFile::create(&path, &CsvOptions::default(), &["x"], None) {
        Err(e) => e,
        Ok(_) => panic!("a file was created in a folder that does not exist"),
    };
    assert_eq!(err.kind(), "io");
    let message = err.to_string();
    assert!(message.starts_with(&path.display().to_string()), "{message}");
    assert!(!message.contains(".people.csv."), "not the temporary file: {message}");
    assert!(!dir.path().join("no such folder").exists());
}

/// Issue 19 (and 16): the donor table is written in the words the window shows (country names instead of
/// codes, "Not stated", the dimension's name), in English or the window's language; without labels the
/// core's own names stay, as the CLI writes them.
#[test]
fn issue19_the_donor_table_takes_the_windows_labels() {
    let mut t = new_db();
    sample::load(&mut t.conn).unwrap();
    let iss: i64 =
        t.conn.query_row("SELECT id FROM projects WHERE name = ?1", [sample::PROJECT_NAME], |r| r.get(0)).unwrap();
    let path = t.dir.path().join("donor-labels.csv");
    let labels = [
        ("dimension", "Стать"),
        ("column:GE", "Грузія"),
        ("column:MD", "Молдова"),
        ("column:UA", "Україна"),
        ("row:woman", "Жінка"),
        ("total", "Разом"),
    ];
    let opts = ExportOptions {
        labels: labels.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
        ..Default::default()
    };
    export::donor_table(&mut t.conn, iss, &DonorOptions::default(), &path, &opts, &Progress::none()).unwrap();
    let (header, rows) = read(&path, b',', true);
    assert_eq!(header, ["Стать", "Грузія", "Молдова", "Україна", "Разом"]);
    assert_eq!(rows[0], ["Жінка", "7", "7", "10", "24"]);
    assert_eq!(rows.last().unwrap()[0], "Разом");
    // A value without a label keeps the core's name.
    assert!(rows.iter().any(|r| r[0] == "man"), "{rows:?}");
}
