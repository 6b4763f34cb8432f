//! Encryption at rest with SQLCipher: turning a plain database into an encrypted one and back, and
//! changing the passphrase. The passphrase is chosen by the user and never stored: losing it loses the
//! data, which is the point when a laptop is seized.
//!
//! Encrypting and decrypting write a converted copy (`sqlcipher_export`) under a temporary name, verify
//! it (integrity check, the same row count in every table), then rename it over the database in one
//! step, so an interruption leaves the old file whole. The backups in the backups folder are converted
//! the same way, so no plain copy stays behind beside an encrypted database.

use std::path::Path;

use rusqlite::{params, Connection};
use serde::{Deserialize, Serialize};

use super::{
    checkpoint, close_alone, file_state, list_backups, remove_if_exists, replace, sidecar, table_counts, temp_beside,
    FileState, TempFile,
};
use crate::db::{self, OpenOptions};
use crate::error::{Error, Result};

/// The shortest passphrase accepted when one is set.
pub const MIN_PASSPHRASE_CHARS: usize = 8;

/// What [`encrypt`], [`decrypt`] or [`change_passphrase`] did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CryptoReport {
    pub database: String,
    /// Whether the database is encrypted now.
    pub encrypted: bool,
    /// Backups in the backups folder converted (or re-keyed) too.
    pub backups_converted: usize,
    /// Backups that could not be converted (another passphrase, damaged), by file name; they are left
    /// as they were.
    pub backups_skipped: Vec<String>,
}

/// Refuses passphrases that are too short to protect anything, or that hold a NUL (which would cut the
/// key short).
pub fn check_passphrase(passphrase: &str) -> Result<()> {
    if passphrase.chars().count() < MIN_PASSPHRASE_CHARS || passphrase.trim().is_empty() {
        return Err(Error::invalid(
            "passphrase",
            format!("the passphrase must have at least {MIN_PASSPHRASE_CHARS} characters"),
        ));
    }
    if passphrase.contains('\0') {
        return Err(Error::invalid("passphrase", "the passphrase must not contain a NUL character"));
    }
    Ok(())
}

fn options(passphrase: Option<&str>) -> OpenOptions {
    OpenOptions { passphrase: passphrase.map(String::from), daily_backup: false, ..OpenOptions::default() }
}

/// Encrypts the plain database at `db_path` (and its automatic backups) with `passphrase`. The
/// database must not be open elsewhere (close the desktop app before running this from the CLI).
pub fn encrypt(db_path: &Path, passphrase: &str) -> Result<CryptoReport> {
    check_passphrase(passphrase)?;
    expect_state(db_path, FileState::Plain, "the database is already encrypted; change its passphrase instead")?;
    let conn = db::open_with(db_path, &options(None))?;
    convert(conn, db_path, Some(passphrase))?;
    log::info!("database encrypted");
    let (converted, skipped) = convert_backups(db_path, |path, state| match state {
        FileState::Plain => convert(db::connect(path, false, None)?, path, Some(passphrase)).map(|_| true),
        _ => Ok(false),
    });
    Ok(CryptoReport {
        database: db_path.display().to_string(),
        encrypted: true,
        backups_converted: converted,
        backups_skipped: skipped,
    })
}

/// Decrypts the encrypted database at `db_path` (and its automatic backups) with its `passphrase`. A
/// wrong passphrase fails with `Error::WrongPassphrase` and changes nothing.
pub fn decrypt(db_path: &Path, passphrase: &str) -> Result<CryptoReport> {
    expect_state(db_path, FileState::Encrypted, "the database is not encrypted")?;
    let conn = db::open_with(db_path, &options(Some(passphrase)))?;
    convert(conn, db_path, None)?;
    log::info!("database decrypted");
    let (converted, skipped) = convert_backups(db_path, |path, state| match state {
        FileState::Encrypted => convert(db::connect(path, false, Some(passphrase))?, path, None).map(|_| true),
        _ => Ok(false),
    });
    Ok(CryptoReport {
        database: db_path.display().to_string(),
        encrypted: false,
        backups_converted: converted,
        backups_skipped: skipped,
    })
}

/// Changes the passphrase of the encrypted database at `db_path` (and of its automatic backups) with
/// `PRAGMA rekey`, which rewrites every page in one transaction.
pub fn change_passphrase(db_path: &Path, old: &str, new: &str) -> Result<CryptoReport> {
    check_passphrase(new)?;
    expect_state(db_path, FileState::Encrypted, "the database is not encrypted; encrypt it instead")?;
    // Opening first brings the schema up to date and refuses a damaged database.
    drop(db::open_with(db_path, &options(Some(old)))?);
    rekey(db_path, old, new)?;
    log::info!("database passphrase changed");
    let (converted, skipped) = convert_backups(db_path, |path, state| match state {
        FileState::Encrypted => rekey(path, old, new).map(|_| true),
        _ => Ok(false),
    });
    Ok(CryptoReport {
        database: db_path.display().to_string(),
        encrypted: true,
        backups_converted: converted,
        backups_skipped: skipped,
    })
}

fn expect_state(db_path: &Path, want: FileState, otherwise: &str) -> Result<()> {
    match file_state(db_path)? {
        s if s == want => Ok(()),
        FileState::Missing => Err(Error::not_found("database", db_path.display())),
        FileState::Plain | FileState::Encrypted => Err(Error::conflict(otherwise)),
        FileState::Empty | FileState::NotADatabase => Err(Error::BadDatabase {
            path: db_path.display().to_string(),
            message: "this file is not a Rollcall database, or it is damaged".into(),
        }),
    }
}

/// Re-encrypts the file at `path` with `new`, after making sure nobody else has it open (they would be
/// left reading pages they cannot decrypt).
fn rekey(path: &Path, old: &str, new: &str) -> Result<()> {
    close_alone(db::connect(path, false, Some(old))?, path)?;
    let conn = db::connect(path, false, Some(old))?;
    conn.pragma_update(None, "rekey", new)?;
    drop(conn);
    // Proof that the new passphrase opens it.
    db::connect(path, true, Some(new))?;
    Ok(())
}

/// Writes the database of `conn` as a new file encrypted with `to_key` (plain when None), verifies the
/// copy against the original, and renames it over `path`.
fn convert(conn: Connection, path: &Path, to_key: Option<&str>) -> Result<()> {
    checkpoint(&conn)?;
    let temp = TempFile(temp_beside(path, "convert"));
    let temp_str = temp.0.to_str().ok_or_else(|| Error::invalid("path", "the database path must be valid Unicode"))?;
    conn.execute("ATTACH DATABASE ?1 AS rollcall_export KEY ?2", params![temp_str, to_key.unwrap_or("")])?;
    let exported = (|| -> Result<()> {
        conn.query_row("SELECT sqlcipher_export('rollcall_export')", [], |_| Ok(()))?;
        // sqlcipher_export copies the schema and rows, not the header fields Rollcall relies on.
        let version: i64 = conn.query_row("PRAGMA main.user_version", [], |r| r.get(0))?;
        let app_id: i64 = conn.query_row("PRAGMA main.application_id", [], |r| r.get(0))?;
        conn.execute_batch(&format!(
            "PRAGMA rollcall_export.user_version = {version}; PRAGMA rollcall_export.application_id = {app_id};"
        ))?;
        Ok(())
    })();
    conn.execute_batch("DETACH DATABASE rollcall_export")?;
    exported?;
    verify_copy(&conn, &temp.0, to_key)?;
    close_alone(conn, path)?;
    // Closed alone: the log is gone, and a stale one must never be applied to the new file.
    remove_if_exists(&sidecar(path, "-wal"))?;
    remove_if_exists(&sidecar(path, "-shm"))?;
    super::backup::make_private(&temp.0);
    replace(&temp.0, path)?;
    temp.keep();
    Ok(())
}

/// The converted copy must pass the integrity check and hold as many rows in every table as the original.
fn verify_copy(original: &Connection, copy: &Path, key: Option<&str>) -> Result<()> {
    let conn = db::connect(copy, true, key)?;
    let lines = super::pragma_lines(&conn, "integrity_check(10)")?;
    let bad = |what: &str| Error::BadDatabase {
        path: copy.display().to_string(),
        message: format!("the converted copy {what}; the database was left as it was"),
    };
    if lines != ["ok"] {
        return Err(bad("failed its check"));
    }
    if table_counts(&conn, "main")? != table_counts(original, "main")? {
        return Err(bad("does not hold the same rows"));
    }
    Ok(())
}

/// Applies `f` to each automatic backup; returns how many it converted and the names of those it failed on.
fn convert_backups(db_path: &Path, f: impl Fn(&Path, FileState) -> Result<bool>) -> (usize, Vec<String>) {
    let mut converted = 0;
    let mut skipped = Vec::new();
    for b in list_backups(db_path).unwrap_or_default() {
        let path = Path::new(&b.path);
        match file_state(path).and_then(|state| f(path, state)) {
            Ok(true) => converted += 1,
            Ok(false) => {}
            Err(e) => {
                log::warn!("a backup could not be converted: {e}");
                skipped.push(b.file_name.clone());
            }
        }
    }
    (converted, skipped)
}
