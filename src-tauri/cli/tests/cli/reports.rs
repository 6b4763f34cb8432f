//! `report` and `export` as a user runs them, over the sample data: JSON figures, readable tables, CSV
//! files and their options, and errors.

use crate::support::Cli;

/// A CLI with the sample data loaded; returns it with the sample project's id.
fn sample() -> (Cli, String) {
    let cli = Cli::new();
    cli.json(&["sample-data"]);
    let projects = cli.json(&["project", "list"]);
    let id = projects
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "In Search of Solidarity")
        .map(|p| p["id"].to_string())
        .unwrap();
    (cli, id)
}

#[test]
fn report_project_and_donor_as_json_and_text() {
    let (cli, iss) = sample();
    let s = cli.json(&["report", "project", &iss]);
    assert_eq!(
        (s["attendances"].as_i64(), s["unique_people"].as_i64(), s["unique_organisations"].as_i64()),
        (Some(53), Some(53), Some(4))
    );
    assert_eq!(s["average_minutes"], 76.5);
    assert_eq!(s["people_by_gender"][3], serde_json::json!({ "key": "", "label": "not stated", "count": 3 }));
    let none = cli.json(&["report", "project", &iss, "--from", "2022-06-29"]);
    assert_eq!((none["events"].as_i64(), none["attendances"].as_i64()), (Some(0), Some(0)));

    let d = cli.json(&["report", "donor", "--project", &iss]);
    assert_eq!(d["total"], 53);
    assert_eq!(d["column_totals"], serde_json::json!([16, 16, 21]));
    let strict = cli.json(&["report", "donor", "--project", &iss, "--min-minutes", "116", "--min-events", "1"]);
    assert_eq!(strict["total"], 5);
    assert_eq!(strict["options"]["min_minutes"], 116);

    let text = cli.run(&["report", "donor", "--project", &iss]);
    assert_eq!(text.code, 0, "{}", text.stderr);
    let lines: Vec<&str> = text.stdout.lines().collect();
    assert!(lines.iter().any(|l| l.split_whitespace().collect::<Vec<_>>() == ["GENDER", "GE", "MD", "UA", "TOTAL"]));
    assert!(lines.iter().any(|l| l.split_whitespace().collect::<Vec<_>>() == ["total", "16", "16", "21", "53"]));
    let text = cli.run(&["report", "project", &iss]);
    assert!(text.stdout.contains("unique people") && text.stdout.contains("Human Rights Vector"), "{}", text.stdout);
}

#[test]
fn list_reports() {
    let (cli, iss) = sample();
    let events = cli.json(&["event", "list", "--project", &iss]);
    let webinar = events[0]["id"].to_string();
    let e = cli.json(&["report", "event", &webinar]);
    assert_eq!((e["attended"].as_i64(), e["rows"].as_array().unwrap().len()), (Some(53), 57));
    assert_eq!(e["event"]["date"], "2022-06-28");
    let text = cli.run(&["report", "event", &webinar]);
    assert!(text.stdout.contains("Halyna Vovk") && text.stdout.contains("53 attended of 57"), "{}", text.stdout);

    let people = cli.json(&["person", "list", "--search", "Nazarii"]);
    let nazarii = people[0]["id"].to_string();
    let h = cli.json(&["report", "person", &nazarii]);
    assert_eq!((h["events_attended"].as_i64(), h["total_minutes"].as_i64()), (Some(2), Some(360)));

    let orgs = cli.json(&["org", "list"]);
    let hrv = orgs.as_array().unwrap().iter().find(|o| o["name"] == "Human Rights Vector").unwrap()["id"].to_string();
    let o = cli.json(&["report", "org", &hrv]);
    assert_eq!((o["people"].as_i64(), o["attendances"].as_i64()), (Some(15), Some(16)));

    let p = cli.json(&["report", "partners", "--project", &iss]);
    assert_eq!(p["partners"][0]["role"], "lead");
    assert_eq!(p["partners"].as_array().unwrap().len(), 5);
}

#[test]
fn exports_write_csv_files_with_their_options() {
    let (cli, iss) = sample();
    let out = cli.path("attendance.csv");
    let out_s = out.to_str().unwrap();
    let r = cli.json(&["export", "attendance", "--project", &iss, "--out", out_s]);
    assert_eq!(r, serde_json::json!({ "path": out_s, "rows": 57, "format": "csv" }));
    let bytes = std::fs::read(&out).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBFproject_id,project,event_id,"));

    cli.json(&[
        "export",
        "attendance",
        "--project",
        &iss,
        "--out",
        out_s,
        "--delimiter",
        "semicolon",
        "--no-bom",
        "--pseudonymous",
    ]);
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.starts_with("project_id;project;event_id;"));
    assert!(text.lines().next().unwrap().contains(";person_code;"));
    assert!(!text.contains("Nazarii") && !text.contains("@"), "names or emails in a pseudonymous file");

    let people = cli.path("people.csv");
    let r = cli.json(&["export", "people", "--out", people.to_str().unwrap(), "--delimiter", "tab"]);
    assert_eq!(r["rows"], 58);
    assert!(std::fs::read_to_string(&people).unwrap().contains("\tevents_attended\r\n"));

    let donor = cli.path("donor.csv");
    let r = cli.json(&["export", "report", "donor", "--project", &iss, "--out", donor.to_str().unwrap()]);
    assert_eq!(r["rows"], 5);
    let text = std::fs::read_to_string(&donor).unwrap();
    assert!(text.contains("gender,GE,MD,UA,total\r\n") && text.ends_with("total,16,16,21,53\r\n"), "{text}");
    let summary = cli.path("summary.csv");
    let run = cli.run(&["export", "report", "project", "--project", &iss, "--out", summary.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.starts_with("wrote ") && run.stdout.contains("summary.csv"));
    assert!(std::fs::read_to_string(&summary).unwrap().contains("total,unique_people,Unique people,,53\r\n"));

    let events = cli.json(&["event", "list", "--project", &iss]);
    let webinar = events[0]["id"].to_string();
    let r = cli.json(&["export", "attendance", "--event", &webinar, "--out", out_s]);
    assert_eq!(r["rows"], 57);
}

#[test]
fn report_and_export_errors() {
    let (cli, iss) = sample();
    let out = cli.path("x.csv");
    let out_s = out.to_str().unwrap();
    let cases: &[&[&str]] = &[
        &["report", "project", "999"],
        &["report", "project", &iss, "--from", "2022-13-01"],
        &["report", "project", &iss, "--from", "2022-07-01", "--to", "2022-06-01"],
        &["report", "donor", "--project", &iss, "--min-minutes", "-5"],
        &["report", "event", "nope"],
        &["export", "attendance", "--project", &iss, "--out", out_s, "--delimiter", "pipe"],
        &["export", "attendance", "--out", out_s],
        &["export", "attendance", "--project", &iss, "--event", "1", "--out", out_s],
        &["export", "people", "--out", "/no/such/folder/x.csv"],
    ];
    for args in cases {
        let run = cli.run(args);
        assert_ne!(run.code, 0, "{args:?} should fail");
        assert!(run.stdout.is_empty(), "{args:?} printed {}", run.stdout);
        assert!(!run.stderr.trim().is_empty(), "{args:?} said nothing");
    }
    assert!(!out.exists(), "a failed export writes nothing");
}

#[test]
fn the_hidden_stress_command_generates_and_times() {
    let cli = Cli::new();
    let r =
        cli.json(&["stress", "--events", "5", "--people", "60", "--attendances", "100", "--seed", "3", "--runs", "1"]);
    assert_eq!(r["generated"]["attendances"], 100);
    assert_eq!(r["summary_ms"].as_array().unwrap().len(), 1);
    let s = cli.json(&["report", "project", &r["project_id"].to_string()]);
    assert_eq!(s["attendances"], r["project_attendances"]);
    let help = cli.run(&["--help"]);
    assert!(!help.stdout.contains("stress"), "the stress command is hidden");
}

#[test]
fn erasing_a_person_keeps_the_report_totals() {
    let (cli, iss) = sample();
    let before = cli.json(&["report", "project", &iss]);
    assert_eq!((before["attendances"].as_i64(), before["unique_people"].as_i64()), (Some(53), Some(53)));
    let attendee = cli
        .json(&["attendance", "list", "--event", &before["attendance_by_event"][0]["event_id"].to_string()])
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["status"] == "attended")
        .map(|a| a["person_id"].to_string())
        .unwrap();
    cli.json(&["person", "erase", &attendee, "--yes"]);

    let after = cli.json(&["report", "project", &iss]);
    for key in ["events", "attendances", "unique_people", "total_minutes", "average_minutes", "attendance_by_event"] {
        assert_eq!(after[key], before[key], "{key}");
    }
    let erased = serde_json::json!({ "key": "erased", "label": "Erased (anonymous)", "count": 1 });
    for key in ["people_by_country", "people_by_gender", "people_by_organisation", "people_by_role"] {
        assert_eq!(after[key].as_array().unwrap().last(), Some(&erased), "{key}");
    }
    let d = cli.json(&["report", "donor", "--project", &iss]);
    assert_eq!(d["total"], 53);
    assert_eq!(d["columns"].as_array().unwrap().last().unwrap()["key"], "erased");
    assert_eq!(d["column_totals"].as_array().unwrap().last().unwrap(), 1);
}

/// Issue #15 from the command line: people with the new fields, two dimensions picked, registration,
/// indicators, the gender review and mapping, and the CSV exports of a donor table and the indicators.
#[test]
fn issue15_donor_dimensions_registration_indicators_and_exports() {
    let (cli, iss) = sample();
    let events = cli.json(&["event", "list", "--project", &iss]);
    let event = events[0]["id"].to_string();
    let p = cli.json(&[
        "person",
        "add",
        "--name",
        "Tamar Test",
        "--gender",
        "ქალი",
        "--birth-year",
        "1990",
        "--participant-type",
        "Journalist",
        "--washington-group",
        "1,1,3,1,1,1",
        "--disability-consent",
    ]);
    assert_eq!((p["gender"].as_str(), p["gender_text"].as_str()), (Some("woman"), Some("ქალი")));
    assert_eq!((p["birth_year"].as_i64(), p["participant_type"].as_str()), (Some(1990), Some("journalist")));
    let id = p["id"].to_string();
    // Disability without consent is refused, and nothing is stored.
    let refused = cli.run(&["person", "add", "--name", "No Consent", "--disability", "yes"]);
    assert_ne!(refused.code, 0);
    assert!(cli.json(&["person", "list", "--search", "No Consent"]).as_array().unwrap().is_empty());
    cli.json(&["attendance", "set", "--event", &event, "--person", &id, "--status", "attended", "--minutes", "50"]);
    let walk = cli.json(&["person", "add", "--name", "Walker", "--gender", "agender"]);
    assert_eq!(walk["gender"], "self_described");

    let d = cli.json(&["report", "donor", "--project", &iss, "--rows", "disability", "--cols", "age_band"]);
    assert_eq!((d["rows_dimension"].as_str(), d["columns_dimension"].as_str()), (Some("disability"), Some("age_band")));
    assert_eq!(d["total"], 54);
    assert_eq!(d["rows"][0]["key"], "yes");
    assert_eq!(d["rows"][0]["total"], 1);
    let text = cli.run(&["report", "donor", "--project", &iss, "--rows", "participant_type", "--cols", "gender"]);
    assert!(text.stdout.contains("by participant type and gender"), "{}", text.stdout);
    let bad = cli.run(&["report", "donor", "--project", &iss, "--rows", "shoe_size"]);
    assert_ne!(bad.code, 0);

    let r = cli.json(&["report", "registration", "--project", &iss]);
    assert_eq!(r["total"]["attended"], 54);
    assert!(r["total"]["no_shows"].as_i64().unwrap() >= 0 && r["events"].as_array().unwrap().len() == 1);

    cli.json(&["indicator", "add", "--project", &iss, "--name", "People", "--baseline", "0", "--target", "100"]);
    cli.json(&[
        "indicator",
        "add",
        "--project",
        &iss,
        "--name",
        "Women share",
        "--filter",
        "gender=woman",
        "--share",
        "--target",
        "50",
    ]);
    let ind = cli.json(&["report", "indicators", "--project", &iss]);
    assert_eq!(ind["indicators"][0]["actual"], 54.0);
    assert_eq!(ind["indicators"][0]["percent_of_target"], 54.0);
    assert_eq!(cli.json(&["indicator", "list", "--project", &iss]).as_array().unwrap().len(), 2);

    let review = cli.json(&["person", "gender-review"]);
    assert!(review.as_array().unwrap().iter().any(|r| r["spelling"] == "agender"));
    let m = cli.json(&["person", "gender-map", "AGENDER", "non_binary"]);
    assert_eq!(m["people"], 1);

    let out = cli.path("donor-dims.csv");
    cli.json(&[
        "export",
        "report",
        "donor",
        "--project",
        &iss,
        "--rows",
        "gender",
        "--cols",
        "organiser",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(std::fs::read_to_string(&out).unwrap().contains("gender,"));
    let out = cli.path("indicators.csv");
    let r = cli.json(&["export", "report", "indicators", "--project", &iss, "--out", out.to_str().unwrap()]);
    assert_eq!(r["rows"], 2);
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.contains("indicator_id,name,measure,filter,share,baseline,target,actual,percent_of_target"), "{text}");
}

/// Issue 15: a Zoom registration report imported into the webinar, then the registration table exported:
/// one line per event and the project's total, registrants who did not come counted as no-shows.
#[test]
fn issue15_zoom_registration_report_and_registration_export() {
    let (cli, iss) = sample();
    let event = cli.json(&["event", "list", "--project", &iss])[0]["id"].to_string();
    let fixture = crate::support::fixtures().join("import/zoom_registration.csv");
    let r = cli.json(&["import", fixture.to_str().unwrap(), "--event", &event]);
    assert_eq!((r["format"].as_str(), r["people_created"].as_u64()), (Some("zoom-registration"), Some(6)));
    let report = cli.json(&["report", "registration", "--project", &iss]);
    assert_eq!(report["total"]["registered"], 4);
    assert_eq!(report["total"]["no_shows"], 4);
    let out = cli.path("registration.csv");
    let r = cli.json(&["export", "report", "registration", "--project", &iss, "--out", out.to_str().unwrap()]);
    let text = std::fs::read_to_string(&out).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(r["rows"], lines.len() as u64 - 1, "{text}");
    assert!(lines[0].contains("event_id,event,date,registered,attended,registered_attended,no_shows,walk_ins,attendance_rate,no_show_rate"), "{text}");
    let total: Vec<&str> = lines.last().unwrap().split(',').collect();
    assert_eq!((total[0], total[3], total[6]), ("total", "4", "4"), "{text}");
}
