"""The installed .deb: the binary dpkg put on the system starts, opens its window and works, and the
package puts Rollcall in the desktop's menu with its icon.

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


def test_the_package_puts_rollcall_in_the_applications_menu():
    """The .deb installs a desktop entry that starts the installed binary, and the icon it names in the
    hicolor theme's sizes, so Rollcall appears in the desktop's menu with its icon."""
    files = subprocess.run(["dpkg", "-L", "rollcall"], capture_output=True, text=True, check=True).stdout.split()
    entries = [f for f in files if f.startswith("/usr/share/applications/") and f.endswith(".desktop")]
    assert len(entries) == 1, entries
    with open(entries[0], encoding="utf-8") as f:
        entry = dict(line.split("=", 1) for line in f.read().splitlines() if "=" in line)
    assert entry["Type"] == "Application" and entry["Name"] == "Rollcall", entry
    assert entry["Exec"].split()[0] in ("rollcall", "/usr/bin/rollcall"), entry
    assert entry["Icon"] == "rollcall" and entry["Categories"], entry
    sizes = {f.split("/")[5] for f in files if f.startswith("/usr/share/icons/hicolor/") and f.endswith("/apps/rollcall.png")}
    assert {"32x32", "64x64", "128x128", "512x512"} <= sizes, sizes
