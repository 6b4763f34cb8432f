//! `rollcall-cli import`: the argument forms, JSON keys, dry runs, importing twice, undo, column maps,
//! ambiguous people, bad files and pasting from standard input.

use std::io::Write;
use std::process::{Command, Stdio};

use serde_json::Value;

use crate::support::{fixtures, Cli};

fn report(name: &str) -> String {
    fixtures().join("import").join(name).display().to_string()
}

fn count(v: &Value) -> usize {
    v.as_array().map(Vec::len).unwrap_or(usize::MAX)
}

#[test]
fn import_prints_its_figures_and_the_attendance_list_has_the_people() {
    let cli = Cli::new();
    let event = cli.with_event();
    let dry = cli.json(&["import", &report("zoom_meeting_header.csv"), "--event", &event, "--dry-run"]);
    assert_eq!(
        (dry["dry_run"].as_bool(), dry["format"].as_str(), dry["people_created"].as_u64()),
        (Some(true), Some("zoom"), Some(6))
    );
    assert_eq!(count(&cli.json(&["attendance", "list", "--event", &event])), 0);
    assert_eq!(count(&cli.json(&["import", "list"])), 0);

    // Flags before the file work as well as after.
    let s = cli.json(&["import", "--event", &event, &report("zoom_meeting_header.csv")]);
    for (key, value) in [
        ("format", Value::from("zoom")),
        ("rows", 9.into()),
        ("people_created", 6.into()),
        ("people_matched", 0.into()),
        ("attendances", 6.into()),
    ] {
        assert_eq!(s[key], value, "{key}");
    }
    assert_eq!(s["skipped"][0]["line"], 13);
    let import_id = s["import_id"].to_string();

    let list = cli.json(&["attendance", "list", "--event", &event]);
    assert_eq!(count(&list), 6);
    let olena = list.as_array().unwrap().iter().find(|a| a["name"] == "Олена Коваленко").unwrap();
    for key in ["person_id", "name", "email", "role", "status", "minutes"] {
        assert!(olena.get(key).is_some(), "{key} missing from {olena}");
    }
    assert_eq!(
        (olena["email"].as_str(), olena["role"].as_str(), olena["status"].as_str(), olena["minutes"].as_i64()),
        (Some("olena.kovalenko@ukr.net"), Some("participant"), Some("attended"), Some(84))
    );
    let host = list.as_array().unwrap().iter().find(|a| a["name"] == "Тарас Шевчук").unwrap();
    assert_eq!(host["role"], "organiser");

    // Again: nothing changes, and the earlier import is named.
    let again = cli.json(&["import", &report("zoom_meeting_header.csv"), "--event", &event]);
    assert_eq!(
        (again["already_imported"].as_bool(), again["people_created"].as_u64(), again["import_id"].to_string()),
        (Some(true), Some(0), import_id.clone())
    );
    let text = cli.run(&["import", &report("zoom_meeting_header.csv"), "--event", &event]);
    assert!(text.stdout.contains("already imported"), "{}", text.stdout);

    let imports = cli.json(&["import", "list", "--event", &event]);
    assert_eq!((count(&imports), imports[0]["file_name"].as_str()), (1, Some("zoom_meeting_header.csv")));
    let undone = cli.json(&["import", "undo", &import_id]);
    assert_eq!((undone["attendances_deleted"].as_u64(), undone["people_deleted"].as_u64()), (Some(6), Some(6)));
    assert_eq!(count(&cli.json(&["attendance", "list", "--event", &event])), 0);
    assert_eq!(count(&cli.json(&["person", "list"])), 0);
    assert!(cli.json(&["import", "list"])[0]["undone_at"].is_string());
    let twice = cli.run(&["import", "undo", &import_id]);
    assert_ne!(twice.code, 0);
    assert!(twice.stderr.contains("already undone"), "{}", twice.stderr);
}

#[test]
fn every_format_is_detected_or_can_be_named() {
    let cli = Cli::new();
    let event = cli.with_event();
    for (file, format, people) in [
        ("zoom_meeting_plain.csv", "zoom", 4),
        ("zoom_webinar.csv", "zoom-webinar", 8),
        ("teams_new.csv", "teams", 6),
        ("teams_old.csv", "teams", 3),
        ("google_meet.csv", "meet", 4),
        ("webex_meeting.csv", "webex", 5),
        ("signin_uk_cp1251.csv", "generic", 5),
        ("signin_pl_cp1250.csv", "generic", 4),
        ("generic_ka_utf16be.tsv", "generic", 3),
        ("quoted_ragged_ro.csv", "generic", 4),
    ] {
        for choice in ["auto", format] {
            let p = cli.json(&["import", &report(file), "--event", &event, "--dry-run", "--format", choice]);
            assert_eq!(
                (p["format"].as_str(), p["people_created"].as_u64()),
                (Some(format), Some(people)),
                "{file} as {choice}"
            );
        }
    }
    let bad = cli.run(&["import", &report("zoom_meeting_plain.csv"), "--event", &event, "--format", "slack"]);
    assert_ne!(bad.code, 0);
    assert!(bad.stderr.contains("format must be one of"), "{}", bad.stderr);
}

#[test]
fn a_column_map_by_header_or_number_chooses_the_columns() {
    let cli = Cli::new();
    let event = cli.with_event();
    let p = cli.json(&[
        "import",
        &report("signin_uk_cp1251.csv"),
        "--event",
        &event,
        "--map",
        "name=піб, email=4",
        "--dry-run",
    ]);
    assert_eq!(p["mapping_source"], "given");
    assert_eq!(p["mapping"]["fields"], serde_json::json!({"name": 1, "email": 3}));
    cli.json(&[
        "import",
        &report("signin_uk_cp1251.csv"),
        "--event",
        &event,
        "--map",
        "name=ПІБ,email=Електронна пошта,country=6",
    ]);
    let list = cli.json(&["attendance", "list", "--event", &event]);
    assert!(
        list.as_array().unwrap().iter().all(|a| a["organisation_name"].is_null() && a["country"] == "UA"),
        "{list}"
    );
    // The confirmed mapping is used again for the same headers.
    let again = cli.json(&["import", &report("signin_uk_cp1251.csv"), "--event", &event, "--dry-run"]);
    assert_eq!(again["mapping_source"], "remembered");

    for (map, words) in
        [("title=2", "not a field name"), ("name=Nickname", "no column 'Nickname'"), ("name", "is not FIELD=COLUMN")]
    {
        let run = cli.run(&["import", &report("signin_uk_cp1251.csv"), "--event", &event, "--map", map]);
        assert_ne!(run.code, 0, "{map}");
        assert!(run.stderr.contains(words), "{map}: {}", run.stderr);
    }
}

#[test]
fn ambiguous_people_are_refused_until_decided() {
    let cli = Cli::new();
    let event = cli.with_event();
    let olena = cli.json(&["person", "add", "--name", "Олена Коваленко", "--email", "o.kovalenko@vector.org.ua"])["id"]
        .to_string();
    let file = report("zoom_meeting_header.csv");

    let refused = cli.run(&["import", &file, "--event", &event]);
    assert_ne!(refused.code, 0);
    assert_eq!(refused.stderr.trim_end().lines().count(), 1, "{}", refused.stderr);
    assert!(refused.stderr.contains("line 6"), "{}", refused.stderr);
    assert_eq!(count(&cli.json(&["import", "list"])), 0);

    let dry = cli.json(&["import", &file, "--event", &event, "--dry-run"]);
    let key = dry["ambiguous"][0]["key"].as_str().unwrap().to_string();
    assert_eq!(
        (key.as_str(), dry["ambiguous"][0]["candidates"][0]["id"].to_string()),
        ("email:olena.kovalenko@ukr.net", olena.clone())
    );
    let text = cli.run(&["import", &file, "--event", &event, "--dry-run"]);
    assert!(text.stdout.contains(&format!("key {key}")), "{}", text.stdout);

    let s = cli.json(&["import", &file, "--event", &event, "--resolve", &format!("{key}={olena}")]);
    assert_eq!((s["people_created"].as_u64(), s["people_matched"].as_u64()), (Some(5), Some(1)));
    let list = cli.json(&["attendance", "list", "--event", &event]);
    assert!(list
        .as_array()
        .unwrap()
        .iter()
        .any(|a| a["person_id"] == olena.parse::<i64>().unwrap() && a["minutes"] == 84));
    cli.json(&["import", "undo", &s["import_id"].to_string()]);

    let skipped = cli.json(&["import", &file, "--event", &event, "--ambiguous", "skip"]);
    assert_eq!(
        (skipped["attendances"].as_u64(), skipped["ambiguous"][0]["decision"].as_str()),
        (Some(5), Some("skip"))
    );
    let wrong = cli.run(&["import", &file, "--event", &event, "--ambiguous", "merge"]);
    assert_ne!(wrong.code, 0);
}

#[test]
fn bad_files_fail_with_one_line_naming_the_place() {
    let cli = Cli::new();
    let event = cli.with_event();
    for (file, words) in [
        ("bad_empty.csv", "bad_empty.csv: the file is empty"),
        ("bad_binary.csv", "not a text file"),
        ("bad_workbook.xlsx", "Excel"),
        ("bad_no_columns.csv", "bad_no_columns.csv, line 1: this is not a report"),
        ("bad_zoom_no_name.csv", "bad_zoom_no_name.csv, line 4:"),
    ] {
        let run = cli.run(&["import", &report(file), "--event", &event]);
        assert_eq!(run.code, 1, "{file}");
        assert_eq!(run.stderr.trim_end().lines().count(), 1, "{file}: {}", run.stderr);
        assert!(run.stderr.contains(words), "{file}: {}", run.stderr);
        assert!(run.stdout.is_empty());
    }
    assert_eq!(count(&cli.json(&["import", "list"])), 0);
    assert_ne!(cli.run(&["import", &report("google_meet.csv"), "--event", "999"]).code, 0);
    assert_ne!(cli.run(&["import", &report("google_meet.csv")]).code, 0);
}

#[test]
fn pasted_lines_from_standard_input_are_marked_attended() {
    let cli = Cli::new();
    let event = cli.with_event();
    let paste = |dry: bool| -> Value {
        let mut args = vec![
            "--db".to_string(),
            cli.db.display().to_string(),
            "--json".into(),
            "import".into(),
            "paste".into(),
            "--event".into(),
            event.clone(),
        ];
        if dry {
            args.push("--dry-run".into());
        }
        let mut child = Command::new(env!("CARGO_BIN_EXE_rollcall-cli"))
            .args(&args)
            .env_remove("ROLLCALL_DB")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all("Олена Коваленко\tolena@ukr.net\nNino Beridze <nino@gov.ge>\nТарас Шевчук\n".as_bytes())
            .unwrap();
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let dry = paste(true);
    assert_eq!(
        (dry["dry_run"].as_bool(), dry["people_created"].as_u64(), dry["import_id"].is_null()),
        (Some(true), Some(3), true)
    );
    assert_eq!(count(&cli.json(&["attendance", "list", "--event", &event])), 0);
    let s = paste(false);
    assert_eq!(s["attendances_created"], 3);
    let list = cli.json(&["attendance", "list", "--event", &event]);
    assert!(list.as_array().unwrap().iter().all(|a| a["status"] == "attended"));
    assert_eq!(cli.json(&["import", "list"])[0]["format"], "paste");
}

#[test]
fn an_empty_paste_is_refused_and_records_no_import() {
    let cli = Cli::new();
    let event = cli.with_event();
    for input in ["", "\n\n  \n"] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_rollcall-cli"))
            .arg("--db")
            .arg(&cli.db)
            .args(["import", "paste", "--event", &event])
            .env_remove("ROLLCALL_DB")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{input:?}: {stderr}");
        assert!(stderr.contains("nothing to import"), "{input:?}: {stderr}");
        assert!(out.stdout.is_empty());
    }
    assert_eq!(count(&cli.json(&["import", "list"])), 0);
}

/// Issue #21: files the csv crate or the file system would swallow are refused with one line naming the
/// place (a quote never closed, a stray byte in a UTF-8 file, a header of millions of cells, a pipe or a
/// device), and implausible values are listed as warnings in the text and `--json` output.
#[test]
fn issue21_hostile_files_are_refused_with_their_place_and_doubtful_values_warned() {
    let cli = Cli::new();
    let event = cli.with_event();
    let huge = cli.path("huge.csv");
    std::fs::write(&huge, format!("Name,Email,{}\nOlena,o@ukr.net\n", "c,".repeat(2_000_000))).unwrap();
    let fifo = cli.path("fifo.csv");
    assert!(Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    for (file, words) in [
        (
            report("bad_unterminated_quote.csv"),
            "bad_unterminated_quote.csv, line 3, column 1: a quoted cell opens here",
        ),
        (report("bad_mixed_encoding.csv"), "bad_mixed_encoding.csv, line 3, column 6: the file mixes encodings"),
        (huge.display().to_string(), "huge.csv, line 1: this row has more than 1000 cells"),
        ("/dev/null".to_string(), "null: this is a device, not a file"),
        (fifo.display().to_string(), "fifo.csv: this is a pipe (FIFO), not a file"),
    ] {
        let run = cli.run(&["import", &file, "--event", &event]);
        assert_eq!(run.code, 1, "{file}");
        assert_eq!(run.stderr.trim_end().lines().count(), 1, "{file}: {}", run.stderr);
        assert!(run.stderr.contains(words), "{file}: {}", run.stderr);
        assert!(run.stdout.is_empty());
    }
    // A report piped in (`/dev/stdin`) is refused at once, not read twice (the second reading is empty).
    let mut child = Command::new(env!("CARGO_BIN_EXE_rollcall-cli"))
        .arg("--db")
        .arg(&cli.db)
        .args(["import", "/dev/stdin", "--event", &event])
        .env_remove("ROLLCALL_DB")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The refusal may come before the write: a broken pipe is expected then.
    let _ = child.stdin.take().unwrap().write_all(&std::fs::read(report("google_meet.csv")).unwrap());
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("this is a pipe (FIFO), not a file"), "{stderr}");
    assert_eq!(count(&cli.json(&["import", "list"])), 0);

    let doubtful = cli.path("doubtful.csv");
    std::fs::write(
        &doubtful,
        "Name,Email,Join Time,Leave Time,Duration (Minutes)\n\
         Taras Shevchuk,t@x.ua,06/28/2022 04:00 PM,06/28/2022 03:00 PM,30\n\
         Ion Ceban,i@x.md,06/28/9999 03:00 PM,,100000\n\
         \u{200B}\u{200D},,,,45\n",
    )
    .unwrap();
    let file = doubtful.display().to_string();
    let json = cli.json(&["import", &file, "--event", &event, "--dry-run"]);
    let warnings: Vec<(u64, String)> = json["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| (w["line"].as_u64().unwrap(), w["reason"].as_str().unwrap().to_string()))
        .collect();
    assert_eq!(warnings.iter().map(|w| w.0).collect::<Vec<_>>(), [2, 3, 3], "{warnings:?}");
    assert!(warnings[0].1.contains("is before the join time"), "{warnings:?}");
    assert!(warnings[1].1.contains("cannot be right"), "{warnings:?}");
    assert!(warnings[2].1.contains("100000 minutes in one row cannot be right"), "{warnings:?}");
    assert_eq!(json["warnings_total"], 3);
    assert_eq!(json["skipped"][0]["line"], 4);
    assert!(json["skipped"][0]["reason"].as_str().unwrap().contains("invisible"), "{json}");
    let text = cli.run(&["import", &file, "--event", &event]);
    assert_eq!(text.code, 0, "{}", text.stderr);
    for line in [
        "line 2: warning: the leave time",
        "line 3: warning: the join time",
        "line 4: skipped: the name is made only of invisible characters",
    ] {
        assert!(text.stdout.contains(line), "{line}: {}", text.stdout);
    }
}

#[test]
fn issue13_a_file_that_skips_most_rows_exits_non_zero_unless_allow_skips() {
    let cli = Cli::new();
    let event = cli.with_event();
    let file = report("bad_mostly_skipped.csv");
    let dry = cli.run(&["import", &file, "--event", &event, "--dry-run"]);
    assert_eq!(dry.code, 0, "{}", dry.stderr);
    assert!(dry.stdout.contains("line 3: skipped: no name or email"), "{}", dry.stdout);
    assert!(dry.stdout.contains("confirm with --allow-skips"), "{}", dry.stdout);
    let refused = cli.run(&["import", &file, "--event", &event]);
    assert_eq!(refused.code, 1);
    assert!(
        refused.stderr.contains("3 of the 4 rows") && refused.stderr.contains("--allow-skips"),
        "{}",
        refused.stderr
    );
    assert!(cli.json(&["import", "list"]).as_array().unwrap().is_empty());
    let done = cli.json(&["import", &file, "--event", &event, "--allow-skips"]);
    assert_eq!((done["people_created"].as_u64(), done["skipped_total"].as_u64()), (Some(1), Some(3)));
    assert_eq!(done["skipped"][0]["code"], "no_name_or_email");
}

#[test]
fn issue12_dry_run_and_import_json_share_one_shape() {
    let cli = Cli::new();
    let event = cli.with_event();
    let file = report("zoom_meeting_plain.csv");
    let dry = cli.json(&["import", &file, "--event", &event, "--dry-run"]);
    let real = cli.json(&["import", &file, "--event", &event]);
    let keys = |v: &Value| v.as_object().unwrap().keys().cloned().collect::<Vec<_>>();
    assert_eq!(keys(&dry), keys(&real));
    assert_eq!((dry["dry_run"].as_bool(), real["dry_run"].as_bool()), (Some(true), Some(false)));
    assert!(dry["import_id"].is_null() && real["import_id"].as_i64().is_some());
    // The preview's old names stay for one release.
    assert_eq!(dry["people_new"], dry["people_created"]);
    assert_eq!(dry["attendances_new"], dry["attendances_created"]);
}

/// Issue #19: `--dry-run --json` lists the people with flags; `--skip-line` and `--rename-line` decide
/// rows before anything is written, and the dry run's counts with them are the import's.
#[test]
fn issue19_review_rows_skip_and_rename_lines() {
    let cli = Cli::new();
    let event = cli.with_event();
    let file = report("zoom_review.csv");
    let dry = cli.json(&["import", &file, "--event", &event, "--dry-run"]);
    assert_eq!(dry["people_total"], 8);
    let flags: Vec<(u64, String)> = dry["people"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|p| Some((p["line"].as_u64()?, p["flags"].get(0)?.as_str()?.to_string())))
        .collect();
    assert_eq!(
        flags,
        vec![
            (2, "bracket".to_string()),
            (3, "device_name".into()),
            (4, "phone_number".into()),
            (5, "one_word".into()),
            (6, "one_word".into())
        ]
    );
    let decide = ["--skip-line", "3", "--skip-line", "4", "--rename-line", "2=Iryna Marchenko|Krok"];
    let mut args = vec!["import", file.as_str(), "--event", event.as_str(), "--dry-run"];
    args.extend(decide);
    let dry = cli.json(&args);
    args.retain(|a| *a != "--dry-run");
    let done = cli.json(&args);
    for key in ["people_created", "people_matched", "attendances", "skipped_total"] {
        assert_eq!(done[key], dry[key], "{key}");
    }
    assert_eq!((done["attendances"].as_u64(), done["skipped_total"].as_u64()), (Some(6), Some(2)));
    let found = cli.json(&["person", "list", "--search", "Marchenko"]);
    assert_eq!(
        (found[0]["full_name"].as_str(), found[0]["organisation_name"].as_str()),
        (Some("Iryna Marchenko"), Some("Krok"))
    );
    let bad = cli.run(&["import", &file, "--event", &event, "--dry-run", "--rename-line", "x=Name"]);
    assert_ne!(bad.code, 0);
    assert!(bad.stderr.contains("rename_line") || bad.stderr.contains("N=NAME"), "{}", bad.stderr);
}

/// Issue #19: completing "not stated": `person list --missing`, `person suggest`, `person bulk-set` and
/// `report donor-people`.
#[test]
fn issue19_missing_suggest_bulk_set_and_donor_people() {
    let cli = Cli::new();
    let event = cli.with_event();
    cli.json(&["import", &report("zoom_review.csv"), "--event", &event]);
    let missing = cli.json(&["person", "list", "--missing", "country,gender"]);
    assert_eq!(count(&missing), 8);
    let suggested = cli.json(&["person", "suggest", "--missing", "country"]);
    let mut pairs: Vec<(String, String)> = suggested
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["value"].as_str().unwrap().to_string(), s["domain"].as_str().unwrap().to_string()))
        .collect();
    pairs.sort();
    assert_eq!(
        pairs,
        vec![
            ("GE".to_string(), "gov.ge".to_string()),
            ("MD".into(), "example.md".into()),
            ("UA".into(), "krok.org.ua".into()),
            ("UA".into(), "krok.org.ua".into())
        ]
    );
    let ua: Vec<String> = suggested
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["value"] == "UA")
        .map(|s| s["person_id"].to_string())
        .collect();
    let set = cli.json(&["person", "bulk-set", "--ids", &ua.join(","), "--country", "UA", "--gender", "woman"]);
    assert_eq!(set["updated"], 2);
    assert_eq!(count(&cli.json(&["person", "list", "--missing", "country"])), 6);
    let bad = cli.run(&["person", "bulk-set", "--ids", &ua.join(","), "--country", "Ukraine"]);
    assert_ne!(bad.code, 0);

    let projects = cli.json(&["project", "list"]);
    let project = projects[0]["id"].to_string();
    let donor = cli.json(&["report", "donor", "--project", &project]);
    let not_stated = donor["column_totals"]
        [donor["columns"].as_array().unwrap().iter().position(|c| c["key"] == "").unwrap()]
    .clone();
    let people = cli.json(&["report", "donor-people", "--project", &project, "--dim", "country", "--value", ""]);
    assert_eq!(people["total"], not_stated);
    assert_eq!(people["total"], 6);
    let women = cli.json(&[
        "report",
        "donor-people",
        "--project",
        &project,
        "--dim",
        "gender",
        "--value",
        "woman",
        "--dim2",
        "country",
        "--value2",
        "UA",
    ]);
    assert_eq!((women["total"].as_i64(), women["erased"].as_i64()), (Some(2), Some(0)));
    let alias =
        cli.json(&["report", "donor-people", "--project", &project, "--dim", "country", "--value", "not_stated"]);
    assert_eq!(alias["total"], 6);
}
