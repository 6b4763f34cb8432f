"""Every report format imports through the real window exactly as through the CLI: each good fixture is
imported into its own webinar via the Import button (the file dialog answers with the fixture), and the
attendance list the window wrote is compared with what `rollcall-cli import` writes into a fresh
database. A second import of the same file changes nothing."""

import json
import os
import subprocess
from pathlib import Path

import pytest

from conftest import EXE
from test_coordinator_day import invoke, stub_dialog, wait_no_dialog

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "import"
GOOD = sorted(p.name for p in FIXTURES.iterdir() if p.suffix in (".csv", ".tsv") and not p.name.startswith("bad_"))


def cli_binary():
    if os.environ.get("ROLLCALL_CLI"):
        return os.environ["ROLLCALL_CLI"]
    # The newest build: a stale release binary must not stand in for the code under test.
    built = [p for p in (ROOT / "target" / profile / f"rollcall-cli{EXE}" for profile in ("release", "debug")) if p.exists()]
    if not built:
        pytest.fail("no rollcall-cli binary: run `cargo build -p rollcall-cli` first")
    return str(max(built, key=lambda p: p.stat().st_mtime))


def cli(db, *args):
    out = subprocess.run([cli_binary(), "--db", str(db), "--json", *args], check=True, capture_output=True, text=True)
    return json.loads(out.stdout)


def rows(records):
    """The comparable part of an attendance list: who, in what role and status, for how long."""
    return sorted((r["name"], r["email"] or "", r["role"], r["status"], r["minutes"]) for r in records)


def test_every_format_imports_in_the_window_as_in_the_cli(app, tmp_path):
    assert len(GOOD) >= 10, GOOD
    app.click("Start with an empty database")
    project = invoke(app, "project_create", {"input": {"name": "Formats"}})
    # The CLI imports the same files in the same order into its own database, so people already known
    # from an earlier file are matched the same way on both sides.
    db = tmp_path / "cli.sqlite3"
    cli_project = cli(db, "project", "add", "--name", "Formats")
    for name in GOOD:
        event = invoke(app, "event_create", {"input": {"project_id": project["id"], "title": name, "starts_at": "2022-06-28T18:00", "timezone": "Europe/Kyiv"}})
        app.go(f"#/events/{event['id']}")
        stub_dialog(app, "open", FIXTURES / name)
        app.click("Import report…")
        app.wait_text("Import ", ".dialog h2")
        app.find(".dialog button.primary")
        # A name written in another order than in an earlier file (teams_old.csv's "Тарас Шевчук" after the
        # sign-in sheet's "Шевчук Тарас") is offered as a possible match, never merged (issue #13): both
        # sides take undecided people as new ones.
        app.d.execute_script(
            "const s = document.querySelector('#import-undecided');"
            "if (s) { s.value = 'new'; s.dispatchEvent(new Event('change')); }")
        app.d.execute_script("document.querySelector('.dialog .dialog-actions button.primary').click()")
        wait_no_dialog(app)
        app.wait.until(lambda d: invoke(app, "import_list", {"eventId": event["id"]}))
        in_window = rows(invoke(app, "attendance_list", {"eventId": event["id"]}))
        assert in_window, name

        e = cli(db, "event", "add", "--project", str(cli_project["id"]), "--title", name, "--starts", "2022-06-28T18:00", "--tz", "Europe/Kyiv")
        cli(db, "import", str(FIXTURES / name), "--event", str(e["id"]), "--ambiguous", "new")
        assert in_window == rows(cli(db, "attendance", "list", "--event", str(e["id"]))), name

        # The same file again: the preview says so and importing changes nothing.
        app.click("Import report…")
        app.wait_text("already imported", ".dialog")
        app.d.execute_script("document.querySelector('.dialog .dialog-actions button.primary').click()")
        wait_no_dialog(app)
        assert rows(invoke(app, "attendance_list", {"eventId": event["id"]})) == in_window, name
    app.screenshot("import-formats")

    # Undo from the event's list of imports takes the last file's records away again.
    app.go(f"#/events/{event['id']}")
    app.click("Undo")
    app.click("Undo", within="dialog")
    app.wait_text("Import undone", "#toasts")
    app.wait.until(lambda d: not invoke(app, "attendance_list", {"eventId": event["id"]}))
