//! Updates (see crate::updates): the setting, a check that honours it and the once-a-day limit, the
//! postpone, the download of the update found (kept only when its signature verifies) and its cancel,
//! and the install: a verified backup of the database first, then the package, then a restart.

use tauri::{AppHandle, Manager, Runtime};

use rollcall_core::Result;

use crate::updates::{self, Downloaded, Installed, Outcome, Settings};
use crate::AppState;

fn settings_file<R: Runtime>(app: &AppHandle<R>) -> std::path::PathBuf {
    updates::settings_path(&app.state::<AppState>().path)
}

#[tauri::command]
pub async fn updates_settings<R: Runtime>(app: AppHandle<R>) -> Result<Settings> {
    Ok(updates::load(&settings_file(&app)))
}

/// Turns update checks on or off; off means Rollcall sends no request at all.
#[tauri::command]
pub async fn updates_set_enabled<R: Runtime>(app: AppHandle<R>, enabled: bool) -> Result<Settings> {
    let path = settings_file(&app);
    let mut settings = updates::load(&path);
    settings.enabled = enabled;
    updates::save(&path, &settings)?;
    log::info!("update checks turned {}", if enabled { "on" } else { "off" });
    Ok(settings)
}

/// The window calls this once it is usable (at most one request a day), and "Check now" in "Your
/// data" with `manual` (a request when pressed); see updates::check.
#[tauri::command]
pub async fn updates_check<R: Runtime>(app: AppHandle<R>, manual: Option<bool>) -> Result<Outcome> {
    let path = settings_file(&app);
    updates::check(&app, &path, updates::now(), manual.unwrap_or(false)).await
}

#[tauri::command]
pub async fn updates_postpone<R: Runtime>(app: AppHandle<R>) -> Result<()> {
    updates::postpone(&app);
    Ok(())
}

/// Progress arrives as `update-progress` events; `updates_cancel` stops it.
#[tauri::command]
pub async fn updates_download<R: Runtime>(app: AppHandle<R>) -> Result<Downloaded> {
    updates::download(&app).await
}

#[tauri::command]
pub async fn updates_cancel<R: Runtime>(app: AppHandle<R>) -> Result<bool> {
    Ok(updates::cancel(&app))
}

/// Backs the database up (verified), installs the verified download and restarts.
#[tauri::command]
pub async fn updates_install<R: Runtime>(app: AppHandle<R>, job: u64) -> Result<Installed> {
    updates::install(app, job).await
}
