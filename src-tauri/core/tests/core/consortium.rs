//! The consortium exchange: identity and cards, trusted partners, the consortium key, bundles between
//! three databases (a lead in UA, partners in GE and MD), erasures travelling, refused bundles.

use rollcall_core::consortium::identity::{self, Card};
use rollcall_core::consortium::{contacts, key};
use rollcall_core::organisations::{self, OrganisationInput};
use rollcall_core::Error;

use crate::support::new_db;

fn org(conn: &rollcall_core::db::Connection, name: &str, country: &str) -> i64 {
    organisations::create(
        conn,
        &OrganisationInput { name: name.into(), country: Some(country.into()), ..Default::default() },
    )
    .unwrap()
    .id
}

#[test]
fn identity_is_created_once_and_its_card_reads_back_with_the_same_fingerprint() {
    let t = new_db();
    let a = identity::show(&t.conn).unwrap();
    let b = identity::show(&t.conn).unwrap();
    assert_eq!(a, b, "keys are created once");
    assert_eq!(a.fingerprint.len(), 24, "{}", a.fingerprint);
    assert!(a.fingerprint.chars().all(|c| c == '-' || c.is_ascii_uppercase() || ('2'..='7').contains(&c)));
    let o = org(&t.conn, "Центр «Вектор» UA", "UA");
    let c = identity::set_organisation(&t.conn, o).unwrap();
    let card = Card::parse(&format!("Hi, here is our card:\n{}\nthanks", c.card)).unwrap();
    assert_eq!(
        (card.fingerprint, card.name, card.site_uid),
        (a.fingerprint.clone(), "Центр «Вектор» UA".into(), a.site_uid)
    );
    assert!(!c.card.contains("AGE-SECRET"), "no secret on the card");
    // The secret keys are in the database only, never on the card or in what `show` returns.
    let json = serde_json::to_string(&c).unwrap();
    assert!(!json.to_uppercase().contains("AGE-SECRET-KEY"));
    // One changed character of a key makes the fingerprint disagree: refused.
    let flipped: String = {
        let i = c.card.find("age=age1").unwrap() + 10;
        let mut s = c.card.clone();
        let ch = if &s[i..i + 1] == "q" { "p" } else { "q" };
        s.replace_range(i..i + 1, ch);
        s
    };
    assert!(matches!(Card::parse(&flipped), Err(Error::Invalid { .. })));
    assert!(matches!(Card::parse("hello"), Err(Error::Invalid { .. })));
}

#[test]
fn contacts_are_added_listed_and_removed_and_cannot_be_added_twice() {
    let lead = new_db();
    let partner = new_db();
    let card = identity::show(&partner.conn).unwrap().card;
    let ge = org(&lead.conn, "Partner GE", "GE");
    let c = contacts::add(&lead.conn, &card, ge).unwrap();
    assert_eq!((c.organisation_id, c.removed_at.clone()), (ge, None));
    assert!(matches!(contacts::add(&lead.conn, &card, ge), Err(Error::Conflict { .. })));
    let own = identity::show(&lead.conn).unwrap().card;
    assert!(matches!(contacts::add(&lead.conn, &own, ge), Err(Error::Invalid { .. })));
    assert_eq!(contacts::find(&lead.conn, &c.fingerprint.to_lowercase().replace('-', "")).unwrap().id, c.id);
    contacts::remove(&lead.conn, c.id).unwrap();
    assert!(contacts::list(&lead.conn, false).unwrap().is_empty());
    assert_eq!(contacts::list(&lead.conn, true).unwrap().len(), 1);
    assert!(contacts::remove(&lead.conn, c.id).is_err());
    // Trusted again after removal.
    assert!(contacts::add(&lead.conn, &card, ge).unwrap().removed_at.is_none());
}

#[test]
fn the_consortium_key_is_created_once_and_can_be_set_from_a_partner() {
    let a = new_db();
    let b = new_db();
    let k = key::get_or_create(&a.conn).unwrap();
    assert!(k.created && k.key.starts_with("rck1-"));
    assert_eq!(key::get_or_create(&a.conn).unwrap().key, k.key);
    assert_eq!(key::set(&b.conn, &k.key, false).unwrap().key, k.key);
    assert_eq!(key::get_or_create(&b.conn).unwrap().key, k.key);
    let other = key::get_or_create(&new_db().conn).unwrap().key;
    assert!(matches!(key::set(&b.conn, &other, false), Err(Error::Conflict { .. })));
    assert_eq!(key::set(&b.conn, &other, true).unwrap().key, other);
    assert!(matches!(key::set(&b.conn, "rck1-XYZ", false), Err(Error::Invalid { .. })));
}

mod bundles {
    use rollcall_core::consortium::bundle::{self, ApplyOptions, ExportOptions};
    use rollcall_core::consortium::{contacts, identity, key};
    use rollcall_core::events::{self, EventInput};
    use rollcall_core::import::{Action, AmbiguousPolicy, Resolution};
    use rollcall_core::people::{self, PersonInput};
    use rollcall_core::{attendance, Error};

    use super::org;
    use crate::support::{new_db, project, TestDb};

    /// A partner with one event attended by two people, and a lead that trusts it (and vice versa).
    fn pair() -> (TestDb, TestDb, i64) {
        let lead = new_db();
        let ge = new_db();
        let p = project(&ge.conn, "Solidarity");
        project(&lead.conn, "Solidarity");
        let e = events::create(
            &ge.conn,
            &EventInput {
                project_id: p,
                title: "GE".into(),
                starts_at: "2024-03-05T15:00".into(),
                ..Default::default()
            },
        )
        .unwrap()
        .id;
        for (name, email) in [("Нино Беридзе", Some("nino@example.ge")), ("Levan Guest", None)] {
            let id = people::create(
                &ge.conn,
                &PersonInput {
                    full_name: name.into(),
                    email: email.map(Into::into),
                    country: Some("GE".into()),
                    ..Default::default()
                },
            )
            .unwrap()
            .id;
            attendance::set(
                &ge.conn,
                &attendance::AttendanceInput { event_id: e, person_id: id, minutes: Some(50), ..Default::default() },
            )
            .unwrap();
        }
        let ge_org = org(&lead.conn, "GE partner", "GE");
        contacts::add(&lead.conn, &identity::show(&ge.conn).unwrap().card, ge_org).unwrap();
        let lead_org = org(&ge.conn, "Lead", "UA");
        contacts::add(&ge.conn, &identity::show(&lead.conn).unwrap().card, lead_org).unwrap();
        (lead, ge, p)
    }

    #[test]
    fn a_pseudonymous_bundle_holds_no_name_or_email_once_decrypted() {
        let (lead, mut ge, p) = pair();
        let k = key::get_or_create(&lead.conn).unwrap().key;
        key::set(&ge.conn, &k, false).unwrap();
        let out = ge.dir.path().join("p.bundle");
        let to = vec![identity::show(&lead.conn).unwrap().fingerprint];
        bundle::export(
            &mut ge.conn,
            &ExportOptions { project_id: p, to, out: out.clone(), full: false, pseudonymous: true },
        )
        .unwrap();
        let (_, payload) = bundle::read(&lead.conn, &out).unwrap();
        let plain = serde_json::to_string(&payload).unwrap();
        for secret in ["Нино", "Беридзе", "nino@example.ge", "Levan", "Guest"] {
            assert!(!plain.contains(secret), "{secret} in the decrypted bundle");
        }
        assert_eq!(payload.people.len(), 2);
        assert!(payload
            .people
            .iter()
            .all(|p| p.full_name.is_none() && p.email.is_none() && p.country.as_deref() == Some("GE")));
        // Without the consortium key there is no pseudonymous export.
        let other = new_db();
        let mut other_conn = other.conn;
        contacts::add(&other_conn, &identity::show(&lead.conn).unwrap().card, org(&other_conn, "L", "UA")).unwrap();
        let q = project(&other_conn, "X");
        let r = bundle::export(
            &mut other_conn,
            &ExportOptions {
                project_id: q,
                to: vec!["1".into()],
                out: other.dir.path().join("x"),
                full: true,
                pseudonymous: true,
            },
        );
        assert!(matches!(r, Err(Error::Invalid { .. })));
    }

    #[test]
    fn an_ambiguous_person_waits_for_a_decision_and_the_decision_is_remembered() {
        let (mut lead, mut ge, p) = pair();
        // The lead already has two people named like GE's guest without an email.
        for _ in 0..2 {
            people::create(&lead.conn, &PersonInput { full_name: "Levan Guest".into(), ..Default::default() }).unwrap();
        }
        let out = ge.dir.path().join("1.bundle");
        let to = vec![identity::show(&lead.conn).unwrap().fingerprint];
        bundle::export(
            &mut ge.conn,
            &ExportOptions { project_id: p, to: to.clone(), out: out.clone(), ..Default::default() },
        )
        .unwrap();
        let dry = bundle::apply(&mut lead.conn, &out, &ApplyOptions { dry_run: true, ..Default::default() }).unwrap();
        assert_eq!((dry.ambiguous_total, dry.undecided, dry.ambiguous[0].candidates.len()), (1, 1, 2));
        let refused = bundle::apply(&mut lead.conn, &out, &ApplyOptions::default());
        assert!(matches!(refused, Err(Error::Invalid { ref field, .. }) if field == "resolutions"), "{refused:?}");
        let chosen = dry.ambiguous[0].candidates[1].id;
        let resolutions = vec![Resolution::new(dry.ambiguous[0].key.clone(), Action::Person, Some(chosen))];
        let a = bundle::apply(&mut lead.conn, &out, &ApplyOptions { resolutions, ..Default::default() }).unwrap();
        assert_eq!((a.people_new, a.attendances_new, a.undecided), (1, 2, 0));
        assert_eq!(people::get(&lead.conn, chosen).unwrap().events_attended, 1);
        // GE changes the event: the next bundle lands on the same person without asking.
        let e = events::list(&ge.conn, Some(p)).unwrap()[0].id;
        let guest = attendance::for_event(&ge.conn, e).unwrap().into_iter().find(|a| a.email.is_none()).unwrap();
        attendance::set(
            &ge.conn,
            &attendance::AttendanceInput {
                event_id: e,
                person_id: guest.person_id,
                minutes: Some(5),
                ..Default::default()
            },
        )
        .unwrap();
        let out2 = ge.dir.path().join("2.bundle");
        bundle::export(&mut ge.conn, &ExportOptions { project_id: p, to, out: out2.clone(), ..Default::default() })
            .unwrap();
        let b = bundle::apply(
            &mut lead.conn,
            &out2,
            &ApplyOptions { ambiguous: AmbiguousPolicy::Ask, ..Default::default() },
        )
        .unwrap();
        assert_eq!((b.ambiguous_total, b.attendances_changed, b.people_new), (0, 1, 0));
    }

    /// Issue #15: genders travel as categories; a self-described one with its words in a full bundle and
    /// as the category alone in a pseudonymous one; disability answers never travel.
    #[test]
    fn issue15_gender_categories_travel_and_disability_stays_home() {
        let (mut lead, mut ge, p) = pair();
        let e = events::list(&ge.conn, Some(p)).unwrap()[0].id;
        for (name, gender) in [("Tamar Test", "ქალი"), ("Sandro Test", "two-spirit")] {
            let id = people::create(
                &ge.conn,
                &PersonInput {
                    full_name: name.into(),
                    email: Some(format!("{}@example.ge", name.replace(' ', "."))),
                    gender: Some(gender.into()),
                    ..Default::default()
                },
            )
            .unwrap()
            .id;
            attendance::set(
                &ge.conn,
                &attendance::AttendanceInput { event_id: e, person_id: id, minutes: Some(50), ..Default::default() },
            )
            .unwrap();
            people::add_consent(
                &ge.conn,
                id,
                &people::ConsentInput {
                    purpose: rollcall_core::disability::CONSENT_PURPOSE.into(),
                    ..Default::default()
                },
            )
            .unwrap();
            rollcall_core::disability::set(
                &ge.conn,
                id,
                &rollcall_core::disability::DisabilityInput { answer: Some("yes".into()), ..Default::default() },
            )
            .unwrap();
        }
        let to = vec![identity::show(&lead.conn).unwrap().fingerprint];
        let out = ge.dir.path().join("full.bundle");
        bundle::export(
            &mut ge.conn,
            &ExportOptions { project_id: p, to: to.clone(), out: out.clone(), ..Default::default() },
        )
        .unwrap();
        let (_, payload) = bundle::read(&lead.conn, &out).unwrap();
        let plain = serde_json::to_string(&payload).unwrap();
        assert!(!plain.contains("difficulty") && !plain.contains("\"answer\""), "disability in the bundle");
        bundle::apply(&mut lead.conn, &out, &ApplyOptions::default()).unwrap();
        let got = |conn: &rollcall_core::db::Connection, email: &str| -> (Option<String>, Option<String>) {
            conn.query_row("SELECT gender, gender_text FROM people WHERE email_key = ?1", [email], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .unwrap()
        };
        assert_eq!(got(&lead.conn, "tamar.test@example.ge"), (Some("woman".into()), None));
        assert_eq!(
            got(&lead.conn, "sandro.test@example.ge"),
            (Some("self_described".into()), Some("two-spirit".into()))
        );
        let held: i64 = lead.conn.query_row("SELECT count(*) FROM person_disability", [], |r| r.get(0)).unwrap();
        assert_eq!(held, 0);

        let k = key::get_or_create(&lead.conn).unwrap().key;
        key::set(&ge.conn, &k, false).unwrap();
        let out = ge.dir.path().join("pseudo.bundle");
        bundle::export(
            &mut ge.conn,
            &ExportOptions { project_id: p, to, out: out.clone(), full: true, pseudonymous: true },
        )
        .unwrap();
        let (_, payload) = bundle::read(&lead.conn, &out).unwrap();
        assert!(!serde_json::to_string(&payload).unwrap().contains("two-spirit"));
        assert!(payload.people.iter().any(|p| p.gender.as_deref() == Some("self_described")));
    }
}
