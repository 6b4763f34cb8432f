"""The donor table of any two dimensions in the window (issue 15): the coordinator picks what goes down
and across, the table shows them with totals equal to the unique people, and the CSV follows the choice."""

import csv
import time

from test_coordinator_day import set_value, stub_dialog


def ready(app):
    app.wait.until(lambda d: d.execute_script(
        "const r = document.querySelector('#report-results'); return r && r.dataset.state === 'ready';"))


def choose_main_project(app):
    """Reports opens on the project last worked on; these tests read the sample's main project."""
    from test_coordinator_day import invoke
    main = next(p for p in invoke(app, "project_list") if p["name"] == "In Search of Solidarity")
    set_value(app, "#report-project", str(main["id"]))
    app.wait.until(lambda d: d.execute_script(
        "const r = document.querySelector('#report-results');"
        "return r && r.dataset.state === 'ready' && r.dataset.project === arguments[0];", str(main["id"])))


def test_the_donor_table_takes_two_dimensions_and_exports_them(sample_app, tmp_path):
    app = sample_app
    app.go("#/reports")
    ready(app)
    choose_main_project(app)
    unique = app.find("#report-figures .figure[data-figure=unique_people]").get_attribute("data-value")
    set_value(app, "#donor-rows", "age_band")
    set_value(app, "#donor-cols", "gender")
    app.wait.until(lambda d: d.execute_script(
        "const t = document.querySelector('#donor-table'); return t && t.dataset.rows === 'age_band' && t.dataset.cols === 'gender';"))
    app.wait_text("Age group", "#donor-table")
    app.wait_text("Woman", "#donor-table")
    total = app.find("#donor-table tfoot td[data-column=total]").get_attribute("data-value")
    assert total == unique, (total, unique)
    app.screenshot("reports-dimensions")

    out = tmp_path / "donor-age-gender.csv"
    stub_dialog(app, "save", out)
    set_value(app, "#export-delimiter", "comma")
    app.find("#export-donor").click()
    for _ in range(100):
        if out.exists() and out.stat().st_size > 0:
            break
        time.sleep(0.1)
    table = list(csv.reader(out.read_bytes().decode("utf-8-sig").splitlines()))
    assert table[0][0] == "Age group" and table[0][-1] == "Total", table[0]
    assert "Woman" in table[0], table[0]
    assert table[-1][0] == "Total" and table[-1][-1] == unique, table[-1]


def test_an_indicator_is_added_and_shown_against_its_target(sample_app):
    app = sample_app
    app.go("#/reports")
    ready(app)
    choose_main_project(app)
    app.wait_text("Registered and attended")
    app.click("New indicator")
    app.fill({"name": "Women reached", "filter": "gender=woman", "target": "20"})
    app.click("Save", within="dialog")
    app.wait_text("Women reached", "#indicators-table")
    actual = app.find("#indicators-table td[data-actual]").get_attribute("data-actual")
    assert float(actual) > 0, actual
    app.wait.until(lambda d: app.find("#indicators-table progress"))
    app.screenshot("reports-indicators")


def test_a_gender_word_is_reviewed_and_mapped_for_everyone(sample_app):
    app = sample_app
    # Two people described in a word no category knows.
    from test_coordinator_day import invoke
    for name in ("Ana Ciobanu", "Ion Rusu"):
        invoke(app, "person_create", {"input": {"full_name": name, "gender": "Femeiușcă"}})
    app.go("#/reports")
    ready(app)
    app.wait_text("Gender words to review", "#gender-review")
    set_value(app, "#gender-review-table select", "woman")
    app.click("Map for everyone")
    app.wait_text("2 people updated", "#toasts")
    people = invoke(app, "person_list", {"query": {"search": "Ciobanu", "limit": 5, "offset": 0}})["items"]
    assert people[0]["gender"] == "woman", people
