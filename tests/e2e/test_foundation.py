"""A new user's first steps in the real window: sample data, projects, partners, events, people,
search in any script, editing with validation next to the field, deleting that asks first."""

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys


def test_first_run_offers_sample_data_and_shows_the_project(app):
    app.wait_text("Welcome to Rollcall")
    app.screenshot("welcome")
    app.click("Load sample data")
    app.link("In Search of Solidarity")
    app.wait_text("Solidarity Conference With the Belarusian People")
    app.screenshot("projects")

    app.open("In Search of Solidarity")
    app.wait_text("Human Rights Vector")
    main = app.text()
    for partner in ("World of Tolerance", "Promo-LEX", "Human Rights House Foundation"):
        assert partner in main
    assert "Human Rights: Examples of International Solidarity" in main
    app.screenshot("project")

    app.open("Human Rights: Examples of International Solidarity")
    app.wait_text("Sasha Delemenchuk")
    rows = app.find_all("main table.data tbody tr")
    assert len(rows) == 57
    app.wait_text("Europe/Kyiv")
    app.screenshot("event")


def test_people_search_finds_olena_in_lower_case(sample_app):
    app = sample_app
    app.go("#/people")
    search = app.find("main input[type=search]")
    search.send_keys("олена")
    app.wait.until(lambda d: len(app.find_all("main table.data tbody tr")) == 2)
    names = [r.find_element(By.CSS_SELECTOR, "td a").text for r in app.find_all("main table.data tbody tr")]
    assert all("Олена" in n for n in names), names
    app.screenshot("people-search")


def test_editing_shows_validation_next_to_the_field_and_saves(sample_app):
    app = sample_app
    app.go("#/people")
    app.find("main input[type=search]").send_keys("Ana Rusu")
    # The list is drawn again for the search: click the link of the searched list, not the first one's.
    app.wait.until(lambda d: len(app.find_all("main table.data tbody tr")) == 1)
    app.open("Ana Rusu")
    app.click("Edit")
    app.fill({"email": "not an email"})
    app.click("Save", within="dialog")
    app.wait_text("is not an email address", ".dialog")
    email = app.field("email")
    assert email.get_attribute("aria-invalid") == "true"
    error_id = email.get_attribute("aria-describedby")
    assert "not an email" in app.find(f"#{error_id}").text
    app.screenshot("validation")
    app.fill({"email": "ana.rusu@example.md", "gender": "female"})
    app.click("Save", within="dialog")
    app.wait_text("ana.rusu@example.md")


def test_deleting_an_event_asks_first_and_says_what_goes_with_it(sample_app):
    app = sample_app
    app.go("#/events")
    app.open("Solidarity Conference With the Belarusian People")
    app.wait_text("Europe/Moscow")
    app.click("Delete")
    app.wait_text("Are you sure?", ".dialog")
    app.click("Delete", within="dialog")
    app.wait_text("3 attendance record(s)", ".dialog")
    app.click("Cancel", within="dialog")
    app.wait.until(lambda d: not app.find_all(".overlay"))
    app.go("#/events")
    app.wait_text("Solidarity Conference With the Belarusian People")


def test_names_with_html_are_shown_as_text_and_never_run(app):
    app.click("Start with an empty database")
    app.go("#/people")
    app.click("New person")
    hostile = '<img src=x onerror="document.title=\'pwned\'"><b>Bold</b>'
    app.fill({"full_name": hostile})
    app.click("Save", within="dialog")
    app.wait_text("<b>Bold</b>")
    assert app.d.title != "pwned"
    assert not app.find_all("main img[src=x]")
    assert not app.find_all("main b")


def test_every_screen_is_reachable_by_keyboard(sample_app):
    app = sample_app
    body = app.d.find_element(By.TAG_NAME, "body")
    body.send_keys(Keys.TAB)
    focused = app.d.switch_to.active_element
    assert focused.get_attribute("id") == "skip-link"
    unlabelled = """
        return [...document.querySelectorAll('input, select, textarea')]
          .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label'))
          .map(el => el.outerHTML);
    """
    assert app.d.execute_script(unlabelled) == []

    # Every screen: every input has a label, and Tab moves through the sidebar to the screen's controls
    # with a visible focus ring.
    for route in ("#/projects/1", "#/events/1", "#/people", "#/organisations", "#/reports", "#/data"):
        app.go(route)
        assert app.d.execute_script(unlabelled) == [], route
        nav = app.find(f"#nav a[href='#/{route.split('/')[1]}']")
        nav.send_keys(Keys.TAB)
        focused = app.d.switch_to.active_element
        outline = focused.value_of_css_property("outline-style") + focused.value_of_css_property("box-shadow")
        assert outline not in ("nonenone",), (route, focused.get_attribute("outerHTML")[:120])
