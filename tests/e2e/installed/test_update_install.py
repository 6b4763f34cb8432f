"""Issue 20: an update really installed. The installed .deb's Rollcall finds a newer version on a fake
update server, downloads it, verifies it, backs the database up, and dpkg installs the new package; the
app then restarts.

The project's update key is not available to tests, so the key is made here: the installed binary is
copied with the public key built into it replaced by this test's (keys have the same length), and the
new version is the installed package repacked as 0.0.0+1 more (its control file's version raised),
signed with this test's private key. The administrator prompt is a stand-in `pkexec` that runs the
command it is given (as root, or through `sudo -n`). Run by `make test-installed` after `dpkg -i`;
the package is put back as it was at the end."""

import json
import os
import re
import stat
import subprocess
import time
from pathlib import Path

import pytest

from conftest import ROOT, app_env, launch, start_driver
from test_updates import FakeUpdateServer, dialog_shown

TAURI = ROOT / "node_modules" / ".bin" / "tauri"
CONF = json.loads((ROOT / "tauri.conf.json").read_text())


def sh(*args, **kw):
    return subprocess.run(list(args), check=True, capture_output=True, text=True, **kw).stdout


def root(*args):
    """Runs a command as root: directly when the tests run as root, else through sudo without a prompt."""
    return sh(*args) if os.geteuid() == 0 else sh("sudo", "-n", *args)


def installed_version():
    return sh("dpkg-query", "-W", "-f=${Version}", "rollcall")


def dpkg_running():
    return subprocess.run(["pgrep", "-x", "dpkg"], stdout=subprocess.DEVNULL).returncode == 0


@pytest.fixture(scope="module")
def key(tmp_path_factory):
    """A throwaway update key pair: (private key file, public key text)."""
    if not TAURI.exists():
        pytest.fail("the Tauri CLI is missing: run `npm ci` (make node-deps)")
    folder = tmp_path_factory.mktemp("key")
    private = folder / "update.key"
    sh(str(TAURI), "signer", "generate", "--ci", "-p", "", "-w", str(private))
    return private, (folder / "update.key.pub").read_text().strip()


@pytest.fixture(scope="module")
def package():
    """The package `make test-installed` installed, put back at the end whatever the test did."""
    debs = sorted((ROOT / "target" / "release" / "bundle" / "deb").glob("*.deb"))
    assert debs, "no .deb: run `make build-release`"
    before = installed_version()
    yield debs[-1]
    root("dpkg", "-i", str(debs[-1]))
    assert installed_version() == before


def newer_package(deb, version, folder, private_key):
    """`deb` repacked with `version` in its control file, and its signature made with `private_key`."""
    tree = folder / "tree"
    sh("dpkg-deb", "-R", str(deb), str(tree))
    control = tree / "DEBIAN" / "control"
    control.write_text(re.sub(r"(?m)^Version: .*$", f"Version: {version}", control.read_text()))
    out = folder / f"Rollcall_{version}_amd64.deb"
    sh("dpkg-deb", "--root-owner-group", "-b", str(tree), str(out))
    env = {**os.environ, "TAURI_SIGNING_PRIVATE_KEY_PASSWORD": ""}
    sh(str(TAURI), "signer", "sign", "--app-version", version, "-k", private_key.read_text().strip(), str(out), env=env)
    return out, (folder / f"{out.name}.sig").read_text().strip()


def test_an_update_is_verified_backed_up_installed_with_dpkg_and_the_app_restarts(display, key, package, tmp_path):
    private, public = key
    built_in = CONF["plugins"]["updater"]["pubkey"]
    assert len(public) == len(built_in), "update keys have one length"
    current = os.environ.get("ROLLCALL_APP", "/usr/bin/rollcall")
    binary = Path(current).read_bytes()
    assert binary.count(built_in.encode()) == 1, "the public key is in the installed binary once"
    app_copy = tmp_path / "rollcall"
    app_copy.write_bytes(binary.replace(built_in.encode(), public.encode()))
    app_copy.chmod(app_copy.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)

    newer = f"{CONF['version'].rsplit('.', 1)[0]}.{int(CONF['version'].rsplit('.', 1)[1]) + 1}"
    deb, signature = newer_package(package, newer, tmp_path, private)

    server = FakeUpdateServer()
    manifest = {"version": newer, "notes": "A newer Rollcall for the install test.", "pub_date": "2026-11-29T12:00:00Z",
                "platforms": {"linux-x86_64-deb": {"signature": signature, "url": f"{server.base}/{deb.name}"}}}
    server.routes["/latest.json"] = (json.dumps(manifest).encode(), 0)
    server.routes[f"/{deb.name}"] = (deb.read_bytes(), 0)

    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    pkexec = bin_dir / "pkexec"
    pkexec.write_text('#!/bin/sh\n# The administrator prompt, granted.\n'
                      'if [ "$(id -u)" = 0 ]; then exec "$@"; else exec sudo -n "$@"; fi\n')
    pkexec.chmod(0o755)
    env = {**app_env(display), "ROLLCALL_UPDATE_ENDPOINT": f"{server.base}/latest.json",
           "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"}
    driver, url = start_driver(env, "tauri-driver-update-install.log")
    db = tmp_path / "data" / "rollcall.sqlite3"
    db.parent.mkdir()
    app = None
    try:
        app = launch(url, db, binary=str(app_copy))
        app.click("Load sample data")
        app.link("In Search of Solidarity")
        assert dialog_shown(app, seconds=30), "the newer version is offered"
        first = set(subprocess.run(["pgrep", "-f", str(app_copy)], capture_output=True, text=True).stdout.split())
        assert first, "the app under test is running"
        app.click("Install now", within="dialog")
        # The app installs, then restarts itself: the window under WebDriver goes away.
        # Read once dpkg has ended: while it runs, dpkg-query may read the new version from dpkg's journal
        # and, a moment later, the old one from a status file being rewritten.
        deadline = time.time() + 120
        while time.time() < deadline and (dpkg_running() or installed_version() != newer):
            time.sleep(0.5)
        assert installed_version() == newer, "dpkg installed the new package"
        backups = sorted(p.name for p in (db.parent / "backups").glob("*before-update*"))
        assert len(backups) == 1, backups
        restarted = set()
        deadline = time.time() + 30
        while time.time() < deadline and not restarted:
            pids = subprocess.run(["pgrep", "-f", str(app_copy)], capture_output=True, text=True).stdout.split()
            restarted = set(pids) - first
            time.sleep(0.5)
        # The new process is the evidence of the restart. Under a loaded Xvfb it can fail to open its
        # display (GTK's init) and be gone before it is seen; its first log lines then still show that the
        # app started it, which is what this test is about.
        log = (ROOT / "target" / "tauri-driver-update-install.log").read_text(errors="replace")
        after = log.split("restarting into the new version", 1)
        assert len(after) == 2, "the app restarts itself after installing"
        started_again = restarted or any(
            line in after[1] for line in ("update checks go to the endpoint", "Failed to initialize gtk"))
        assert started_again, "the app started again after installing"
    finally:
        subprocess.run(["pkill", "-f", str(app_copy)])
        if app is not None:
            try:
                app.d.quit()
            except Exception:
                pass  # the app restarted itself: its session is gone
        driver.terminate()
        driver.wait(timeout=10)
        server.httpd.shutdown()
