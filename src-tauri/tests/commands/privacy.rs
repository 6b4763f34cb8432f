//! Privacy commands through IPC: a person's data is written (never over the database), erasure removes
//! the person and keeps the project's totals, retention lists people not seen since a date.

use serde_json::json;

use crate::support::Shell;

#[test]
fn person_data_is_written_erasure_keeps_totals_and_retention_lists_candidates() {
    let shell = Shell::new();
    shell.ok("sample_data_load", json!({}));
    let db = shell.ok("app_status", json!({}))["database_path"].as_str().unwrap().to_string();
    let dir = std::path::Path::new(&db).parent().unwrap().to_path_buf();
    let project = shell.ok("project_list", json!({}))[0]["id"].as_i64().unwrap();
    let olena =
        shell.ok("person_list", json!({"query": {"search": "олена", "offset": 0, "limit": 1}}))["items"][0].clone();
    let out = dir.join("olena.json");
    let written =
        shell.ok("person_export", json!({"id": olena["id"], "path": out.to_str().unwrap(), "format": "json"}));
    assert!(written["bytes"].as_u64().unwrap() > 100);
    let err = shell.err("person_export", json!({"id": olena["id"], "path": db, "format": "json"}));
    assert_eq!(err["kind"], "invalid", "{err}");

    let before = shell.ok("report_project", json!({"projectId": project, "from": null, "to": null}));
    let erased = shell.ok("person_erase", json!({"id": olena["id"]}));
    assert_eq!(erased["people"], 1, "{erased}");
    let after = shell.ok("report_project", json!({"projectId": project, "from": null, "to": null}));
    assert_eq!(before["unique_people"], after["unique_people"], "totals are kept");
    assert_eq!(shell.err("person_get", json!({"id": olena["id"]}))["kind"], "not_found");

    let candidates = shell.ok("retention_candidates", json!({"before": "2999-01-01"}));
    assert!(!candidates.as_array().unwrap().is_empty());
    assert_eq!(shell.err("retention_candidates", json!({"before": "soon"}))["field"], "before");
}
