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
use crate::db;
use crate::error::{Error, Result};
use crate::files::{backups_dir, sidecar, Staged};
use crate::progress::Progress;

/// One backup file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BackupInfo {
    pub path: String,
    pub file_name: String,
    /// When it was made, UTC, RFC 3339 (from the file name for automatic backups).
    pub created_at: String,
    /// `daily`, `before-vN` (before a migration to schema version N), `before-restore`,
    /// `before-restore-damaged` (a raw copy of a database too damaged to back up normally), `manual`,
    /// `before-update` (just before the desktop app installs a new version of itself).
    pub kind: String,
    pub bytes: u64,
    pub encrypted: bool,
}

/// The database's whole file name: backup names start with it, so databases that share a folder (and a
/// file stem: `rollcall.sqlite3` and `rollcall.old`) never see, rotate or re-key each other's backups.
pub(crate) fn db_name(db_path: &Path) -> String {
    db_path.file_name().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "rollcall".into())
}

const STAMP: &str = "%Y-%m-%d-%H%M%SZ";
/// Length of a formatted STAMP.
const STAMP_LEN: usize = 18;

/// `<database file name>.<YYYY-MM-DD-HHMMSS>Z-<kind>.sqlite3`.
pub(crate) fn backup_name(db_name: &str, at: DateTime<Utc>, kind: &str) -> String {
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
    matches!(kind, "daily" | "manual" | "before-restore" | "before-restore-damaged" | "before-update")
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

pub(crate) fn info(path: &Path, created_at: DateTime<Utc>, kind: &str) -> Result<BackupInfo> {
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
    write_verified(conn, out, "path")?;
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

fn fill_verified(conn: &Connection, staged: Staged) -> Result<()> {
    fill_verified_with(conn, staged, None)
}

/// `fill_verified`, telling `progress` (when given) how many bytes of the copy are written, out of the
/// database's pages in use (`VACUUM INTO` has no progress of its own: `Progress::watch_file`); the
/// check that follows is reported as done equal to total.
fn fill_verified_with(conn: &Connection, mut staged: Staged, progress: Option<&Progress>) -> Result<()> {
    let dest = staged.dest().to_path_buf();
    let target = staged.path_for_sqlite()?.to_string();
    let copy = || {
        conn.execute("VACUUM INTO ?1", [&target]).map_err(|e| match Error::from(e) {
            // The write that failed is the backup's, not the database's.
            Error::Io { source, .. } => Error::Io { path: dest.display().to_string(), source },
            other => other,
        })
    };
    match progress {
        None => {
            copy()?;
        }
        Some(progress) => {
            let total = bytes_in_use(conn)?;
            progress.report(0, total);
            progress.watch_file(staged.temp_path(), total, copy)?;
            progress.report(total, total);
        }
    }
    verify_attached(conn, staged.temp_path())?;
    staged.commit()
}

/// The size of the database's pages in use: about the size of a `VACUUM INTO` copy of it.
fn bytes_in_use(conn: &Connection) -> Result<u64> {
    let pragma = |name: &str| -> Result<i64> { Ok(conn.query_row(&format!("PRAGMA {name}"), [], |r| r.get(0))?) };
    let pages = (pragma("page_count")? - pragma("freelist_count")?).max(0);
    Ok(pages as u64 * pragma("page_size")?.max(0) as u64)
}

/// Checks a copy through the database's own connection: ATTACH without a key uses the main database's
/// key, so an encrypted backup is verified without asking for the passphrase again.
fn verify_attached(conn: &Connection, file: &Path) -> Result<()> {
    let file_str = file.to_str().ok_or_else(|| Error::invalid("path", "the backup path must be valid Unicode"))?;
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
    auto_backup_with(conn, db_path, kind, keep, None)
}

/// `auto_backup`, with the copy's progress told to `progress` when given.
fn auto_backup_with(
    conn: &Connection,
    db_path: &Path,
    kind: &str,
    keep: usize,
    progress: Option<&Progress>,
) -> Result<BackupInfo> {
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
    fill_verified_with(conn, Staged::internal(&dest, "backup", Some(db_path))?, progress)?;
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

/// Makes a backup of kind `before-update` in the backups folder, verified like every backup: the desktop
/// app makes it after a new version's download is verified and before installing it, so the data as
/// the old version left it can always be restored. It is rotated with the other automatic backups.
pub fn backup_before_update(conn: &Connection, db_path: &Path) -> Result<BackupInfo> {
    auto_backup(conn, db_path, "before-update", super::KEEP_BACKUPS)
}

/// Makes the day's backup unless one (of any kind) was made today, local time. Called at open.
pub fn daily_backup(conn: &Connection, db_path: &Path, keep: usize) -> Result<Option<BackupInfo>> {
    daily_backup_with(conn, db_path, keep, None)
}

/// `daily_backup`, telling `progress` (when given) how far the copy has got, in bytes.
pub fn daily_backup_with(
    conn: &Connection,
    db_path: &Path,
    keep: usize,
    progress: Option<&Progress>,
) -> Result<Option<BackupInfo>> {
    if !daily_backup_due(db_path) {
        return Ok(None);
    }
    auto_backup_with(conn, db_path, "daily", keep, progress).map(Some)
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

pub(crate) fn create_private_dir(dir: &Path) -> Result<()> {
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
