//! app_status and sample_data_load: what the window asks first.

use serde_json::json;

use crate::support::Shell;

#[test]
fn a_new_database_is_empty_and_sample_data_fills_it() {
    let shell = Shell::new();
    let status = shell.ok("app_status", json!({}));
    assert_eq!(status["empty"], json!(true), "{status}");
    shell.ok("sample_data_load", json!({}));
    let status = shell.ok("app_status", json!({}));
    assert_eq!(status["empty"], json!(false), "{status}");
    let projects = shell.ok("project_list", json!({}));
    assert_eq!(projects.as_array().unwrap().len(), 2);
}

#[test]
fn a_remote_page_cannot_call_the_commands() {
    let shell = Shell::new();
    let refused = shell.invoke_from("https://example.org", "person_list", json!({"query": {}}));
    assert!(refused.is_err(), "a remote origin reached person_list: {refused:?}");
}
