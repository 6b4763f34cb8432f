//! People commands: paging and search through IPC with the arguments the People view sends.

use serde_json::json;

use crate::support::Shell;

#[test]
fn search_and_paging_through_ipc() {
    let shell = Shell::new();
    shell.ok("sample_data_load", json!({}));
    let page = shell.ok("person_list", json!({"query": {"search": "олена", "offset": 0, "limit": 10}}));
    assert!(page["total"].as_i64().unwrap() >= 1, "{page}");
    let page = shell.ok("person_list", json!({"query": {"offset": 0, "limit": 10}}));
    assert_eq!(page["items"].as_array().unwrap().len(), 10);
    assert_eq!(page["total"], 58);
}

#[test]
fn html_in_a_name_is_stored_as_text() {
    let shell = Shell::new();
    let name = "<img src=x onerror=alert(1)>";
    let p = shell.ok("person_create", json!({"input": {"full_name": name}}));
    let got = shell.ok("person_get", json!({"id": p["id"]}));
    assert_eq!(got["full_name"], name);
}

/// Issue #19: missing-data filters, bulk edit and suggestions through IPC.
#[test]
fn issue19_missing_filter_bulk_update_and_suggestions() {
    let shell = Shell::new();
    let a =
        shell.ok("person_create", json!({"input": {"full_name": "Andrei Rusu", "email": "andrei.rusu@example.md"}}));
    let b = shell.ok("person_create", json!({"input": {"full_name": "Levan Gelashvili", "country": "GE"}}));
    let missing = shell.ok("person_list", json!({"query": {"missing": ["country"], "offset": 0, "limit": 50}}));
    assert_eq!(missing["total"], 1, "{missing}");
    assert_eq!(missing["items"][0]["id"], a["id"]);
    let s = shell.ok("person_suggestions", json!({"query": {"missing": ["country"]}}));
    assert_eq!(
        s,
        json!([{"person_id": a["id"], "field": "country", "value": "MD", "label": "MD", "reason": "email_country_domain", "domain": "example.md"}])
    );
    let org = shell.ok("organisation_create", json!({"input": {"name": "Krok"}}));
    let done = shell.ok(
        "person_bulk_update",
        json!({"input": {"ids": [a["id"], b["id"]], "country": "MD", "gender": "man", "organisation_id": org["id"]}}),
    );
    assert_eq!(done, json!({"updated": 2, "fields": ["country", "gender", "organisation"]}));
    let none = shell.ok("person_list", json!({"query": {"missing": ["country", "gender", "organisation"]}}));
    assert_eq!(none["total"], 0);
    for (args, field) in [
        (json!({"input": {"ids": [0], "country": "UA"}}), "ids"),
        (json!({"input": {"ids": [a["id"]], "country": "Ukraine"}}), "country"),
        (json!({"input": {"ids": [a["id"]], "organisation_id": -1}}), "organisation_id"),
        (json!({"input": {"ids": [a["id"]]}}), "fields"),
    ] {
        let e = shell.err("person_bulk_update", args);
        assert_eq!(e["field"], field, "{e}");
    }
    assert_eq!(shell.ok("person_other_emails", json!({"id": a["id"]})), json!([]));
}
