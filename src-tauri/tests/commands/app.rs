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

/// The window's fixed lists come from the core in one answer (issue 12): no copies in ui/.
#[test]
fn the_vocabulary_comes_from_the_core() {
    let shell = crate::support::Shell::new();
    let v = shell.ok("vocabulary", serde_json::json!({}));
    assert_eq!(v["attendance_roles"][0], "participant", "{v}");
    assert!(v["genders"].as_array().unwrap().iter().any(|g| g == "woman"), "{v}");
    assert!(v["dimensions"].as_array().unwrap().iter().any(|d| d == "age_band"), "{v}");
    assert!(v["participant_types"].as_array().unwrap().iter().any(|d| d == "journalist"), "{v}");
}
