"""The window as a coordinator uses it all day (issue 19): a locked database reaches nothing but its unlock
screen; the minimum window size (860x560) never scrolls sideways and table cells never break words;
dialogs hold focus, close with Escape and keep the window behind them inert; a 17,000-record event opens
in well under a second; the smaller things (Remove asks first, "Saved", Ctrl+Q, Reports on the current
project, backups with their time, one file chooser at a time, empty screens that say what next); and
merging two people from the People screen."""

import csv
import os
import subprocess
import time
from pathlib import Path

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from conftest import ROOT, launch, quit_app, xpath_literal
from test_coordinator_day import invoke, set_value, stub_dialog, wait_no_dialog

SECTIONS = ["#/projects", "#/events", "#/people", "#/organisations", "#/reports", "#/partners", "#/data"]

LONG_KA = "ნინო გელაშვილი-ჯავახიშვილი ორბელიანი-წერეთელი"
LONG_UK = "Олександра Костянтинівна Преображенська-Вишневецька"
LONG_ORG = "საქართველოს ახალგაზრდა იურისტთა ასოციაციის რეგიონული ოფისი"


def shown(app, route):
    app.wait.until(lambda d: d.execute_script("return document.body.dataset.shown") == route)


def xdotool_key(keys):
    """Types a shortcut on the X display (Xvfb has no window manager: the window is focused directly)."""
    env = {**os.environ}
    windows = subprocess.run(["xdotool", "search", "--onlyvisible", "--name", "^Rollcall$"], env=env, capture_output=True, text=True).stdout.split()
    assert windows, "the Rollcall window is on the display"
    subprocess.run(["xdotool", "windowfocus", "--sync", windows[-1]], env=env, check=True)
    subprocess.run(["xdotool", "key", keys], env=env, check=True)


def file_menu_item(position):
    """Chooses the `position`th item of the native File menu with the mouse and keys, as a user would."""
    env = {**os.environ}
    window = subprocess.run(["xdotool", "search", "--onlyvisible", "--name", "^Rollcall$"], env=env, capture_output=True, text=True).stdout.split()[-1]
    subprocess.run(["xdotool", "windowfocus", "--sync", window], env=env, check=True)
    subprocess.run(["xdotool", "mousemove", "--window", window, "20", "12", "click", "1"], env=env, check=True)
    time.sleep(0.5)
    for _ in range(position):
        subprocess.run(["xdotool", "key", "Down"], env=env, check=True)
        time.sleep(0.15)
    subprocess.run(["xdotool", "key", "Return"], env=env, check=True)


def encrypt(app, passphrase):
    app.go("#/data")
    app.fill({"passphrase": passphrase, "confirm": passphrase}, css_scope="main")
    app.click("Encrypt the database")
    app.click("Encrypt the database", within="dialog")
    app.wait_text("The database is encrypted")


def test_a_locked_window_reaches_nothing_but_unlock(sample_app, relaunch):
    app = sample_app
    encrypt(app, "correct horse battery")
    app = relaunch(app)
    app.find("#unlock input[name=passphrase]")
    shown(app, "#/unlock")

    # Every sidebar entry, clicked: the unlock screen stays, nothing claims "Encrypted: No".
    labels = [a.text for a in app.find_all("#nav a")]
    assert len(labels) == len(SECTIONS), labels
    for label in labels:
        app.d.execute_script("document.getElementById('toasts').replaceChildren()")
        app.d.find_element(By.XPATH, f"//nav//a[normalize-space()={xpath_literal(label)}]").click()
        app.wait_text("locked", "#toasts")
        assert app.find_all("#unlock input[name=passphrase]"), label
        text = app.text("main")
        assert "This database is encrypted" in text and "Encrypted" not in text.replace("This database is encrypted", ""), (label, text)
        assert app.d.execute_script("return location.hash") in ("", "#/unlock") or app.find_all("#unlock"), label

    # Every address typed or linked: still the unlock screen.
    for route in SECTIONS + ["#/projects/1", "#/events/1", "#/people/1", "#/organisations/1", "#/reports/1"]:
        app.d.execute_script("document.body.dataset.shown = ''; location.hash = arguments[0]", route)
        shown(app, "#/unlock")
        assert app.find_all("#unlock input[name=passphrase]"), route
        assert "No backups yet" not in app.text("main"), route

    # Every menu item but Quit, chosen in the File menu: it only says the database is locked (no dialog,
    # no backup, no other screen).
    app.d.execute_script("window.__asked = 0; window.__TAURI__.dialog.save = async () => { window.__asked++; return null; };")
    for position, item in enumerate(("Back Up Now", "Save a Backup As…", "Your Data…"), 1):
        app.d.execute_script("document.getElementById('toasts').replaceChildren()")
        file_menu_item(position)
        app.wait_text("locked", "#toasts")
        assert not app.find_all(".overlay"), item
        assert app.find_all("#unlock input[name=passphrase]"), item
    app.d.execute_script("document.getElementById('toasts').replaceChildren()")
    xdotool_key("ctrl+b")
    app.wait_text("locked", "#toasts")
    time.sleep(0.5)
    assert "Backup written" not in app.text("#toasts")
    assert app.d.execute_script("return window.__asked") == 0
    app.screenshot("locked")

    # The passphrase opens everything again.
    app.fill({"passphrase": "correct horse battery"}, css_scope="main")
    app.click("Open")
    app.wait.until(lambda d: d.execute_script("return document.body.dataset.shown") not in ("#/unlock", ""))
    assert not app.find_all("#nav a[aria-disabled]")
    app.go("#/projects")
    app.link("In Search of Solidarity")
    app.open("People")
    shown(app, "#/people")
    app.go("#/data")
    app.wait_text("Encrypted")


def overflowing(app):
    """[scrollWidth, clientWidth] of the page, and the table cells that may break inside a word."""
    return app.d.execute_script("""
        const s = document.scrollingElement;
        const bad = [...document.querySelectorAll('td')]
          .filter((td) => getComputedStyle(td).overflowWrap === 'anywhere' && !td.matches('.email, .path'))
          .map((td) => td.className + ': ' + td.textContent.slice(0, 30));
        return [s.scrollWidth, s.clientWidth, bad];""")


def seed_long_names(app):
    """Long Georgian and Cyrillic names on the sample project's webinar, and a long organisation."""
    org = invoke(app, "organisation_create", {"input": {"name": LONG_ORG, "country": "GE"}})
    assert "id" in org, org
    event = invoke(app, "event_list", {"projectId": None})[0]
    people = []
    for name, email in ((LONG_KA, "nino.gelashvili-javakhishvili.orbeliani@young-lawyers-association.example.ge"),
                        (LONG_UK, "oleksandra.preobrazhenska-vyshnevetska@human-rights-vector.example.org.ua")):
        p = invoke(app, "person_create", {"input": {"full_name": name, "email": email, "organisation_id": org["id"], "country": "GE"}})
        assert "id" in p, p
        r = invoke(app, "attendance_set", {"input": {"event_id": event["id"], "person_id": p["id"], "status": "attended", "minutes": 12345}})
        assert not (isinstance(r, dict) and "error" in r), r
        people.append(p)
    return org, event, people


def test_the_minimum_window_size_works_on_every_screen(sample_app):
    app = sample_app
    org, event, people = seed_long_names(app)
    project = invoke(app, "project_list")[0]
    screens = SECTIONS + [f"#/projects/{project['id']}", f"#/events/{event['id']}", f"#/people/{people[0]['id']}",
                          f"#/organisations/{org['id']}", f"#/reports/{project['id']}"]

    for width, height, tag in ((1366, 768, "1366x768"), (860, 560, "860x560")):
        app.d.set_window_size(width, height)
        app.wait.until(lambda d: d.execute_script("return innerWidth") <= width)
        for route in screens:
            app.go(route)
            if route.startswith("#/reports"):
                app.wait.until(lambda d: d.execute_script("const r = document.querySelector('#report-results'); return r && r.dataset.state") == "ready")
            scroll_width, client_width, bad = overflowing(app)
            assert scroll_width <= client_width, (tag, route, scroll_width, client_width)
            assert not bad, (route, bad)
            name = route.strip("#/").replace("/", "-")
            app.screenshot(f"window-{tag}-{name}")
            if route.startswith("#/events/"):
                app.d.execute_script("document.getElementById('attendance-list').scrollIntoView()")
                app.screenshot(f"window-{tag}-{name}-attendance")

    # A dialog keeps its buttons in view: the body scrolls, the actions stay.
    app.go("#/events")
    app.click("New event")
    save = app.button("Save", within="dialog")
    box = app.d.execute_script("const r = arguments[0].getBoundingClientRect(); return [r.top, r.bottom, r.right, innerHeight, innerWidth]", save)
    assert box[0] >= 0 and box[1] <= box[3] and box[2] <= box[4], box
    app.screenshot("window-860x560-new-event")
    ActionChains(app.d).send_keys(Keys.ESCAPE).perform()
    wait_no_dialog(app)


def focus_in_dialog(app):
    return app.d.execute_script("const a = document.activeElement; return !!(a && a.closest('.dialog')) ")


def test_dialogs_hold_focus_and_escape_closes_them(sample_app):
    app = sample_app
    app.go("#/projects")
    app.click("New project")
    app.find(".dialog input[name=name]")
    assert app.d.execute_script("return document.querySelector('.shell').inert") is True
    for i in range(30):
        ActionChains(app.d).send_keys(Keys.TAB).perform()
        assert focus_in_dialog(app), f"Tab {i + 1} left the dialog"
    for i in range(30):
        ActionChains(app.d).key_down(Keys.SHIFT).send_keys(Keys.TAB).key_up(Keys.SHIFT).perform()
        assert focus_in_dialog(app), f"Shift+Tab {i + 1} left the dialog"
    # The sidebar behind cannot take focus (so Enter on it cannot change the screen under the dialog).
    app.d.execute_script("document.querySelector('#nav a').focus()")
    assert not app.d.execute_script("return document.activeElement.closest('#nav') !== null")
    # Escape closes even when focus is nowhere, and focus returns to the button that opened the dialog.
    app.d.execute_script("document.activeElement.blur()")
    ActionChains(app.d).send_keys(Keys.ESCAPE).perform()
    wait_no_dialog(app)
    assert app.d.execute_script("return document.activeElement.textContent") == "New project"
    assert app.d.execute_script("return document.querySelector('.shell').inert") is False

    # A form dialog opened from a project's page: Escape from a field closes it, focus goes back to Edit.
    app.open("In Search of Solidarity")
    app.click("Edit")
    app.find(".dialog input[name=name]")
    app.d.execute_script("document.querySelector('.dialog [name=name]').focus()")
    ActionChains(app.d).send_keys(Keys.ESCAPE).perform()
    wait_no_dialog(app)
    assert app.d.execute_script("return document.activeElement.textContent") == "Edit"
