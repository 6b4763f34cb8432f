//! Encryption at rest with SQLCipher: turning a plain database into an encrypted one and back, and
//! changing the passphrase. The passphrase is chosen by the user and never stored: losing it loses the
//! data, which is the point when a laptop is seized.
//!
//! Encrypting and decrypting write a converted copy (`sqlcipher_export`) under a temporary name, verify
//! it (integrity check, the same row count in every table), then rename it over the database in one
//! step, so an interruption leaves the old file whole. The backups in the backups folder are converted
//! the same way, so no plain copy stays behind beside an encrypted database.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::db::{self, checkpoint};
use crate::error::{Error, Result};
use crate::files::{remove_if_exists, sidecar, Staged};
use crate::open::{self, OpenOptions};
use crate::progress::Progress;
use crate::safety::convert::{convert_file, export_copy, finish_backups, finish_backups_with, rekey_file, Watch};
use crate::safety::{file_state, list_backups, lock_exclusive, retire_old_file, FileState};

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

/// Encrypts the plain database at `db_path` (and its automatic backups) with `passphrase`. The
/// database must not be open elsewhere (close the desktop app before running this from the CLI).
///
/// The job is resumable: when the database is already encrypted with this passphrase (an earlier run was
/// interrupted after converting it), `encrypt` converts the backups still left plain and succeeds.
pub fn encrypt(db_path: &Path, passphrase: &str) -> Result<CryptoReport> {
    encrypt_with(db_path, passphrase, &Progress::none())
}

/// [`encrypt`], telling `progress` how many bytes of the database and its backups are converted.
pub fn encrypt_with(db_path: &Path, passphrase: &str, progress: &Progress) -> Result<CryptoReport> {
    check_passphrase(passphrase)?;
    let mut tally = Tally::new(db_path, progress);
    match expect_state(db_path)? {
        FileState::Plain => {
            // Opening first brings the schema up to date and refuses a damaged database.
            drop(open::open_with(db_path, &options(None))?);
            convert(db_path, None, Some(passphrase), &tally)?;
            log::info!("database encrypted");
        }
        _ => {
            // Already encrypted: only a resumed job with the right passphrase goes on.
            drop(db::connect(db_path, true, Some(passphrase)).map_err(|e| match e {
                Error::WrongPassphrase { .. } => {
                    Error::conflict("the database is already encrypted; change its passphrase instead")
                }
                other => other,
            })?);
        }
    }
    tally.database_done();
    let (converted, skipped) = finish_backups(db_path, Some(passphrase), |bytes| tally.add(bytes));
    Ok(CryptoReport {
        database: db_path.display().to_string(),
        encrypted: true,
        backups_converted: converted,
        backups_skipped: skipped,
    })
}

/// Decrypts the encrypted database at `db_path` (and its automatic backups) with its `passphrase`. A
/// wrong passphrase fails with `Error::WrongPassphrase` and changes nothing. Resumable like [`encrypt`].
pub fn decrypt(db_path: &Path, passphrase: &str) -> Result<CryptoReport> {
    decrypt_with(db_path, passphrase, &Progress::none())
}

/// [`decrypt`], telling `progress` how many bytes of the database and its backups are converted.
pub fn decrypt_with(db_path: &Path, passphrase: &str, progress: &Progress) -> Result<CryptoReport> {
    let mut tally = Tally::new(db_path, progress);
    match expect_state(db_path)? {
        FileState::Encrypted => {
            drop(open::open_with(db_path, &options(Some(passphrase)))?);
            convert(db_path, Some(passphrase), None, &tally)?;
            log::info!("database decrypted");
        }
        _ => {
            let pending = list_backups(db_path).unwrap_or_default().iter().any(|b| b.encrypted);
            if !pending {
                return Err(Error::conflict("the database is not encrypted"));
            }
        }
    }
    tally.database_done();
    let (converted, skipped) = finish_backups_with(
        db_path,
        |bytes| tally.add(bytes),
        |path, state| match state {
            FileState::Encrypted => convert_file(db_path, path, Some(passphrase), None).map(|_| true),
            _ => Ok(false),
        },
    );
    Ok(CryptoReport {
        database: db_path.display().to_string(),
        encrypted: false,
        backups_converted: converted,
        backups_skipped: skipped,
    })
}

/// Changes the passphrase of the encrypted database at `db_path` (and of its automatic backups) with
/// `PRAGMA rekey`, which rewrites every page in one transaction, under an exclusive lock.
pub fn change_passphrase(db_path: &Path, old: &str, new: &str) -> Result<CryptoReport> {
    change_passphrase_with(db_path, old, new, &Progress::none())
}

/// [`change_passphrase`], telling `progress` how many bytes of the database and its backups are re-keyed
/// (the database's own re-key is one step: none of it, then all of it).
pub fn change_passphrase_with(db_path: &Path, old: &str, new: &str, progress: &Progress) -> Result<CryptoReport> {
    check_passphrase(new)?;
    let mut tally = Tally::new(db_path, progress);
    if expect_state(db_path)? != FileState::Encrypted {
        return Err(Error::conflict("the database is not encrypted; encrypt it instead"));
    }
    // Opening first brings the schema up to date and refuses a damaged database.
    drop(open::open_with(db_path, &options(Some(old)))?);
    let conn = lock_exclusive(db_path, Some(old))?;
    checkpoint(&conn)?;
    conn.pragma_update(None, "rekey", db::normal_key(new))?;
    drop(conn);
    // Proof that the new passphrase opens it.
    db::connect(db_path, true, Some(new))?;
    log::info!("database passphrase changed");
    tally.database_done();
    let (converted, skipped) = finish_backups_with(
        db_path,
        |bytes| tally.add(bytes),
        |path, state| match state {
            FileState::Encrypted => rekey_file(path, old, new).map(|_| true),
            _ => Ok(false),
        },
    );
    Ok(CryptoReport {
        database: db_path.display().to_string(),
        encrypted: true,
        backups_converted: converted,
        backups_skipped: skipped,
    })
}

fn options(passphrase: Option<&str>) -> OpenOptions {
    OpenOptions { passphrase: passphrase.map(String::from), daily_backup: false, ..OpenOptions::default() }
}

/// The state of the database file; a missing, empty or foreign file is an error.
fn expect_state(db_path: &Path) -> Result<FileState> {
    match file_state(db_path)? {
        FileState::Missing => Err(Error::not_found("database", db_path.display())),
        s @ (FileState::Plain | FileState::Encrypted) => Ok(s),
        FileState::Empty | FileState::NotADatabase => Err(Error::BadDatabase {
            path: db_path.display().to_string(),
            message: "this file is not a Rollcall database, or it is damaged".into(),
        }),
    }
}

/// Converts the live database at `path` from `from_key` to `to_key` (None: plain) under an exclusive
/// lock: the converted copy is written and verified beside it, renamed over it, and the old file is made
/// unreadable before the lock is released, so nobody can write into it unnoticed.
fn convert(path: &Path, from_key: Option<&str>, to_key: Option<&str>, tally: &Tally) -> Result<()> {
    let conn = lock_exclusive(path, from_key)?;
    checkpoint(&conn)?;
    let staged = export_copy(&conn, Staged::internal(path, "convert", Some(path))?, to_key, Some(tally.watch()))?;
    let old = std::fs::OpenOptions::new().read(true).write(true).open(path).map_err(|e| Error::io(path, e))?;
    // The log was emptied by the checkpoint; a stale one must never be applied to the new file.
    remove_if_exists(&sidecar(path, "-shm"))?;
    staged.commit()?;
    retire_old_file(&old);
    drop(old);
    drop(conn);
    remove_if_exists(&sidecar(path, "-wal"))?;
    Ok(())
}

/// The progress of a conversion in bytes: the database file first, then each backup in the backups
/// folder, out of all their sizes when the work started.
struct Tally<'a> {
    progress: &'a Progress<'a>,
    database: u64,
    done: u64,
    total: u64,
}

impl<'a> Tally<'a> {
    fn new(db_path: &Path, progress: &'a Progress<'a>) -> Self {
        let database = std::fs::metadata(db_path).map(|m| m.len()).unwrap_or(0);
        let backups: u64 = list_backups(db_path).unwrap_or_default().iter().map(|b| b.bytes).sum();
        let tally = Tally { progress, database, done: 0, total: database + backups };
        progress.report(0, tally.total);
        tally
    }

    /// The database's converted copy, watched as it grows (see `export_copy`).
    fn watch(&self) -> Watch<'_> {
        Watch { progress: self.progress, total: self.total }
    }

    fn database_done(&mut self) {
        self.add(self.database);
    }

    fn add(&mut self, bytes: u64) {
        self.done = (self.done + bytes).min(self.total);
        self.progress.report(self.done, self.total);
    }
}
