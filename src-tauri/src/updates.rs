//! Updates (issue 20): Tauri's updater plugin, reached only through Rollcall's own commands (the window
//! is not granted the plugin's JavaScript API), so the "update checks" setting cannot be bypassed.
//!
//! The order is fixed, and each step runs only when the one before it succeeded: a check (at most once
//! a day, never when the setting is off) → the window shows what is new and the user accepts or
//! postpones → the download, with progress and cancel, kept only when its signature verifies against
//! the public key in tauri.conf.json → a verified backup of the database (`safety::backup_before_update`)
//! → the plugin installs the package → the app restarts. A failure or a cancel at any step leaves the
//! installed app and the database as they were.
//!
//! Where the updater cannot replace the install (a .deb or .rpm without a graphical administrator
//! prompt, or a copy not installed from a Rollcall package), the window says so once per new version
//! and points to the new package instead (see `Install`).

use std::future::Future;
use std::path::{Path, PathBuf};
use std::pin::pin;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::Poll;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};
use serde_json::Value;
use tauri::{AppHandle, Emitter, Manager, Runtime};
use tauri_plugin_updater::{Update, UpdaterExt};

use rollcall_core::safety::{self, BackupInfo};
use rollcall_core::{Error, Result};

use crate::AppState;

/// The settings file, beside the database (one per installation's data folder).
pub const SETTINGS_FILE: &str = "rollcall-updates.json";
/// At most one request to the update server per this many seconds.
pub const CHECK_INTERVAL_SECS: i64 = 24 * 60 * 60;
/// The event that reports download progress: `{version, received, total}` in bytes (`total` when known).
pub const PROGRESS_EVENT: &str = "update-progress";
/// Progress events are sent at most this often (and once at the end), so a fast download does not
/// flood the window.
const EMIT_EVERY: Duration = Duration::from_millis(100);
/// Names another update endpoint for this run (the E2E tests' fake server); see `endpoint_override`.
pub const ENDPOINT_VAR: &str = "ROLLCALL_UPDATE_ENDPOINT";

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
    /// The newest version the window was told to install by hand (a .deb/.rpm the updater cannot
    /// replace): said once per version, not at every start.
    #[serde(default)]
    pub notified: Option<String>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings { enabled: true, last_check: None, notified: None }
    }
}

impl Settings {
    fn off() -> Settings {
        Settings { enabled: false, ..Settings::default() }
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
        Err(_) => Settings::off(),
        Ok(bytes) => serde_json::from_slice(&bytes).unwrap_or_else(|_| Settings::off()),
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

/// `ROLLCALL_UPDATE_ENDPOINT`, when set, replaces the endpoints of tauri.conf.json for this run: an
/// https address, or plain http on this computer only (127.0.0.1, localhost, [::1]), which is what the
/// E2E tests' fake update server needs. It is safe to honour because it changes only where Rollcall
/// looks: the public key stays the one built in, so a package from any endpoint is installed only when
/// signed with the project's private key, for the version announced, newer than this one; and the
/// "update checks" setting still applies (off: no request). Whoever can set this variable for the app
/// can already replace the app itself. The change is made in the config before the plugin reads it.
pub fn apply_endpoint_override(config: &mut tauri::Config) {
    let Some(value) = std::env::var_os(ENDPOINT_VAR) else { return };
    let Ok((url, local_http)) = endpoint_override(&value.to_string_lossy()) else {
        // The log is not set up yet; `log_endpoint_override` says it once it is.
        return;
    };
    let updater = config.plugins.0.entry("updater".to_string()).or_insert_with(|| serde_json::json!({}));
    if let Some(updater) = updater.as_object_mut() {
        updater.insert("endpoints".into(), serde_json::json!([url.as_str()]));
        if local_http {
            updater.insert("dangerousInsecureTransportProtocol".into(), Value::Bool(true));
        }
    }
}

/// Says in the log whether this run's update endpoint came from `ROLLCALL_UPDATE_ENDPOINT`.
pub fn log_endpoint_override() {
    if let Some(value) = std::env::var_os(ENDPOINT_VAR) {
        match endpoint_override(&value.to_string_lossy()) {
            Ok(_) => log::warn!("update checks go to the endpoint set by {ENDPOINT_VAR}"),
            Err(e) => log::warn!("{ENDPOINT_VAR} ignored: {e}"),
        }
    }
}

/// The endpoint named by `value`, and whether it is plain http on this computer.
pub fn endpoint_override(value: &str) -> Result<(tauri::Url, bool)> {
    let refuse = || Error::invalid(ENDPOINT_VAR, "must be an https address, or http on 127.0.0.1 or localhost");
    let url: tauri::Url = value.trim().parse().map_err(|_| refuse())?;
    let local = matches!(url.host_str(), Some("127.0.0.1" | "localhost" | "[::1]"));
    match url.scheme() {
        "https" => Ok((url, false)),
        "http" if local => Ok((url, true)),
        _ => Err(refuse()),
    }
}

/// How this copy of Rollcall was installed (what the plugin will replace).
#[derive(Serialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum InstallKind {
    AppImage,
    Deb,
    Rpm,
    Msi,
    Nsis,
    /// macOS (from the .dmg or the .app).
    App,
    /// Not from a Rollcall installer: built from source, or run from the build folder.
    Unknown,
}

/// What this machine offers the updater: how the app was installed, and whether a graphical
/// administrator prompt exists for a .deb/.rpm (the plugin installs them with `pkexec dpkg -i` or
/// `pkexec rpm -U`; without pkexec it asks for the password with zenity or kdialog and runs `sudo`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Platform {
    pub kind: InstallKind,
    pub admin_prompt: bool,
}

impl Platform {
    pub fn detect<R: Runtime>(app: &AppHandle<R>) -> Platform {
        use tauri::utils::config::BundleType;
        #[cfg(target_os = "linux")]
        let appimage = app.env().appimage.is_some();
        #[cfg(not(target_os = "linux"))]
        let appimage = {
            let _ = app;
            false
        };
        // The bundler marks the binary it puts in each package; a binary marked for an AppImage but
        // not running as one was unpacked by hand, and the plugin would overwrite it: Unknown.
        let kind = match tauri::utils::platform::bundle_type() {
            _ if appimage => InstallKind::AppImage,
            Some(BundleType::Deb) => InstallKind::Deb,
            Some(BundleType::Rpm) => InstallKind::Rpm,
            Some(BundleType::Msi) => InstallKind::Msi,
            Some(BundleType::Nsis) => InstallKind::Nsis,
            Some(BundleType::App | BundleType::Dmg) => InstallKind::App,
            _ => InstallKind::Unknown,
        };
        let admin_prompt = on_path("pkexec") || (on_path("sudo") && (on_path("zenity") || on_path("kdialog")));
        Platform { kind, admin_prompt }
    }
}

fn on_path(program: &str) -> bool {
    std::env::var_os("PATH").is_some_and(|paths| std::env::split_paths(&paths).any(|dir| dir.join(program).is_file()))
}

/// How a new version gets installed here.
#[derive(Serialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Install {
    /// Rollcall downloads, verifies, backs up, installs and restarts (Windows, macOS, an AppImage, a
    /// .deb/.rpm with an administrator prompt and a package of its kind in the release).
    InApp,
    /// A .deb or .rpm that the updater cannot replace here: the user installs the new package.
    PackageManager,
    /// A copy not installed from a Rollcall package: on Linux the plugin would treat it as an AppImage
    /// and overwrite the program file, so the new version is installed by hand.
    ByHand,
}

/// The arch part of the manifest's platform keys, as the plugin names it.
fn updater_arch() -> &'static str {
    match std::env::consts::ARCH {
        "x86" => "i686",
        "arm" => "armv7",
        arch => arch,
    }
}

/// The manifest's key for a Linux package of `kind` (`linux-x86_64-deb`), for .deb and .rpm only.
fn package_key(kind: InstallKind) -> Option<String> {
    let name = match kind {
        InstallKind::Deb => "deb",
        InstallKind::Rpm => "rpm",
        _ => return None,
    };
    Some(format!("linux-{}-{name}", updater_arch()))
}

/// How the update described by `manifest` is installed on `platform`. A .deb/.rpm install needs its own
/// kind of package in a static manifest: the plugin would otherwise fall back to `linux-<arch>` (the
/// AppImage) and fail to install it with dpkg or rpm.
fn route(platform: Platform, manifest: &Value) -> Install {
    match platform.kind {
        InstallKind::Deb | InstallKind::Rpm => {
            let listed = match (manifest.get("platforms").and_then(Value::as_object), package_key(platform.kind)) {
                (Some(platforms), Some(key)) => platforms.contains_key(&key),
                // The server's own format: it chose the package for the `{{bundle_type}}` it was sent.
                _ => true,
            };
            if platform.admin_prompt && listed {
                Install::InApp
            } else {
                Install::PackageManager
            }
        }
        InstallKind::Unknown if cfg!(target_os = "linux") => Install::ByHand,
        _ => Install::InApp,
    }
}

/// Where the user finds the new version: the manifest's `release_page`, else the .deb/.rpm itself.
fn page(kind: InstallKind, manifest: &Value) -> Option<String> {
    let web = |v: Option<&Value>| {
        v.and_then(Value::as_str).filter(|s| s.starts_with("https://") || s.starts_with("http://")).map(String::from)
    };
    web(manifest.get("release_page")).or_else(|| {
        let key = package_key(kind)?;
        web(manifest.get("platforms")?.get(key)?.get("url"))
    })
}

/// Whether `bytes` are a package of the kind this install can take. The plugin checks this only when
/// it installs, which is after the backup; checking first keeps a wrong package from causing one.
/// Windows and macOS packages are checked by the plugin before it changes anything.
fn fits(kind: InstallKind, bytes: &[u8]) -> bool {
    match kind {
        InstallKind::Deb => bytes.starts_with(b"!<arch>\ndebian-binary"),
        InstallKind::Rpm => bytes.starts_with(&[0xED, 0xAB, 0xEE, 0xDB]),
        InstallKind::AppImage => bytes.starts_with(b"\x7fELF") || bytes.starts_with(&[0x1f, 0x8b]),
        _ => true,
    }
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
    /// A newer version; `notes` is what is new in it, as its release says; `date` as published (RFC
    /// 3339). `announce`: whether the window should show it now (false once postponed this session, or
    /// once an install by hand was said for this version).
    Available {
        version: String,
        notes: Option<String>,
        date: Option<String>,
        install: Install,
        kind: InstallKind,
        page: Option<String>,
        announce: bool,
    },
}

/// A verified download, ready to be installed.
#[derive(Serialize, Debug)]
pub struct Downloaded {
    pub version: String,
    pub bytes: usize,
}

/// An installed update (the app restarts before this reaches the window, except in tests).
#[derive(Serialize, Debug)]
pub struct Installed {
    pub version: String,
    /// The verified backup made just before installing.
    pub backup: BackupInfo,
}

/// The payload of an `update-progress` event.
#[derive(Serialize, Clone)]
struct DownloadProgress {
    version: String,
    received: u64,
    total: Option<u64>,
}

/// Installs a verified package (the tests put a recorder here; the app uses the plugin and restarts).
pub type Installer = Arc<dyn Fn(&Update, &[u8]) -> std::result::Result<(), tauri_plugin_updater::Error> + Send + Sync>;

#[derive(Clone)]
struct Found {
    update: Update,
    install: Install,
    kind: InstallKind,
    page: Option<String>,
}

/// The update found this session, its verified package once downloaded, and the download's cancel.
#[derive(Default)]
pub struct Updates {
    found: Mutex<Option<Found>>,
    verified: Mutex<Option<(Update, Arc<Vec<u8>>)>>,
    /// The version the user postponed this session: not offered again until the next day's check.
    postponed: Mutex<Option<String>>,
    platform: Mutex<Option<Platform>>,
    installer: Mutex<Option<Installer>>,
    downloading: AtomicBool,
    cancel: tokio::sync::Notify,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl Updates {
    fn platform<R: Runtime>(&self, app: &AppHandle<R>) -> Platform {
        *lock(&self.platform).get_or_insert_with(|| Platform::detect(app))
    }

    /// For the tests: the install type and prompt to act as if found (a test binary is no package).
    #[doc(hidden)]
    pub fn set_platform(&self, platform: Platform) {
        *lock(&self.platform) = Some(platform);
    }

    /// For the tests: installs with `installer` instead of the plugin, and does not restart.
    #[doc(hidden)]
    pub fn set_installer(&self, installer: Installer) {
        *lock(&self.installer) = Some(installer);
    }
}

/// Checks for a newer version. Never when the setting is off. The window's own check (at start) asks
/// the server at most once a day; `manual` is the user's "Check now", which asks when pressed. The time
/// of a request is recorded before it is made, so a failing server is not asked again the same day. An
/// update found earlier in this session is given again without a request.
pub async fn check<R: Runtime>(app: &AppHandle<R>, settings_file: &Path, now: i64, manual: bool) -> Result<Outcome> {
    let mut settings = load(settings_file);
    if !settings.enabled {
        return Ok(Outcome::Disabled);
    }
    let state = app.state::<Updates>();
    let known = lock(&state.found).clone();
    let found = match known {
        Some(found) => found,
        None => {
            if let Some(last) = settings.last_check.filter(|_| !manual) {
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
            let Some(update) = updater.check().await.map_err(|e| Error::Conflict {
                message: format!("The update check failed ({e}). Nothing was changed; Rollcall tries again tomorrow."),
                code: Some("update_check_failed"),
            })?
            else {
                return Ok(Outcome::UpToDate);
            };
            let platform = state.platform(app);
            let found = Found {
                install: route(platform, &update.raw_json),
                kind: platform.kind,
                page: page(platform.kind, &update.raw_json),
                update,
            };
            log::info!("update {} found ({:?}, {:?})", found.update.version, found.kind, found.install);
            *lock(&state.verified) = None;
            *lock(&state.found) = Some(found.clone());
            found
        }
    };
    let version = found.update.version.clone();
    let announce = if found.install == Install::InApp {
        lock(&state.postponed).as_deref() != Some(version.as_str())
    } else {
        // Said once per version and remembered, so a package-manager install is not told at every start.
        let first = settings.notified.as_deref() != Some(version.as_str());
        if first {
            settings.notified = Some(version.clone());
            save(settings_file, &settings)?;
        }
        first
    };
    Ok(Outcome::Available {
        notes: found.update.body.clone(),
        date: found.update.date.and(found.update.raw_json.get("pub_date")).and_then(Value::as_str).map(String::from),
        install: found.install,
        kind: found.kind,
        page: found.page,
        announce,
        version,
    })
}

/// The user chose "Postpone": the update found is not offered again this session.
pub fn postpone<R: Runtime>(app: &AppHandle<R>) {
    let state = app.state::<Updates>();
    let version = lock(&state.found).as_ref().map(|found| found.update.version.clone());
    if let Some(version) = version {
        log::info!("update {version} postponed");
        *lock(&state.postponed) = Some(version);
    }
}

/// Downloads the update the last check found, reporting progress, and keeps it only if its signature
/// verifies against the app's update key. A refused or cancelled download leaves nothing behind.
pub async fn download<R: Runtime>(app: &AppHandle<R>) -> Result<Downloaded> {
    let state = app.state::<Updates>();
    let found = lock(&state.found).clone().ok_or_else(|| Error::Conflict {
        message: "There is no update to download: check for updates first.".into(),
        code: Some("no_update"),
    })?;
    if found.install != Install::InApp {
        return Err(by_hand(&found.update.version));
    }
    // Created before the download counts as running, so a cancel from then on always reaches it.
    let cancelled = state.cancel.notified();
    if state.downloading.swap(true, Ordering::SeqCst) {
        return Err(Error::Conflict {
            message: "The update is already being downloaded.".into(),
            code: Some("update_busy"),
        });
    }
    let fetched = fetch(app, &found.update, cancelled).await;
    state.downloading.store(false, Ordering::SeqCst);
    let bytes = fetched?;
    log::info!("update {} downloaded and verified ({} bytes)", found.update.version, bytes.len());
    let downloaded = Downloaded { version: found.update.version.clone(), bytes: bytes.len() };
    *lock(&state.verified) = Some((found.update, Arc::new(bytes)));
    Ok(downloaded)
}

/// The download itself, raced against the cancel: dropping the plugin's download future stops it.
async fn fetch<R: Runtime>(
    app: &AppHandle<R>,
    update: &Update,
    cancelled: tokio::sync::futures::Notified<'_>,
) -> Result<Vec<u8>> {
    let received = AtomicU64::new(0);
    let last = Mutex::new(Instant::now() - EMIT_EVERY);
    let total_seen = Mutex::new(None);
    let emit = |received: u64, total: Option<u64>| {
        let payload = DownloadProgress { version: update.version.clone(), received, total };
        let _ = app.emit(PROGRESS_EVENT, payload);
    };
    let download = update.download(
        |chunk, total| {
            let now = received.fetch_add(chunk as u64, Ordering::Relaxed) + chunk as u64;
            *lock(&total_seen) = total;
            let mut last = lock(&last);
            if last.elapsed() >= EMIT_EVERY {
                *last = Instant::now();
                emit(now, total);
            }
        },
        // The last chunk is always reported, so the window shows the download complete.
        || emit(received.load(Ordering::Relaxed), *lock(&total_seen)),
    );
    let (mut download, mut cancelled) = (pin!(download), pin!(cancelled));
    let outcome = std::future::poll_fn(|cx| {
        if cancelled.as_mut().poll(cx).is_ready() {
            return Poll::Ready(None);
        }
        download.as_mut().poll(cx).map(Some)
    })
    .await;
    match outcome {
        None => {
            log::info!("update {} download cancelled", update.version);
            Err(Error::Cancelled)
        }
        Some(result) => result.map_err(|e| refused(&update.version, e)),
    }
}

/// Stops a running download; false when none is running.
pub fn cancel<R: Runtime>(app: &AppHandle<R>) -> bool {
    let state = app.state::<Updates>();
    let running = state.downloading.load(Ordering::SeqCst);
    if running {
        state.cancel.notify_waiters();
    }
    running
}

/// The verified package of `version`, if one was downloaded (for the installer, and for tests).
pub fn verified_version<R: Runtime>(app: &AppHandle<R>) -> Option<String> {
    let state = app.state::<Updates>();
    let verified = lock(&state.verified);
    verified.as_ref().map(|(u, _)| u.version.clone())
}

/// Installs the verified download: first a verified backup of the database (kind `before-update`, a
/// job with the window's `job` id), then the plugin's install, then a restart. A package of the wrong
/// kind is refused before the backup; a failed backup stops before anything is installed.
pub async fn install<R: Runtime>(app: AppHandle<R>, job: u64) -> Result<Installed> {
    let state = app.state::<Updates>();
    let (update, bytes) = lock(&state.verified).clone().ok_or_else(|| Error::Conflict {
        message: "There is no verified download to install: download the update first.".into(),
        code: Some("update_not_downloaded"),
    })?;
    let version = update.version.clone();
    if !fits(state.platform(&app).kind, &bytes) {
        log::warn!("update {version} refused: the package is not of this install's kind");
        return Err(Error::Conflict {
            message: format!(
                "The package of Rollcall {version} is not one this installation can use. Nothing was installed or changed."
            ),
            code: Some("update_wrong_package"),
        });
    }
    let db_path = app.state::<AppState>().path.clone();
    let backup = crate::jobs::run(app.clone(), job, move |conn, _| safety::backup_before_update(conn, &db_path))
        .await
        .map_err(|e| {
            log::warn!("update {version} not installed: the backup before it failed ({})", e.kind());
            Error::Conflict {
                message: format!(
                    "The backup of your data before the update failed ({e}). Rollcall {version} was not installed; nothing was changed."
                ),
                code: Some("update_backup_failed"),
            }
        })?;
    log::info!("verified backup made before installing update {version}");
    let installer = lock(&state.installer).clone();
    let real = installer.is_none();
    let (u, b) = (update.clone(), bytes.clone());
    let installed = tauri::async_runtime::spawn_blocking(move || match installer {
        Some(install) => install(&u, b.as_slice()),
        None => u.install(b.as_slice()),
    })
    .await
    .map_err(|e| Error::internal(format!("the installer stopped: {e}")))?;
    installed.map_err(|e| {
        log::warn!("update {version} could not be installed: {e}");
        Error::Conflict {
            message: format!(
                "Rollcall {version} could not be installed ({e}). Nothing was changed; the backup made before it is in the backups folder."
            ),
            code: Some("update_install_failed"),
        }
    })?;
    log::info!("update {version} installed");
    if real {
        log::info!("restarting into the new version");
        app.restart();
    }
    Ok(Installed { version, backup })
}

fn by_hand(version: &str) -> Error {
    Error::Conflict {
        message: format!(
            "Rollcall cannot replace this installation by itself: install Rollcall {version} from its package."
        ),
        code: Some("update_by_hand"),
    }
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
        log::warn!("update {version} download failed: {e}");
        Error::Conflict {
            message: format!("The download of Rollcall {version} failed ({e}). Nothing was installed or changed."),
            code: Some("update_download_failed"),
        }
    }
}
