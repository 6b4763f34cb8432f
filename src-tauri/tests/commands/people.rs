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
