//! Bundles: a project's changes, encrypted to chosen partners and signed, as one file that travels by
//! any channel (Signal, email, a USB stick, a synced folder). `export` writes one, `apply` verifies,
//! previews and applies one, `format` is the file and its payload.
//!
//! Ordering and ownership, in short (details in `export` and `apply`):
//! - Every change here is stamped with this site's clock (`site_clock`), which each export moves on; a
//!   receiver keeps the highest version it applied per site and row (`sync_versions`) and applies a row
//!   only if the bundle's version is higher. So applying a bundle twice, or an older one after a newer
//!   one, changes nothing. No wall clock is ever compared.
//! - A site sends only events it owns (those it recorded, not those that came in bundles), each with its
//!   whole attendance list, plus the people, organisations and consents they refer to. A receiver never
//!   changes another site's events except through that site's bundles.
//! - Erasure markers (uids only) are applied first and always win: an erased uid is never created again.

pub mod apply;
pub mod export;
pub mod format;

use std::path::Path;

use rusqlite::{Connection, Row};
use serde::{Deserialize, Serialize};

pub use apply::{apply, ApplyOptions, BundleApplied};
pub use export::{export, BundleExported, ExportOptions};
pub use format::Payload;

use crate::consortium::identity;
use crate::error::{Error, Result};

/// One bundle in the history: sent or applied.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BundleRecord {
    pub id: i64,
    pub uid: String,
    /// `sent` or `applied`.
    pub direction: String,
    /// The partner it came from (applied).
    pub contact_id: Option<i64>,
    /// The partners it went to (sent).
    pub recipients: Vec<i64>,
    /// The site that wrote it.
    pub site_uid: String,
    pub project_id: Option<i64>,
    /// The writer's clock at writing, and the version after which changes are in it (0: everything).
    pub sequence: i64,
    pub since: i64,
    pub pseudonymous: bool,
    pub file_name: String,
    pub file_sha256: String,
    pub events: i64,
    pub attendances: i64,
    pub people: i64,
    pub erasures: i64,
    /// When it was written (sent) or applied here.
    pub created_at: String,
}

fn from_row(r: &Row) -> rusqlite::Result<BundleRecord> {
    let recipients: String = r.get(4)?;
    Ok(BundleRecord {
        id: r.get(0)?,
        uid: r.get(1)?,
        direction: r.get(2)?,
        contact_id: r.get(3)?,
        recipients: serde_json::from_str(&recipients).unwrap_or_default(),
        site_uid: r.get(5)?,
        project_id: r.get(6)?,
        sequence: r.get(7)?,
        since: r.get(8)?,
        pseudonymous: r.get(9)?,
        file_name: r.get(10)?,
        file_sha256: r.get(11)?,
        events: r.get(12)?,
        attendances: r.get(13)?,
        people: r.get(14)?,
        erasures: r.get(15)?,
        created_at: r.get(16)?,
    })
}

/// The bundles sent and applied, newest first.
pub fn list(conn: &Connection) -> Result<Vec<BundleRecord>> {
    let mut stmt = conn.prepare(
        "SELECT id, uid, direction, contact_id, recipients, site_uid, project_id, sequence, since, pseudonymous,
                file_name, file_sha256, events, attendances, people, erasures, created_at
           FROM bundles ORDER BY id DESC",
    )?;
    let rows = stmt.query_map([], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Verifies and decrypts a bundle addressed to this installation and returns its payload, without
/// applying anything (for inspection and tests: it holds whatever the sender put in it).
pub fn read(conn: &Connection, path: &Path) -> Result<(crate::consortium::contacts::Contact, Payload)> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    let keys = identity::keys(conn)?;
    let (contact, ciphertext) = format::verify(conn, &keys, &bytes)?;
    let plain = format::decrypt(&keys, ciphertext)?;
    let payload: Payload = serde_json::from_slice(&plain)
        .map_err(|_| Error::invalid("bundle", "the bundle's content cannot be read; nothing was changed"))?;
    Ok((contact, payload))
}

pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    identity::hex(&sha2::Sha256::digest(bytes))
}

pub(crate) fn file_name(path: &Path) -> String {
    path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
}
