"""The partners' exchange through the real window (issue 14): the lead's card is shown with its
fingerprint, a partner's card is trusted, and a bundle from the Georgian partner (made with rollcall-cli in
its own database) is applied through the window, with one ambiguous person decided on screen."""

import subprocess

from test_coordinator_day import invoke, set_value, stub_dialog, wait_no_dialog
from test_import_formats import cli, cli_binary


def test_a_partners_bundle_is_applied_through_the_window_with_a_decision(sample_app, tmp_path):
    app = sample_app
    app.go("#/partners")
    app.wait_text("Partners' data")
    fingerprint = app.find("#own-fingerprint").text
    lead_card = app.find(".copy-text").get_attribute("value")
    assert lead_card.startswith("rollcall-card-1 ") and f"fp={fingerprint}" in lead_card
    app.screenshot("partners")

    # The Georgian partner, in its own Rollcall: trusts the lead's card, runs a webinar, sends a bundle.
    ge = tmp_path / "ge.sqlite3"
    own = cli(ge, "org", "add", "--name", "World of Tolerance", "--country", "GE")
    lead_org = cli(ge, "org", "add", "--name", "Human Rights Vector", "--country", "UA")
    cli(ge, "identity", "show", "--org", str(own["id"]))
    cli(ge, "contact", "add", "--card", lead_card, "--org", str(lead_org["id"]))
    project = cli(ge, "project", "add", "--name", "In Search of Solidarity")
    event = cli(ge, "event", "add", "--project", str(project["id"]), "--title", "Tbilisi webinar",
                "--starts", "2022-07-05T18:00", "--tz", "Asia/Tbilisi")
    # Nazarii is in the lead's sample data with another email: the lead must say whether it is him.
    lines = "Nazarii Boiarskyi, nazarii@partner.example.ge\nNino Beridze, nino.beridze@example.ge\n"
    subprocess.run([cli_binary(), "--db", str(ge), "import", "paste", "--event", str(event["id"])],
                   input=lines, text=True, check=True, capture_output=True)
    ge_card = cli(ge, "identity", "card")["card"]
    bundle = tmp_path / "ge-to-lead.rollcall"
    cli(ge, "bundle", "export", "--project", str(project["id"]), "--to", fingerprint, "--out", str(bundle))

    # The lead trusts the partner's card, as one of its organisations.
    orgs = invoke(app, "organisation_list", {"search": None})
    app.click("Add a partner's card")
    app.fill({"card": ge_card})
    set_value(app, ".dialog select[name=organisation_id]", str(orgs[0]["id"]))
    app.click("Trust this card", within="dialog")
    wait_no_dialog(app)
    app.wait_text("World of Tolerance", "main")

    # The bundle, applied through the window: preview, one decision, apply.
    nazarii = [p for p in invoke(app, "person_list", {"query": {"search": "Nazarii", "limit": 10, "offset": 0}})["items"]]
    assert len(nazarii) == 1, nazarii
    stub_dialog(app, "open", bundle)
    app.click("Apply a partner's file…")
    app.wait_text("File from World of Tolerance", ".dialog")
    apply_button = app.d.find_element("xpath", "//div[contains(@class,'dialog')]//button[normalize-space()='Apply']")
    assert not apply_button.is_enabled(), "the apply waits for the decision"
    app.screenshot("partners-bundle-preview")
    set_value(app, ".dialog select[aria-label='Who is Nazarii Boiarskyi?']", f"person:{nazarii[0]['id']}")
    app.wait.until(lambda d: apply_button.is_enabled())
    # The earlier notices fade out first (they sit over the dialog's corner, as for a user).
    app.wait.until(lambda d: d.execute_script("return document.querySelectorAll('#toasts > *').length === 0"))
    apply_button.click()
    app.wait_text("Applied", "#toasts")
    wait_no_dialog(app)

    events = invoke(app, "event_list", {"projectId": None})
    tbilisi = [e for e in events if e["title"] == "Tbilisi webinar"]
    assert len(tbilisi) == 1, events
    names = sorted(r["name"] for r in invoke(app, "attendance_list", {"eventId": tbilisi[0]["id"]}))
    assert names == ["Nazarii Boiarskyi", "Nino Beridze"], names
    still_one = invoke(app, "person_list", {"query": {"search": "Nazarii", "limit": 10, "offset": 0}})["items"]
    assert len(still_one) == 1, "the decision matched the partner's Nazarii to ours"
    app.wait_text("Received", "main")
