//! Updates against a fake update server on 127.0.0.1 (issue 20): a signed manifest for a newer version
//! is found and its download verified; a tampered, unsigned or foreign-signed download is refused with
//! a clear message, nothing kept, no backup and no install; with update checks off, or within a day of
//! the last check (also after a restart), the server sees no request at all. Installing makes a
//! verified backup of the database first, and a failed backup stops it; a .deb/.rpm install the updater
//! cannot replace is told once per version. The update key is made for each test, never stored; the
//! installer is a recorder (installing for real would replace the program, see docs/release.md).

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use base64::Engine;
use serde_json::{json, Value};
use tauri::{Listener, Manager};

use rollcall_app::updates::{self, InstallKind, Platform, Updates};
use rollcall_core::safety::{self, BackupInfo};

use crate::support::Shell;

/// What the fake server answers: a path, its body, and whether it is sent slowly (1 KB every 20 ms).
type Routes = Arc<Mutex<Vec<(String, Vec<u8>, bool)>>>;

/// An HTTP server on a free loopback port that answers GET `path` with `body`, 404 otherwise, and
/// records every request's path. Each connection has its own thread, so a slow answer blocks no other.
struct FakeServer {
    base: String,
    requests: Arc<Mutex<Vec<String>>>,
    routes: Routes,
}

impl FakeServer {
    fn start() -> FakeServer {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let requests = Arc::new(Mutex::new(Vec::new()));
        let routes: Routes = Arc::new(Mutex::new(Vec::new()));
        let (seen, served) = (requests.clone(), routes.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                let (seen, served) = (seen.clone(), served.clone());
                std::thread::spawn(move || answer(stream, &seen, &served));
            }
        });
        FakeServer { base, requests, routes }
    }

    fn route(&self, path: &str, body: Vec<u8>) {
        self.routes.lock().unwrap().push((path.into(), body, false));
    }

    fn route_slowly(&self, path: &str, body: Vec<u8>) {
        self.routes.lock().unwrap().push((path.into(), body, true));
    }

    fn requests(&self) -> Vec<String> {
        self.requests.lock().unwrap().clone()
    }
}

fn answer(mut stream: std::net::TcpStream, seen: &Mutex<Vec<String>>, served: &Routes) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut request_line = String::new();
    if reader.read_line(&mut request_line).is_err() {
        return;
    }
    let mut header = String::new();
    while reader.read_line(&mut header).map(|n| n > 2).unwrap_or(false) {
        header.clear();
    }
    let path = request_line.split_whitespace().nth(1).unwrap_or("").to_string();
    seen.lock().unwrap().push(path.clone());
    let route = served.lock().unwrap().iter().rev().find(|(p, _, _)| *p == path).map(|(_, b, slow)| (b.clone(), *slow));
    let (status, body, slow) = match route {
        Some((b, slow)) => ("200 OK", b, slow),
        None => ("404 Not Found", Vec::new(), false),
    };
    let head = format!("HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n", body.len());
    let _ = stream.write_all(head.as_bytes());
    if !slow {
        let _ = stream.write_all(&body);
        return;
    }
    for chunk in body.chunks(1024) {
        if stream.write_all(chunk).and_then(|_| stream.flush()).is_err() {
            return;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// A minisign key pair in the form Tauri's updater uses: the public key as base64 of its text file.
struct UpdateKey {
    pair: minisign::KeyPair,
}

impl UpdateKey {
    fn new() -> UpdateKey {
        UpdateKey { pair: minisign::KeyPair::generate_unencrypted_keypair().unwrap() }
    }

    fn public(&self) -> String {
        b64(&self.pair.pk.to_box().unwrap().into_string())
    }

    /// The signature of `data` as `tauri signer sign` writes it (base64 of the .sig file), naming the
    /// version it was signed for.
    fn sign(&self, data: &[u8], version: &str) -> String {
        self.sign_with_comment(data, &format!("timestamp:1764374400\tfile:Rollcall.tar.gz\tversion:{version}"))
    }

    fn sign_with_comment(&self, data: &[u8], comment: &str) -> String {
        let sig = minisign::sign(Some(&self.pair.pk), &self.pair.sk, data, Some(comment), None).unwrap();
        b64(&sig.into_string())
    }
}

fn b64(s: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(s)
}

/// A package that starts as a .deb does (the tests act as a .deb install; see `app`).
const PACKAGE: &[u8] = b"!<arch>\ndebian-binary   the new Rollcall, packaged";
const RELEASE_PAGE: &str = "https://example.org/rollcall/releases/9.9.9";

/// A static update manifest for `version` whose every platform (and each Linux package kind) points at
/// /Rollcall.tar.gz.
fn manifest(server: &FakeServer, version: &str, signature: &str) -> Vec<u8> {
    manifest_with(server, version, signature, &["", "-deb", "-rpm", "-appimage"])
}

/// The manifest with only the Linux package kinds in `linux` ("" is the plain `linux-<arch>` entry).
fn manifest_with(server: &FakeServer, version: &str, signature: &str, linux: &[&str]) -> Vec<u8> {
    let mut platforms = serde_json::Map::new();
    let entry = json!({ "signature": signature, "url": format!("{}/Rollcall.tar.gz", server.base) });
    for arch in ["x86_64", "aarch64", "i686", "armv7"] {
        for os in ["darwin", "windows"] {
            platforms.insert(format!("{os}-{arch}"), entry.clone());
        }
        for kind in linux {
            platforms.insert(format!("linux-{arch}{kind}"), entry.clone());
        }
    }
    let m = json!({
        "version": version,
        "notes": "Faster imports; the donor table exports to Excel.",
        "pub_date": "2026-11-29T09:00:00Z",
        "release_page": RELEASE_PAGE,
        "platforms": platforms,
    });
    serde_json::to_vec(&m).unwrap()
}

fn updater_config(server: &FakeServer, key: &UpdateKey) -> Value {
    json!({
        "pubkey": key.public(),
        "endpoints": [format!("{}/latest.json", server.base)],
        "dangerousInsecureTransportProtocol": true,
        "requireSignedVersion": true,
    })
}

/// The app, trusting `key`, with the fake server as its update endpoint, acting as a .deb install with
/// an administrator prompt (so the updater may replace it) and a recording installer.
fn app(server: &FakeServer, key: &UpdateKey) -> Shell {
    let shell = Shell::with_updater(updater_config(server, key));
    as_platform(&shell, InstallKind::Deb, true);
    shell
}

fn as_platform(shell: &Shell, kind: InstallKind, admin_prompt: bool) {
    shell.app().state::<Updates>().set_platform(Platform { kind, admin_prompt });
}

fn verified(shell: &Shell) -> Option<String> {
    rollcall_app::updates::verified_version(shell.app().handle())
}

fn db_path(shell: &Shell) -> PathBuf {
    shell.app().state::<rollcall_app::AppState>().path.clone()
}

/// What the installer was given: the version, the package's size, and the backups that existed then.
type Installs = Arc<Mutex<Vec<(String, usize, Vec<BackupInfo>)>>>;

/// Replaces the installer with one that records its calls and answers `result`.
fn record_installs(shell: &Shell, fail: bool) -> Installs {
    let calls: Installs = Arc::new(Mutex::new(Vec::new()));
    let (seen, db) = (calls.clone(), db_path(shell));
    shell.app().state::<Updates>().set_installer(Arc::new(move |update, bytes| {
        seen.lock().unwrap().push((update.version.clone(), bytes.len(), safety::list_backups(&db).unwrap()));
        if fail {
            Err(tauri_plugin_updater::Error::PackageInstallFailed)
        } else {
            Ok(())
        }
    }));
    calls
}

fn backups(shell: &Shell) -> Vec<BackupInfo> {
    safety::list_backups(&db_path(shell)).unwrap()
}

/// Every file in the backups folder (none half-written may be left), or none when there is no folder.
fn backup_files(shell: &Shell) -> Vec<String> {
    match std::fs::read_dir(safety::backups_dir(&db_path(shell))) {
        Ok(entries) => entries.map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect(),
        Err(_) => Vec::new(),
    }
}

fn projects(path: &Path) -> i64 {
    let options = rollcall_core::open::OpenOptions { daily_backup: false, ..Default::default() };
    let conn = rollcall_core::open::open_with(path, &options).unwrap();
    conn.query_row("SELECT count(*) FROM projects", [], |r| r.get(0)).unwrap()
}

/// The signed 9.9.9 release on a new fake server, the app pointed at it, and the update found.
fn found(key: &UpdateKey) -> (FakeServer, Shell) {
    let server = FakeServer::start();
    server.route("/latest.json", manifest(&server, "9.9.9", &key.sign(PACKAGE, "9.9.9")));
    server.route("/Rollcall.tar.gz", PACKAGE.to_vec());
    let shell = app(&server, key);
    shell.ok("sample_data_load", json!({}));
    assert_eq!(shell.ok("updates_check", json!({}))["status"], "available");
    (server, shell)
}

#[test]
fn a_signed_update_for_a_newer_version_is_found_and_its_download_verified() {
    let server = FakeServer::start();
    let key = UpdateKey::new();
    server.route("/latest.json", manifest(&server, "9.9.9", &key.sign(PACKAGE, "9.9.9")));
    server.route("/Rollcall.tar.gz", PACKAGE.to_vec());
    let shell = app(&server, &key);
    let progress = Arc::new(Mutex::new(Vec::<Value>::new()));
    let heard = progress.clone();
    shell.app().listen_any(updates::PROGRESS_EVENT, move |e| {
        heard.lock().unwrap().push(serde_json::from_str(e.payload()).unwrap());
    });

    let found = shell.ok("updates_check", json!({}));
    assert_eq!(
        found,
        json!({
            "status": "available", "version": "9.9.9",
            "notes": "Faster imports; the donor table exports to Excel.", "date": "2026-11-29T09:00:00Z",
            "install": "in_app", "kind": "deb", "page": RELEASE_PAGE, "announce": true,
        })
    );

    let downloaded = shell.ok("updates_download", json!({}));
    assert_eq!(downloaded, json!({ "version": "9.9.9", "bytes": PACKAGE.len() }));
    assert_eq!(verified(&shell).as_deref(), Some("9.9.9"));
    assert_eq!(server.requests(), ["/latest.json", "/Rollcall.tar.gz"]);
    let last = progress.lock().unwrap().last().cloned().expect("progress was reported");
    assert_eq!(last, json!({ "version": "9.9.9", "received": PACKAGE.len(), "total": PACKAGE.len() }));
    assert!(backups(&shell).is_empty(), "downloading backs nothing up yet");

    // Asked again in the same session, Rollcall gives what it found without contacting the server.
    let again = shell.ok("updates_check", json!({}));
    assert_eq!((again["status"].as_str(), again["version"].as_str()), (Some("available"), Some("9.9.9")));
    assert_eq!(server.requests().len(), 2);
}

#[test]
fn installing_makes_a_verified_backup_first_then_installs_the_verified_package() {
    let key = UpdateKey::new();
    let (_server, shell) = found(&key);
    let installs = record_installs(&shell, false);
    let e = shell.err("updates_install", json!({ "job": 1 }));
    assert_eq!(e["code"], "update_not_downloaded", "nothing is installed before a verified download: {e}");
    assert!(installs.lock().unwrap().is_empty() && backups(&shell).is_empty());

    shell.ok("updates_download", json!({}));
    let installed = shell.ok("updates_install", json!({ "job": 2 }));
    assert_eq!(installed["version"], "9.9.9");
    assert_eq!(installed["backup"]["kind"], "before-update");

    let calls = installs.lock().unwrap().clone();
    assert_eq!(calls.len(), 1, "installed once");
    let (version, bytes, backups_then) = &calls[0];
    assert_eq!((version.as_str(), *bytes), ("9.9.9", PACKAGE.len()), "the verified package");
    assert_eq!(backups_then.len(), 1, "the backup existed when the install began");
    assert_eq!(backups_then[0].kind, "before-update");
    // The backup is whole and holds the data as it was: it opens, passes the full check, and has the
    // sample's projects.
    let backup = Path::new(&backups_then[0].path);
    let options = rollcall_core::open::OpenOptions { daily_backup: false, ..Default::default() };
    let report = safety::check(&rollcall_core::open::open_with(backup, &options).unwrap()).unwrap();
    assert!(report.ok, "{}", report.summary);
    assert_eq!(projects(backup), projects(&db_path(&shell)));
    assert!(projects(backup) > 0);
}

#[test]
fn a_failed_backup_stops_the_install_and_changes_nothing() {
    let key = UpdateKey::new();
    let (_server, shell) = found(&key);
    let installs = record_installs(&shell, false);
    shell.ok("updates_download", json!({}));
    // A file where the backups folder should be: the backup cannot be written.
    let folder = safety::backups_dir(&db_path(&shell));
    std::fs::write(&folder, b"not a folder").unwrap();
    let before = projects(&db_path(&shell));

    let e = shell.err("updates_install", json!({ "job": 1 }));
    assert_eq!(e["code"], "update_backup_failed", "{e}");
    let message = e["message"].as_str().unwrap();
    assert!(message.contains("was not installed") && message.contains("nothing was changed"), "{message}");
    assert!(installs.lock().unwrap().is_empty(), "no install after a failed backup");
    assert_eq!(std::fs::read(&folder).unwrap(), b"not a folder");
    assert_eq!(projects(&db_path(&shell)), before);
    assert_eq!(verified(&shell).as_deref(), Some("9.9.9"), "it can be tried again once the backup works");
}

#[test]
fn a_failed_install_says_nothing_was_changed_and_keeps_the_backup() {
    let key = UpdateKey::new();
    let (_server, shell) = found(&key);
    let installs = record_installs(&shell, true);
    shell.ok("updates_download", json!({}));
    let e = shell.err("updates_install", json!({ "job": 1 }));
    assert_eq!(e["code"], "update_install_failed", "{e}");
    assert!(e["message"].as_str().unwrap().contains("Nothing was changed"), "{e}");
    assert_eq!(installs.lock().unwrap().len(), 1);
    assert_eq!(backups(&shell).len(), 1, "the backup made before it stays");
}

#[test]
fn a_package_of_another_kind_is_refused_before_any_backup() {
    let key = UpdateKey::new();
    let server = FakeServer::start();
    // Signed and verified, but not a .deb: dpkg could not install it, so nothing is even backed up.
    let appimage = b"\x7fELF an AppImage".to_vec();
    server.route("/latest.json", manifest(&server, "9.9.9", &key.sign(&appimage, "9.9.9")));
    server.route("/Rollcall.tar.gz", appimage);
    let shell = app(&server, &key);
    let installs = record_installs(&shell, false);
    shell.ok("updates_check", json!({}));
    shell.ok("updates_download", json!({}));
    let e = shell.err("updates_install", json!({ "job": 1 }));
    assert_eq!(e["code"], "update_wrong_package", "{e}");
    assert!(installs.lock().unwrap().is_empty());
    assert!(backup_files(&shell).is_empty(), "{:?}", backup_files(&shell));
}

#[test]
fn a_download_can_be_cancelled_and_leaves_nothing() {
    let key = UpdateKey::new();
    let server = FakeServer::start();
    let big: Vec<u8> = PACKAGE.iter().copied().chain(std::iter::repeat_n(b'x', 200 * 1024)).collect();
    server.route("/latest.json", manifest(&server, "9.9.9", &key.sign(&big, "9.9.9")));
    server.route_slowly("/Rollcall.tar.gz", big.clone());
    let shell = app(&server, &key);
    let progress = Arc::new(Mutex::new(Vec::<u64>::new()));
    let heard = progress.clone();
    shell.app().listen_any(updates::PROGRESS_EVENT, move |e| {
        let p: Value = serde_json::from_str(e.payload()).unwrap();
        heard.lock().unwrap().push(p["received"].as_u64().unwrap());
    });
    shell.ok("updates_check", json!({}));
    assert_eq!(shell.ok("updates_cancel", json!({})), false, "no download is running yet");

    let handle = shell.app().handle().clone();
    let task = tauri::async_runtime::spawn(async move { updates::download(&handle).await.map(|d| d.bytes) });
    for _ in 0..500 {
        if !progress.lock().unwrap().is_empty() {
            break;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    assert!(!progress.lock().unwrap().is_empty(), "the download started");
    assert_eq!(shell.ok("updates_cancel", json!({})), true);
    let result = tauri::async_runtime::block_on(task).unwrap();
    assert_eq!(result.unwrap_err().kind(), "cancelled");
    assert!(progress.lock().unwrap().iter().all(|&r| r < big.len() as u64), "stopped before the end");
    assert_eq!(verified(&shell), None);
    let e = shell.err("updates_install", json!({ "job": 1 }));
    assert_eq!(e["code"], "update_not_downloaded");
    assert!(backup_files(&shell).is_empty());
}

#[test]
fn the_same_version_is_not_an_update() {
    let server = FakeServer::start();
    let key = UpdateKey::new();
    server.route("/latest.json", manifest(&server, "0.1.0", &key.sign(PACKAGE, "0.1.0")));
    let shell = app(&server, &key);
    assert_eq!(shell.ok("updates_check", json!({}))["status"], "up_to_date");
    let e = shell.err("updates_download", json!({}));
    assert_eq!(e["code"], "no_update", "{e}");
}

#[test]
fn a_tampered_unsigned_or_foreign_signed_download_is_refused_and_nothing_kept() {
    let key = UpdateKey::new();
    let stranger = UpdateKey::new();
    type Signer<'a> = Box<dyn Fn(&[u8]) -> String + 'a>;
    let cases: [(&str, Signer, &[u8]); 5] = [
        ("tampered", Box::new(|p| key.sign(p, "9.9.9")), b"the new Rollcall, packaged, and a little extra"),
        ("unsigned", Box::new(|_| String::new()), PACKAGE),
        ("signed by another key", Box::new(|p| stranger.sign(p, "9.9.9")), PACKAGE),
        ("signed for another version", Box::new(|p| key.sign(p, "0.0.9")), PACKAGE),
        ("signed without a version", Box::new(|p| key.sign_with_comment(p, "timestamp:1764374400")), PACKAGE),
    ];
    for (case, signature, served) in cases {
        let server = FakeServer::start();
        // The signature is made over the genuine package; the server may serve other bytes.
        server.route("/latest.json", manifest(&server, "9.9.9", &signature(PACKAGE)));
        server.route("/Rollcall.tar.gz", served.to_vec());
        let shell = app(&server, &key);
        assert_eq!(shell.ok("updates_check", json!({}))["status"], "available", "{case}");
        let e = shell.err("updates_download", json!({}));
        assert_eq!(e["code"], "update_signature", "{case}: {e}");
        let message = e["message"].as_str().unwrap();
        assert!(
            message.contains("refused") && message.contains("Nothing was installed or changed"),
            "{case}: {message}"
        );
        assert_eq!(verified(&shell), None, "{case}: nothing kept");
        // Nothing to install: no backup is made, half-written or whole, and the installer is not called.
        let installs = record_installs(&shell, false);
        assert_eq!(shell.err("updates_install", json!({ "job": 1 }))["code"], "update_not_downloaded", "{case}");
        assert!(installs.lock().unwrap().is_empty(), "{case}");
        assert!(backup_files(&shell).is_empty(), "{case}: {:?}", backup_files(&shell));
    }
}

#[test]
fn with_update_checks_off_rollcall_sends_no_request() {
    let server = FakeServer::start();
    let key = UpdateKey::new();
    server.route("/latest.json", manifest(&server, "9.9.9", &key.sign(PACKAGE, "9.9.9")));
    let shell = app(&server, &key);

    assert_eq!(shell.ok("updates_settings", json!({}))["enabled"], true, "on by default");
    let settings = shell.ok("updates_set_enabled", json!({ "enabled": false }));
    assert_eq!(settings["enabled"], false);
    assert_eq!(shell.ok("updates_check", json!({}))["status"], "disabled");
    assert_eq!(
        shell.ok("updates_settings", json!({})),
        json!({ "enabled": false, "last_check": Value::Null, "notified": Value::Null })
    );
    assert!(server.requests().is_empty(), "the server saw {:?}", server.requests());

    // Turned on again, the next check asks the server.
    shell.ok("updates_set_enabled", json!({ "enabled": true }));
    assert_eq!(shell.ok("updates_check", json!({}))["status"], "available");
    assert_eq!(server.requests(), ["/latest.json"]);
}

#[test]
fn a_build_without_an_update_server_sends_no_request() {
    let key = UpdateKey::new();
    let shell = Shell::with_updater(json!({ "pubkey": key.public(), "endpoints": [] }));
    assert_eq!(shell.ok("updates_check", json!({}))["status"], "not_configured");
    assert_eq!(shell.ok("updates_settings", json!({}))["last_check"], Value::Null);
}

#[test]
fn a_damaged_settings_file_means_no_checks() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join(rollcall_app::updates::SETTINGS_FILE);
    std::fs::write(&file, b"{not json").unwrap();
    assert!(!rollcall_app::updates::load(&file).enabled);
    assert!(rollcall_app::updates::load(&dir.path().join("none.json")).enabled);
}

#[test]
fn the_check_runs_at_most_once_a_day_and_its_time_is_remembered_across_restarts() {
    let server = FakeServer::start();
    let key = UpdateKey::new();
    server.route("/latest.json", manifest(&server, "0.1.0", &key.sign(PACKAGE, "0.1.0")));
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("rollcall.sqlite3");
    let settings_file = updates::settings_path(&db);

    let shell = Shell::with_updater_at(&db, updater_config(&server, &key));
    assert_eq!(shell.ok("updates_check", json!({}))["status"], "up_to_date");
    let last = updates::load(&settings_file).last_check.expect("the time of the check is written down");
    assert!((updates::now() - last).abs() < 60, "{last}");
    drop(shell);

    // Started again the same day: no request.
    let shell = Shell::with_updater_at(&db, updater_config(&server, &key));
    let again = shell.ok("updates_check", json!({}));
    assert_eq!(again, json!({ "status": "not_due", "next_check": last + updates::CHECK_INTERVAL_SECS }));
    assert_eq!(server.requests(), ["/latest.json"]);
    // The user's "Check now" asks when pressed (never when checks are off, see below).
    assert_eq!(shell.ok("updates_check", json!({ "manual": true }))["status"], "up_to_date");
    assert_eq!(server.requests().len(), 2);
    shell.ok("updates_set_enabled", json!({ "enabled": false }));
    assert_eq!(shell.ok("updates_check", json!({ "manual": true }))["status"], "disabled");
    shell.ok("updates_set_enabled", json!({ "enabled": true }));
    assert_eq!(server.requests().len(), 2);
    drop(shell);

    // A day later (the last check written 25 hours back), the server is asked again.
    let mut settings = updates::load(&settings_file);
    settings.last_check = Some(updates::now() - 25 * 60 * 60);
    updates::save(&settings_file, &settings).unwrap();
    let shell = Shell::with_updater_at(&db, updater_config(&server, &key));
    assert_eq!(shell.ok("updates_check", json!({}))["status"], "up_to_date");
    assert_eq!(server.requests().len(), 3);
    // A failing server is not asked again that day either: the time was written before the request.
    drop(shell);
    let mut settings = updates::load(&settings_file);
    settings.last_check = Some(updates::now() - 25 * 60 * 60);
    updates::save(&settings_file, &settings).unwrap();
    let broken = Shell::with_updater_at(
        &db,
        json!({ "pubkey": key.public(), "endpoints": [format!("{}/gone.json", server.base)], "dangerousInsecureTransportProtocol": true }),
    );
    assert_eq!(broken.err("updates_check", json!({}))["code"], "update_check_failed");
    assert_eq!(broken.ok("updates_check", json!({}))["status"], "not_due");
    assert_eq!(server.requests().len(), 4);
}

#[test]
fn a_postponed_update_is_not_offered_again_that_session() {
    let key = UpdateKey::new();
    let (server, shell) = found(&key);
    shell.ok("updates_postpone", json!({}));
    let again = shell.ok("updates_check", json!({}));
    assert_eq!((again["status"].as_str(), again["announce"].as_bool()), (Some("available"), Some(false)));
    assert_eq!(server.requests(), ["/latest.json"], "postponing asks nothing");
}

#[test]
fn a_package_manager_install_the_updater_cannot_replace_is_told_once_per_version() {
    let server = FakeServer::start();
    let key = UpdateKey::new();
    server.route("/latest.json", manifest(&server, "9.9.9", &key.sign(PACKAGE, "9.9.9")));
    server.route("/Rollcall.tar.gz", PACKAGE.to_vec());
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("rollcall.sqlite3");
    let settings_file = updates::settings_path(&db);
    // A .deb install on a machine with no graphical administrator prompt (no pkexec, no zenity/kdialog).
    let start = || {
        let shell = Shell::with_updater_at(&db, updater_config(&server, &key));
        as_platform(&shell, InstallKind::Deb, false);
        shell
    };
    let next_day = || {
        let mut settings = updates::load(&settings_file);
        settings.last_check = Some(updates::now() - 25 * 60 * 60);
        updates::save(&settings_file, &settings).unwrap();
    };

    let shell = start();
    let told = shell.ok("updates_check", json!({}));
    assert_eq!(
        (told["install"].as_str(), told["kind"].as_str(), told["page"].as_str(), told["announce"].as_bool()),
        (Some("package_manager"), Some("deb"), Some(RELEASE_PAGE), Some(true)),
        "{told}"
    );
    assert_eq!(updates::load(&settings_file).notified.as_deref(), Some("9.9.9"), "remembered");
    assert_eq!(shell.ok("updates_check", json!({}))["announce"], false, "said once");
    let e = shell.err("updates_download", json!({}));
    assert_eq!(e["code"], "update_by_hand", "{e}");
    assert_eq!(server.requests(), ["/latest.json"], "nothing downloaded");
    drop(shell);

    // The next days: the same version is found again but not said again, and nothing fails.
    for _ in 0..2 {
        next_day();
        let shell = start();
        let quiet = shell.ok("updates_check", json!({}));
        assert_eq!((quiet["status"].as_str(), quiet["announce"].as_bool()), (Some("available"), Some(false)));
    }
    assert_eq!(server.requests().len(), 3);

    // A newer version is said once again.
    server.route("/latest.json", manifest(&server, "9.9.10", &key.sign(PACKAGE, "9.9.10")));
    next_day();
    let shell = start();
    let newer = shell.ok("updates_check", json!({}));
    assert_eq!((newer["version"].as_str(), newer["announce"].as_bool()), (Some("9.9.10"), Some(true)));
    assert_eq!(updates::load(&settings_file).notified.as_deref(), Some("9.9.10"));
}

#[test]
fn a_deb_install_is_told_to_use_the_package_when_the_release_has_no_deb() {
    let server = FakeServer::start();
    let key = UpdateKey::new();
    // Only the AppImage for Linux: dpkg could not install it, so Rollcall does not try.
    server.route("/latest.json", manifest_with(&server, "9.9.9", &key.sign(PACKAGE, "9.9.9"), &["", "-appimage"]));
    let shell = app(&server, &key);
    let found = shell.ok("updates_check", json!({}));
    assert_eq!((found["install"].as_str(), found["announce"].as_bool()), (Some("package_manager"), Some(true)));
    // The rpm install and the AppImage of the same release are replaced by the updater.
    let shell = app(&server, &key);
    as_platform(&shell, InstallKind::AppImage, false);
    assert_eq!(shell.ok("updates_check", json!({}))["install"], "in_app");
}

#[cfg(target_os = "linux")]
#[test]
fn a_copy_not_installed_from_a_package_is_updated_by_hand() {
    let server = FakeServer::start();
    let key = UpdateKey::new();
    server.route("/latest.json", manifest(&server, "9.9.9", &key.sign(PACKAGE, "9.9.9")));
    let shell = app(&server, &key);
    // Run from the build folder: the plugin would overwrite the program as if it were an AppImage.
    as_platform(&shell, InstallKind::Unknown, true);
    let found = shell.ok("updates_check", json!({}));
    assert_eq!((found["install"].as_str(), found["page"].as_str()), (Some("by_hand"), Some(RELEASE_PAGE)));
    assert_eq!(shell.err("updates_download", json!({}))["code"], "update_by_hand");
}

#[test]
fn the_endpoint_override_takes_https_or_http_on_this_computer_only() {
    let ok = |v: &str| updates::endpoint_override(v).map(|(url, local_http)| (url.to_string(), local_http));
    assert_eq!(ok("http://127.0.0.1:8123/latest.json").unwrap(), ("http://127.0.0.1:8123/latest.json".into(), true));
    assert!(ok("http://localhost:9/l.json").unwrap().1);
    assert!(!ok("https://updates.example.org/latest.json").unwrap().1);
    for refused in [
        "http://updates.example.org/latest.json",
        "http://127.0.0.2.example.org/",
        "ftp://127.0.0.1/x",
        "latest.json",
        "",
    ] {
        assert!(ok(refused).is_err(), "{refused}");
    }
}
