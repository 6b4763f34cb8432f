//! The consortium key behind pseudonymous bundles: 32 random bytes shared by every partner of a
//! consortium, kept in `settings` under `consortium_key`. A person sent pseudonymously is known by
//! HMAC-SHA-256(key, folded email), or of the folded name when there is no email, so the same person at
//! two partners gets the same code and the lead can count them once without holding a name or an email.
//!
//! Sharing: one partner (usually the lead) creates the key (`consortium key`) and sends it to each partner
//! over a channel they already trust for secrets (a Signal message, in person); each partner stores it
//! (`consortium key --set`). Whoever holds the key can test a guessed email against a code, so the key is
//! shown only on request and never travels in a bundle.

use hmac::{Hmac, Mac};
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

use super::identity::{base32, hex};
use crate::error::{Error, Result};

/// The `settings` key that holds the consortium key, hex-encoded.
pub const SETTING: &str = "consortium_key";

/// The consortium key as shown to coordinators: `rck1-` and 52 base32 characters (the 32 bytes + 4 bits).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConsortiumKey {
    pub key: String,
    /// Whether it was created just now.
    pub created: bool,
}

fn encode(bytes: &[u8; 32]) -> String {
    format!("rck1-{}", base32(bytes, 52))
}

fn decode(text: &str) -> Option<[u8; 32]> {
    let body = text.trim().strip_prefix("rck1-")?.to_ascii_uppercase();
    if body.len() != 52 {
        return None;
    }
    let mut out = Vec::with_capacity(33);
    let (mut acc, mut bits) = (0u32, 0u32);
    for c in body.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'2'..=b'7' => c - b'2' + 26,
            _ => return None,
        };
        acc = (acc << 5) | u32::from(v);
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    out.truncate(32);
    out.try_into().ok()
}

fn stored(conn: &Connection) -> Result<Option<[u8; 32]>> {
    let value: Option<String> =
        conn.query_row("SELECT value FROM settings WHERE key = ?1", [SETTING], |r| r.get(0)).optional()?;
    match value {
        None => Ok(None),
        Some(v) => {
            let bytes = (0..v.len())
                .step_by(2)
                .map(|i| v.get(i..i + 2).and_then(|h| u8::from_str_radix(h, 16).ok()))
                .collect::<Option<Vec<u8>>>()
                .and_then(|b| <[u8; 32]>::try_from(b).ok());
            bytes.map(Some).ok_or_else(|| Error::internal("the stored consortium key is damaged"))
        }
    }
}

/// The consortium key, created (at random) if this installation has none.
pub fn get_or_create(conn: &Connection) -> Result<ConsortiumKey> {
    if let Some(k) = stored(conn)? {
        return Ok(ConsortiumKey { key: encode(&k), created: false });
    }
    let mut k = [0u8; 32];
    getrandom::fill(&mut k).map_err(|e| Error::io("random number generator", std::io::Error::other(e.to_string())))?;
    conn.execute("INSERT OR IGNORE INTO settings (key, value) VALUES (?1, ?2)", params![SETTING, hex(&k)])?;
    log::info!("created a consortium key");
    let k = stored(conn)?.expect("just stored");
    Ok(ConsortiumKey { key: encode(&k), created: true })
}

/// Stores the consortium key a partner sent. Replacing a different key needs `replace`: codes made with
/// the old key no longer match the new ones, so the lead would count those people twice.
pub fn set(conn: &Connection, text: &str, replace: bool) -> Result<ConsortiumKey> {
    let k = decode(text).ok_or_else(|| {
        Error::invalid("key", "this is not a consortium key (it starts with rck1- and has 52 letters and digits)")
    })?;
    if let Some(old) = stored(conn)? {
        if old != k && !replace {
            return Err(Error::conflict(
                "this installation has another consortium key; replacing it changes every pseudonymous code (add --replace to do it)",
            ));
        }
    }
    conn.execute(
        "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        params![SETTING, hex(&k)],
    )?;
    log::info!("stored a consortium key");
    Ok(ConsortiumKey { key: encode(&k), created: false })
}

/// Computes pseudonymous person codes under the consortium key.
#[derive(Clone)]
pub(crate) struct Coder {
    mac: Hmac<Sha256>,
}

impl Coder {
    pub fn load(conn: &Connection) -> Result<Option<Coder>> {
        Ok(stored(conn)?.map(|k| Coder { mac: Hmac::<Sha256>::new_from_slice(&k).expect("any key length") }))
    }

    /// The uid (a UUID made of the hash, version 8) of a person with this email key or, without one, this
    /// folded name.
    pub fn uid(&self, email_key: Option<&str>, name_key: &str) -> String {
        let mut mac = self.mac.clone();
        match email_key {
            Some(e) => {
                mac.update(b"email\0");
                mac.update(e.as_bytes());
            }
            None => {
                mac.update(b"name\0");
                mac.update(name_key.as_bytes());
            }
        }
        let d = mac.finalize().into_bytes();
        let mut b: [u8; 16] = d[..16].try_into().expect("16 bytes");
        b[6] = (b[6] & 0x0f) | 0x80;
        b[8] = (b[8] & 0x3f) | 0x80;
        uuid::Uuid::from_bytes(b).to_string()
    }
}

/// The name shown for a pseudonymous person: `P-` and 10 base32 characters of their code uid.
pub(crate) fn display_code(code_uid: &str) -> String {
    let bytes = uuid::Uuid::parse_str(code_uid).map(|u| *u.as_bytes()).unwrap_or_default();
    format!("P-{}", base32(&bytes, 10))
}
