//! Update checks against a fake update server on 127.0.0.1 (issue 20): a signed manifest for a newer
//! version is found and its download verified; a tampered, unsigned or foreign-signed download is
//! refused with a clear message and nothing kept; with update checks off, or within a day of the last
//! check, the server sees no request at all. The update key is made for each test, never stored.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};

use base64::Engine;
use serde_json::{json, Value};

use crate::support::Shell;

/// What the fake server answers: a path and its body.
type Routes = Arc<Mutex<Vec<(String, Vec<u8>)>>>;

/// An HTTP server on a free loopback port that answers GET `path` with `body`, 404 otherwise, and
/// records every request's path.
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
                let Ok(mut stream) = stream else { continue };
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut request_line = String::new();
                if reader.read_line(&mut request_line).is_err() {
                    continue;
                }
                let mut header = String::new();
                while reader.read_line(&mut header).map(|n| n > 2).unwrap_or(false) {
                    header.clear();
                }
                let path = request_line.split_whitespace().nth(1).unwrap_or("").to_string();
                seen.lock().unwrap().push(path.clone());
                let body = served.lock().unwrap().iter().find(|(p, _)| *p == path).map(|(_, b)| b.clone());
                let (status, body) = match body {
                    Some(b) => ("200 OK", b),
                    None => ("404 Not Found", Vec::new()),
                };
                let head = format!("HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n", body.len());
                let _ = stream.write_all(head.as_bytes());
                let _ = stream.write_all(&body);
            }
        });
        FakeServer { base, requests, routes }
    }

    fn route(&self, path: &str, body: Vec<u8>) {
        self.routes.lock().unwrap().push((path.into(), body));
    }

    fn requests(&self) -> Vec<String> {
        self.requests.lock().unwrap().clone()
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

const PACKAGE: &[u8] = b"the new Rollcall, packaged";

/// A static update manifest for `version` whose every platform points at /Rollcall.tar.gz.
fn manifest(server: &FakeServer, version: &str, signature: &str) -> Vec<u8> {
    let mut platforms = serde_json::Map::new();
    for os in ["linux", "darwin", "windows"] {
        for arch in ["x86_64", "aarch64", "i686", "armv7"] {
            platforms.insert(
                format!("{os}-{arch}"),
                json!({ "signature": signature, "url": format!("{}/Rollcall.tar.gz", server.base) }),
            );
        }
    }
    let m = json!({
        "version": version,
        "notes": "Faster imports; the donor table exports to Excel.",
        "pub_date": "2026-11-29T09:00:00Z",
        "platforms": platforms,
    });
    serde_json::to_vec(&m).unwrap()
}

/// The app, trusting `key`, with the fake server as its update endpoint.
fn app(server: &FakeServer, key: &UpdateKey) -> Shell {
    Shell::with_updater(json!({
        "pubkey": key.public(),
        "endpoints": [format!("{}/latest.json", server.base)],
        "dangerousInsecureTransportProtocol": true,
        "requireSignedVersion": true,
    }))
}

fn verified(shell: &Shell) -> Option<String> {
    rollcall_app::updates::verified_version(shell.app().handle())
}

#[test]
fn a_signed_update_for_a_newer_version_is_found_and_its_download_verified() {
    let server = FakeServer::start();
    let key = UpdateKey::new();
    server.route("/latest.json", manifest(&server, "9.9.9", &key.sign(PACKAGE, "9.9.9")));
    server.route("/Rollcall.tar.gz", PACKAGE.to_vec());
    let shell = app(&server, &key);

    let found = shell.ok("updates_check", json!({}));
    assert_eq!(found["status"], "available", "{found}");
    assert_eq!(found["version"], "9.9.9");
    assert_eq!(found["notes"], "Faster imports; the donor table exports to Excel.");

    let downloaded = shell.ok("updates_download", json!({}));
    assert_eq!(downloaded, json!({ "version": "9.9.9", "bytes": PACKAGE.len() }));
    assert_eq!(verified(&shell).as_deref(), Some("9.9.9"));
    assert_eq!(server.requests(), ["/latest.json", "/Rollcall.tar.gz"]);

    // At most one check a day: asked again at once, Rollcall does not contact the server.
    let again = shell.ok("updates_check", json!({}));
    assert_eq!(again["status"], "not_due", "{again}");
    assert_eq!(server.requests().len(), 2);
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
    assert_eq!(shell.ok("updates_settings", json!({})), json!({ "enabled": false, "last_check": Value::Null }));
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
