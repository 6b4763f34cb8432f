//! Update checks (see crate::updates): the setting, a check that honours it and the once-a-day limit,
//! and the download of the update found, kept only when its signature verifies.

use tauri::{AppHandle, Manager, Runtime};

use rollcall_core::Result;

use crate::updates::{self, Downloaded, Outcome, Settings};
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

#[tauri::command]
pub async fn updates_check<R: Runtime>(app: AppHandle<R>) -> Result<Outcome> {
    let path = settings_file(&app);
    updates::check(&app, &path, updates::now()).await
}

#[tauri::command]
pub async fn updates_download<R: Runtime>(app: AppHandle<R>) -> Result<Downloaded> {
    updates::download(&app).await
}
