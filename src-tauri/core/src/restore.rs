//! Restoring a backup: verified first, converted to the database's encryption, and written into the
//! database under an exclusive lock after a safety copy, with the erasures made since applied again.
//! docs/safety.md ("There are backups, and they work") says what is promised.

use std::path::Path;

use chrono::Utc;
use rusqlite::Connection;
use serde::{Deserialize, Serialize};

use crate::db::{self, APPLICATION_ID};
use crate::error::{Error, Result, Rule};
use crate::files::{self, backups_dir, make_private, sidecar, Staged};
use crate::safety::backup::{backup_name, create_private_dir, db_name, info};
use crate::safety::{
    auto_backup, file_state, lock_exclusive, pragma_lines, quick_check, retire_old_file, BackupInfo, FileState,
    KEEP_BACKUPS,
};

/// What [`restore`] did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RestoreReport {
    /// The backup the database now holds.
    pub restored_from: String,
    /// The copy of the database as it was before the restore, in the backups folder (None when there
    /// was no database).
    pub safety_copy: Option<BackupInfo>,
    /// People erased after the backup was made who were in it, erased again (erasure is not undone
    /// by a restore).
    pub erasures_reapplied: usize,
    pub encrypted: bool,
}

/// Replaces the database at `db_path` with the backup at `backup_file`.
///
/// 1. An encrypted database needs its passphrase, checked before anything else happens; restoring
///    never changes whether the database is encrypted (a plain backup restored into an encrypted
///    database is encrypted with its passphrase on the way in). An encrypted backup needs the same
///    passphrase.
/// 2. The backup is copied beside the database and the copy is verified (integrity, a Rollcall database,
///    not newer than this version), then converted to the database's encryption when that differs.
/// 3. The database is locked exclusively; the restore is refused while any other program has it open.
///    Under the lock its current content is saved in the backups folder (kept out of the rotation), the
///    verified copy is written into it through SQLite's backup API (one transaction, the same file), the
///    schema is brought up to date and the people erased since the backup was made are erased again.
///    Nothing can be written by anyone between the safety copy and the restore.
/// 4. A database too damaged to open is copied raw into the backups folder and replaced by renaming.
pub fn restore(db_path: &Path, backup_file: &Path, passphrase: Option<&str>) -> Result<RestoreReport> {
    if files::same_file(db_path, backup_file) {
        return Err(Error::rule("backup", Rule::DatabaseFile, "this file is the database itself"));
    }
    let passphrase = passphrase.filter(|p| !p.is_empty());
    let live_state = file_state(db_path)?;
    let live_key = match live_state {
        FileState::Encrypted => {
            let p = passphrase.ok_or_else(|| Error::PassphraseRequired { path: db_path.display().to_string() })?;
            // Proof of the passphrase before anything is copied or replaced.
            drop(db::connect(db_path, true, Some(p))?);
            Some(p)
        }
        _ => None,
    };
    let backup_key = match file_state(backup_file)? {
        FileState::Missing => return Err(Error::not_found("backup", backup_file.display())),
        FileState::Plain => None,
        FileState::Encrypted => match passphrase {
            Some(p) => Some(p),
            None => return Err(Error::PassphraseRequired { path: backup_file.display().to_string() }),
        },
        FileState::Empty | FileState::NotADatabase => {
            return Err(Error::BadDatabase {
                path: backup_file.display().to_string(),
                message: "this file is not a Rollcall backup, or it is damaged".into(),
            })
        }
    };
    if let Some(dir) = db_path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    }
    let mut copy = Staged::internal(db_path, "restore", Some(db_path))?;
    {
        let mut from = std::fs::File::open(backup_file).map_err(|e| Error::io(backup_file, e))?;
        std::io::copy(&mut from, copy.file()).map_err(|e| Error::io(db_path, e))?;
    }
    verify_backup_file(copy.temp_path(), backup_file, backup_key)?;
    // The database keeps its encryption: a missing one takes the backup's.
    let result_key = if live_state == FileState::Missing { backup_key } else { live_key };
    let copy = if result_key != backup_key {
        let converted = Staged::internal(db_path, "restore-convert", Some(db_path))?;
        // A writable connection: the converted copy is attached to it and written through it.
        crate::safety::convert::export_copy(
            &db::connect(copy.temp_path(), false, backup_key)?,
            converted,
            result_key,
            None,
        )?
    } else {
        copy
    };

    let (safety_copy, erasures_reapplied) = match live_state {
        FileState::Missing => {
            copy.commit()?;
            (None, 0)
        }
        _ => match lock_exclusive(db_path, live_key) {
            Ok(live) if quick_check(&live).is_none() => restore_into(live, db_path, &copy, result_key)?,
            Ok(live) => restore_by_rename(db_path, copy, Some(live))?,
            // A file SQLite cannot open at all is replaced only when nobody has it open: a live log
            // beside it means some program is using it.
            Err(Error::BadDatabase { .. })
                if !sidecar(db_path, "-wal").exists() && !sidecar(db_path, "-shm").exists() =>
            {
                restore_by_rename(db_path, copy, None)?
            }
            Err(Error::BadDatabase { .. }) => return Err(in_use()),
            Err(e) => return Err(e),
        },
    };
    log::info!("database restored from a backup");
    if erasures_reapplied > 0 {
        log::info!("{erasures_reapplied} erasure(s) made after the backup applied again");
    }
    Ok(RestoreReport {
        restored_from: backup_file.display().to_string(),
        safety_copy,
        erasures_reapplied,
        encrypted: result_key.is_some(),
    })
}

/// The restore proper, under the exclusive lock of `live`: safety copy, backup API, migration, erasures.
fn restore_into(
    mut live: Connection,
    db_path: &Path,
    copy: &Staged,
    key: Option<&str>,
) -> Result<(Option<BackupInfo>, usize)> {
    let erased = erased_uids(&live);
    let saved = auto_backup(&live, db_path, "before-restore", KEEP_BACKUPS)?;
    {
        let source = db::connect(copy.temp_path(), true, key)?;
        let backup = rusqlite::backup::Backup::new(&source, &mut live)?;
        backup.run_to_completion(1024, std::time::Duration::ZERO, None)?;
    }
    db::configure(&live)?;
    crate::open::migrate(&mut live)?;
    let reapplied = if erased.is_empty() { 0 } else { crate::privacy::erase_uids(&mut live, &erased)? };
    db::checkpoint(&live)?;
    drop(live);
    Ok((Some(saved), reapplied))
}

/// A database too damaged to write through SQLite: its files are copied raw into the backups folder and
/// the verified copy is renamed over it. When the damaged file could still be locked, the lock is held
/// until the old file is made unreadable, so no program can write into it afterwards.
fn restore_by_rename(db_path: &Path, copy: Staged, lock: Option<Connection>) -> Result<(Option<BackupInfo>, usize)> {
    let saved = raw_copy(db_path)?;
    let old = std::fs::OpenOptions::new().read(true).write(true).open(db_path).map_err(|e| Error::io(db_path, e))?;
    files::remove_if_exists(&sidecar(db_path, "-shm"))?;
    copy.commit()?;
    if lock.is_some() {
        retire_old_file(&old);
    }
    drop(old);
    drop(lock);
    files::remove_if_exists(&sidecar(db_path, "-wal"))?;
    Ok((Some(saved), 0))
}

fn in_use() -> Error {
    Error::conflict(
        "the database is in use by another program (is Rollcall open, or a command running?); close it and try again",
    )
}

/// Opens the copy of a backup read-only and checks that it is a whole Rollcall database this version
/// can open.
fn verify_backup_file(copy: &Path, shown: &Path, key: Option<&str>) -> Result<()> {
    let bad = |message: String| Error::BadDatabase { path: shown.display().to_string(), message };
    let conn = db::connect(copy, true, key).map_err(|e| match e {
        Error::BadDatabase { message, .. } => bad(message),
        Error::WrongPassphrase { .. } => Error::WrongPassphrase { path: shown.display().to_string() },
        other => other,
    })?;
    let lines = pragma_lines(&conn, "integrity_check(10)").map_err(|e| bad(format!("the backup is damaged ({e})")))?;
    if lines != ["ok"] {
        return Err(bad(format!("the backup is damaged ({})", lines.first().map(String::as_str).unwrap_or(""))));
    }
    let app_id: i64 = conn.query_row("PRAGMA application_id", [], |r| r.get(0))?;
    if app_id != APPLICATION_ID {
        return Err(bad("this file is not a Rollcall database".into()));
    }
    let version = db::schema_version(&conn)?;
    if version > db::latest_version() {
        return Err(Error::NewerDatabase { found: version, supported: db::latest_version() });
    }
    Ok(())
}

fn erased_uids(conn: &Connection) -> Vec<String> {
    let read = || -> rusqlite::Result<Vec<String>> {
        let mut stmt = conn.prepare("SELECT uid FROM erasures")?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        rows.collect()
    };
    read().unwrap_or_default()
}

/// Copies the files of a database that cannot be opened (it is closed, so copying is safe) into the
/// backups folder: the database and its write-ahead log, so the copy holds everything that was saved.
fn raw_copy(db_path: &Path) -> Result<BackupInfo> {
    let dir = backups_dir(db_path);
    create_private_dir(&dir)?;
    let now = Utc::now();
    let dest = dir.join(backup_name(&db_name(db_path), now, "before-restore-damaged"));
    let mut staged = Staged::internal(&dest, "copy", Some(db_path))?;
    let mut from = std::fs::File::open(db_path).map_err(|e| Error::io(db_path, e))?;
    std::io::copy(&mut from, staged.file()).map_err(|e| Error::io(&dest, e))?;
    let wal = sidecar(db_path, "-wal");
    if std::fs::metadata(&wal).map(|m| m.len() > 0).unwrap_or(false) {
        let wal_copy = sidecar(&dest, "-wal");
        std::fs::copy(&wal, &wal_copy).map_err(|e| Error::io(&wal, e))?;
        make_private(&wal_copy);
    }
    staged.commit()?;
    log::info!("raw copy of the database saved before the restore");
    info(&dest, now, "before-restore-damaged")
}
