"""Rollcall in its users' languages (issue 16): the picker switches the whole window at once, without a
restart, and the choice is remembered; in Ukrainian and in Georgian every screen and dialog (an import
preview with an ambiguous person, an error next to a field, the unlock screen) shows none of the English
catalogue's strings, apart from names, formats and the sample data's own English text."""

import re

import pytest
from selenium.webdriver.common.by import By

from test_coordinator_day import FIXTURES, invoke, set_value, stub_dialog, wait_no_dialog
from test_window import file_menu_item

SECTIONS = ["#/projects", "#/events", "#/people", "#/organisations", "#/reports", "#/partners", "#/data"]

# English that may stay on a translated screen: the sample data's own words (project, event and
# organisation names, the donor), product and format names.
ALLOW = {
    "Rollcall", "Zoom", "Teams", "Google Meet", "Webex", "CSV", "Excel", "Signal", "UTF-8",
    "In Search of Solidarity", "European Union", "Webinar", "Conference", "Human Rights",
    # The sample people's consents: a purpose and a method as the coordinator typed them.
    "Attendance records for donor reporting", "registration form",
    # An indicator's filter is written in the core's own words, in every language: dimension=value.
    "gender=woman", "country=MD", "country=UA",
}

CATALOGUES = """
const done = arguments[arguments.length - 1];
Promise.all([import('./locales/en.js'), import('./i18n.js')])
  .then(([en, i18n]) => done({ en: en.default, cur: i18n.catalogues[i18n.lang], lang: i18n.lang }),
        (e) => done({ error: String(e) }));
"""

# Everything a user can read: the visible text, and the labels that screen readers and tooltips give.
VISIBLE_TEXT = """
const parts = [document.body.innerText];
for (const el of document.querySelectorAll('[placeholder], [aria-label], [title]')) {
  if (!el.getClientRects().length) continue;
  for (const a of ['placeholder', 'aria-label', 'title']) if (el.getAttribute(a)) parts.push(el.getAttribute(a));
}
return parts.join('\\n');
"""

PLACEHOLDER = re.compile(r"\{[^{}]*(?:\{[^{}]*\}[^{}]*)*\}")


def fragments(message):
    """The literal pieces of an English message (placeholders and plural blocks taken out), those long
    enough to be recognisable: a word of four letters or more, or several words."""
    for piece in PLACEHOLDER.split(message):
        piece = piece.strip(" .,:;!?()…–-—\"'“”‘’")
        if len(piece) >= 4 and re.search(r"[A-Za-z]{3}", piece):
            yield piece


class Words:
    """The window's catalogues: `w['key']` is the current language's text of a key."""

    def __init__(self, app):
        data = app.d.execute_async_script(CATALOGUES)
        assert "error" not in data, data
        self.en, self.cur, self.lang = data["en"], data["cur"], data["lang"]

    def __getitem__(self, key):
        return self.cur[key]

    def english_on_screen(self, app):
        # Toasts come and go (one may still say what happened before the switch); the data's own words
        # (the sample projects, events, organisations and people) are not the window's to translate.
        app.d.execute_script("document.getElementById('toasts').replaceChildren()")
        text = app.d.execute_script(VISIBLE_TEXT)
        for words in sorted(data_texts(app) | ALLOW, key=len, reverse=True):
            text = text.replace(words, " ")
        found = set()
        for key, message in self.en.items():
            if self.cur.get(key) == message:
                continue  # the same in both languages: a name or a format
            for piece in fragments(message):
                if piece in ALLOW:
                    continue
                m = re.search(r"(?<![A-Za-z])" + re.escape(piece) + r"(?![A-Za-z])", text)
                if m:
                    context = text[max(0, m.start() - 30):m.end() + 30].replace("\n", " / ")
                    found.add(f"{key}: {piece!r} in …{context}…")
        return sorted(found)


def data_texts(app):
    """Everything the database says in its own words: names, titles, codes and descriptions."""
    texts = set()
    projects = invoke(app, "project_list")
    if not isinstance(projects, list):
        return texts  # locked: the window shows no data
    for p in projects:
        texts |= {p.get("name"), p.get("code"), p.get("donor"), p.get("description")}
        for e in invoke(app, "event_list", {"projectId": p["id"]}):
            texts |= {e.get("title"), e.get("location"), e.get("description")}
    for o in invoke(app, "organisation_list", {"search": None}):
        texts |= {o.get("name"), o.get("short_name"), o.get("website")}
    people = invoke(app, "person_list", {"query": {"search": None, "limit": 500, "offset": 0}})["items"]
    texts |= {p.get("full_name") for p in people} | {p.get("email") for p in people} | {p.get("notes") for p in people}
    return {t for t in texts if isinstance(t, str) and t.strip()}


def choose_language(app, code):
    set_value(app, "#language-picker", code)
    app.wait.until(lambda d: d.execute_script("return document.documentElement.lang") == code)
    return Words(app)


def shown(app, route):
    app.wait.until(lambda d: d.execute_script("return document.body.dataset.shown") == route)


def assert_translated(app, words, where):
    english = words.english_on_screen(app)
    assert not english, f"{words.lang}, {where}: English on screen: {english}"


@pytest.mark.parametrize("code", ["uk", "ka"])
def test_every_screen_and_dialog_speaks_the_chosen_language(sample_app, code):
    app = sample_app
    en = Words(app)
    assert en.lang == "en"
    words = choose_language(app, code)
    # At once, without a restart: the sidebar and the screen already changed.
    nav = app.text("#nav")
    assert en["nav.projects"] not in nav and words["nav.projects"] in nav, nav
    for route in SECTIONS:
        app.go(route)
        shown(app, route)
        assert_translated(app, words, route)
    app.screenshot(f"{code}-data")

    # The detail pages: a project, one of its events, a person, an organisation.
    app.go("#/projects")
    shown(app, "#/projects")
    app.open("In Search of Solidarity")
    app.wait.until(lambda d: (d.execute_script("return document.body.dataset.shown") or "").startswith("#/projects/"))
    assert_translated(app, words, "project page")
    project_id = int(app.d.execute_script("return location.hash.split('/')[2]"))
    event_id = invoke(app, "event_list", {"projectId": project_id})[0]["id"]
    app.go(f"#/events/{event_id}")
    shown(app, f"#/events/{event_id}")
    assert_translated(app, words, "event page")
    app.screenshot(f"{code}-event")
    person_id = invoke(app, "person_list", {"query": {"search": None, "limit": 1, "offset": 0}})["items"][0]["id"]
    app.go(f"#/people/{person_id}")
    shown(app, f"#/people/{person_id}")
    assert_translated(app, words, "person page")

    # A dialog with an error next to a field: a new event without a title.
    app.go(f"#/projects/{project_id}")
    shown(app, f"#/projects/{project_id}")
    app.click(words["event.new"])
    app.find(".dialog")
    assert_translated(app, words, "new event dialog")
    app.click(words["common.save"], within="dialog")
    app.wait.until(lambda d: any(e.text for e in app.find_all(".dialog .field-error")))
    errors = [e.text for e in app.find_all(".dialog .field-error") if e.text]
    assert all(not re.search(r"[A-Za-z]{4}", e) for e in errors), errors
    assert_translated(app, words, "field error")
    app.d.find_element(By.CSS_SELECTOR, "body").send_keys("\ue00c")  # Escape
    wait_no_dialog(app)

    # A value the core refuses (issue 19): an indicator's filter typed wrong is explained in this language.
    app.go("#/reports")
    shown(app, "#/reports")
    app.click(words["indicator.new"])
    app.fill({"name": "Women reached", "filter": "women", "target": "20"})
    app.click(words["common.save"], within="dialog")
    expected = words["error.rule.indicator_filter"].split(",")[0]
    app.wait.until(lambda d: any(expected in e.text for e in app.find_all(".dialog .field-error")))
    assert_translated(app, words, "indicator filter error")
    app.d.find_element(By.CSS_SELECTOR, "body").send_keys("\ue00c")
    wait_no_dialog(app)

    # An import preview with an ambiguous person: someone known by name with another email.
    invoke(app, "person_create", {"input": {"full_name": "Zofia Wójcik", "email": "zofia@other.example"}})
    app.go(f"#/events/{event_id}")
    shown(app, f"#/events/{event_id}")
    stub_dialog(app, "open", FIXTURES / "zoom_meeting_plain.csv")
    app.click(words["event.import"])
    app.find(".dialog select[aria-label]")
    app.wait.until(lambda d: words["import.ambiguousTitle"] in app.text(".dialog"))
    assert_translated(app, words, "import preview")
    app.screenshot(f"{code}-import-preview")
    app.d.find_element(By.CSS_SELECTOR, "body").send_keys("\ue00c")
    wait_no_dialog(app)

    # The native menu was built again in this language and still works: File > first item backs up.
    app.go("#/data")
    shown(app, "#/data")
    file_menu_item(1)
    app.wait.until(lambda d: words["data.backedUp"].split("{")[0].strip() in app.text("#toasts"))
    app.wait_text(words["backupKind.manual"])


def test_the_choice_is_remembered_and_the_unlock_screen_speaks_it(sample_app, relaunch):
    app = sample_app
    words = choose_language(app, "ka")
    # An encrypted database, so the next start asks for the passphrase.
    app.go("#/data")
    shown(app, "#/data")
    app.fill({"passphrase": "correct horse battery", "confirm": "correct horse battery"}, css_scope="main")
    app.click(words["data.encrypt"])
    app.click(words["data.encrypt"], within="dialog")
    app.wait.until(lambda d: invoke(app, "app_status")["database"]["encrypted"])
    again = relaunch(app)
    again.wait.until(lambda d: d.execute_script("return document.body.dataset.shown") == "#/unlock")
    assert again.d.execute_script("return document.documentElement.lang") == "ka", "the choice is remembered"
    words = Words(again)
    assert_translated(again, words, "unlock screen")
    # A wrong passphrase: the error next to the field is in Georgian too.
    again.fill({"passphrase": "wrong one"}, css_scope="main")
    again.click(words["unlock.open"])
    again.wait.until(lambda d: any(e.text for e in again.find_all("main .field-error")))
    assert_translated(again, words, "wrong passphrase")
    again.screenshot("ka-unlock")
    # Back to English from the picker, at once.
    words = choose_language(again, "en")
    assert "Open" in again.text("main") or words["unlock.open"] in again.text("main")
