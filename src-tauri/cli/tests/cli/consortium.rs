//! Partners exchanging bundles through the CLI: a lead in UA and partners in GE and MD, each importing its
//! own webinar reports; the lead's figures after applying the partners' bundles equal those of one
//! database into which every report was imported directly. Also: pseudonymous bundles, re-applying and
//! out-of-order bundles, refused bundles, erasure travelling, and the JSON keys of each command.

use std::path::Path;

use serde_json::Value;

use crate::support::{fixtures, Cli};

const PROJECT: &str = "In Search of Solidarity";

fn report(name: &str) -> String {
    fixtures().join("import").join(name).display().to_string()
}

/// One installation: its own organisation, keys and project.
struct Site {
    cli: Cli,
    project: String,
    fingerprint: String,
    card: String,
}

fn site(org: &str, country: &str) -> Site {
    let cli = Cli::new();
    let o = cli.json(&["org", "add", "--name", org, "--country", country])["id"].to_string();
    let id = cli.json(&["identity", "show", "--org", &o]);
    for key in [
        "site_uid",
        "fingerprint",
        "organisation_id",
        "organisation_name",
        "age_recipient",
        "sign_public",
        "card",
        "created_at",
    ] {
        assert!(id.get(key).is_some(), "identity show lacks {key}");
    }
    let project = cli.json(&["project", "add", "--name", PROJECT])["id"].to_string();
    Site {
        fingerprint: id["fingerprint"].as_str().unwrap().to_string(),
        card: cli.json(&["identity", "card"])["card"].as_str().unwrap().to_string(),
        cli,
        project,
    }
}

/// Adds an event to the site's project and imports a report into it; returns the event id.
fn webinar(cli: &Cli, project: &str, title: &str, starts: &str, file: &str) -> String {
    let event =
        cli.json(&["event", "add", "--project", project, "--title", title, "--starts", starts])["id"].to_string();
    cli.json(&["import", &report(file), "--event", &event]);
    event
}

/// `a` trusts `b`'s card, as an organisation of its own named after `b`.
fn trust(a: &Site, b: &Site, name: &str, country: &str) -> Value {
    let org = a.cli.json(&["org", "add", "--name", name, "--country", country])["id"].to_string();
    a.cli.json(&["contact", "add", "--card", &b.card, "--org", &org])
}

/// The figures to compare: the summary and donor table without ids.
fn figures(cli: &Cli, project: &str) -> (Value, Value) {
    let mut s = cli.json(&["report", "project", project]);
    let o = s.as_object_mut().unwrap();
    o.remove("project_id");
    for b in o["people_by_organisation"].as_array_mut().unwrap() {
        b.as_object_mut().unwrap().remove("key");
    }
    let mut by_event: Vec<Value> = o["attendance_by_event"].as_array().unwrap().clone();
    for e in &mut by_event {
        e.as_object_mut().unwrap().remove("event_id");
    }
    by_event.sort_by_key(|e| e.to_string());
    o.insert("attendance_by_event".into(), by_event.into());
    let mut people_by_org: Vec<Value> = o["people_by_organisation"].as_array().unwrap().clone();
    people_by_org.sort_by_key(|e| e.to_string());
    o.insert("people_by_organisation".into(), people_by_org.into());
    let mut d = cli.json(&["report", "donor", "--project", project]);
    d.as_object_mut().unwrap().remove("project_id");
    (s, d)
}

const UA: (&str, &str, &str) = ("UA webinar", "2024-03-01T18:00", "zoom_meeting_plain.csv");
const GE: (&str, &str, &str) = ("GE webinar", "2024-03-05T15:00", "zoom_meeting_header.csv");
const MD: (&str, &str, &str) = ("MD webinar", "2024-03-06T18:00", "zoom_webinar.csv");

/// One database into which all three reports were imported directly.
fn reference() -> (Value, Value) {
    let one = Cli::new();
    let p = one.json(&["project", "add", "--name", PROJECT])["id"].to_string();
    for (title, starts, file) in [UA, GE, MD] {
        webinar(&one, &p, title, starts, file);
    }
    figures(&one, &p)
}

struct Consortium {
    lead: Site,
    ge: Site,
    md: Site,
}

fn consortium() -> Consortium {
    let lead = site("Human Rights Vector (UA)", "UA");
    let ge = site("Civil Society Georgia", "GE");
    let md = site("Promo-LEX Moldova", "MD");
    webinar(&lead.cli, &lead.project, UA.0, UA.1, UA.2);
    webinar(&ge.cli, &ge.project, GE.0, GE.1, GE.2);
    webinar(&md.cli, &md.project, MD.0, MD.1, MD.2);
    trust(&lead, &ge, "Civil Society Georgia", "GE");
    trust(&lead, &md, "Promo-LEX Moldova", "MD");
    trust(&ge, &lead, "Human Rights Vector", "UA");
    trust(&md, &lead, "Human Rights Vector", "UA");
    Consortium { lead, ge, md }
}

fn export(s: &Site, to: &str, out: &Path, extra: &[&str]) -> Value {
    let out = out.display().to_string();
    let mut args = vec!["bundle", "export", "--project", &s.project, "--to", to, "--out", &out];
    args.extend_from_slice(extra);
    s.cli.json(&args)
}

fn apply(s: &Site, file: &Path) -> Value {
    s.cli.json(&["bundle", "apply", &file.display().to_string()])
}

fn people(cli: &Cli) -> usize {
    cli.json(&["person", "list"]).as_array().unwrap().len()
}

#[test]
fn the_leads_figures_after_the_partners_bundles_equal_one_database_with_every_report() {
    let c = consortium();
    let ge_bundle = c.ge.cli.path("ge.bundle");
    let md_bundle = c.md.cli.path("md.bundle");
    let e = export(&c.ge, &c.lead.fingerprint, &ge_bundle, &[]);
    for key in [
        "bundle_uid",
        "path",
        "bytes",
        "project_id",
        "recipients",
        "sequence",
        "since",
        "full",
        "pseudonymous",
        "events",
        "attendances",
        "people",
        "organisations",
        "consents",
        "erasures",
    ] {
        assert!(e.get(key).is_some(), "bundle export lacks {key}");
    }
    assert_eq!((e["events"].as_u64(), e["since"].as_i64()), (Some(1), Some(0)));
    export(&c.md, &c.lead.fingerprint, &md_bundle, &[]);

    let dry = c.lead.cli.json(&["bundle", "apply", &ge_bundle.display().to_string(), "--dry-run"]);
    assert_eq!((dry["dry_run"].as_bool(), dry["events_new"].as_u64()), (Some(true), Some(1)));
    let before = people(&c.lead.cli);
    assert_eq!(c.lead.cli.json(&["bundle", "list"]).as_array().unwrap().len(), 0, "a dry run records nothing");

    let a = apply(&c.lead, &ge_bundle);
    for key in [
        "dry_run",
        "already_applied",
        "bundle_uid",
        "contact_id",
        "contact_name",
        "fingerprint",
        "sequence",
        "project_id",
        "project_name",
        "project_created",
        "events_new",
        "events_changed",
        "events_unchanged",
        "attendances_new",
        "attendances_changed",
        "attendances_removed",
        "people_new",
        "people_matched",
        "people_changed",
        "people_erased",
        "ambiguous",
        "ambiguous_total",
        "undecided",
    ] {
        assert!(a.get(key).is_some(), "bundle apply lacks {key}");
    }
    assert_eq!(a["project_id"].to_string(), c.lead.project, "the project is found by name");
    assert_eq!(a["people_new"], dry["people_new"], "the preview's figures are the commit's");
    assert!(people(&c.lead.cli) > before);
    let m = apply(&c.lead, &md_bundle);
    assert!(m["people_matched"].as_u64().unwrap() >= 2, "the people GE also had are matched by email: {m}");

    assert_eq!(figures(&c.lead.cli, &c.lead.project), reference());
    // The same email at GE and MD is one person at the lead.
    let nino = c.lead.cli.json(&["person", "list", "--search", "nino.beridze@gov.ge"]);
    assert_eq!(nino.as_array().unwrap().len(), 1);
    assert_eq!(nino[0]["events_attended"], 2);

    // Events record the partner that ran them.
    let events = c.lead.cli.json(&["event", "list", "--project", &c.lead.project]);
    let ge_event = events.as_array().unwrap().iter().find(|e| e["title"] == GE.0).unwrap();
    assert_eq!(ge_event["organiser_name"], "Civil Society Georgia");
    assert!(ge_event["origin_site"].is_string());
    let refused = c.lead.cli.run(&["event", "update", &ge_event["id"].to_string(), "--title", "Mine now"]);
    assert_eq!(refused.code, 1);
    assert!(refused.stderr.contains("partner's bundles"), "{}", refused.stderr);

    // Applying again changes nothing.
    let figures_before = figures(&c.lead.cli, &c.lead.project);
    let again = apply(&c.lead, &ge_bundle);
    assert_eq!(again["already_applied"], true);
    assert_eq!(figures(&c.lead.cli, &c.lead.project), figures_before);
    let list = c.lead.cli.json(&["bundle", "list"]);
    assert_eq!(list.as_array().unwrap().len(), 2);
    for key in [
        "id",
        "uid",
        "direction",
        "contact_id",
        "recipients",
        "site_uid",
        "project_id",
        "sequence",
        "since",
        "pseudonymous",
        "file_name",
        "file_sha256",
        "events",
        "attendances",
        "people",
        "erasures",
        "created_at",
    ] {
        assert!(list[0].get(key).is_some(), "bundle list lacks {key}");
    }
    assert_eq!(c.ge.cli.json(&["bundle", "list"])[0]["direction"], "sent");

    // Nothing changed at GE since: the next bundle is empty.
    let next = export(&c.ge, &c.lead.fingerprint, &c.ge.cli.path("ge2.bundle"), &[]);
    assert_eq!((next["events"].as_u64(), next["people"].as_u64()), (Some(0), Some(0)));
    let full = export(&c.ge, &c.lead.fingerprint, &c.ge.cli.path("ge3.bundle"), &["--full"]);
    assert_eq!(full["events"].as_u64(), Some(1));
    let full_applied = apply(&c.lead, &c.ge.cli.path("ge3.bundle"));
    assert_eq!((full_applied["events_unchanged"].as_u64(), full_applied["people_new"].as_u64()), (Some(1), Some(0)));
    assert_eq!(figures(&c.lead.cli, &c.lead.project), figures_before);
}

#[test]
fn older_bundles_applied_after_newer_ones_change_nothing() {
    let lead = site("Human Rights Vector (UA)", "UA");
    let lead2 = site("Human Rights Vector (UA)", "UA");
    let ge = site("Civil Society Georgia", "GE");
    let event = webinar(&ge.cli, &ge.project, GE.0, GE.1, GE.2);
    trust(&lead, &ge, "Civil Society Georgia", "GE");
    trust(&lead2, &ge, "Civil Society Georgia", "GE");
    trust(&ge, &lead, "Human Rights Vector", "UA");
    trust(&ge, &lead2, "Human Rights Vector", "UA");
    let to = format!("{},{}", lead.fingerprint, lead2.fingerprint);
    let first = ge.cli.path("1.bundle");
    export(&ge, &to, &first, &[]);
    // GE then changes the event's attendance: someone's minutes, and one record removed.
    let list = ge.cli.json(&["attendance", "list", "--event", &event]);
    let a = &list[0];
    ge.cli.json(&["attendance", "set", "--event", &event, "--person", &a["person_id"].to_string(), "--minutes", "7"]);
    let b = &list[1];
    ge.cli.json(&["attendance", "remove", "--event", &event, "--person", &b["person_id"].to_string()]);
    let second = ge.cli.path("2.bundle");
    assert_eq!(export(&ge, &to, &second, &[])["events"].as_u64(), Some(1));

    apply(&lead, &first);
    apply(&lead, &second);
    let late = apply(&lead2, &second);
    assert_eq!(late["attendances_new"].as_u64(), Some(list.as_array().unwrap().len() as u64 - 1));
    let old = apply(&lead2, &first);
    assert_eq!((old["events_unchanged"].as_u64(), old["attendances_new"].as_u64()), (Some(1), Some(0)));
    assert_eq!(figures(&lead.cli, &lead.project), figures(&lead2.cli, &lead2.project));
    let at_lead2 = lead2.cli.json(&["report", "project", &lead2.project]);
    assert_eq!(at_lead2["attendances"].as_u64(), Some(list.as_array().unwrap().len() as u64 - 1));
}

fn counts(cli: &Cli, project: &str) -> (usize, Value, Value) {
    assert_eq!(cli.run(&["check"]).code, 0);
    (people(cli), cli.json(&["report", "project", project]), cli.json(&["bundle", "list"]))
}

#[test]
fn altered_unknown_and_misaddressed_bundles_are_refused_and_change_nothing() {
    let c = consortium();
    let stranger = site("Somebody Else", "PL");
    trust(&stranger, &c.lead, "Human Rights Vector", "UA");
    trust(&c.ge, &c.md, "Promo-LEX Moldova", "MD");
    let good = c.ge.cli.path("good.bundle");
    export(&c.ge, &c.lead.fingerprint, &good, &[]);
    let mut bytes = std::fs::read(&good).unwrap();
    let i = bytes.len() / 2;
    bytes[i] ^= 0x01;
    let flipped = c.ge.cli.path("flipped.bundle");
    std::fs::write(&flipped, &bytes).unwrap();
    let unknown = stranger.cli.path("stranger.bundle");
    export(&stranger, &c.lead.fingerprint, &unknown, &[]);
    let other = c.ge.cli.path("for-md.bundle");
    export(&c.ge, &c.md.fingerprint, &other, &["--full"]);

    let before = counts(&c.lead.cli, &c.lead.project);
    for (file, words) in
        [(&flipped, "changed on the way"), (&unknown, "have not added"), (&other, "addressed to other partners")]
    {
        let r = c.lead.cli.run(&["bundle", "apply", &file.display().to_string()]);
        assert_eq!(r.code, 1, "{}", file.display());
        assert!(r.stderr.contains(words) && r.stderr.contains("nothing was changed"), "{}", r.stderr);
        assert_eq!(counts(&c.lead.cli, &c.lead.project), before);
    }
    // A removed card's bundles are refused by name.
    let ge_contact = c
        .lead
        .cli
        .json(&["contact", "list"])
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["fingerprint"] == c.ge.fingerprint.as_str())
        .unwrap()
        .clone();
    c.lead.cli.json(&["contact", "remove", &ge_contact["id"].to_string()]);
    let r = c.lead.cli.run(&["bundle", "apply", &good.display().to_string()]);
    assert!(r.code == 1 && r.stderr.contains("was removed"), "{}", r.stderr);
    assert_eq!(counts(&c.lead.cli, &c.lead.project), before);
    assert_eq!(c.lead.cli.json(&["contact", "list", "--all"]).as_array().unwrap().len(), 2);
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    !needle.is_empty() && haystack.windows(needle.len()).any(|w| w == needle.as_bytes())
}

fn files(db: &Path) -> Vec<u8> {
    let mut all = std::fs::read(db).unwrap();
    let mut wal = db.as_os_str().to_owned();
    wal.push("-wal");
    if let Ok(w) = std::fs::read(wal) {
        all.extend(w);
    }
    all
}

#[test]
fn an_erasure_at_a_partner_reaches_the_lead_and_keeps_the_totals() {
    let c = consortium();
    export(&c.ge, &c.lead.fingerprint, &c.ge.cli.path("1.bundle"), &[]);
    apply(&c.lead, &c.ge.cli.path("1.bundle"));
    let (name, email) = ("Олена Коваленко", "olena.kovalenko@ukr.net");
    assert!(contains(&files(&c.lead.cli.db), email));
    let before = c.lead.cli.json(&["report", "project", &c.lead.project]);
    let at_ge = c.ge.cli.json(&["person", "list", "--search", email]);
    c.ge.cli.json(&["person", "erase", &at_ge[0]["id"].to_string(), "--yes"]);
    let b = export(&c.ge, &c.lead.fingerprint, &c.ge.cli.path("2.bundle"), &[]);
    assert_eq!(b["erasures"].as_u64(), Some(1));
    let a = apply(&c.lead, &c.ge.cli.path("2.bundle"));
    assert_eq!(a["people_erased"].as_u64(), Some(1));
    let after = c.lead.cli.json(&["report", "project", &c.lead.project]);
    for key in ["unique_people", "attendances", "total_minutes", "events"] {
        assert_eq!(after[key], before[key], "{key}");
    }
    let bytes = files(&c.lead.cli.db);
    assert!(!contains(&bytes, email) && !contains(&bytes, name), "the erased person is gone from the lead's files");
    // Applying the first bundle again, or a full one, does not bring her back.
    apply(&c.lead, &c.ge.cli.path("1.bundle"));
    assert!(c.lead.cli.json(&["person", "list", "--search", email]).as_array().unwrap().is_empty());
}

#[test]
fn pseudonymous_bundles_give_the_same_figures_and_no_partner_names_or_emails() {
    let c = consortium();
    let k = c.lead.cli.json(&["consortium", "key"])["key"].as_str().unwrap().to_string();
    c.ge.cli.json(&["consortium", "key", "--set", &k]);
    c.md.cli.json(&["consortium", "key", "--set", &k]);
    let own: Vec<Value> = c.lead.cli.json(&["person", "list"]).as_array().unwrap().clone();
    let mut secrets: Vec<String> = Vec::new();
    for partner in [&c.ge, &c.md] {
        for p in partner.cli.json(&["person", "list"]).as_array().unwrap() {
            if own.iter().any(|o| o["email"] == p["email"] && !p["email"].is_null()) {
                continue;
            }
            secrets.push(p["full_name"].as_str().unwrap().to_string());
            if let Some(e) = p["email"].as_str() {
                secrets.push(e.to_string());
            }
        }
    }
    assert!(secrets.len() > 10);
    let ge_bundle = c.ge.cli.path("ge.bundle");
    let md_bundle = c.md.cli.path("md.bundle");
    assert_eq!(export(&c.ge, &c.lead.fingerprint, &ge_bundle, &["--pseudonymous"])["pseudonymous"], true);
    export(&c.md, &c.lead.fingerprint, &md_bundle, &["--pseudonymous"]);
    apply(&c.lead, &ge_bundle);
    apply(&c.lead, &md_bundle);

    let (s, d) = figures(&c.lead.cli, &c.lead.project);
    let (rs, rd) = reference();
    for key in [
        "events",
        "attendances",
        "unique_people",
        "unique_organisations",
        "total_minutes",
        "people_by_country",
        "people_by_gender",
        "people_by_role",
        "attendance_by_event",
    ] {
        assert_eq!(s[key], rs[key], "{key}");
    }
    assert_eq!(d, rd);
    let db = files(&c.lead.cli.db);
    let bundles = [std::fs::read(&ge_bundle).unwrap(), std::fs::read(&md_bundle).unwrap()].concat();
    for secret in &secrets {
        assert!(!contains(&db, secret), "the lead's database holds a partner participant's name or email");
        assert!(!contains(&bundles, secret), "a bundle holds a partner participant's name or email");
    }
}

#[test]
fn person_merge_moves_everything_to_keep_and_unique_people_drop_by_exactly_one() {
    let c = consortium();
    let cli = &c.ge.cli;
    let event = webinar(cli, &c.ge.project, "GE second webinar", "2024-03-08T15:00", "google_meet.csv");
    let list = cli.json(&["attendance", "list", "--event", &event]);
    let (keep, drop) = (list[0]["person_id"].to_string(), list[1]["person_id"].to_string());
    // DROP also came to the first webinar under another record.
    let first = cli
        .json(&["event", "list", "--project", &c.ge.project])
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["title"] == GE.0)
        .unwrap()["id"]
        .to_string();
    cli.json(&["attendance", "set", "--event", &first, "--person", &drop, "--minutes", "30"]);
    cli.json(&["person", "consent", &drop, "--purpose", "newsletter"]);
    let drop_uid = cli.json(&["person", "show", &drop])["uid"].as_str().unwrap().to_string();
    let before = cli.json(&["report", "project", &c.ge.project]);
    let m = cli.json(&["person", "merge", &keep, &drop]);
    for key in [
        "person",
        "dropped_id",
        "dropped_uid",
        "attendances_moved",
        "attendances_merged",
        "consents_moved",
        "fields_filled",
    ] {
        assert!(m.get(key).is_some(), "person merge lacks {key}");
    }
    assert_eq!(
        (m["attendances_merged"].as_u64(), m["attendances_moved"].as_u64(), m["consents_moved"].as_u64()),
        (Some(1), Some(1), Some(1))
    );
    let after = cli.json(&["report", "project", &c.ge.project]);
    assert_eq!(after["unique_people"].as_i64().unwrap(), before["unique_people"].as_i64().unwrap() - 1);
    assert_eq!(after["attendances"].as_i64().unwrap(), before["attendances"].as_i64().unwrap() - 1);
    assert_eq!(cli.run(&["person", "show", &drop]).code, 1);
    assert_eq!(cli.json(&["person", "show", &keep])["consents"].as_array().unwrap().len(), 1);
    assert_eq!(cli.run(&["check"]).code, 0);
    assert_eq!(cli.run(&["person", "merge", &keep, &keep]).code, 1);

    // The bundle sent after the merge carries KEEP with DROP's uid as an alias: the lead counts the
    // merged person once.
    let lead_own = c.lead.cli.json(&["report", "project", &c.lead.project])["unique_people"].as_i64().unwrap();
    let b = c.ge.cli.path("after-merge.bundle");
    export(&c.ge, &c.lead.fingerprint, &b, &[]);
    apply(&c.lead, &b);
    let at_lead = c.lead.cli.json(&["report", "project", &c.lead.project]);
    assert_eq!(at_lead["unique_people"].as_i64().unwrap(), after["unique_people"].as_i64().unwrap() + lead_own);
    let bundle = c.lead.cli.json(&["bundle", "list"]);
    assert_eq!(bundle[0]["direction"], "applied");
    assert!(!drop_uid.is_empty());
}
