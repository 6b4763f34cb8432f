"""A person's donor-report details in the window (issue 15): gender as a category with their own words,
year of birth and type of participant in the form, and disability answers that need a recorded consent
first and count as "yes" when any domain has a lot of difficulty."""

from test_coordinator_day import invoke, set_value, wait_no_dialog


def test_a_persons_details_and_disability_with_consent(sample_app):
    app = sample_app
    person = invoke(app, "person_create", {"input": {"full_name": "Ნინო Ბერიძე-Კვარაცხელია"}})
    app.go(f"#/people/{person['id']}")
    app.click("Edit")
    set_value(app, ".dialog select[name=gender]", "self_described")
    app.fill({"gender_text": "queer", "birth_year": "1990"})
    set_value(app, ".dialog select[name=participant_type]", "journalist")
    app.click("Save", within="dialog")
    wait_no_dialog(app)
    app.wait_text("Self-described · queer")
    app.wait_text("Journalist")
    saved = invoke(app, "person_get", {"id": person["id"]})
    assert (saved["gender"], saved["gender_text"], saved["birth_year"]) == ("self_described", "queer", 1990), saved

    app.wait_text("Record the person's consent", "#disability-panel")
    app.click("Record their consent (today)")
    app.wait_text("No answers recorded", "#disability-panel")
    # The notices of the saves above fade first (they cover the panel's corner at this window size).
    app.wait.until(lambda d: not app.find_all("#toasts > *"))
    edit = app.find("#disability-panel button")
    app.d.execute_script("arguments[0].scrollIntoView({block: 'center'})", edit)
    edit.click()
    set_value(app, ".dialog select[name=walking]", "a_lot_of_difficulty")
    app.click("Save", within="dialog")
    wait_no_dialog(app)
    app.wait_text("Counts in reports as", "#disability-panel")
    held = invoke(app, "disability_get", {"personId": person["id"]})
    assert held["status"] == "yes", held
    app.screenshot("person-details")
