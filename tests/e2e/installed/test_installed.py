"""The installed .deb: the binary dpkg put on the system starts, opens its window and works.

Run by `make test-installed` after `dpkg -i` (ROLLCALL_APP=/usr/bin/rollcall); the main suite ignores
this folder because it tests the freshly built binary instead."""

import os
import subprocess


def test_the_installed_app_starts_and_shows_its_window(app):
    binary = os.environ.get("ROLLCALL_APP", "")
    owner = subprocess.run(["dpkg", "-S", binary], capture_output=True, text=True)
    assert owner.returncode == 0 and owner.stdout.startswith("rollcall:"), (binary, owner.stdout, owner.stderr)
    assert app.d.title == "Rollcall"
    app.wait_text("Welcome to Rollcall")
    app.click("Load sample data")
    app.link("In Search of Solidarity")
    app.screenshot("installed")
