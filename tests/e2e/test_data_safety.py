"""Data safety in the real window (issue 21): an export pointed at the database file is refused in plain
words and the database is untouched; a plain backup restored into an encrypted database leaves it
encrypted, and the window says so."""

import time
from pathlib import Path

from test_coordinator_day import stub_dialog, wait_no_dialog


def wait_for_file(path, timeout=15):
    for _ in range(timeout * 10):
        if path.exists() and path.stat().st_size > 0:
            return
        time.sleep(0.1)
    raise AssertionError(f"{path} was not written")


def test_an_export_pointed_at_the_database_is_refused_and_the_database_is_untouched(sample_app):
    app = sample_app
    before = Path(app.db).read_bytes()
    app.go("#/reports")
    app.wait.until(lambda d: d.execute_script(
        "const r = document.querySelector('#report-results'); return r && r.dataset.state === 'ready';"))
    stub_dialog(app, "save", app.db)
    app.find("#export-donor").click()
    app.wait_text("is the Rollcall database itself", "#toasts")
    app.screenshot("export-over-database-refused")
    assert Path(app.db).read_bytes()[:100] == before[:100], "the database file was not replaced"
    # The database is still whole and open.
    app.go("#/projects")
    app.link("In Search of Solidarity")


def test_a_plain_backup_restored_into_an_encrypted_database_stays_encrypted(sample_app, tmp_path):
    app = sample_app
    app.go("#/data")
    app.wait_text("Your data")
    plain = tmp_path / "plain-backup.sqlite3"
    stub_dialog(app, "save", plain)
    app.click("Save a backup as…")
    wait_for_file(plain)
    assert plain.read_bytes().startswith(b"SQLite format 3"), "the backup was made before encryption"

    app.fill({"passphrase": "correct horse battery", "confirm": "correct horse battery"}, css_scope="main")
    app.click("Encrypt the database")
    app.click("Encrypt the database", within="dialog")
    app.wait_text("The database is encrypted")
    assert not Path(app.db).read_bytes().startswith(b"SQLite format 3")

    stub_dialog(app, "open", plain)
    app.click("Restore from a file…")
    app.click("Restore", within="dialog")
    app.wait_text("stays encrypted with its passphrase", "#toasts")
    app.wait_text("The database is encrypted")
    app.screenshot("restore-keeps-encryption")
    assert not Path(app.db).read_bytes().startswith(b"SQLite format 3"), "still encrypted after the restore"
    app.go("#/projects")
    app.link("In Search of Solidarity")
