//! Pseudonymous codes for people in exports: a stable code per person instead of name and email, so a
//! donor can count and follow participants without learning who they are.
//!
//! The code is "P-" and the first 10 base32 characters (50 bits) of HMAC-SHA256(secret, person uid). The
//! secret is 32 random bytes created once per database and kept in `settings` under `pseudonym_secret`:
//! the same person gets the same code in every export of the same database, but nobody without the
//! database can compute a code from a name or a uid.

use hmac::{Hmac, Mac};
use rusqlite::{params, Connection};
use sha2::Sha256;

use crate::error::{Error, Result};

/// The `settings` key that holds the secret, hex-encoded.
pub const SECRET_KEY: &str = "pseudonym_secret";

/// RFC 4648 base32 alphabet: upper-case letters and digits 2-7, no look-alike 0/1/8.
const BASE32: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// Computes pseudonymous codes with one database's secret.
#[derive(Clone)]
pub struct Pseudonyms {
    mac: Hmac<Sha256>,
}

impl Pseudonyms {
    /// Loads the database's secret, creating and storing a new random one the first time.
    pub fn load_or_create(conn: &Connection) -> Result<Pseudonyms> {
        let mut secret = [0u8; 32];
        getrandom::fill(&mut secret)
            .map_err(|e| Error::io("pseudonym secret", std::io::Error::other(e.to_string())))?;
        // INSERT OR IGNORE keeps an existing secret, so two exports racing to create one agree on it.
        conn.execute("INSERT OR IGNORE INTO settings (key, value) VALUES (?1, ?2)", params![SECRET_KEY, hex(&secret)])?;
        let stored: String = conn.query_row("SELECT value FROM settings WHERE key = ?1", [SECRET_KEY], |r| r.get(0))?;
        let key = unhex(&stored).ok_or_else(|| Error::internal("the stored pseudonym secret is damaged"))?;
        Ok(Pseudonyms::with_secret(&key))
    }

    /// Codes under a given secret (for tests and for callers that manage the secret themselves).
    pub fn with_secret(secret: &[u8]) -> Pseudonyms {
        Pseudonyms { mac: Hmac::<Sha256>::new_from_slice(secret).expect("HMAC accepts keys of any length") }
    }

    /// The code of the person with this uid, like `P-K3QZ7M2XAB`.
    pub fn code(&self, uid: &str) -> String {
        let mut mac = self.mac.clone();
        mac.update(uid.as_bytes());
        let digest = mac.finalize().into_bytes();
        // The first 50 bits of the digest, five at a time.
        let bits = u64::from_be_bytes(digest[..8].try_into().expect("8 bytes"));
        let mut code = String::with_capacity(12);
        code.push_str("P-");
        for i in 0..10 {
            code.push(BASE32[((bits >> (59 - 5 * i)) & 31) as usize] as char);
        }
        code
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(s: &str) -> Option<Vec<u8>> {
    let s = s.trim();
    if !s.len().is_multiple_of(2) || s.is_empty() {
        return None;
    }
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok()).collect()
}
