"""Issue 20, updates in the real window, against a fake update server on 127.0.0.1.

The release app is pointed at the fake server with ROLLCALL_UPDATE_ENDPOINT (http is allowed for
127.0.0.1 only). The public key stays the one built into the app, whose private half only the release
workflow has, so nothing this server offers can verify: these tests see the offer, the notes, the
download's progress, the refusal, the cancel and the postpone, but never an install. The backup and
the install that follow a verified download are tested in src-tauri/tests/commands/updates.rs with a
key made for each test (docs/release.md, "What is tested where").

The app runs as its .deb would: a copy of the binary marked "deb" the way the bundler marks the binary
it puts in the package. With a `pkexec` on PATH (a stand-in that is never run: it only has to exist)
the updater may replace a .deb install, so the window offers to install; without one it says once per
version where the new package is.
"""

import json
import os
import shutil
import stat
import subprocess
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By

from conftest import ROOT, WINDOWS, app_binary, app_env, free_port, launch, quit_app

pytestmark = pytest.mark.skipif(WINDOWS, reason="a .deb install and its administrator prompt exist on Linux only")

# A minisign signature made with a throwaway key (`tauri signer sign`) over the genuine package below:
# neither this key nor these bytes are the project's.
FOREIGN_SIGNATURE = (
    "dW50cnVzdGVkIGNvbW1lbnQ6IHNpZ25hdHVyZSBmcm9tIHRhdXJpIHNlY3JldCBrZXkKUlVRUGtXSFlxT1MrSFlpOTlqUWJJR0dFQTRGVWt3"
    "RnJ2TjlaRFU0MklpSWtnM1FSNDJTa3loNWVKK0x4S1g1TnZrRFh1eFlvWEtBMGJnUDIzdll2UjNNY3M5NGJsZmVKekFRPQp0cnVzdGVkIGNv"
    "bW1lbnQ6IHRpbWVzdGFtcDoxNzk1OTU1NTkwCWZpbGU6Z2VudWluZS5kZWIKOGNaQXFRVVN5VExad0xmMFFjRHdFdEgxKzhVNTJlZGp0QURl"
    "dGVOVUwrdkdtOVhBRUZYcUEwV0ZKUG5zMU1zK1ViMUk1dVdaTFZOZlRNQTBCQ0lxQVE9PQo="
)
GENUINE = b"!<arch>\ndebian-binary   the new Rollcall, packaged\n"
# What the server sends instead: the genuine start and 2 MB more, so the download takes a moment.
TAMPERED = GENUINE + b"x" * (2 << 20)
# Notes are shown as text: markup in them stays characters.
NOTES = "Faster imports.\nThe donor table exports to Excel.\n<b>not bold</b>"
RELEASE_PAGE = "https://example.org/rollcall/releases/v9.9.9"
MARKERS = (b"__TAURI_BUNDLE_TYPE_VAR_UNK", b"__TAURI_BUNDLE_TYPE_VAR_DEB")


class FakeUpdateServer:
    """Answers GET paths from `routes` ({path: (body, seconds between 64 KB chunks)}), 404 otherwise,
    and records every path asked for."""

    def __init__(self):
        self.routes = {}
        self.requests = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                server.requests.append(self.path)
                body, pause = server.routes.get(self.path, (None, 0))
                if body is None:
                    self.send_response(404)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                try:
                    for at in range(0, len(body), 64 * 1024):
                        self.wfile.write(body[at:at + 64 * 1024])
                        self.wfile.flush()
                        time.sleep(pause)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the app stopped the download

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def offer(self, version="9.9.9", package=TAMPERED, pause=0.02):
        """A manifest for `version` (every platform and Linux package kind) and its package."""
        entry = {"signature": FOREIGN_SIGNATURE, "url": f"{self.base}/Rollcall_{version}_amd64.deb"}
        platforms = {f"{os_}-{arch}{kind}": entry for arch in ("x86_64", "aarch64")
                     for os_, kind in (("linux", ""), ("linux", "-deb"), ("linux", "-rpm"), ("windows", ""), ("darwin", ""))}
        manifest = {"version": version, "notes": NOTES, "pub_date": "2026-11-29T09:00:00Z",
                    "release_page": RELEASE_PAGE, "platforms": platforms}
        self.routes["/latest.json"] = (json.dumps(manifest).encode(), 0)
        self.routes[f"/Rollcall_{version}_amd64.deb"] = (package, pause)
        self.requests.clear()


@pytest.fixture(scope="module")
def server():
    s = FakeUpdateServer()
    yield s
    s.httpd.shutdown()


@pytest.fixture(scope="module")
def deb_app(tmp_path_factory):
    """The app under test as its .deb holds it: the bundler's mark changed to "deb" (the installed
    binary already has it)."""
    data = Path(app_binary()).read_bytes()
    copy = tmp_path_factory.mktemp("deb") / "rollcall"
    copy.write_bytes(data.replace(*MARKERS) if MARKERS[0] in data else data)
    copy.chmod(copy.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return str(copy)


def start_driver(display, env, log_name):
    """A tauri-driver whose apps get `env` (each driver's apps inherit its environment)."""
    port, native = free_port(), free_port()
    log = open(ROOT / "target" / log_name, "w")
    proc = subprocess.Popen(["tauri-driver", "--port", str(port), "--native-port", str(native)],
                            stdout=log, stderr=subprocess.STDOUT, env=env)
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(url + "/status", timeout=1)
            return proc, url
        except OSError:
            time.sleep(0.1)
    proc.kill()
    pytest.fail("tauri-driver did not start")


@pytest.fixture(scope="module")
def prompt_driver(display, server, tmp_path_factory):
    """Apps that check the fake server, on a system with an administrator prompt (pkexec on PATH)."""
    bin_dir = tmp_path_factory.mktemp("fakebin")
    pkexec = bin_dir / "pkexec"
    pkexec.write_text("#!/bin/sh\n# A stand-in: these tests never install.\nexit 1\n")
    pkexec.chmod(0o755)
    env = {**app_env(display), "ROLLCALL_UPDATE_ENDPOINT": f"{server.base}/latest.json",
           "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"}
    proc, url = start_driver(display, env, "tauri-driver-updates.log")
    yield url
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture(scope="module")
def no_prompt_driver(display, server):
    """Apps that check the fake server, on a system without an administrator prompt."""
    if shutil.which("pkexec") or (shutil.which("sudo") and (shutil.which("zenity") or shutil.which("kdialog"))):
        pytest.skip("this machine has an administrator prompt, so a .deb install can be replaced")
    env = {**app_env(display), "ROLLCALL_UPDATE_ENDPOINT": f"{server.base}/latest.json"}
    proc, url = start_driver(display, env, "tauri-driver-updates-no-prompt.log")
    yield url
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture
def started():
    """Apps started by a test, quit at its end."""
    apps = []
    yield apps
    for a in apps:
        quit_app(a)


def run(driver_url, db, binary, started, keep_settings=False):
    a = launch(driver_url, db, keep_settings=keep_settings, binary=binary)
    started.append(a)
    return a


def dialog_shown(app, present=True, seconds=15):
    until = time.time() + seconds
    while time.time() < until:
        if bool(app.find_all("#update-dialog")) == present:
            return True
        time.sleep(0.1)
    return False


def settings(db):
    return json.loads((Path(db).parent / "rollcall-updates.json").read_text())


def before_update_backups(db):
    folder = Path(db).parent / "backups"
    return sorted(p.name for p in folder.glob("*before-update*")) if folder.exists() else []


def test_an_update_is_offered_at_start_with_its_notes_and_postpone_closes_it(prompt_driver, server, deb_app, tmp_path, started):
    server.offer()
    db = tmp_path / "rollcall.sqlite3"
    app = run(prompt_driver, db, deb_app, started)
    assert dialog_shown(app), "the day's check offered the update once the window was usable"
    assert "Rollcall 9.9.9 is available" in app.text("#update-title")
    assert app.find("#update-notes").text == NOTES, "the notes, as text"
    assert app.find_all("#update-notes b") == [], "markup in the notes is not rendered"
    assert "2026" in app.text("#update-date")
    assert server.requests == ["/latest.json"]
    assert abs(settings(db)["last_check"] - time.time()) < 120, "the time of the check is remembered"
    app.screenshot("update-offered")

    app.click("Postpone", within="dialog")
    assert dialog_shown(app, present=False, seconds=5)
    assert server.requests == ["/latest.json"], "postponing downloads nothing"
    # Postponed for this session: a reloaded window does not offer it again.
    app.d.refresh()
    app.find("#nav a")
    assert not dialog_shown(app, seconds=4)
    assert before_update_backups(db) == []


def test_the_download_progresses_to_100_percent_and_a_tampered_package_is_refused(prompt_driver, server, deb_app, tmp_path, started):
    server.offer()
    db = tmp_path / "rollcall.sqlite3"
    app = run(prompt_driver, db, deb_app, started)
    assert dialog_shown(app)
    app.click("Install now", within="dialog")
    app.wait.until(lambda d: "%" in app.text("#update-progress-text"))
    app.wait_text("100%", "#update-progress-text")
    app.wait_text("was refused", "#update-status")
    status = app.text("#update-status")
    assert "not signed with Rollcall’s update key" in status and "Nothing was installed or changed" in status, status
    bar = app.find("#update-progress")
    assert bar.get_attribute("value") == bar.get_attribute("max") == str(len(TAMPERED))
    assert server.requests == ["/latest.json", "/Rollcall_9.9.9_amd64.deb"]
    assert before_update_backups(db) == [], "a refused download backs nothing up"
    app.screenshot("update-refused")
    app.click("Close", within="dialog")
    assert dialog_shown(app, present=False, seconds=5)


def test_a_download_can_be_cancelled(prompt_driver, server, deb_app, tmp_path, started):
    server.offer(pause=0.3)  # about ten seconds for the whole package
    db = tmp_path / "rollcall.sqlite3"
    app = run(prompt_driver, db, deb_app, started)
    assert dialog_shown(app)
    app.click("Install now", within="dialog")
    app.wait.until(lambda d: "%" in app.text("#update-progress-text"))
    app.click("Cancel", within="dialog")
    app.wait_text("Download cancelled. Nothing was installed or changed.", "#update-status")
    assert "100%" not in app.text("#update-progress-text")
    assert before_update_backups(db) == []
    app.click("Close", within="dialog")
    assert dialog_shown(app, present=False, seconds=5)


def test_with_update_checks_off_the_window_sends_no_request(prompt_driver, server, deb_app, tmp_path, started):
    server.offer()
    db = tmp_path / "rollcall.sqlite3"
    (tmp_path / "rollcall-updates.json").write_text(json.dumps({"enabled": False, "last_check": None}))
    app = run(prompt_driver, db, deb_app, started)
    assert not dialog_shown(app, seconds=4)
    assert server.requests == []


def test_a_deb_install_without_an_administrator_prompt_is_told_once_per_version(no_prompt_driver, server, deb_app, tmp_path, started):
    server.offer()
    db = tmp_path / "rollcall.sqlite3"
    app = run(no_prompt_driver, db, deb_app, started)
    assert dialog_shown(app)
    assert "installed as a .deb package" in app.text("#update-by-hand")
    assert app.find("#update-page").get_attribute("value") == RELEASE_PAGE
    assert app.find_all("#update-progress:not([hidden])") == []
    assert [b.text for b in app.find_all(".dialog-actions button")] == ["Close"], "nothing to install here"
    app.screenshot("update-by-package")
    app.click("Close", within="dialog")
    assert settings(db)["notified"] == "9.9.9"

    # Started again the next day: the same version is found and not said again.
    quit_app(app)
    s = settings(db)
    s["last_check"] = int(time.time()) - 25 * 3600
    (tmp_path / "rollcall-updates.json").write_text(json.dumps(s))
    again = run(no_prompt_driver, db, deb_app, started, keep_settings=True)
    again.wait.until(lambda d: len(server.requests) == 2)
    assert not dialog_shown(again, seconds=4)
    # "Check now" in "Your data" still shows it.
    again.go("#/data")
    check = again.button("Check now")
    again.d.execute_script("arguments[0].scrollIntoView({block: 'center'})", check)
    check.click()
    again.wait_text("Rollcall 9.9.9 is available.", "#updates-result")
    again.click("What is new…")
    assert dialog_shown(again)
    assert again.find("#update-notes").text == NOTES
