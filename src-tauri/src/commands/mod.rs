//! Tauri commands, one module per domain. Each command is a few lines: check the arguments that the
//! core does not (ids are positive), call the core through `AppState::with`, return its result. Errors
//! cross IPC as `{kind, message, field?, code?, params?}` (see rollcall_core::Error). Commands are `async` so that none
//! runs on the UI thread.

mod app;
mod attendance;
mod consortium;
mod events;
mod export;
mod files;
mod import;
mod organisations;
mod people;
mod privacy;
mod projects;
mod reports;
mod safety;
mod updates;

use rollcall_core::{Error, Result};

/// Registers every command with the builder.
pub fn register<R: tauri::Runtime>(builder: tauri::Builder<R>) -> tauri::Builder<R> {
    builder.invoke_handler(tauri::generate_handler![
        app::app_status,
        app::sample_data_load,
        app::job_cancel,
        app::app_ready,
        app::vocabulary,
        app::maintenance_start,
        app::menu_labels,
        updates::updates_settings,
        updates::updates_set_enabled,
        updates::updates_check,
        updates::updates_postpone,
        updates::updates_download,
        updates::updates_cancel,
        updates::updates_install,
        projects::project_list,
        projects::project_get,
        projects::project_create,
        projects::project_update,
        projects::project_delete,
        projects::partner_list,
        projects::partner_add,
        projects::partner_set_role,
        projects::partner_remove,
        organisations::organisation_list,
        organisations::organisation_get,
        organisations::organisation_create,
        organisations::organisation_update,
        organisations::organisation_delete,
        events::event_list,
        events::event_get,
        events::event_create,
        events::event_update,
        events::event_delete,
        people::person_list,
        people::person_bulk_update,
        people::person_suggestions,
        people::person_other_emails,
        people::person_get,
        people::person_create,
        people::person_update,
        people::person_delete,
        people::person_history,
        people::person_consents,
        people::person_consent_add,
        people::person_consent_withdraw,
        people::gender_review,
        people::gender_map,
        attendance::attendance_list,
        attendance::attendance_page,
        attendance::attendance_set,
        attendance::attendance_remove,
        attendance::attendance_expected,
        reports::report_event,
        reports::report_project,
        reports::report_donor,
        reports::report_cell_people,
        reports::report_organisation,
        reports::report_partners,
        reports::report_registration,
        reports::report_indicators,
        reports::indicator_add,
        reports::indicator_remove,
        export::export_event_attendance,
        export::export_project_attendance,
        export::export_people,
        export::export_report,
        files::file_open,
        files::file_reveal,
        import::import_preview,
        import::import_commit,
        import::import_headers,
        import::import_sheets,
        import::import_list,
        import::import_undo,
        import::import_paste,
        import::import_formats,
        safety::db_unlock,
        safety::safety_check,
        safety::backup_now,
        safety::backup_save,
        safety::backup_list,
        safety::backup_restore,
        safety::db_encrypt,
        safety::db_decrypt,
        safety::db_change_passphrase,
        privacy::person_export,
        privacy::person_erase,
        privacy::retention_candidates,
        privacy::retention_erase,
        privacy::disability_get,
        privacy::disability_set,
        privacy::disability_clear,
        consortium::identity_show,
        consortium::identity_set_organisation,
        consortium::contact_list,
        consortium::contact_add,
        consortium::contact_remove,
        consortium::bundle_export,
        consortium::bundle_apply,
        consortium::bundle_list,
        consortium::person_merge,
    ])
}

/// The longest path the window may pass (well above any OS limit, so only garbage is refused).
const MAX_PATH: usize = 4096;

/// A path chosen in a file dialog: absolute, of sane length, without NUL. `must_exist` also requires an
/// existing regular file (for files to read). The core checks everything about the content.
pub(crate) fn check_path(field: &str, path: &str, must_exist: bool) -> Result<std::path::PathBuf> {
    if path.is_empty() || path.len() > MAX_PATH || path.contains('\0') {
        return Err(Error::invalid(field, format!("{field} must be a file path")));
    }
    let path = std::path::PathBuf::from(path);
    if !path.is_absolute() {
        return Err(Error::invalid(field, format!("{field} must be an absolute path")));
    }
    if must_exist && !path.is_file() {
        return Err(Error::invalid(field, format!("{}: no such file", path.display())));
    }
    Ok(path)
}

/// Row ids are positive; anything else from the window is a bug or tampering, refused before the core.
pub(crate) fn check_id(field: &str, id: i64) -> Result<i64> {
    if id > 0 {
        Ok(id)
    } else {
        Err(Error::rule(field, rollcall_core::error::Rule::PositiveId, format!("{field} must be a positive id")))
    }
}
