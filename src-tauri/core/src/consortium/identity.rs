//! This installation's identity: an age X25519 key pair (bundles are encrypted to it) and an Ed25519 key
//! pair (bundles are signed with it), created on first use and kept in the database, so SQLCipher encrypts
//! them at rest whenever the database has a passphrase. The public half travels as a one-line partner card.
//!
//! Card (version 1), one line of space-separated `key=value` words after the `rollcall-card-1` tag:
//! `fp` the fingerprint, `age` the age recipient, `sign` the Ed25519 public key (hex), `site` the
//! installation's uid and `name` the organisation's name (percent-encoded spaces and `%` only, so Cyrillic or
//! Georgian names stay readable). The fingerprint is recomputed when a card is added: a card damaged on the
//! way is refused instead of trusted.
//!
//! Fingerprint: SHA-256 over a domain tag, the signing key and the age recipient, the first 100 bits in
//! RFC 4648 base32 (letters and 2-7, no 0/1/8 look-alikes), five groups of four, e.g. `K3QZ-7M2X-ABCD-EFGH-
//! IJKL`: short enough to read aloud in a call, long enough that nobody can make a second card matching it.

use age::secrecy::ExposeSecret;
use ed25519_dalek::{SigningKey, VerifyingKey};
use rusqlite::{params, Connection};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::db::{self, Table};
use crate::error::{Error, Result};

/// The tag that starts every card.
pub const CARD_TAG: &str = "rollcall-card-1";
const BASE32: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// What the window and `identity show` display. Holds public keys only.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IdentityInfo {
    pub site_uid: String,
    pub fingerprint: String,
    /// The organisation this installation speaks for (its name is on the card).
    pub organisation_id: Option<i64>,
    pub organisation_name: Option<String>,
    /// The age recipient (`age1...`), the public encryption key.
    pub age_recipient: String,
    /// The Ed25519 public key, hex.
    pub sign_public: String,
    /// The partner card to send to partners.
    pub card: String,
    pub created_at: String,
}

/// A parsed partner card: public keys only.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Card {
    pub fingerprint: String,
    pub age_recipient: String,
    /// Hex.
    pub sign_public: String,
    pub site_uid: String,
    pub name: String,
}

/// The secret keys, for signing and decrypting inside the core. Not serializable and its `Debug` shows
/// nothing secret, so it cannot end up in a log, an IPC answer or a bundle.
pub(crate) struct Keys {
    pub site_uid: String,
    pub fingerprint: String,
    pub organisation_id: Option<i64>,
    pub age: age::x25519::Identity,
    pub signing: SigningKey,
}

impl std::fmt::Debug for Keys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Keys").field("site_uid", &self.site_uid).field("fingerprint", &self.fingerprint).finish()
    }
}

/// The fingerprint of a pair of public keys.
pub fn fingerprint(sign_public: &[u8; 32], age_recipient: &str) -> String {
    let mut h = Sha256::new();
    h.update(b"rollcall-fingerprint-1\0");
    h.update(sign_public);
    h.update(age_recipient.as_bytes());
    let digest = h.finalize();
    let chars = base32(&digest, 20);
    chars.as_bytes().chunks(4).map(|c| String::from_utf8_lossy(c).into_owned()).collect::<Vec<_>>().join("-")
}

/// A fingerprint as typed (any case, with or without dashes or spaces) in the form stored.
pub fn normalize_fingerprint(typed: &str) -> String {
    let clean: String = typed.chars().filter(|c| c.is_ascii_alphanumeric()).map(|c| c.to_ascii_uppercase()).collect();
    clean.as_bytes().chunks(4).map(|c| String::from_utf8_lossy(c).into_owned()).collect::<Vec<_>>().join("-")
}

/// The first `n` base32 characters of `bytes` (n * 5 bits).
pub(crate) fn base32(bytes: &[u8], n: usize) -> String {
    let mut out = String::with_capacity(n);
    let (mut acc, mut bits, mut i) = (0u32, 0u32, 0usize);
    while out.len() < n {
        if bits < 5 {
            acc = (acc << 8) | u32::from(*bytes.get(i).unwrap_or(&0));
            i += 1;
            bits += 8;
        }
        bits -= 5;
        out.push(BASE32[((acc >> bits) & 31) as usize] as char);
    }
    out
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub(crate) fn unhex32(s: &str) -> Option<[u8; 32]> {
    let s = s.trim();
    if s.len() != 64 {
        return None;
    }
    let mut out = [0u8; 32];
    for (i, b) in out.iter_mut().enumerate() {
        *b = u8::from_str_radix(s.get(2 * i..2 * i + 2)?, 16).ok()?;
    }
    Some(out)
}

fn random_32() -> Result<[u8; 32]> {
    let mut seed = [0u8; 32];
    getrandom::fill(&mut seed)
        .map_err(|e| Error::io("random number generator", std::io::Error::other(e.to_string())))?;
    Ok(seed)
}

/// Creates this installation's keys if it has none yet. Idempotent: an existing identity is kept.
pub(crate) fn ensure(conn: &Connection) -> Result<()> {
    let exists: bool = conn.query_row("SELECT count(*) > 0 FROM site_identity", [], |r| r.get(0))?;
    if exists {
        return Ok(());
    }
    let age = age::x25519::Identity::generate();
    let recipient = age.to_public().to_string();
    let signing = SigningKey::from_bytes(&random_32()?);
    let public = signing.verifying_key().to_bytes();
    let fp = fingerprint(&public, &recipient);
    // INSERT OR IGNORE: two processes creating keys at once agree on the first.
    conn.execute(
        "INSERT OR IGNORE INTO site_identity (id, site_uid, age_secret, age_recipient, sign_secret, sign_public,
                                              fingerprint, created_at)
         VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            db::new_uid(),
            age.to_string().expose_secret(),
            recipient,
            signing.to_bytes().as_slice(),
            public.as_slice(),
            fp,
            db::now()
        ],
    )?;
    log::info!("created this installation's partner keys (fingerprint {fp})");
    Ok(())
}

/// The secret keys (created on first use).
pub(crate) fn keys(conn: &Connection) -> Result<Keys> {
    ensure(conn)?;
    let (site_uid, fingerprint, organisation_id, age_secret, sign_secret): (
        String,
        String,
        Option<i64>,
        String,
        Vec<u8>,
    ) = conn.query_row(
        "SELECT site_uid, fingerprint, organisation_id, age_secret, sign_secret FROM site_identity WHERE id = 1",
        [],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
    )?;
    let damaged = || Error::internal("this installation's stored partner keys are damaged");
    let age: age::x25519::Identity = age_secret.parse().map_err(|_| damaged())?;
    let seed: [u8; 32] = sign_secret.as_slice().try_into().map_err(|_| damaged())?;
    Ok(Keys { site_uid, fingerprint, organisation_id, age, signing: SigningKey::from_bytes(&seed) })
}

/// This installation's identity and card, creating its keys on first use.
pub fn show(conn: &Connection) -> Result<IdentityInfo> {
    ensure(conn)?;
    let (site_uid, fingerprint, organisation_id, organisation_name, age_recipient, sign_public, created_at): (
        String,
        String,
        Option<i64>,
        Option<String>,
        String,
        Vec<u8>,
        String,
    ) = conn.query_row(
        "SELECT i.site_uid, i.fingerprint, i.organisation_id, o.name, i.age_recipient, i.sign_public, i.created_at
           FROM site_identity i LEFT JOIN organisations o ON o.id = i.organisation_id WHERE i.id = 1",
        [],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?)),
    )?;
    let card = Card {
        fingerprint: fingerprint.clone(),
        age_recipient: age_recipient.clone(),
        sign_public: hex(&sign_public),
        site_uid: site_uid.clone(),
        name: organisation_name.clone().unwrap_or_else(|| "Rollcall".into()),
    };
    Ok(IdentityInfo {
        site_uid,
        fingerprint,
        organisation_id,
        organisation_name,
        age_recipient,
        sign_public: card.sign_public.clone(),
        card: card.to_line(),
        created_at,
    })
}

/// Sets which of our organisations this installation speaks for (its name goes on the card, and events
/// without an organiser are sent as run by it).
pub fn set_organisation(conn: &Connection, organisation_id: i64) -> Result<IdentityInfo> {
    db::ensure_exists(conn, Table::Organisations, organisation_id)
        .map_err(|_| Error::invalid("organisation_id", format!("organisation {organisation_id} does not exist")))?;
    ensure(conn)?;
    conn.execute("UPDATE site_identity SET organisation_id = ?1 WHERE id = 1", [organisation_id])?;
    show(conn)
}

fn encode_name(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        match c {
            '%' => out.push_str("%25"),
            c if c.is_whitespace() => out.push_str(&format!("%{:02X}", c as u32 & 0xFF)),
            c => out.push(c),
        }
    }
    out
}

fn decode_name(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            if let Some(b) = s.get(i + 1..i + 3).and_then(|h| u8::from_str_radix(h, 16).ok()) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

impl Card {
    /// The card as one line of text.
    pub fn to_line(&self) -> String {
        format!(
            "{CARD_TAG} fp={} age={} sign={} site={} name={}",
            self.fingerprint,
            self.age_recipient,
            self.sign_public,
            self.site_uid,
            encode_name(&self.name)
        )
    }

    /// Reads a card pasted from a message (surrounding text and line breaks are ignored), checking that
    /// its keys are well formed and that its fingerprint belongs to them.
    pub fn parse(text: &str) -> Result<Card> {
        let bad = |why: &str| Error::invalid("card", format!("this is not a Rollcall partner card: {why}"));
        let start = text.find(CARD_TAG).ok_or_else(|| bad(&format!("it does not contain '{CARD_TAG}'")))?;
        let mut fields = std::collections::HashMap::new();
        for word in text[start + CARD_TAG.len()..].split_whitespace() {
            if let Some((k, v)) = word.split_once('=') {
                fields.entry(k).or_insert(v);
            }
        }
        let get = |k: &str| fields.get(k).copied().ok_or_else(|| bad(&format!("'{k}=' is missing")));
        let age_recipient = get("age")?.to_string();
        age_recipient.parse::<age::x25519::Recipient>().map_err(|_| bad("its encryption key is damaged"))?;
        let sign = unhex32(get("sign")?).ok_or_else(|| bad("its signing key is damaged"))?;
        VerifyingKey::from_bytes(&sign).map_err(|_| bad("its signing key is damaged"))?;
        let site_uid = get("site")?.to_string();
        uuid::Uuid::parse_str(&site_uid).map_err(|_| bad("its installation id is damaged"))?;
        let fp = fingerprint(&sign, &age_recipient);
        if normalize_fingerprint(get("fp")?) != fp {
            return Err(Error::invalid(
                "card",
                "the card's fingerprint does not match its keys: it was changed or damaged on the way; ask the partner to send it again",
            ));
        }
        let name = decode_name(get("name")?);
        let name = crate::validate::required("name", &name).map_err(|_| bad("the organisation name is missing"))?;
        Ok(Card { fingerprint: fp, age_recipient, sign_public: hex(&sign), site_uid, name })
    }
}
