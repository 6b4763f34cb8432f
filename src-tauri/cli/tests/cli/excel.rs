//! Issue 17, Excel in and out, on the command line: `import --sheet`, `import sheets`, workbooks refused
//! with exit 1 and one line on stderr (nothing written), and `export --format csv|xlsx` with the rule that
//! the output's extension decides when no format is given.

use std::path::PathBuf;

use crate::support::{fixtures, Cli};

fn workbook(name: &str) -> String {
    fixtures().join("import").join(name).display().to_string()
}

fn imports(cli: &Cli) -> usize {
    cli.json(&["import", "list"]).as_array().unwrap().len()
}

#[test]
fn issue17_a_workbook_imports_like_its_csv_and_sheet_chooses_the_sheet() {
    let cli = Cli::new();
    let event = cli.with_event();
    let r = cli.json(&["import", &workbook("zoom_meeting_plain.xlsx"), "--event", &event]);
    assert_eq!((r["format"].as_str(), r["sheet"].as_str()), (Some("zoom"), Some("Participants")));
    assert_eq!((r["people_created"].as_u64(), r["attendances_created"].as_u64()), (Some(4), Some(4)));

    // The cover sheet comes first: by default the import names the other sheet; --sheet reads it.
    let cover = cli.run(&["import", &workbook("cover_sheet.xlsx"), "--event", &event]);
    assert_eq!(cover.code, 1);
    assert!(cover.stderr.contains("cover_sheet.xlsx, sheet \"Cover\", row 1:"), "{}", cover.stderr);
    assert!(cover.stderr.contains("2 \"Attendance\""), "{}", cover.stderr);
    for sheet in ["Attendance", "2"] {
        let dry =
            cli.json(&["import", &workbook("cover_sheet.xlsx"), "--event", &event, "--sheet", sheet, "--dry-run"]);
        assert_eq!((dry["format"].as_str(), dry["rows"].as_u64()), (Some("meet"), Some(4)), "--sheet {sheet}");
    }
    let text = cli.run(&["import", &workbook("cover_sheet.xlsx"), "--event", &event, "--sheet", "2", "--dry-run"]);
    assert!(
        text.stdout.starts_with("dry run, nothing changed: meet (sheet \"Attendance\"), 4 rows"),
        "{}",
        text.stdout
    );
    let missing = cli.run(&["import", &workbook("cover_sheet.xlsx"), "--event", &event, "--sheet", "9"]);
    assert_eq!(missing.code, 1);
    assert!(
        missing.stderr.contains("has no sheet \"9\"; its sheets are: 1 \"Cover\", 2 \"Attendance\""),
        "{}",
        missing.stderr
    );

    // A generic sheet's --map reads the headers of the chosen sheet.
    let mapped = cli.json(&[
        "import",
        &workbook("signin_uk.xlsx"),
        "--event",
        &event,
        "--map",
        "name=ПІБ,email=Електронна пошта",
        "--dry-run",
    ]);
    assert_eq!((mapped["mapping_source"].as_str(), mapped["rows"].as_u64()), (Some("given"), Some(5)));
    assert_eq!(mapped["warnings"][0]["code"], "cell_error");
    assert_eq!(mapped["warnings"][0]["params"]["column"], "C");
}

#[test]
fn issue17_sheets_are_listed_without_a_database() {
    let cli = Cli::new();
    let list = cli.json(&["import", "sheets", &workbook("two_sheets.xlsx")]);
    assert_eq!(
        list,
        serde_json::json!([
            { "index": 1, "name": "Sheet1", "rows": 0, "empty": true, "visible": true },
            { "index": 2, "name": "Attendance", "rows": 5, "empty": false, "visible": true },
        ])
    );
    assert!(!cli.db.exists(), "listing sheets created a database");
    let text = cli.run(&["import", "sheets", &workbook("cover_sheet.xlsx")]);
    assert!(text.stdout.contains("Attendance"), "{}", text.stdout);
    let csv = cli.json(&["import", "sheets", &fixtures().join("import/google_meet.csv").display().to_string()]);
    assert_eq!(csv, serde_json::json!([]));
}

#[test]
fn issue17_unreadable_workbooks_exit_1_with_one_line_and_write_nothing() {
    let cli = Cli::new();
    let event = cli.with_event();
    for (file, words) in [
        ("bad_password.xlsx", "bad_password.xlsx: this workbook is protected with a password"),
        ("bad_truncated.xlsx", "bad_truncated.xlsx: this workbook cannot be read: it is damaged or incomplete"),
        ("bad_text_named.xlsx", "bad_text_named.xlsx: this file is named .xlsx but is not a workbook"),
        ("bad_workbook.xlsx", "bad_workbook.xlsx: this workbook cannot be read"),
    ] {
        for dry in [false, true] {
            let mut args = vec!["import", "--event", &event];
            let path = workbook(file);
            args.insert(1, &path);
            if dry {
                args.push("--dry-run");
            }
            let run = cli.run(&args);
            assert_eq!(run.code, 1, "{file}");
            assert_eq!(run.stderr.trim_end().lines().count(), 1, "{file}: {}", run.stderr);
            assert!(run.stderr.contains(words), "{file}: {}", run.stderr);
            assert!(run.stdout.is_empty());
        }
    }
    assert_eq!(imports(&cli), 0);
    assert_eq!(cli.json(&["person", "list"]).as_array().unwrap().len(), 0);
}

#[test]
fn issue17_every_export_writes_xlsx_by_format_or_extension() {
    let cli = Cli::new();
    cli.json(&["sample-data"]);
    let project = cli.json(&["project", "list"])[0]["id"].to_string();
    let event = cli.json(&["event", "list", "--project", &project])[0]["id"].to_string();
    let person = cli.json(&["person", "list"])[0]["id"].to_string();
    let org = cli.json(&["org", "list"])[0]["id"].to_string();
    let out = |name: &str| -> (PathBuf, String) {
        let p = cli.path(name);
        let s = p.display().to_string();
        (p, s)
    };
    let commands: Vec<Vec<String>> = vec![
        vec!["attendance".into(), "--event".into(), event.clone()],
        vec!["attendance".into(), "--project".into(), project.clone()],
        vec!["people".into()],
        vec!["people".into(), "--pseudonymous".into()],
        vec!["report".into(), "project".into(), "--project".into(), project.clone()],
        vec!["report".into(), "donor".into(), "--project".into(), project.clone()],
        vec!["report".into(), "indicators".into(), "--project".into(), project.clone()],
        vec!["person".into(), person.clone()],
        vec!["org".into(), org.clone()],
    ];
    for (i, command) in commands.iter().enumerate() {
        // By extension, then by --format (the same file), then CSV for comparison.
        let (by_ext, by_ext_s) = out(&format!("{i}.xlsx"));
        let (csv, csv_s) = out(&format!("{i}.csv"));
        let mut args: Vec<&str> = vec!["export"];
        args.extend(command.iter().map(String::as_str));
        let with = |extra: &[&str]| -> serde_json::Value {
            let mut a = args.clone();
            a.extend_from_slice(extra);
            cli.json(&a)
        };
        let x = with(&["--out", &by_ext_s]);
        assert_eq!(x["format"], "xlsx", "{command:?}");
        assert!(std::fs::read(&by_ext).unwrap().starts_with(b"PK\x03\x04"), "{command:?}");
        let y = with(&["--out", &by_ext_s, "--format", "xlsx"]);
        assert_eq!(x["rows"], y["rows"]);
        let c = with(&["--out", &csv_s]);
        assert_eq!((c["format"].as_str(), &c["rows"]), (Some("csv"), &x["rows"]), "{command:?}");
        assert!(std::fs::read(&csv).unwrap().starts_with(b"\xEF\xBB\xBF"), "{command:?}");
    }

    // A format that disagrees with the extension, or an unknown one, is refused and writes nothing.
    let (wrong, wrong_s) = out("list.csv");
    let run = cli.run(&["export", "people", "--out", &wrong_s, "--format", "xlsx"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("an .xlsx export must go to a file ending in .xlsx"), "{}", run.stderr);
    assert!(!wrong.exists());
    let (wrong, wrong_s) = out("list.xlsx");
    let run = cli.run(&["export", "people", "--out", &wrong_s, "--format", "csv"]);
    assert_eq!(run.code, 1);
    assert!(!wrong.exists());
    let run = cli.run(&["export", "people", "--out", &wrong_s, "--format", "ods"]);
    assert_ne!(run.code, 0);
    assert!(!wrong.exists());
    let text = cli.run(&["export", "people", "--out", &wrong_s]);
    assert!(text.stdout.starts_with("wrote ") && text.stdout.trim_end().ends_with("(xlsx)"), "{}", text.stdout);
}
