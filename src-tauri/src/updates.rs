//! Update checks (issue 20): Tauri's updater plugin, reached only through Rollcall's own commands (the
//! window is not granted the plugin's JavaScript API), so the "update checks" setting cannot be bypassed.
//! A check asks the configured endpoint at most once a day and never when the setting is off; a
//! download is kept only after its signature verifies against the public key in tauri.conf.json.
//! Installing a verified download (after a backup of the database) is not part of this module yet.

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Emitter, Manager, Runtime};
use tauri_plugin_updater::{Update, UpdaterExt};

use rollcall_core::{Error, Result};

/// The settings file, beside the database (one per installation's data folder).
pub const SETTINGS_FILE: &str = "rollcall-updates.json";
/// At most one request to the update server per this many seconds.
pub const CHECK_INTERVAL_SECS: i64 = 24 * 60 * 60;
/// The event that reports download progress: `{received, total}` in bytes (`total` when known).
pub const PROGRESS_EVENT: &str = "update-progress";

/// The updater plugin, configured from `plugins.updater` in tauri.conf.json (the public key; the
/// endpoints, if this build has any).
pub fn plugin<R: Runtime>() -> tauri::plugin::TauriPlugin<R, tauri_plugin_updater::Config> {
    tauri_plugin_updater::Builder::new().build()
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct Settings {
    /// Whether Rollcall may ask the update server for a new version. Off means no request at all.
    pub enabled: bool,
    /// When the last request was made (seconds since 1970), whatever its result.
    pub last_check: Option<i64>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings { enabled: true, last_check: None }
    }
}

/// Where the settings of the installation whose database is at `database` are kept.
pub fn settings_path(database: &Path) -> PathBuf {
    database.parent().unwrap_or_else(|| Path::new(".")).join(SETTINGS_FILE)
}

/// The settings: the defaults when there is no file yet; checks off when the file cannot be read, so
/// that a damaged file never turns on requests the user had turned off.
pub fn load(path: &Path) -> Settings {
    match std::fs::read(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Settings::default(),
        Err(_) => Settings { enabled: false, last_check: None },
        Ok(bytes) => serde_json::from_slice(&bytes).unwrap_or(Settings { enabled: false, last_check: None }),
    }
}

/// Writes the settings whole (a temporary file renamed over the old one).
pub fn save(path: &Path, settings: &Settings) -> Result<()> {
    let tmp = path.with_extension("json.tmp");
    let json = serde_json::to_vec_pretty(settings).map_err(|e| Error::Internal { message: e.to_string() })?;
    std::fs::write(&tmp, json).map_err(|e| Error::io(&tmp, e))?;
    std::fs::rename(&tmp, path).map_err(|e| Error::io(path, e))
}

pub fn now() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0)
}

/// What a check found.
#[derive(Serialize, Debug, PartialEq, Eq)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Outcome {
    /// Update checks are off: no request was made.
    Disabled,
    /// The last check was less than a day ago: no request was made.
    NotDue {
        next_check: i64,
    },
    /// This build has no update server configured: no request was made.
    NotConfigured,
    UpToDate,
    /// A newer version; `notes` is what is new in it, as its release says.
    Available {
        version: String,
        notes: Option<String>,
        date: Option<String>,
    },
}

/// A verified download, ready to be installed.
#[derive(Serialize, Debug)]
pub struct Downloaded {
    pub version: String,
    pub bytes: usize,
}

/// The update found by the last check and, once downloaded and verified, its package.
#[derive(Default)]
pub struct Updates {
    found: Mutex<Option<Update>>,
    verified: Mutex<Option<(Update, Vec<u8>)>>,
}

/// Checks for a newer version, honouring the setting and the once-a-day limit. The time of the check
/// is recorded before the request, so a failing server is not asked again the same day.
pub async fn check<R: Runtime>(app: &AppHandle<R>, settings_file: &Path, now: i64) -> Result<Outcome> {
    let mut settings = load(settings_file);
    if !settings.enabled {
        return Ok(Outcome::Disabled);
    }
    if let Some(last) = settings.last_check {
        if last <= now && now - last < CHECK_INTERVAL_SECS {
            return Ok(Outcome::NotDue { next_check: last + CHECK_INTERVAL_SECS });
        }
    }
    let updater = match app.updater() {
        Ok(updater) => updater,
        Err(tauri_plugin_updater::Error::EmptyEndpoints) => return Ok(Outcome::NotConfigured),
        Err(e) => return Err(Error::Internal { message: format!("the updater cannot start: {e}") }),
    };
    settings.last_check = Some(now);
    save(settings_file, &settings)?;
    log::info!("checking for updates");
    let found = updater.check().await.map_err(|e| Error::Conflict {
        message: format!("The update check failed ({e}). Nothing was changed; Rollcall tries again tomorrow."),
        code: Some("update_check_failed"),
    })?;
    let state = app.state::<Updates>();
    *state.verified.lock().unwrap_or_else(|p| p.into_inner()) = None;
    let outcome = match &found {
        None => Outcome::UpToDate,
        Some(u) => Outcome::Available {
            version: u.version.clone(),
            notes: u.body.clone(),
            date: u.date.map(|d| d.to_string()),
        },
    };
    *state.found.lock().unwrap_or_else(|p| p.into_inner()) = found;
    Ok(outcome)
}

/// Downloads the update the last check found, reporting progress, and keeps it only if its signature
/// verifies against the app's update key. A refused download leaves nothing behind.
pub async fn download<R: Runtime>(app: &AppHandle<R>) -> Result<Downloaded> {
    let state = app.state::<Updates>();
    let update = state.found.lock().unwrap_or_else(|p| p.into_inner()).clone().ok_or_else(|| Error::Conflict {
        message: "There is no update to download: check for updates first.".into(),
        code: Some("no_update"),
    })?;
    let mut received = 0u64;
    let bytes = update
        .download(
            |chunk, total| {
                received += chunk as u64;
                let _ = app.emit(PROGRESS_EVENT, serde_json::json!({ "received": received, "total": total }));
            },
            || {},
        )
        .await
        .map_err(|e| refused(&update.version, e))?;
    log::info!("update {} downloaded and verified ({} bytes)", update.version, bytes.len());
    let downloaded = Downloaded { version: update.version.clone(), bytes: bytes.len() };
    *state.verified.lock().unwrap_or_else(|p| p.into_inner()) = Some((update, bytes));
    Ok(downloaded)
}

/// The verified package of `version`, if one was downloaded (for the installer, and for tests).
pub fn verified_version<R: Runtime>(app: &AppHandle<R>) -> Option<String> {
    let state = app.state::<Updates>();
    let verified = state.verified.lock().unwrap_or_else(|p| p.into_inner());
    verified.as_ref().map(|(u, _)| u.version.clone())
}

fn refused(version: &str, e: tauri_plugin_updater::Error) -> Error {
    use tauri_plugin_updater::Error as E;
    let signature = matches!(
        e,
        E::Minisign(_) | E::Base64(_) | E::SignatureUtf8(_) | E::SignedVersionMismatch { .. } | E::MissingSignedVersion
    );
    if signature {
        log::warn!("update {version} refused: its signature does not verify ({e})");
        Error::Conflict {
            message: format!(
                "The download of Rollcall {version} was refused: it is not signed with Rollcall's update key. \
                 Nothing was installed or changed."
            ),
            code: Some("update_signature"),
        }
    } else {
        Error::Conflict {
            message: format!("The download of Rollcall {version} failed ({e}). Nothing was installed or changed."),
            code: Some("update_download_failed"),
        }
    }
}
