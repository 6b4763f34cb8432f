//! Report and export commands: the figures the window gets are the core's own, bad ids, dates, numbers,
//! options and paths are refused with the field to mark, and an export job writes a CSV that reads back.

use serde_json::{json, Value};

use rollcall_core::reports::{self, DonorOptions, SummaryOptions};

use crate::support::Shell;

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// A shell with the sample data loaded; returns it with the database path and the sample project's id.
fn sample_shell() -> (Shell, String, i64) {
    let shell = Shell::new();
    shell.ok("sample_data_load", json!({}));
    let path = shell.ok("app_status", json!({}))["database_path"].as_str().unwrap().to_string();
    let projects = shell.ok("project_list", json!({}));
    let id = projects
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == rollcall_core::sample::PROJECT_NAME)
        .expect("the sample project")["id"]
        .as_i64()
        .unwrap();
    (shell, path, id)
}

#[test]
fn report_project_gives_the_figures_of_the_core() {
    let (shell, db, id) = sample_shell();
    let got = shell.ok("report_project", json!({"projectId": id, "from": null, "to": null}));
    // The same report computed by the core on its own connection, compared field by field.
    let mut conn = rollcall_core::open::open(std::path::Path::new(&db)).unwrap();
    let want =
        serde_json::to_value(reports::project_summary(&mut conn, id, &SummaryOptions::default()).unwrap()).unwrap();
    assert_eq!(got, want);
    assert_eq!(got["unique_people"], 53, "{got}");
    assert_eq!(got["attendances"], 53);
    let gender_labels: Vec<&str> =
        got["people_by_gender"].as_array().unwrap().iter().map(|b| b["label"].as_str().unwrap()).collect();
    assert_eq!(gender_labels.last(), Some(&"not stated"));

    // A range that holds no event: zero everywhere, and the range echoed back normalised.
    let empty = shell.ok("report_project", json!({"projectId": id, "from": "2023-01-01", "to": "2023-12-31"}));
    assert_eq!((empty["events"].clone(), empty["unique_people"].clone()), (json!(0), json!(0)));
    assert_eq!(empty["from"], "2023-01-01");

    let donor = shell.ok("report_donor", json!({"projectId": id, "minMinutes": 116, "minEvents": null}));
    let want =
        reports::donor_table(&mut conn, id, &DonorOptions { min_minutes: Some(116), ..Default::default() }).unwrap();
    assert_eq!(donor, serde_json::to_value(want).unwrap());
    assert_eq!(donor["total"], 5);

    let partners = shell.ok("report_partners", json!({"projectId": id}));
    assert!(!partners["partners"].as_array().unwrap().is_empty(), "{partners}");
    let event_id = got["attendance_by_event"][0]["event_id"].as_i64().unwrap();
    let event = shell.ok("report_event", json!({"eventId": event_id}));
    assert_eq!(event["attended"], 53);
    let org_id = partners["partners"][0]["organisation_id"].as_i64().unwrap();
    let org = shell.ok("report_organisation", json!({"orgId": org_id}));
    assert_eq!(org["organisation_id"], org_id, "{org}");
}

#[test]
fn bad_ids_dates_and_numbers_are_refused_with_their_field() {
    let (shell, _, id) = sample_shell();
    let cases: Vec<(&str, Value, &str)> = vec![
        ("report_project", json!({"projectId": 0}), "project_id"),
        ("report_project", json!({"projectId": -3}), "project_id"),
        ("report_project", json!({"projectId": id, "from": "2022-13-01"}), "from"),
        ("report_project", json!({"projectId": id, "to": "28.06.2022"}), "to"),
        ("report_project", json!({"projectId": id, "from": "2022-07-01", "to": "2022-06-01"}), "to"),
        ("report_donor", json!({"projectId": id, "minMinutes": -1}), "min_minutes"),
        ("report_donor", json!({"projectId": id, "minEvents": -2}), "min_events"),
        ("report_donor", json!({"projectId": id, "from": "yesterday"}), "from"),
        ("report_event", json!({"eventId": 0}), "event_id"),
        ("report_organisation", json!({"orgId": -1}), "org_id"),
        ("report_partners", json!({"projectId": 0}), "project_id"),
    ];
    for (cmd, args, field) in cases {
        let e = shell.err(cmd, args.clone());
        assert_eq!(e["kind"], "invalid", "{cmd} {args}: {e}");
        assert_eq!(e["field"], field, "{cmd} {args}: {e}");
    }
    let e = shell.err("report_project", json!({"projectId": 9999}));
    assert_eq!(e["kind"], "not_found", "{e}");
}

/// Reads a CSV file written with a BOM and `delimiter`: the rows as cells (the figures hold no quotes).
fn read_back(path: &std::path::Path, delimiter: char) -> Vec<Vec<String>> {
    let bytes = std::fs::read(path).unwrap();
    assert!(bytes.starts_with(BOM), "no BOM at the start of {}", path.display());
    let text = std::str::from_utf8(&bytes[BOM.len()..]).unwrap();
    text.split("\r\n").filter(|l| !l.is_empty()).map(|l| l.split(delimiter).map(String::from).collect()).collect()
}

#[test]
fn export_jobs_write_csv_files_that_read_back() {
    let (shell, _, id) = sample_shell();
    let dir = tempfile::tempdir().unwrap();

    let donor_path = dir.path().join("donor.csv");
    let out = shell.ok(
        "export_report",
        json!({
            "job": 1, "path": donor_path.to_str().unwrap(), "kind": "donor", "projectId": id,
            "options": {"delimiter": "semicolon", "bom": true, "pseudonymous": false}
        }),
    );
    assert_eq!(out["rows"], 5, "{out}");
    let rows = read_back(&donor_path, ';');
    assert_eq!(rows[0], ["gender", "GE", "MD", "UA", "total"]);
    assert_eq!(rows[1], ["woman", "7", "7", "10", "24"]);
    assert_eq!(rows.last().unwrap(), &["total", "16", "16", "21", "53"]);

    // The summary in long form: the unique people figure is on its own row.
    let summary_path = dir.path().join("summary.CSV");
    shell.ok(
        "export_report",
        json!({"job": 2, "path": summary_path.to_str().unwrap(), "kind": "project", "projectId": id}),
    );
    let rows = read_back(&summary_path, ',');
    assert_eq!(rows[0], ["section", "key", "label", "date", "value"]);
    assert!(rows.iter().any(|r| r[0] == "total" && r[1] == "unique_people" && r[4] == "53"), "{rows:?}");

    // Attendance of the project, pseudonymous with tabs: codes instead of names, one row per attendance
    // record (53 attended and 4 absent).
    let att_path = dir.path().join("attendance.tsv");
    let out = shell.ok(
        "export_project_attendance",
        json!({"job": 3, "path": att_path.to_str().unwrap(), "projectId": id, "options": {"delimiter": "tab", "pseudonymous": true}}),
    );
    let rows = read_back(&att_path, '\t');
    assert_eq!(out["rows"].as_u64().unwrap() as usize, rows.len() - 1);
    assert_eq!(rows.len() - 1, 57, "{:?}", rows[0]);
    let text = std::fs::read_to_string(&att_path).unwrap();
    assert!(!text.contains("Doina Popescu"), "a pseudonymous export holds a name");

    let people_path = dir.path().join("people.txt");
    let out = shell.ok("export_people", json!({"job": 4, "path": people_path.to_str().unwrap()}));
    assert!(out["rows"].as_u64().unwrap() >= 57, "{out}");
    assert_eq!(read_back(&people_path, ',').len() as u64, out["rows"].as_u64().unwrap() + 1);
}

#[test]
fn exports_refuse_bad_paths_and_options_and_write_nothing() {
    let (shell, _, id) = sample_shell();
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("out.csv");
    let good = good.to_str().unwrap();
    let missing_dir = dir.path().join("no such folder").join("out.csv");
    let exe = dir.path().join("rollcall.sqlite3");
    let cases: Vec<(Value, &str)> = vec![
        (json!({"path": ""}), "path"),
        (json!({"path": "out.csv"}), "path"),
        (json!({"path": exe.to_str().unwrap()}), "path"),
        (json!({"path": missing_dir.to_str().unwrap()}), "path"),
        (json!({"path": dir.path().to_str().unwrap()}), "path"),
        (json!({"path": format!("/{}.csv", "x".repeat(5000))}), "path"),
        (json!({"path": good, "options": {"delimiter": "pipe"}}), "delimiter"),
        (json!({"path": good, "kind": "everything"}), "kind"),
        (json!({"path": good, "projectId": 0}), "project_id"),
        (json!({"path": good, "from": "2022-02-30"}), "from"),
        (json!({"path": good, "kind": "donor", "minMinutes": -5}), "min_minutes"),
    ];
    for (i, (args, field)) in cases.into_iter().enumerate() {
        let mut full = json!({"job": 100 + i, "kind": "donor", "projectId": id});
        for (k, v) in args.as_object().unwrap() {
            full[k] = v.clone();
        }
        let e = shell.err("export_report", full.clone());
        assert_eq!(e["kind"], "invalid", "{full}: {e}");
        assert_eq!(e["field"], field, "{full}: {e}");
    }
    let e = shell.err("export_event_attendance", json!({"job": 200, "path": good, "eventId": -1}));
    assert_eq!(e["field"], "event_id", "{e}");
    let e = shell.err("export_event_attendance", json!({"job": 201, "path": good, "eventId": 9999}));
    assert_eq!(e["kind"], "not_found", "{e}");
    let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert!(left.is_empty(), "refused exports left files behind: {left:?}");
}

/// The Reports panel's dimension pickers (issue 15): any two dimensions, totals equal to unique people,
/// and a wrong dimension named as the field it came from.
#[test]
fn the_donor_table_takes_two_dimensions_from_the_window() {
    let shell = crate::support::Shell::new();
    shell.ok("sample_data_load", serde_json::json!({}));
    let id = shell.ok("project_list", serde_json::json!({}))[0]["id"].as_i64().unwrap();
    let plain = shell.ok("report_donor", serde_json::json!({"projectId": id}));
    let table = shell.ok("report_donor", serde_json::json!({"projectId": id, "rows": "age_band", "cols": "gender"}));
    assert_eq!(
        (table["rows_dimension"].as_str(), table["columns_dimension"].as_str()),
        (Some("age_band"), Some("gender"))
    );
    assert_eq!(table["total"], plain["total"], "every table counts the same unique people");
    let err = shell.err("report_donor", serde_json::json!({"projectId": id, "rows": "shoe_size"}));
    assert_eq!(err["field"], "rows", "{err}");
}

/// Issue #19: a donor-table figure opens the list of its people; the list matches the count, "not
/// stated" included.
#[test]
fn issue19_report_cell_people_match_the_donor_table() {
    let (shell, _, id) = sample_shell();
    let donor = shell.ok("report_donor", json!({"projectId": id}));
    let columns = donor["columns"].as_array().unwrap();
    for row in donor["rows"].as_array().unwrap() {
        let list = shell.ok("report_cell_people", json!({"projectId": id, "dim": "gender", "value": row["key"]}));
        assert_eq!(list["total"], row["total"], "{row}");
        for (i, col) in columns.iter().enumerate() {
            let cell = shell.ok(
                "report_cell_people",
                json!({"projectId": id, "dim": "gender", "value": row["key"], "dim2": "country", "value2": col["key"], "limit": 500}),
            );
            assert_eq!(cell["total"], row["counts"][i], "{row} x {col}");
            assert_eq!(
                cell["people"].as_array().unwrap().len() as i64 + cell["erased"].as_i64().unwrap(),
                cell["total"].as_i64().unwrap()
            );
        }
    }
    for (args, field) in [
        (json!({"projectId": 0, "dim": "gender", "value": ""}), "project_id"),
        (json!({"projectId": id, "dim": "shoe_size", "value": ""}), "dim"),
        (json!({"projectId": id, "dim": "gender", "value": "", "dim2": "country"}), "value2"),
        (json!({"projectId": id, "dim": "gender", "value": "", "limit": -1}), "limit"),
    ] {
        let e = shell.err("report_cell_people", args);
        assert_eq!(e["field"], field, "{e}");
    }
}
