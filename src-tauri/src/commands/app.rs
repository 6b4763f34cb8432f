//! Commands about the app itself: where the data is, whether it opened, and the first-run sample data.

use serde::Serialize;
use tauri::State;

use rollcall_core::open::OpenStatus;
use rollcall_core::sample::{self, SampleSummary};
use rollcall_core::{Error, Result};

use crate::AppState;

#[derive(Serialize)]
pub struct AppStatus {
    pub version: &'static str,
    pub database_path: String,
    pub schema_version: Option<i64>,
    /// Why the database could not be opened, if it could not (kind `passphrase_required` when it is
    /// encrypted and waits for its passphrase).
    pub open_error: Option<Error>,
    /// True when the database is encrypted and not yet unlocked.
    pub locked: bool,
    /// How the database opened: read-only after damage was found, encrypted, the latest backup.
    pub database: Option<OpenStatus>,
    /// True when the database has no projects yet (the first run offers the sample data).
    pub empty: bool,
}

#[tauri::command]
pub async fn app_status(state: State<'_, AppState>) -> Result<AppStatus> {
    let snapshot = state.snapshot();
    let (schema_version, empty) = if snapshot.open_error.is_none() {
        state.with(|c| Ok((Some(rollcall_core::db::schema_version(c)?), rollcall_core::projects::none_yet(c)?)))?
    } else {
        (None, false)
    };
    Ok(AppStatus {
        version: env!("CARGO_PKG_VERSION"),
        database_path: state.path.display().to_string(),
        schema_version,
        locked: matches!(snapshot.open_error, Some(Error::PassphraseRequired { .. })),
        open_error: snapshot.open_error,
        database: snapshot.status,
        empty,
    })
}

#[tauri::command]
pub async fn sample_data_load(state: State<'_, AppState>) -> Result<SampleSummary> {
    state.with(sample::load)
}

/// Asks a running import, export or backup to stop; it rolls back and fails with kind "cancelled".
#[tauri::command]
pub async fn job_cancel(jobs: State<'_, crate::Jobs>, job: u64) -> Result<bool> {
    Ok(jobs.cancel(job))
}

/// The window calls this once its first screen is painted; the time since launch goes to the log
/// (and is what `make bench` reports as first paint).
#[tauri::command]
pub async fn app_ready<R: tauri::Runtime>(app: tauri::AppHandle<R>) -> Result<u64> {
    let ms = crate::STARTED.get().map(|t| t.elapsed().as_millis() as u64).unwrap_or(0);
    log::info!("first paint {ms} ms after launch");
    // The window is usable: today's backup (and the full check of a large database) can start.
    crate::jobs::daily_maintenance(app);
    Ok(ms)
}

/// The domain's fixed lists (roles, kinds, gender categories, dimensions...), which the window offers as
/// choices instead of keeping copies.
#[tauri::command]
pub async fn vocabulary() -> Result<rollcall_core::lists::Lists> {
    Ok(rollcall_core::lists::all())
}

/// Starts today's deferred work (the daily backup, the full check of a large database) once the window
/// is usable again after an unlock; `app_ready` starts it after the first paint. It runs once a session.
#[tauri::command]
pub async fn maintenance_start<R: tauri::Runtime>(app: tauri::AppHandle<R>) -> Result<()> {
    crate::jobs::daily_maintenance(app);
    Ok(())
}

/// Builds the native menu again in the window's language (the window sends its catalogue's labels at
/// start and after the language changes).
#[tauri::command]
pub async fn menu_labels<R: tauri::Runtime>(app: tauri::AppHandle<R>, labels: crate::menu::Labels) -> Result<()> {
    crate::menu::relabel(&app, &labels)
}
