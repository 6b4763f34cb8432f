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

/// Issue 16: the native menu takes the window's labels (in its language); a label that is not short plain
/// text is refused with the field named, before the menu is touched.
#[test]
fn issue16_the_menu_takes_the_windows_labels() {
    let shell = Shell::new();
    let mut labels = json!({
        "file": "Файл", "backup_now": "Створити резервну копію", "backup_save": "Зберегти резервну копію як…",
        "open_data": "Ваші дані…", "quit": "Вийти", "edit": "Редагування", "undo": "Скасувати",
        "redo": "Повторити", "cut": "Вирізати", "copy": "Копіювати", "paste": "Вставити", "select_all": "Виділити все"
    });
    // (Building the menu itself needs a real window: the E2E tests use the relabelled menu.)
    labels["quit"] = json!("Quit\nnow");
    let refused = shell.err("menu_labels", json!({ "labels": labels }));
    assert_eq!((refused["kind"].as_str(), refused["field"].as_str()), (Some("invalid"), Some("labels")), "{refused}");
}

/// Issue 20: the CLI's default database (`rollcall-cli` without `--db`) is the one the desktop app opens,
/// on every OS: the same app-data folder (on Windows the roaming one, `%APPDATA%`, for both) and the same
/// identifier as tauri.conf.json, so a script and the window never work on two different files.
#[test]
fn issue20_the_cli_and_the_app_find_the_same_database() {
    use tauri::Manager;
    let shell = Shell::new();
    // Tauri's app-data folder is its data folder joined with the identifier (the mock's is empty).
    let data = shell.app().path().data_dir().unwrap();
    let app_data = shell.app().path().app_data_dir().unwrap();
    assert_eq!(app_data, data.join(&shell.app().config().identifier));
    let cli = rollcall_core::db::default_path();
    assert_eq!(Some(data.as_path()), cli.parent().and_then(|p| p.parent()), "{} vs {}", data.display(), cli.display());
    let conf: serde_json::Value = serde_json::from_str(include_str!("../../../tauri.conf.json")).unwrap();
    assert_eq!(conf["identifier"], rollcall_core::db::APP_IDENTIFIER);
    assert_eq!(cli.file_name().unwrap(), rollcall_core::db::DB_FILE_NAME);
}
