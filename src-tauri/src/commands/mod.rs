//! Tauri commands, one module per domain. Each command is a few lines: check the arguments that the
//! core does not (ids are positive), call the core through `AppState::with`, return its result. Errors
//! cross IPC as `{kind, message, field?}` (see rollcall_core::Error). Commands are `async` so that none
//! runs on the UI thread.

mod app;
mod attendance;
mod events;
mod organisations;
mod people;
mod projects;

use rollcall_core::{Error, Result};

/// Registers every command with the builder.
pub fn register<R: tauri::Runtime>(builder: tauri::Builder<R>) -> tauri::Builder<R> {
    builder.invoke_handler(tauri::generate_handler![
        app::app_status,
        app::sample_data_load,
        app::job_cancel,
        app::app_ready,
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
        people::person_get,
        people::person_create,
        people::person_update,
        people::person_delete,
        people::person_history,
        people::person_consents,
        people::person_consent_add,
        people::person_consent_withdraw,
        attendance::attendance_list,
        attendance::attendance_set,
        attendance::attendance_remove,
        attendance::attendance_expected,
    ])
}

/// Row ids are positive; anything else from the window is a bug or tampering, refused before the core.
pub(crate) fn check_id(field: &str, id: i64) -> Result<i64> {
    if id > 0 {
        Ok(id)
    } else {
        Err(Error::invalid(field, format!("{field} must be a positive id")))
    }
}
