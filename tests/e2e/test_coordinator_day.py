"""A coordinator's whole day in the real window: a project with partners, a webinar, the Zoom report
imported through the same path the file dialog uses, an ambiguous match settled, a no-show marked by
hand, the project report read, the donor CSV exported and read back; then the "Your data" screen."""

import csv
import time
from pathlib import Path

from selenium.webdriver.common.by import By

from conftest import needs_x11

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "import"


def invoke(app, command, args=None):
    """Calls a command as the window does, to check what the screens wrote."""
    return app.d.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "window.__TAURI__.core.invoke(arguments[0], arguments[1]).then(done, e => done({error: e}));",
        command, args or {})


def set_value(app, css, value):
    """Sets an input or select the way a user's choice does (value, then input and change events)."""
    el = app.find(css)
    app.d.execute_script(
        "arguments[0].value = arguments[1];"
        "arguments[0].dispatchEvent(new Event('input', {bubbles: true}));"
        "arguments[0].dispatchEvent(new Event('change', {bubbles: true}));", el, value)
    return el


def stub_dialog(app, kind, path):
    """The native Open/Save dialog answers `path`, as if the user had chosen it."""
    app.d.execute_script(f"window.__TAURI__.dialog.{kind} = async () => arguments[0];", str(path))


def wait_no_dialog(app):
    app.wait.until(lambda d: not app.find_all(".overlay"))


def test_a_coordinators_day(app, tmp_path):
    app.click("Start with an empty database")

    # Partner organisations, then the project with its partners.
    app.go("#/organisations")
    for name, country in (("Human Rights Vector", "UA"), ("World of Tolerance", "GE"), ("Promo-LEX", "MD")):
        app.click("New organisation")
        app.fill({"name": name, "country": country})
        app.click("Save", within="dialog")
        wait_no_dialog(app)
        app.wait_text(name)

    app.go("#/projects")
    app.click("New project")
    app.fill({"name": "In Search of Solidarity", "donor": "European Union"})
    app.click("Save", within="dialog")
    app.wait.until(lambda d: (d.execute_script("return document.body.dataset.shown") or "").startswith("#/projects/"))
    project_id = int(app.d.execute_script("return location.hash.split('/')[2]"))
    for n, (org, role) in enumerate((("Human Rights Vector", "lead"), ("World of Tolerance", "partner")), 1):
        # The organisation is picked by typing its name (the picker offers the known ones).
        app.fill({"organisation_id": org}, css_scope="main")
        set_value(app, "main [name='role']", role)
        app.click("Add partner")
        app.wait.until(lambda d: len(invoke(app, "partner_list", {"projectId": project_id})) == n)
        app.wait_text(org)
    assert len(invoke(app, "partner_list", {"projectId": project_id})) == 2

    # Someone already known by name, with another email: the import must ask, not merge.
    known = invoke(app, "person_create", {"input": {"full_name": "Zofia Wójcik", "email": "zofia@other.example"}})
    assert "id" in known, known

    # The webinar.
    app.go(f"#/projects/{project_id}")
    app.click("New event")
    app.fill({"title": "Human Rights: Examples of International Solidarity"})
    set_value(app, ".dialog [name='starts_at']", "2022-06-28T18:00")
    set_value(app, ".dialog [name='timezone']", "Europe/Kyiv")
    app.click("Save", within="dialog")
    app.wait.until(lambda d: (d.execute_script("return document.body.dataset.shown") or "").startswith("#/events/"))
    event_id = int(app.d.execute_script("return location.hash.split('/')[2]"))

    # Import the Zoom report: the file dialog answers with the fixture, the preview shows what will happen.
    stub_dialog(app, "open", FIXTURES / "zoom_meeting_plain.csv")
    app.click("Import report…")
    app.wait_text("Zoom meeting", ".dialog")
    app.wait_text("People to decide", ".dialog")
    app.screenshot("import-preview")
    decide = app.find(".dialog select[aria-label^='Who is']")
    import_button = app.d.find_element(By.XPATH, "//div[contains(@class,'dialog')]//button[starts-with(normalize-space(),'Import ')]")
    assert not import_button.is_enabled(), "the import waits for the decision"
    # The undecided can all be made new people at once (for reports with many to decide)...
    set_value(app, "#import-undecided", "new")
    app.wait.until(lambda d: import_button.is_enabled())
    # ...but here the coordinator knows who it is.
    set_value(app, "#import-undecided", "ask")
    app.wait.until(lambda d: not import_button.is_enabled())
    set_value(app, ".dialog select[aria-label^='Who is']", f"person:{known['id']}")
    assert decide.get_attribute("value") == f"person:{known['id']}"
    app.wait.until(lambda d: import_button.is_enabled())
    # The dialog's body scrolls; the user scrolls to the button.
    app.d.execute_script("arguments[0].scrollIntoView({block: 'center'})", import_button)
    import_button.click()
    app.wait_text("Imported", "#toasts")
    wait_no_dialog(app)
    app.wait_text("Ірина Бондаренко")
    app.wait_text("zoom_meeting_plain.csv")

    rows = {r["name"]: r for r in invoke(app, "attendance_list", {"eventId": event_id})}
    assert rows["Ірина Бондаренко"]["minutes"] == 95, rows  # a rejoin: 70 + 25 minutes
    zofia = [r for r in rows.values() if r["person_id"] == known["id"]]
    assert len(zofia) == 1 and zofia[0]["minutes"] == 60, rows
    assert len([p for p in invoke(app, "person_list", {"query": {"search": "Zofia", "limit": 10, "offset": 0}})["items"]]) == 1

    # A registered speaker who did not come: added by hand, then marked absent in the grid.
    app.fill({"full_name": "Nazarii Boiarskyi", "email": "nazarii@example.org"}, css_scope="main")
    app.click("Quick add")
    app.wait.until(lambda d: app.find_all("main select[aria-label='Status: Nazarii Boiarskyi']"))
    set_value(app, "main select[aria-label='Status: Nazarii Boiarskyi']", "absent")
    app.wait.until(lambda d: any(r["name"] == "Nazarii Boiarskyi" and r["status"] == "absent"
                                 for r in invoke(app, "attendance_list", {"eventId": event_id})))
    attended = [r for r in invoke(app, "attendance_list", {"eventId": event_id}) if r["status"] == "attended"]
    app.screenshot("event-after-import")

    # The project report counts the people who attended, once each.
    app.go("#/reports")
    set_value(app, "#report-project", str(project_id))
    app.wait.until(lambda d: d.execute_script(
        "const r = document.querySelector('#report-results'); return r && r.dataset.state === 'ready' && r.dataset.project;") == str(project_id))
    unique = app.find("#report-figures .figure[data-figure=unique_people]").get_attribute("data-value")
    assert int(unique) == len(attended), (unique, attended)
    app.screenshot("reports")

    # The donor table as CSV, semicolon-separated for Excel, read back.
    out = tmp_path / "donor.csv"
    stub_dialog(app, "save", out)
    set_value(app, "#export-delimiter", "semicolon")
    app.find("#export-donor").click()
    for _ in range(100):
        if out.exists() and out.stat().st_size > 0:
            break
        time.sleep(0.1)
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "UTF-8 with BOM, for Excel"
    table = list(csv.reader(raw.decode("utf-8-sig").splitlines(), delimiter=";"))
    # Written in the words the screen shows (issue 19): the dimension's name, countries by name, "Total".
    assert table[0][0] == "Gender" and table[0][-1] == "Total", table
    assert "GE" not in table[0], table[0]
    assert table[-1][0] == "Total" and int(table[-1][-1]) == len(attended), table


def test_your_data_screen_backs_up_and_checks(sample_app):
    app = sample_app
    app.go("#/data")
    app.wait_text("Your data")
    app.click("Check the database")
    app.wait.until(lambda d: app.find_all("#check-result p.ok"))
    app.click("Back up now")
    app.wait_text("Backup written", "#toasts")
    app.wait_text("On demand")
    app.screenshot("your-data")


def test_a_pasted_list_with_html_and_bidi_names_stays_text(sample_app):
    app = sample_app
    app.open("In Search of Solidarity")
    app.open("Human Rights: Examples of International Solidarity")
    hostile = "<b>Bold</b> <img src=x onerror=\"document.title='pwned'\">, evil@example.org\n\u202eAdmin\u200b <script>document.title='pwned'</script>\n"
    box = app.find("#paste-text")
    app.d.execute_script("arguments[0].value = arguments[1]", box, hostile)
    app.click("Check")
    app.wait_text("New people", ".paste")
    app.click("Mark attended")
    app.wait_text("marked attended", "#toasts")
    app.wait_text("<b>Bold</b>")
    assert app.d.title != "pwned"
    assert not app.find_all("main img[src=x]")
    assert not app.find_all("main table script")
    assert not app.find_all("main table b")
    # A right-to-left override in a name stays inside its own cell.
    assert app.d.execute_script("return getComputedStyle(document.querySelector('main td')).unicodeBidi") == "isolate"


def test_an_encrypted_database_asks_for_its_passphrase_after_a_restart(sample_app, relaunch):
    app = sample_app
    app.go("#/data")
    app.fill({"passphrase": "correct horse battery", "confirm": "correct horse battery typo"}, css_scope="main")
    app.click("Encrypt the database")
    app.wait_text("not the same", "main")
    app.fill({"confirm": "correct horse battery"}, css_scope="main")
    app.click("Encrypt the database")
    app.click("Encrypt the database", within="dialog")
    app.wait_text("The database is encrypted")
    assert not Path(app.db).read_bytes().startswith(b"SQLite format 3")

    app = relaunch(app)
    app.wait_text("This database is encrypted")
    app.screenshot("unlock")
    app.fill({"passphrase": "wrong passphrase"}, css_scope="main")
    app.click("Open")
    app.wait_text("passphrase is wrong", "main")
    app.fill({"passphrase": "correct horse battery"}, css_scope="main")
    app.click("Open")
    app.link("In Search of Solidarity")


def test_an_organisations_page_shows_which_of_its_people_came_to_what(sample_app):
    app = sample_app
    app.go("#/organisations")
    app.open("Human Rights Vector")
    app.wait_text("Participation")
    app.wait_text("Human Rights: Examples of International Solidarity")
    rows = app.find_all("main table.data")[-1].find_elements(By.CSS_SELECTOR, "tbody tr")
    assert any("Nazarii Boiarskyi" in r.text and "Moderator" in r.text for r in rows), [r.text for r in rows]


@needs_x11
def test_file_menu_back_up_now_by_its_shortcut(sample_app):
    """The native File menu's Back Up Now (Ctrl+B), pressed as a user would on the X display."""
    import os
    import subprocess
    app = sample_app
    app.go("#/data")
    env = {**os.environ}
    windows = subprocess.run(["xdotool", "search", "--name", "^Rollcall$"], env=env, capture_output=True, text=True).stdout.split()
    assert windows, "the Rollcall window is on the display"
    # Xvfb has no window manager: focus the window directly, then type the shortcut through XTEST.
    subprocess.run(["xdotool", "windowfocus", "--sync", windows[-1]], env=env, check=True)
    subprocess.run(["xdotool", "key", "ctrl+b"], env=env, check=True)
    app.wait_text("Backup written", "#toasts")
    app.wait_text("On demand")
