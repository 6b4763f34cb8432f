//! The bundle file and its payload.
//!
//! File (version 1): the 8 bytes `RCBUNDL1`, a 64-byte Ed25519 signature, then an age file encrypted to
//! every recipient's X25519 key. The signature covers a domain tag and the SHA-256 of the age bytes, so
//! any changed byte is caught before anything is decrypted. Nothing in the clear says who sent the file or
//! to whom: the receiver tries its partners' keys (a handful), and age's recipient stanzas name nobody.
//!
//! Payload: JSON ([`Payload`]), rows keyed by uid and referring to each other by uid, each shared row with
//! the sender's version of it (see `export`). Inside, the sender and the recipients are named again, and
//! `apply` checks them against the key that verified and its own fingerprint.

use std::io::{Read, Write};

use ed25519_dalek::{Signature, Signer, VerifyingKey};
use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::consortium::contacts::{self, Contact};
use crate::consortium::identity::{unhex32, Keys};
use crate::error::{Error, Result};

pub const MAGIC: &[u8; 8] = b"RCBUNDL1";
const SIGNATURE: usize = 64;
const DOMAIN: &[u8] = b"rollcall-bundle-1\0";
/// The payload format this build writes and reads.
pub const FORMAT: u32 = 1;

/// What a bundle carries.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Payload {
    pub format: u32,
    pub bundle_uid: String,
    pub sender: Sender,
    /// Fingerprints of the partners it is addressed to.
    pub recipients: Vec<String>,
    /// When it was written, by the sender's clock (shown only; order comes from `sequence`).
    pub created_at: String,
    /// The sender's clock when it was written: every row in it has a version up to this.
    pub sequence: i64,
    /// Rows changed after this version are in it (0: everything, `--full`).
    pub since: i64,
    pub pseudonymous: bool,
    pub project: ProjectRow,
    pub organisations: Vec<OrganisationRow>,
    pub people: Vec<PersonRow>,
    pub consents: Vec<ConsentRow>,
    pub events: Vec<EventRow>,
    /// Uids of erased people (never a name).
    pub erasures: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Sender {
    pub site_uid: String,
    pub fingerprint: String,
    pub name: String,
    /// The uid of the organisation the sender speaks for, in the sender's database.
    pub organisation_uid: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProjectRow {
    pub uid: String,
    pub name: String,
    pub code: Option<String>,
    pub donor: Option<String>,
    pub start_date: Option<String>,
    pub end_date: Option<String>,
    pub status: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrganisationRow {
    pub uid: String,
    pub version: i64,
    pub name: String,
    pub short_name: Option<String>,
    pub country: Option<String>,
    pub kind: String,
}

/// A person. Pseudonymous bundles carry no name, email or alias: `uid` is then the person's code.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PersonRow {
    pub uid: String,
    pub version: i64,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    pub full_name: Option<String>,
    pub email: Option<String>,
    pub organisation_uid: Option<String>,
    pub country: Option<String>,
    pub gender: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConsentRow {
    pub uid: String,
    pub person_uid: String,
    pub purpose: String,
    pub given_on: String,
    pub method: Option<String>,
    pub withdrawn_on: Option<String>,
}

/// An event owned by the sender, with its whole attendance list (a receiver replaces the list).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventRow {
    pub uid: String,
    pub version: i64,
    pub title: String,
    pub kind: String,
    pub starts_at: String,
    pub timezone: String,
    pub duration_minutes: Option<i64>,
    pub platform: Option<String>,
    pub link: Option<String>,
    pub recording_link: Option<String>,
    pub language: Option<String>,
    pub organiser_uid: Option<String>,
    pub attendance: Vec<AttendanceRow>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AttendanceRow {
    pub uid: String,
    pub person_uid: String,
    pub role: String,
    pub status: String,
    pub minutes: Option<i64>,
    pub first_join: Option<String>,
    pub last_leave: Option<String>,
}

fn signed_message(ciphertext: &[u8]) -> Vec<u8> {
    let mut m = DOMAIN.to_vec();
    m.extend_from_slice(&Sha256::digest(ciphertext));
    m
}

/// Encrypts the payload to the recipients and signs the result.
pub(crate) fn seal(keys: &Keys, recipients: &[age::x25519::Recipient], plaintext: &[u8]) -> Result<Vec<u8>> {
    let encryptor = age::Encryptor::with_recipients(recipients.iter().map(|r| r as &dyn age::Recipient))
        .map_err(|e| Error::invalid("to", format!("cannot encrypt to these partners: {e}")))?;
    let mut ciphertext = Vec::with_capacity(plaintext.len() + 1024);
    let io = |e: std::io::Error| Error::io("bundle", e);
    let mut writer = encryptor.wrap_output(&mut ciphertext).map_err(io)?;
    writer.write_all(plaintext).map_err(io)?;
    writer.finish().map_err(io)?;
    let signature = keys.signing.sign(&signed_message(&ciphertext));
    let mut out = Vec::with_capacity(MAGIC.len() + SIGNATURE + ciphertext.len());
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&signature.to_bytes());
    out.extend_from_slice(&ciphertext);
    Ok(out)
}

fn refused(message: impl Into<String>) -> Error {
    Error::invalid("bundle", format!("{}; nothing was changed", message.into()))
}

/// Finds the trusted partner whose key signed the bundle, before anything is decrypted. Returns the
/// partner and the encrypted part.
pub(crate) fn verify<'b>(conn: &Connection, keys: &Keys, bytes: &'b [u8]) -> Result<(Contact, &'b [u8])> {
    if bytes.len() < MAGIC.len() + SIGNATURE || &bytes[..MAGIC.len()] != MAGIC {
        return Err(refused("this file is not a Rollcall bundle"));
    }
    let signature = Signature::from_bytes(bytes[MAGIC.len()..MAGIC.len() + SIGNATURE].try_into().expect("64 bytes"));
    let ciphertext = &bytes[MAGIC.len() + SIGNATURE..];
    let message = signed_message(ciphertext);
    if keys.signing.verifying_key().verify_strict(&message, &signature).is_ok() {
        return Err(refused("this bundle was written by this installation, not by a partner"));
    }
    for contact in contacts::list(conn, true)? {
        let Some(public) = unhex32(&contact.sign_public) else { continue };
        let Ok(key) = VerifyingKey::from_bytes(&public) else { continue };
        if key.verify_strict(&message, &signature).is_ok() {
            if let Some(removed) = &contact.removed_at {
                return Err(refused(format!(
                    "this bundle is signed by partner {} ({}), whose card was removed on {removed}",
                    contact.id, contact.fingerprint
                )));
            }
            return Ok((contact, ciphertext));
        }
    }
    Err(refused(
        "this bundle's signature matches none of your partners' cards: it was changed on the way, or it comes from an installation whose card you have not added",
    ))
}

/// Decrypts the encrypted part with this installation's key.
pub(crate) fn decrypt(keys: &Keys, ciphertext: &[u8]) -> Result<Vec<u8>> {
    let decryptor =
        age::Decryptor::new_buffered(ciphertext).map_err(|_| refused("the bundle's encrypted part is damaged"))?;
    let mut reader = match decryptor.decrypt(std::iter::once(&keys.age as &dyn age::Identity)) {
        Ok(r) => r,
        Err(age::DecryptError::NoMatchingKeys) => {
            return Err(refused("this bundle is addressed to other partners, not to this installation"))
        }
        Err(_) => return Err(refused("the bundle's encrypted part is damaged")),
    };
    let mut plain = Vec::new();
    reader.read_to_end(&mut plain).map_err(|_| refused("the bundle's encrypted part is damaged"))?;
    Ok(plain)
}
