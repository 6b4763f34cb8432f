//! Commands for the "Your data" screen: integrity check, backups (automatic, on demand, save as),
//! restore, and encryption at rest (unlock, encrypt, decrypt, change passphrase).

use tauri::{AppHandle, Manager, Runtime, State};

use rollcall_core::safety::{self, BackupInfo, CheckReport};
use rollcall_core::Result;

use super::check_path;
use crate::{jobs, AppState};
use rollcall_core::encryption::{self, CryptoReport};
use rollcall_core::restore::{self, RestoreReport};

/// Opens the encrypted database with the passphrase the user typed.
#[tauri::command]
pub async fn db_unlock(state: State<'_, AppState>, passphrase: String) -> Result<()> {
    state.unlock(passphrase)
}

/// Integrity and foreign-key checks; a job because a large database takes seconds.
#[tauri::command]
pub async fn safety_check<R: Runtime>(app: AppHandle<R>, job: u64) -> Result<CheckReport> {
    jobs::run(app, job, |conn, _| safety::check(conn)).await
}

/// A verified backup in the app's backups folder, now.
#[tauri::command]
pub async fn backup_now<R: Runtime>(app: AppHandle<R>, job: u64) -> Result<BackupInfo> {
    let db_path = app.state::<AppState>().path.clone();
    jobs::run(app, job, move |conn, _| safety::backup_now(conn, &db_path)).await
}

/// A verified backup written where the user chose (a USB stick, another disk).
#[tauri::command]
pub async fn backup_save<R: Runtime>(app: AppHandle<R>, job: u64, path: String) -> Result<BackupInfo> {
    let out = check_path("path", &path, false)?;
    let written = out.clone();
    let info = jobs::run(app.clone(), job, move |conn, _| safety::backup(conn, &out)).await?;
    app.state::<AppState>().note_written(&written);
    Ok(info)
}

#[tauri::command]
pub async fn backup_list(state: State<'_, AppState>) -> Result<Vec<BackupInfo>> {
    safety::list_backups(&state.path)
}

/// Replaces the database with a backup (the current one is kept as a backup first). An encrypted
/// backup needs its passphrase; without one, the open database's passphrase is tried.
#[tauri::command]
pub async fn backup_restore(
    state: State<'_, AppState>,
    path: String,
    passphrase: Option<String>,
) -> Result<RestoreReport> {
    let backup = check_path("path", &path, true)?;
    let passphrase = passphrase.filter(|p| !p.is_empty()).or_else(|| state.passphrase());
    let after = passphrase.clone();
    state.reopen_around(Some(after), |db| restore::restore(db, &backup, passphrase.as_deref()))
}

// Encrypting, decrypting and changing the passphrase rewrite the database and every backup: background
// jobs with progress in bytes (no Cancel: each step is whole or not done, and an interrupted run is
// finished at the next open).

#[tauri::command]
pub async fn db_encrypt<R: Runtime>(app: AppHandle<R>, job: u64, passphrase: String) -> Result<CryptoReport> {
    encryption::check_passphrase(&passphrase)?;
    jobs::run_with_state(app, job, move |state, progress| {
        state.reopen_around(Some(Some(passphrase.clone())), |db| encryption::encrypt_with(db, &passphrase, progress))
    })
    .await
}

#[tauri::command]
pub async fn db_decrypt<R: Runtime>(app: AppHandle<R>, job: u64, passphrase: String) -> Result<CryptoReport> {
    jobs::run_with_state(app, job, move |state, progress| {
        state.reopen_around(Some(None), |db| encryption::decrypt_with(db, &passphrase, progress))
    })
    .await
}

#[tauri::command]
pub async fn db_change_passphrase<R: Runtime>(
    app: AppHandle<R>,
    job: u64,
    old: String,
    new: String,
) -> Result<CryptoReport> {
    encryption::check_passphrase(&new)?;
    jobs::run_with_state(app, job, move |state, progress| {
        state.reopen_around(Some(Some(new.clone())), |db| encryption::change_passphrase_with(db, &old, &new, progress))
    })
    .await
}
