"""After an export, "Open" and "Show in folder" (issue 19): the toast's buttons hand the file just written
to the system's program for it, or its folder to the file manager (a saved backup: its folder only). The
system's opener here is a stand-in `xdg-open` on the app's PATH that writes down what it was asked to
open; with no desktop bus, "Show in folder" opens the file's folder, as on a desktop without a file
manager that selects files."""

import os
import time

import pytest

from conftest import WINDOWS, app_env, launch, quit_app, start_driver
from test_coordinator_day import stub_dialog

pytestmark = pytest.mark.skipif(WINDOWS, reason="the stand-in opener is xdg-open, the Linux desktop's")


@pytest.fixture(scope="module")
def opened(display, tmp_path_factory):
    """(driver url, the file where the stand-in opener writes each path it is given)."""
    bin_dir = tmp_path_factory.mktemp("opener")
    record = bin_dir / "opened.txt"
    opener = bin_dir / "xdg-open"
    # Called without a path, it is being probed: answer as xdg-open does, and write nothing down.
    opener.write_text(f'#!/bin/sh\n[ $# -gt 0 ] || exit 1\nprintf "%s\\n" "$1" >> "{record}"\n')
    opener.chmod(0o755)
    env = {**app_env(display), "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}",
           "DBUS_SESSION_BUS_ADDRESS": f"unix:path={bin_dir}/no-bus"}
    proc, url = start_driver(env, "tauri-driver-opener.log")
    yield url, record
    proc.terminate()
    proc.wait(timeout=10)


def wait_for_line(record, expected, times=1):
    """Waits until the opener has been asked for `expected` `times` times in all."""
    for _ in range(100):
        if record.exists() and record.read_text().splitlines().count(expected) >= times:
            return
        time.sleep(0.1)
    pytest.fail(f"the opener was not asked for {expected}: {record.read_text() if record.exists() else 'nothing'}")


def test_an_export_is_opened_or_shown_in_its_folder_from_its_toast(opened, tmp_path):
    url, record = opened
    app = launch(url, tmp_path / "rollcall.sqlite3")
    try:
        app.click("Load sample data")
        app.wait.until(lambda d: d.execute_script("return document.body.dataset.shown") == "#/projects")
        out_dir = tmp_path / "Звіти донору"
        out_dir.mkdir()
        for n, action in enumerate(("toast-open", "toast-reveal")):
            out = out_dir / f"people {n}.csv"
            app.go("#/people")
            stub_dialog(app, "save", out)
            app.find("#export-people").click()
            app.find("#export-choose").click()
            button = app.find(f"#toasts #{action}")
            assert out.exists()
            if n == 0:
                app.wait_text("Show in folder", "#toasts")
                app.screenshot("export-done-open")
            button.click()
            wait_for_line(record, str(out) if action == "toast-open" else str(out_dir))
            assert not app.find_all(f"#toasts #{action}"), "the toast goes once its button is used"

        # A backup saved where the user chose: only Show in folder (to copy it to another disk).
        backup = out_dir / "rollcall-backup.sqlite3"
        app.go("#/data")
        stub_dialog(app, "save", backup)
        app.click("Save a backup as…")
        button = app.find("#toasts #toast-reveal")
        assert not app.find_all("#toasts #toast-open"), "a backup is not opened in another program"
        button.click()
        wait_for_line(record, str(out_dir), times=2)
        assert backup.exists()

        # A path the page names on its own is refused, and nothing is opened.
        lines = record.read_text()
        err = app.d.execute_async_script(
            "const done = arguments[arguments.length - 1];"
            "window.__TAURI__.core.invoke('file_open', { path: arguments[0] }).then(() => done(null), (e) => done(e));",
            str(app.db))
        assert err and err["kind"] == "invalid", err
        time.sleep(0.5)
        assert record.read_text() == lines
    finally:
        quit_app(app)
