//! Backups: verified copies of the database made by SQLite itself (`VACUUM INTO`, a consistent snapshot
//! even while the database is in use, never a copy of the live file), automatic ones in a `backups`
//! folder beside the database, and restoring one.
//!
//! Every backup is written under a temporary name, checked with `integrity_check`, then renamed into
//! place, so a crash, a kill or a full disk never leaves a half-written file under a backup's name. An
//! encrypted database gives encrypted backups with the same passphrase (SQLCipher copies the key).

use std::path::Path;
use std::time::SystemTime;

use chrono::{DateTime, Local, NaiveDateTime, Utc};
use rusqlite::Connection;
use serde::{Deserialize, Serialize};

use super::{file_state, FileState};
use crate::db::{self, APPLICATION_ID};
use crate::error::{Error, Result};
use crate::files::{self, backups_dir, make_private, sidecar, Staged};

/// One backup file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BackupInfo {
    pub path: String,
    pub file_name: String,
    /// When it was made, UTC, RFC 3339 (from the file name for automatic backups).
    pub created_at: String,
    /// `daily`, `before-vN` (before a migration to schema version N), `before-restore`,
    /// `before-restore-damaged` (a raw copy of a database too damaged to back up normally), `manual`.
    pub kind: String,
    pub bytes: u64,
    pub encrypted: bool,
}

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

/// The database's whole file name: backup names start with it, so databases that share a folder (and a
/// file stem: `rollcall.sqlite3` and `rollcall.old`) never see, rotate or re-key each other's backups.
fn db_name(db_path: &Path) -> String {
    db_path.file_name().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "rollcall".into())
}

const STAMP: &str = "%Y-%m-%d-%H%M%SZ";
/// Length of a formatted STAMP.
const STAMP_LEN: usize = 18;

/// `<database file name>.<YYYY-MM-DD-HHMMSS>Z-<kind>.sqlite3`.
fn backup_name(db_name: &str, at: DateTime<Utc>, kind: &str) -> String {
    format!("{db_name}.{}-{kind}.sqlite3", at.format(STAMP))
}

/// Reads a backup's file name for the database named `db_name`. Names of earlier versions
/// (`<stem>-<stamp>-<kind>.sqlite3`) are still read for a database whose name is `<stem>.sqlite3`, the
/// only name they could have come from unambiguously.
fn parse_name(db_name: &str, file_name: &str) -> Option<(DateTime<Utc>, String)> {
    let rest = match file_name.strip_prefix(db_name).and_then(|r| r.strip_prefix('.')) {
        Some(rest) => rest,
        None => {
            let stem = db_name.strip_suffix(".sqlite3")?;
            file_name.strip_prefix(stem)?.strip_prefix('-')?
        }
    };
    let rest = rest.strip_suffix(".sqlite3")?;
    let stamp = rest.get(..STAMP_LEN)?;
    let at = NaiveDateTime::parse_from_str(stamp, STAMP).ok()?.and_utc();
    let kind = rest[STAMP_LEN..].strip_prefix('-')?;
    let valid = !kind.is_empty() && kind.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    valid.then(|| (at, base_kind(kind).to_string()))
}

/// Copies of the database as it was just before a restore: kept out of the rotation until the user
/// deletes them, since they may be the only copy of data that the restore replaced.
fn kept_out_of_rotation(kind: &str) -> bool {
    matches!(kind, "before-restore" | "before-restore-damaged")
}

/// Whether `kind` is one of the kinds listed in [`BackupInfo::kind`].
fn known_kind(kind: &str) -> bool {
    matches!(kind, "daily" | "manual" | "before-restore" | "before-restore-damaged")
        || kind.strip_prefix("before-v").is_some_and(|v| !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()))
}

/// The kind of a backup from the kind part of its file name: a second backup of the same kind within
/// the same second is named `<kind>-2` (and so on, see `auto_backup`), but its kind is still `<kind>`.
fn base_kind(name_kind: &str) -> &str {
    if known_kind(name_kind) {
        return name_kind;
    }
    match name_kind.rsplit_once('-') {
        Some((kind, n)) if !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) && known_kind(kind) => kind,
        _ => name_kind,
    }
}

fn info(path: &Path, created_at: DateTime<Utc>, kind: &str) -> Result<BackupInfo> {
    let bytes = std::fs::metadata(path).map_err(|e| Error::io(path, e))?.len();
    Ok(BackupInfo {
        path: path.display().to_string(),
        file_name: path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
        created_at: created_at.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
        kind: kind.to_string(),
        bytes,
        encrypted: file_state(path)? == FileState::Encrypted,
    })
}

/// The backups of the database at `db_path` in its backups folder, newest first.
pub fn list_backups(db_path: &Path) -> Result<Vec<BackupInfo>> {
    let dir = backups_dir(db_path);
    let entries = match std::fs::read_dir(&dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(Error::io(&dir, e)),
    };
    let db_name = db_name(db_path);
    let mut found = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| Error::io(&dir, e))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if let Some((at, kind)) = parse_name(&db_name, &name) {
            // Names have one-second precision; the time of writing orders backups made within a second.
            let written = entry.metadata().and_then(|m| m.modified()).unwrap_or(SystemTime::UNIX_EPOCH);
            found.push((at, written, kind, entry.path()));
        }
    }
    found.sort_by_key(|b| std::cmp::Reverse((b.0, b.1)));
    found.into_iter().map(|(at, _, kind, path)| info(&path, at, &kind)).collect()
}

/// Writes a verified backup of the open database to `out` (any path; an existing file there is
/// replaced only once the new backup is complete and verified). Not inside a transaction.
pub fn backup(conn: &Connection, out: &Path) -> Result<BackupInfo> {
    if let Some(dir) = out.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    }
    write_verified(conn, out, "out")?;
    log::info!("backup written on demand");
    info(out, Utc::now(), "manual")
}

/// `VACUUM INTO` a private temporary file beside `dest`, verify it, rename it to `dest`. `dest` is
/// checked first: it may not be the database or one of its files (`field` names the input for the
/// error). Backups in the backups folder are written with `Staged::internal`, which skips that check.
fn write_verified(conn: &Connection, dest: &Path, field: &str) -> Result<()> {
    let db = db::file_of(conn);
    let staged = Staged::create(dest, "backup", db.as_deref(), field)?;
    fill_verified(conn, staged)
}

fn fill_verified(conn: &Connection, mut staged: Staged) -> Result<()> {
    let dest = staged.dest().to_path_buf();
    conn.execute("VACUUM INTO ?1", [staged.path_for_sqlite()?]).map_err(|e| match Error::from(e) {
        // The write that failed is the backup's, not the database's.
        Error::Io { source, .. } => Error::Io { path: dest.display().to_string(), source },
        other => other,
    })?;
    verify_attached(conn, staged.temp_path())?;
    staged.commit()
}

/// Checks a copy through the database's own connection: ATTACH without a key uses the main database's
/// key, so an encrypted backup is verified without asking for the passphrase again.
fn verify_attached(conn: &Connection, file: &Path) -> Result<()> {
    let file_str = file.to_str().ok_or_else(|| Error::invalid("out", "the backup path must be valid Unicode"))?;
    conn.execute("ATTACH DATABASE ?1 AS rollcall_verify", [file_str])?;
    let result = (|| -> Result<()> {
        let lines: Vec<String> = {
            let mut stmt = conn.prepare("PRAGMA rollcall_verify.integrity_check(10)")?;
            let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        if lines != ["ok"] {
            return Err(Error::BadDatabase {
                path: file.display().to_string(),
                message: format!("the backup failed its check ({})", lines.first().map(String::as_str).unwrap_or("")),
            });
        }
        Ok(())
    })();
    conn.execute_batch("DETACH DATABASE rollcall_verify")?;
    result
}

/// Makes an automatic backup of kind `kind` in the backups folder and keeps the newest `keep` of them.
pub(crate) fn auto_backup(conn: &Connection, db_path: &Path, kind: &str, keep: usize) -> Result<BackupInfo> {
    let dir = backups_dir(db_path);
    create_private_dir(&dir)?;
    let name = db_name(db_path);
    let now = Utc::now();
    let mut dest = dir.join(backup_name(&name, now, kind));
    let mut n = 2;
    while dest.exists() {
        dest = dir.join(backup_name(&name, now, &format!("{kind}-{n}")));
        n += 1;
    }
    fill_verified(conn, Staged::internal(&dest, "backup", Some(db_path))?)?;
    log::info!("backup written in the backups folder ({kind})");
    let written = info(&dest, now, kind)?;
    prune(db_path, keep);
    Ok(written)
}

/// Makes a backup of kind `manual` in the backups folder now (the "Back up now" button), verified,
/// and keeps the newest [`KEEP_BACKUPS`](super::KEEP_BACKUPS) there.
pub fn backup_now(conn: &Connection, db_path: &Path) -> Result<BackupInfo> {
    auto_backup(conn, db_path, "manual", super::KEEP_BACKUPS)
}

/// Makes the day's backup unless one (of any kind) was made today, local time. Called at open.
pub fn daily_backup(conn: &Connection, db_path: &Path, keep: usize) -> Result<Option<BackupInfo>> {
    if !daily_backup_due(db_path) {
        return Ok(None);
    }
    auto_backup(conn, db_path, "daily", keep).map(Some)
}

/// Whether no backup (of any kind) was made today, local time: the first open of the day.
pub fn daily_backup_due(db_path: &Path) -> bool {
    let today = Local::now().date_naive();
    let Ok(backups) = list_backups(db_path) else { return true };
    !backups.iter().any(|b| {
        DateTime::parse_from_rfc3339(&b.created_at)
            .map(|t| t.with_timezone(&Local).date_naive() == today)
            .unwrap_or(false)
    })
}

fn create_private_dir(dir: &Path) -> Result<()> {
    if dir.is_dir() {
        return Ok(());
    }
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700));
    }
    Ok(())
}

/// Deletes all but the newest `keep` backups (at least one is always kept). Copies made before a
/// restore are not counted and never deleted here.
fn prune(db_path: &Path, keep: usize) {
    let Ok(all) = list_backups(db_path) else { return };
    for old in all.iter().filter(|b| !kept_out_of_rotation(&b.kind)).skip(keep.max(1)) {
        // A raw copy may have its write-ahead log beside it.
        let _ = std::fs::remove_file(sidecar(Path::new(&old.path), "-wal"));
        match std::fs::remove_file(&old.path) {
            Ok(()) => log::info!("old backup deleted ({})", old.kind),
            Err(e) => log::warn!("could not delete an old backup: {e}"),
        }
    }
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
        return Err(Error::invalid("backup", "this file is the database itself"));
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
        super::crypto::export_copy(&db::connect(copy.temp_path(), false, backup_key)?, converted, result_key)?
    } else {
        copy
    };

    let (safety_copy, erasures_reapplied) = match live_state {
        FileState::Missing => {
            copy.commit()?;
            (None, 0)
        }
        _ => match super::lock_exclusive(db_path, live_key) {
            Ok(live) if super::quick_check(&live).is_none() => restore_into(live, db_path, &copy, result_key)?,
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
    let saved = auto_backup(&live, db_path, "before-restore", super::KEEP_BACKUPS)?;
    {
        let source = db::connect(copy.temp_path(), true, key)?;
        let backup = rusqlite::backup::Backup::new(&source, &mut live)?;
        backup.run_to_completion(1024, std::time::Duration::ZERO, None)?;
    }
    db::configure(&live)?;
    db::migrate(&mut live)?;
    let reapplied = if erased.is_empty() { 0 } else { crate::privacy::erase_uids(&mut live, &erased)? };
    super::checkpoint(&live)?;
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
        super::retire_old_file(&old);
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
    let lines =
        super::pragma_lines(&conn, "integrity_check(10)").map_err(|e| bad(format!("the backup is damaged ({e})")))?;
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
