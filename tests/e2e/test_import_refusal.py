"""An import that would skip most of its rows is refused in the window as on the command line (issue 13):
the preview says why and lists the skipped rows, nothing is written until the coordinator ticks
"Import anyway", and then exactly what the preview promised is written."""

from selenium.webdriver.common.by import By

from test_coordinator_day import FIXTURES, invoke, stub_dialog, wait_no_dialog


def test_a_file_that_skips_most_rows_needs_confirmation_in_the_window(app):
    app.click("Start with an empty database")
    project = invoke(app, "project_create", {"input": {"name": "Refusals"}})
    event = invoke(app, "event_create", {"input": {"project_id": project["id"], "title": "Webinar",
                                                     "starts_at": "2022-06-28T18:00", "timezone": "Europe/Kyiv"}})
    app.go(f"#/events/{event['id']}")
    stub_dialog(app, "open", FIXTURES / "bad_mostly_skipped.csv")
    app.click("Import report…")
    app.wait_text("Import anyway", ".dialog")
    app.wait_text("no name or email", ".dialog")
    import_button = app.d.find_element(
        By.XPATH, "//div[contains(@class,'dialog')]//button[starts-with(normalize-space(),'Import ')]")
    assert not import_button.is_enabled(), "refused until confirmed"
    app.screenshot("import-refusal")
    assert invoke(app, "attendance_list", {"eventId": event["id"]}) == []
    box = app.find("#import-allow-skips")
    app.d.execute_script("arguments[0].scrollIntoView({block: 'center'})", box)
    box.click()
    app.wait.until(lambda d: import_button.is_enabled())
    app.d.execute_script("arguments[0].scrollIntoView({block: 'center'})", import_button)
    import_button.click()
    app.wait_text("Imported", "#toasts")
    wait_no_dialog(app)
    rows = invoke(app, "attendance_list", {"eventId": event["id"]})
    assert [r["name"] for r in rows] == ["Marta Oliinyk"], rows
