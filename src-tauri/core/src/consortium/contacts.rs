//! Trusted partners: the cards of partner installations, each linked to one of our organisations. Only
//! bundles signed by a card listed here (and not removed) are applied, and bundles are encrypted only to
//! cards listed here. A removed card keeps its row, so the history still names it and its bundles are
//! refused with a message that says it was removed.

use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::{Deserialize, Serialize};

use super::identity::{self, Card};
use crate::db::{self, Table};
use crate::error::{Error, Result};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Contact {
    pub id: i64,
    pub uid: String,
    /// The partner installation's uid.
    pub site_uid: String,
    /// The organisation name on the card.
    pub name: String,
    pub fingerprint: String,
    /// Our organisation record for this partner.
    pub organisation_id: i64,
    pub organisation_name: String,
    pub age_recipient: String,
    /// Hex.
    pub sign_public: String,
    pub created_at: String,
    /// When the card was removed (its bundles are refused since); None while trusted.
    pub removed_at: Option<String>,
    /// When a bundle from this partner was last applied, and when one was last sent to it.
    pub last_applied_at: Option<String>,
    pub last_sent_at: Option<String>,
}

const SELECT: &str = "SELECT c.id, c.uid, c.site_uid, c.name, c.fingerprint, c.organisation_id, o.name, c.age_recipient,
       c.sign_public, c.created_at, c.removed_at,
       (SELECT max(created_at) FROM bundles b WHERE b.contact_id = c.id AND b.direction = 'applied'),
       (SELECT max(b.created_at) FROM bundles b, json_each(b.recipients) r WHERE b.direction = 'sent' AND r.value = c.id)
  FROM contacts c JOIN organisations o ON o.id = c.organisation_id";

fn from_row(r: &Row) -> rusqlite::Result<Contact> {
    let public: Vec<u8> = r.get(8)?;
    Ok(Contact {
        id: r.get(0)?,
        uid: r.get(1)?,
        site_uid: r.get(2)?,
        name: r.get(3)?,
        fingerprint: r.get(4)?,
        organisation_id: r.get(5)?,
        organisation_name: r.get(6)?,
        age_recipient: r.get(7)?,
        sign_public: identity::hex(&public),
        created_at: r.get(9)?,
        removed_at: r.get(10)?,
        last_applied_at: r.get(11)?,
        last_sent_at: r.get(12)?,
    })
}

/// Trusts a partner's card, linked to our organisation `organisation_id`. Adding a removed card again
/// trusts it again (with the organisation given now); adding a trusted card again is refused.
pub fn add(conn: &Connection, card_text: &str, organisation_id: i64) -> Result<Contact> {
    let card = Card::parse(card_text)?;
    db::ensure_exists(conn, Table::Organisations, organisation_id)
        .map_err(|_| Error::invalid("organisation_id", format!("organisation {organisation_id} does not exist")))?;
    let own = identity::show(conn)?;
    if own.fingerprint == card.fingerprint {
        return Err(Error::invalid("card", "this is this installation's own card"));
    }
    let public = identity::unhex32(&card.sign_public).expect("checked by Card::parse");
    let now = db::now();
    let existing: Option<(i64, Option<String>)> = conn
        .query_row("SELECT id, removed_at FROM contacts WHERE fingerprint = ?1", [&card.fingerprint], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .optional()?;
    let id = match existing {
        Some((id, None)) => {
            return Err(Error::conflict(format!("this card is already trusted (partner {id})")));
        }
        Some((id, Some(_))) => {
            conn.execute(
                "UPDATE contacts SET removed_at = NULL, organisation_id = ?2, name = ?3, updated_at = ?4 WHERE id = ?1",
                params![id, organisation_id, card.name, now],
            )?;
            id
        }
        None => {
            conn.execute(
                "INSERT INTO contacts (uid, site_uid, organisation_id, name, age_recipient, sign_public, fingerprint,
                                       created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)",
                params![
                    db::new_uid(),
                    card.site_uid,
                    organisation_id,
                    card.name,
                    card.age_recipient,
                    public.as_slice(),
                    card.fingerprint,
                    now
                ],
            )?;
            conn.last_insert_rowid()
        }
    };
    log::info!("trusted partner card {} as contact {id}", card.fingerprint);
    get(conn, id)
}

pub fn get(conn: &Connection, id: i64) -> Result<Contact> {
    conn.query_row(&format!("{SELECT} WHERE c.id = ?1"), [id], from_row)
        .optional()?
        .ok_or_else(|| Error::not_found("partner", id))
}

/// Trusted partners by name; with `all`, removed ones too.
pub fn list(conn: &Connection, all: bool) -> Result<Vec<Contact>> {
    let mut stmt = conn.prepare(&format!("{SELECT} WHERE ?1 OR c.removed_at IS NULL ORDER BY c.name, c.id"))?;
    let rows = stmt.query_map([all], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Stops trusting a partner: its bundles are refused from now on and nothing more is encrypted to it.
/// What it sent before stays.
pub fn remove(conn: &Connection, id: i64) -> Result<Contact> {
    let n = conn.execute(
        "UPDATE contacts SET removed_at = ?2, updated_at = ?2 WHERE id = ?1 AND removed_at IS NULL",
        params![id, db::now()],
    )?;
    if n == 0 {
        get(conn, id)?;
        return Err(Error::conflict(format!("partner {id} was removed already")));
    }
    log::info!("removed partner card of contact {id}");
    get(conn, id)
}

/// A trusted partner by fingerprint (as typed), or by contact id.
pub fn find(conn: &Connection, reference: &str) -> Result<Contact> {
    let r = reference.trim();
    if let Ok(id) = r.parse::<i64>() {
        return get(conn, id);
    }
    let fp = identity::normalize_fingerprint(r);
    let id: Option<i64> =
        conn.query_row("SELECT id FROM contacts WHERE fingerprint = ?1", [&fp], |row| row.get(0)).optional()?;
    match id {
        Some(id) => get(conn, id),
        None => Err(Error::invalid("to", format!("no partner card with fingerprint {fp}; add it with `contact add`"))),
    }
}
