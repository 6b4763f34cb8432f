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
