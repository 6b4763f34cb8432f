//! Backups: verified copies of the database made by SQLite itself (`VACUUM INTO`, a consistent snapshot
//! even while the database is in use, never a copy of the live file), automatic ones in a `backups`
//! folder beside the database, and restoring one.
//!
//! Every backup is written under a temporary name, checked with `integrity_check`, then renamed into
//! place, so a crash, a kill or a full disk never leaves a half-written file under a backup's name. An
//! encrypted database gives encrypted backups with the same passphrase (SQLCipher copies the key).

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use chrono::{DateTime, Local, NaiveDateTime, Utc};
use rusqlite::Connection;
use serde::{Deserialize, Serialize};

use super::{file_state, remove_if_exists, replace, sidecar, temp_beside, FileState, TempFile};
use crate::db::{self, OpenOptions, APPLICATION_ID};
use crate::error::{Error, Result};

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

/// The folder of automatic backups: `backups` beside the database file.
pub fn backups_dir(db_path: &Path) -> PathBuf {
    db_path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new(".")).join("backups")
}

/// The database's file name without extension; backup names start with it, so databases sharing a
/// folder keep their backups apart.
fn stem(db_path: &Path) -> String {
    db_path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "rollcall".into())
}

const STAMP: &str = "%Y-%m-%d-%H%M%SZ";
/// Length of a formatted STAMP.
const STAMP_LEN: usize = 18;

fn backup_name(stem: &str, at: DateTime<Utc>, kind: &str) -> String {
    format!("{stem}-{}-{kind}.sqlite3", at.format(STAMP))
}

/// Reads `<stem>-<YYYY-MM-DD-HHMMSS>Z-<kind>.sqlite3`.
fn parse_name(stem: &str, file_name: &str) -> Option<(DateTime<Utc>, String)> {
    let rest = file_name.strip_prefix(stem)?.strip_prefix('-')?.strip_suffix(".sqlite3")?;
    let stamp = rest.get(..STAMP_LEN)?;
    let at = NaiveDateTime::parse_from_str(stamp, STAMP).ok()?.and_utc();
    let kind = rest[STAMP_LEN..].strip_prefix('-')?;
    let valid = !kind.is_empty() && kind.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    valid.then(|| (at, base_kind(kind).to_string()))
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
    let stem = stem(db_path);
    let mut found = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| Error::io(&dir, e))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if let Some((at, kind)) = parse_name(&stem, &name) {
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
    if let Some(db_path) = conn.path().filter(|p| !p.is_empty()) {
        if same_file(Path::new(db_path), out) {
            return Err(Error::invalid("out", "a backup cannot be written over the database itself"));
        }
    }
    if let Some(dir) = out.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    }
    write_verified(conn, out)?;
    log::info!("backup written on demand");
    info(out, Utc::now(), "manual")
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// `VACUUM INTO` a temporary file beside `dest`, verify it, make it private, rename it to `dest`.
fn write_verified(conn: &Connection, dest: &Path) -> Result<()> {
    let temp = TempFile(temp_beside(dest, "backup"));
    let temp_str = temp.0.to_str().ok_or_else(|| Error::invalid("out", "the backup path must be valid Unicode"))?;
    conn.execute("VACUUM INTO ?1", [temp_str]).map_err(|e| match Error::from(e) {
        // The write that failed is the backup's, not the database's.
        Error::Io { source, .. } => Error::Io { path: dest.display().to_string(), source },
        other => other,
    })?;
    verify_attached(conn, &temp.0)?;
    make_private(&temp.0);
    replace(&temp.0, dest)?;
    temp.keep();
    Ok(())
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

/// Backups hold personal data: on Unix only the owner may read them.
pub(crate) fn make_private(path: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600));
    }
    #[cfg(not(unix))]
    let _ = path;
}

/// Makes an automatic backup of kind `kind` in the backups folder and keeps the newest `keep` of them.
pub(crate) fn auto_backup(conn: &Connection, db_path: &Path, kind: &str, keep: usize) -> Result<BackupInfo> {
    let dir = backups_dir(db_path);
    create_private_dir(&dir)?;
    let stem = stem(db_path);
    clean_stale_temps(&dir, &stem);
    let now = Utc::now();
    let mut dest = dir.join(backup_name(&stem, now, kind));
    let mut n = 2;
    while dest.exists() {
        dest = dir.join(backup_name(&stem, now, &format!("{kind}-{n}")));
        n += 1;
    }
    write_verified(conn, &dest)?;
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
    let today = Local::now().date_naive();
    let made_today = list_backups(db_path)?.iter().any(|b| {
        DateTime::parse_from_rfc3339(&b.created_at)
            .map(|t| t.with_timezone(&Local).date_naive() == today)
            .unwrap_or(false)
    });
    if made_today {
        return Ok(None);
    }
    auto_backup(conn, db_path, "daily", keep).map(Some)
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

/// Deletes all but the newest `keep` backups (at least one is always kept).
fn prune(db_path: &Path, keep: usize) {
    let Ok(all) = list_backups(db_path) else { return };
    for old in all.iter().skip(keep.max(1)) {
        // A raw copy may have its write-ahead log beside it.
        let _ = std::fs::remove_file(sidecar(Path::new(&old.path), "-wal"));
        match std::fs::remove_file(&old.path) {
            Ok(()) => log::info!("old backup deleted ({})", old.kind),
            Err(e) => log::warn!("could not delete an old backup: {e}"),
        }
    }
}

/// Temporary files of backups interrupted by a crash or a kill. Only those over an hour old go, so a
/// backup another process is writing right now is left alone.
fn clean_stale_temps(dir: &Path, stem: &str) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    let prefix = format!(".{stem}-");
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if !(name.starts_with(&prefix) && (name.ends_with(".tmp") || name.ends_with(".tmp-journal"))) {
            continue;
        }
        let old = entry
            .metadata()
            .and_then(|m| m.modified())
            .map(|t| SystemTime::now().duration_since(t).unwrap_or_default() > Duration::from_secs(3600))
            .unwrap_or(false);
        if old && std::fs::remove_file(entry.path()).is_ok() {
            log::info!("stale temporary backup file deleted");
        }
    }
}

/// Replaces the database at `db_path` with the backup at `backup_file`.
///
/// 1. The backup is copied beside the database and the copy is verified (integrity check, a Rollcall
///    database, not newer than this version); an encrypted backup needs its `passphrase`.
/// 2. The current database, if any, is saved in the backups folder (a verified backup, or a raw copy of
///    its files when it is too damaged for one). It must not be in use by another program.
/// 3. Its stale `-wal` and `-shm` files are removed and the verified copy is renamed over it, in one
///    step: a crash leaves either the old database or the restored one.
/// 4. People erased since the backup was made are erased again.
pub fn restore(db_path: &Path, backup_file: &Path, passphrase: Option<&str>) -> Result<RestoreReport> {
    if same_file(db_path, backup_file) {
        return Err(Error::invalid("backup", "this file is the database itself"));
    }
    let backup_key = match file_state(backup_file)? {
        FileState::Missing => return Err(Error::not_found("backup", backup_file.display())),
        FileState::Plain => None,
        FileState::Encrypted => match passphrase.filter(|p| !p.is_empty()) {
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
    let temp = TempFile(temp_beside(db_path, "restore"));
    std::fs::copy(backup_file, &temp.0).map_err(|e| Error::io(&temp.0, e))?;
    verify_backup_file(&temp.0, backup_file, backup_key)?;

    let (safety_copy, erased) = save_current(db_path, passphrase)?;
    remove_if_exists(&sidecar(db_path, "-wal"))?;
    remove_if_exists(&sidecar(db_path, "-shm"))?;
    make_private(&temp.0);
    replace(&temp.0, db_path)?;
    temp.keep();
    log::info!("database restored from a backup");

    let mut erasures_reapplied = 0;
    if !erased.is_empty() {
        let opts =
            OpenOptions { passphrase: backup_key.map(String::from), daily_backup: false, ..OpenOptions::default() };
        let mut conn = db::open_with(db_path, &opts)?;
        erasures_reapplied = crate::privacy::erase_uids(&mut conn, &erased)?;
        if erasures_reapplied > 0 {
            log::info!("{erasures_reapplied} erasure(s) made after the backup applied again");
        }
    }
    Ok(RestoreReport {
        restored_from: backup_file.display().to_string(),
        safety_copy,
        erasures_reapplied,
        encrypted: backup_key.is_some(),
    })
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

/// Saves the current database before it is replaced, and reads the uids of the people erased from it.
fn save_current(db_path: &Path, passphrase: Option<&str>) -> Result<(Option<BackupInfo>, Vec<String>)> {
    let key = match file_state(db_path)? {
        FileState::Missing => return Ok((None, Vec::new())),
        FileState::Encrypted => passphrase.filter(|p| !p.is_empty()),
        _ => None,
    };
    if let Ok(conn) = db::connect(db_path, false, key) {
        let erased = erased_uids(&conn);
        let saved = if super::quick_check(&conn).is_none() {
            match auto_backup(&conn, db_path, "before-restore", super::KEEP_BACKUPS) {
                Ok(info) => Some(info),
                Err(Error::DiskFull) => return Err(Error::DiskFull),
                Err(e) => {
                    log::warn!("the database could not be backed up before the restore ({e}); copying its files");
                    None
                }
            }
        } else {
            None
        };
        super::close_alone(conn, db_path)?;
        let saved = match saved {
            Some(info) => info,
            None => raw_copy(db_path)?,
        };
        return Ok((Some(saved), erased));
    }
    Ok((Some(raw_copy(db_path)?), Vec::new()))
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
    let dest = dir.join(backup_name(&stem(db_path), now, "before-restore-damaged"));
    let temp = TempFile(temp_beside(&dest, "copy"));
    std::fs::copy(db_path, &temp.0).map_err(|e| Error::io(&temp.0, e))?;
    let wal = sidecar(db_path, "-wal");
    if std::fs::metadata(&wal).map(|m| m.len() > 0).unwrap_or(false) {
        std::fs::copy(&wal, sidecar(&dest, "-wal")).map_err(|e| Error::io(&wal, e))?;
    }
    make_private(&temp.0);
    replace(&temp.0, &dest)?;
    temp.keep();
    log::info!("raw copy of the database saved before the restore");
    info(&dest, now, "before-restore-damaged")
}
