"""The import review in the real window (issue 19): the preview lists the report's people before anything
is written, flags the rows that do not look like a person ("Iryna Marchenko (Krok)", "Galaxy A52", a
phone number, one-word names), lets the coordinator skip a row or fix a name, and the Import button's
count is exactly the number of records written; a decision matching a report's email to a person is
remembered, so the next report matches that email without a question. Also the Excel side of issue 17:
an .xlsx sign-in sheet imported through the window, and a report exported as .xlsx."""

import zipfile

from selenium.webdriver.common.by import By

from test_coordinator_day import FIXTURES, invoke, set_value, stub_dialog, wait_no_dialog


def new_event(app, project_id, title):
    e = invoke(app, "event_create", {"input": {"project_id": project_id, "title": title, "starts_at": "2024-03-14T10:00", "timezone": "Europe/Kyiv"}})
    app.go(f"#/events/{e['id']}")
    return e["id"]


def review_rows(app):
    """The review table's rows as (name, outcome, flags) from what the window shows."""
    return app.d.execute_script("""
      return [...document.querySelectorAll('.dialog table.review tbody tr')].map((tr) => [
        tr.querySelector('.review-name').textContent,
        tr.querySelector('.badge[class*=outcome-]').className.replace(/.*outcome-/, ''),
        [...tr.querySelectorAll('.badge.flag')].map((b) => b.textContent),
      ]);""")


def press(app, button):
    """Scrolls a button of the dialog's body into view (its sticky actions bar may cover it) and clicks."""
    app.d.execute_script("arguments[0].scrollIntoView({block: 'center'})", button)
    button.click()


def figure(app, key):
    return int(app.find(f"#import-figures .figure[data-figure={key}]").get_attribute("data-value"))


def import_count(app):
    """The number on the Import button ("Import 7 attendance records")."""
    text = app.find("#import-confirm").text
    return int("".join(c for c in text.split(" ")[1] if c.isdigit()))


def test_the_review_flags_rows_and_the_count_is_what_is_written(sample_app):
    app = sample_app
    project_id = invoke(app, "project_list")[0]["id"]
    event_id = new_event(app, project_id, "Review webinar")
    stub_dialog(app, "open", FIXTURES / "zoom_review.csv")
    app.click("Import report…")
    app.wait_text("People in this report", ".dialog")
    # Flagged rows are shown first, before anything is written.
    app.wait.until(lambda d: len(review_rows(app)) >= 4)
    rows = {name: (outcome, flags) for name, outcome, flags in review_rows(app)}
    app.screenshot("import-review")
    assert any("Bracket" in flags for _, flags in rows.values()), rows
    assert "Device name" in rows["Galaxy A52"][1], rows
    assert "Phone number" in rows["+373 69 123 456"][1], rows
    assert "One word" in rows["Mariam"][1], rows
    assert invoke(app, "attendance_list", {"eventId": event_id}) == [], "the preview wrote nothing"

    # Skip the device, then fix the bracketed name: each decision previews the file again.
    before = import_count(app)
    row = app.d.find_element(By.XPATH, "//div[contains(@class,'dialog')]//tr[.//span[@class='review-name' and normalize-space()='Galaxy A52']]")
    press(app, row.find_element(By.XPATH, ".//button[normalize-space()='Skip']"))
    app.wait.until(lambda d: app.find_all("#import-confirm") and import_count(app) == before - 1)
    bracket = next(name for name, (_, flags) in rows.items() if "Bracket" in flags)
    set_value(app, "#review-filter", "flagged")
    row = app.d.find_element(By.XPATH, f"//div[contains(@class,'dialog')]//tr[.//span[@class='review-name' and normalize-space()='{bracket}']]")
    press(app, row.find_element(By.XPATH, ".//button[normalize-space()='Fix name…']"))
    name = app.find("#review-fix-name")
    name.clear()
    name.send_keys("Iryna Marchenko")
    org = app.find("#review-fix-org")
    org.clear()
    org.send_keys("Krok")
    app.click("Use this name", within="dialog")
    app.wait.until(lambda d: any(n == "Iryna Marchenko" for n, _, _ in review_rows(app)) or app.find_all("#review-filter"))
    set_value(app, "#review-filter", "all")
    app.wait.until(lambda d: any(n == "Iryna Marchenko" for n, _, _ in review_rows(app)))
    promised = import_count(app)
    button = app.find("#import-confirm")
    app.d.execute_script("arguments[0].scrollIntoView({block: 'center'})", button)
    button.click()
    app.wait_text("Imported", "#toasts")
    wait_no_dialog(app)
    written = invoke(app, "attendance_list", {"eventId": event_id})
    assert len(written) == promised, (promised, written)
    names = {r["name"] for r in written}
    assert "Iryna Marchenko" in names and "Galaxy A52" not in names and "Krok" not in names, names


def test_a_decided_email_is_remembered_for_the_next_report(sample_app):
    app = sample_app
    project_id = invoke(app, "project_list")[0]["id"]
    known = invoke(app, "person_create", {"input": {"full_name": "Zofia Wójcik", "email": "zofia@other.example"}})
    for n in (1, 2):
        event_id = new_event(app, project_id, f"Remembered {n}")
        stub_dialog(app, "open", FIXTURES / "zoom_meeting_plain.csv")
        app.click("Import report…")
        app.wait_text("People in this report", ".dialog")
        if n == 1:
            # The first time, the coordinator says who the report's Zofia is.
            set_value(app, ".dialog select[aria-label*='Zofia']", f"person:{known['id']}")
            set_value(app, "#import-undecided", "new")
        else:
            # The second time the report's address is hers: no question.
            assert not app.find_all(".dialog select[aria-label^='Who is']"), "asked again about a decided email"
        app.wait.until(lambda d: app.find("#import-confirm").is_enabled())
        button = app.find("#import-confirm")
        app.d.execute_script("arguments[0].scrollIntoView({block: 'center'})", button)
        button.click()
        app.wait_text("Imported", "#toasts")
        wait_no_dialog(app)
        app.d.execute_script("document.getElementById('toasts').replaceChildren()")
        zofia = [r for r in invoke(app, "attendance_list", {"eventId": event_id}) if r["person_id"] == known["id"]]
        assert len(zofia) == 1, (n, zofia)


def test_an_xlsx_sign_in_sheet_imports_and_a_report_exports_as_xlsx(sample_app, tmp_path):
    app = sample_app
    project_id = invoke(app, "project_list")[0]["id"]
    event_id = new_event(app, project_id, "Workbook sign-in")
    stub_dialog(app, "open", FIXTURES / "zoom_meeting_plain.xlsx")
    app.click("Import report…")
    app.wait_text("People in this report", ".dialog")
    set_value(app, "#import-undecided", "new") if app.find_all("#import-undecided") else None
    app.wait.until(lambda d: app.find("#import-confirm").is_enabled())
    promised = import_count(app)
    button = app.find("#import-confirm")
    app.d.execute_script("arguments[0].scrollIntoView({block: 'center'})", button)
    button.click()
    app.wait_text("Imported", "#toasts")
    wait_no_dialog(app)
    assert len(invoke(app, "attendance_list", {"eventId": event_id})) == promised

    # A two-sheet workbook asks which sheet to read.
    event_id = new_event(app, project_id, "Two sheets")
    stub_dialog(app, "open", FIXTURES / "two_sheets.xlsx")
    app.click("Import report…")
    app.wait.until(lambda d: app.find_all("#import-sheet") or app.find_all(".dialog table.review"))
    if app.find_all("#import-sheet"):
        app.click("Read this sheet", within="dialog")
    app.wait_text("People in this report", ".dialog")
    app.d.find_element(By.CSS_SELECTOR, "body").send_keys("\ue00c")
    wait_no_dialog(app)

    # The donor table as an Excel workbook, through the save dialog.
    app.go("#/reports")
    set_value(app, "#report-project", str(project_id))
    app.wait.until(lambda d: d.execute_script(
        "const r = document.querySelector('#report-results'); return r && r.dataset.state === 'ready';"))
    out = tmp_path / "donor.xlsx"
    stub_dialog(app, "save", out)
    set_value(app, "#export-format", "xlsx")
    app.find("#export-donor").click()
    app.wait.until(lambda d: out.exists() and out.stat().st_size > 0)
    app.wait_text("rows written", "#toasts")
    with zipfile.ZipFile(out) as book:
        text = "".join(book.read(n).decode("utf-8", "replace") for n in book.namelist() if n.startswith("xl/"))
    assert "In Search of Solidarity" in text and "Total" in text, text[:500]
