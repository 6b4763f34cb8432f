//! Data safety: checking a database for damage, verified backups (automatic and on demand) and their
//! restore, and encryption at rest with SQLCipher. docs/safety.md says what Rollcall promises and how
//! each promise is tested.
//!
//! What opening does with these (see `open::open_with` and `open::open_checked`): it tells a plain, an
//! encrypted, an empty and a foreign file apart from their first bytes ([`file_state`]), refuses a
//! truncated or damaged file instead of writing to it, backs the database up before a migration and
//! once a day, and keeps the last [`KEEP_BACKUPS`] automatic backups.

pub(crate) mod backup;
pub(crate) mod convert;

use std::fs::File;
use std::io::Read;
use std::path::Path;

use rusqlite::Connection;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

pub use crate::files::{backups_dir, sidecar};
pub(crate) use backup::auto_backup;
pub use backup::{
    backup, backup_before_update, backup_now, daily_backup, daily_backup_due, daily_backup_with, list_backups,
    BackupInfo,
};

/// How many automatic backups are kept beside a database.
pub const KEEP_BACKUPS: usize = 10;

/// The first 16 bytes of every plain SQLite database file.
const SQLITE_MAGIC: &[u8; 16] = b"SQLite format 3\0";

/// What a database file is, judged from its bytes without opening it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FileState {
    /// No file: opening creates a new database.
    Missing,
    /// A file of zero bytes: refused, since a new database there would hide the loss of the old one.
    Empty,
    /// A plain SQLite file (its header says "SQLite format 3").
    Plain,
    /// No SQLite header and bytes that look random: an encrypted (SQLCipher) database.
    Encrypted,
    /// Anything else (a text file, a truncated header, a damaged first page).
    NotADatabase,
}

/// Judges a file from its header. A SQLCipher file has no readable header at all: its first 16 bytes
/// are a random salt and the rest of every page is ciphertext. Such a file is told from other non-SQLite
/// files by its size (a whole number of pages of at least 512 bytes) and the randomness of its first
/// page, so a text or damaged file gets "not a database", not "passphrase needed".
pub fn file_state(path: &Path) -> Result<FileState> {
    let mut file = match File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(FileState::Missing),
        Err(e) => return Err(Error::io(path, e)),
    };
    let len = file.metadata().map_err(|e| Error::io(path, e))?.len();
    if len == 0 {
        // SQLite itself rebuilds an empty main file from a write-ahead log that holds the database.
        return Ok(if file_len(&sidecar(path, "-wal")) > 0 { FileState::Plain } else { FileState::Empty });
    }
    let mut head = vec![0u8; len.min(4096) as usize];
    file.read_exact(&mut head).map_err(|e| Error::io(path, e))?;
    if head.starts_with(SQLITE_MAGIC) {
        return Ok(FileState::Plain);
    }
    if len >= 1024 && len % 512 == 0 && entropy(&head) > 7.5 {
        return Ok(FileState::Encrypted);
    }
    Ok(FileState::NotADatabase)
}

/// Shannon entropy of the bytes, in bits per byte (8 for random data; text and SQLite pages stay far below).
fn entropy(bytes: &[u8]) -> f64 {
    let mut counts = [0u32; 256];
    for &b in bytes {
        counts[b as usize] += 1;
    }
    let n = bytes.len() as f64;
    counts
        .iter()
        .filter(|&&c| c > 0)
        .map(|&c| {
            let p = c as f64 / n;
            -p * p.log2()
        })
        .sum()
}

/// Whether the file is encrypted (SQLCipher), for the UI's passphrase prompt.
pub fn is_encrypted(path: &Path) -> Result<bool> {
    Ok(file_state(path)? == FileState::Encrypted)
}

/// A plain database file that is shorter than its header says, or not a whole number of pages: the
/// mark of an interrupted copy. Checked only when no write-ahead log holds pages (after a crash the log
/// legitimately holds the newest pages).
pub(crate) fn truncation(path: &Path) -> Result<Option<String>> {
    if file_len(&sidecar(path, "-wal")) > 0 {
        return Ok(None);
    }
    let mut head = [0u8; 100];
    let mut file = File::open(path).map_err(|e| Error::io(path, e))?;
    let len = file.metadata().map_err(|e| Error::io(path, e))?.len();
    if len < 100 {
        return Ok(Some("the file is shorter than a database header".into()));
    }
    file.read_exact(&mut head).map_err(|e| Error::io(path, e))?;
    let page_size = match u16::from_be_bytes([head[16], head[17]]) {
        1 => 65536u64,
        n if n >= 512 && n.is_power_of_two() => n as u64,
        _ => return Ok(Some("the header's page size is invalid".into())),
    };
    if len % page_size != 0 {
        return Ok(Some("the file ends in the middle of a page (truncated)".into()));
    }
    let be32 = |at: usize| u32::from_be_bytes([head[at], head[at + 1], head[at + 2], head[at + 3]]) as u64;
    // The page count in the header is valid only when the change counter matches "version valid for".
    let pages = be32(28);
    if pages > 0 && be32(24) == be32(92) && pages * page_size > len {
        return Ok(Some(format!(
            "the file holds {} of the {pages} pages its header names (truncated)",
            len / page_size
        )));
    }
    Ok(None)
}

/// SQLite's `quick_check` (the structure of every page, not index contents): None when it passes,
/// otherwise the first problem in words. A check that cannot even run is a problem too.
pub(crate) fn quick_check(conn: &Connection) -> Option<String> {
    match pragma_lines(conn, "quick_check(20)") {
        Ok(lines) if lines.len() == 1 && lines[0] == "ok" => None,
        Ok(lines) => Some(lines.first().cloned().unwrap_or_else(|| "no result".into())),
        Err(e) => Some(e.to_string()),
    }
}

/// SQLite's full `integrity_check` (every page, and every index against its table): None when it
/// passes, otherwise the first problem in words.
pub(crate) fn full_check(conn: &Connection) -> Option<String> {
    match pragma_lines(conn, "integrity_check(20)") {
        Ok(lines) if lines.len() == 1 && lines[0] == "ok" => None,
        Ok(lines) => Some(lines.first().cloned().unwrap_or_else(|| "no result".into())),
        Err(e) => Some(e.to_string()),
    }
}

/// Finishes an encryption that was interrupted after the database was converted: backups still plain
/// beside the encrypted database are encrypted with its key.
pub(crate) fn finish_encryption(db_path: &Path, key: Option<&str>) {
    let (converted, skipped) = convert::finish_backups(db_path, key, |_| {});
    if converted > 0 {
        log::info!("{converted} backup(s) left plain by an interrupted encryption encrypted now");
    }
    if !skipped.is_empty() {
        log::warn!("{} plain backup(s) could not be encrypted", skipped.len());
    }
}

pub(crate) fn pragma_lines(conn: &Connection, pragma: &str) -> rusqlite::Result<Vec<String>> {
    let mut stmt = conn.prepare(&format!("PRAGMA {pragma}"))?;
    let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
    rows.collect()
}

/// The result of [`check`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CheckReport {
    /// True when SQLite's integrity check and the foreign key check found nothing.
    pub ok: bool,
    /// One line for the user: "ok: ..." with what was checked, or "damaged: ..." with the first problem.
    pub summary: String,
    /// What `integrity_check` reported (at most 100 lines; empty when ok).
    pub integrity: Vec<String>,
    /// Rows whose foreign key points nowhere, as "table row id -> parent" (at most 100).
    pub foreign_keys: Vec<String>,
    pub schema_version: Option<i64>,
    pub pages: Option<i64>,
}

/// Runs SQLite's full `integrity_check` (every page, every index against its table) and
/// `foreign_key_check`. Takes 20 to 50 ms per megabyte; a damaged file gives `ok: false`, not an error.
pub fn check(conn: &Connection) -> Result<CheckReport> {
    let (integrity, integrity_error) = match pragma_lines(conn, "integrity_check(100)") {
        Ok(lines) if lines.len() == 1 && lines[0] == "ok" => (Vec::new(), None),
        Ok(lines) => (lines, None),
        Err(e) => (Vec::new(), Some(e.to_string())),
    };
    let foreign_keys = match foreign_key_problems(conn) {
        Ok(rows) => rows,
        Err(e) => vec![format!("the foreign key check could not run: {e}")],
    };
    let schema_version = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).ok();
    let pages = conn.query_row("PRAGMA page_count", [], |r| r.get(0)).ok();
    let ok = integrity.is_empty() && integrity_error.is_none() && foreign_keys.is_empty();
    let summary = if ok {
        let count = |table: &str| -> i64 {
            conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0)).unwrap_or(0)
        };
        format!(
            "ok: {} pages checked (schema version {}); {} people, {} events, {} attendance records",
            pages.unwrap_or(0),
            schema_version.unwrap_or(0),
            count("people"),
            count("events"),
            count("attendance")
        )
    } else {
        let problems = integrity.len() + foreign_keys.len() + integrity_error.is_some() as usize;
        let first = integrity_error
            .clone()
            .or_else(|| integrity.first().cloned())
            .or_else(|| foreign_keys.first().cloned())
            .unwrap_or_default();
        format!("damaged: {problems} problem(s), first: {first}; restore a backup")
    };
    log::info!("database check: {}", if ok { "ok" } else { "damaged" });
    Ok(CheckReport {
        ok,
        summary,
        integrity: integrity_error.into_iter().chain(integrity).collect(),
        foreign_keys,
        schema_version,
        pages,
    })
}

fn foreign_key_problems(conn: &Connection) -> rusqlite::Result<Vec<String>> {
    let mut stmt = conn.prepare("PRAGMA foreign_key_check")?;
    let rows = stmt.query_map([], |r| {
        let table: String = r.get(0)?;
        let rowid: Option<i64> = r.get(1)?;
        let parent: String = r.get(2)?;
        Ok(format!("{table} row {} -> {parent}", rowid.map(|i| i.to_string()).unwrap_or_default()))
    })?;
    rows.take(100).collect()
}

fn file_len(path: &Path) -> u64 {
    std::fs::metadata(path).map(|m| m.len()).unwrap_or(0)
}

/// How long an exclusive lock waits for other connections to finish before the operation is refused.
const EXCLUSIVE_WAIT: std::time::Duration = std::time::Duration::from_secs(2);

/// Opens the database at `path` for an operation that replaces or rewrites all of it (restore, encrypt,
/// decrypt, a new passphrase) and takes an exclusive lock that it holds until the connection is dropped.
///
/// In WAL mode every open connection holds a shared lock on the database file, so the exclusive lock is
/// granted only when no other program, window or command has the database open; otherwise the operation
/// is refused before it has done anything. While it is held, others cannot even start reading, so nothing
/// can be written between the safety copy and the replacement (a restore overlapping an import lost the
/// import before). The write-ahead log index lives in this process's memory meanwhile.
pub(crate) fn lock_exclusive(path: &Path, key: Option<&str>) -> Result<Connection> {
    let variants = crate::db::key_variants(key);
    let mut result = lock_exclusive_keyed(path, variants[0].as_deref());
    for other in &variants[1..] {
        match result {
            Err(Error::WrongPassphrase { .. }) => result = lock_exclusive_keyed(path, other.as_deref()),
            _ => break,
        }
    }
    result
}

fn lock_exclusive_keyed(path: &Path, key: Option<&str>) -> Result<Connection> {
    let conn = crate::db::connect_exclusive(path, key)?;
    conn.busy_timeout(EXCLUSIVE_WAIT)?;
    // The first read in exclusive mode takes the lock; BEGIN EXCLUSIVE makes sure it is the writer's.
    match conn.execute_batch("BEGIN EXCLUSIVE; COMMIT;") {
        Ok(()) => {}
        Err(rusqlite::Error::SqliteFailure(f, _)) if f.code == rusqlite::ErrorCode::DatabaseBusy => {
            return Err(in_use())
        }
        Err(rusqlite::Error::SqliteFailure(f, _)) if key.is_some() && f.code == rusqlite::ErrorCode::NotADatabase => {
            return Err(Error::WrongPassphrase { path: path.display().to_string() })
        }
        Err(e) => return Err(e.into()),
    }
    // SQLite's own exclusive lock does not see a program that has the database open but is between
    // transactions (in WAL mode such a connection holds only a lock in the `-shm` file): ask the OS.
    if others_have_it_open(path) {
        return Err(in_use());
    }
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    Ok(conn)
}

fn in_use() -> Error {
    Error::conflict(
        "the database is in use by another program (is Rollcall open, or a command running?); close it and try again",
    )
}

/// Whether another process has the WAL database at `path` open: every connection in WAL mode holds a
/// read lock on byte 128 of the `-shm` file (SQLite's "DMS" lock) for as long as it is open, and a write
/// lock there can be had only when nobody else holds it. Connections of this process are seen by
/// SQLite itself (the exclusive lock above).
#[cfg(unix)]
#[allow(unsafe_code)] // fcntl(F_GETLK) has no safe wrapper in std.
fn others_have_it_open(path: &Path) -> bool {
    use std::os::fd::AsRawFd;
    let shm = crate::files::sidecar(path, "-shm");
    let Ok(file) = std::fs::OpenOptions::new().read(true).write(true).open(&shm) else { return false };
    // SAFETY: F_GETLK only reads and fills the flock structure passed in; the descriptor is open.
    let mut lock: libc::flock = unsafe { std::mem::zeroed() };
    lock.l_type = libc::F_WRLCK as _;
    lock.l_whence = libc::SEEK_SET as _;
    lock.l_start = 128;
    lock.l_len = 1;
    let rc = unsafe { libc::fcntl(file.as_raw_fd(), libc::F_GETLK, &mut lock) };
    rc == 0 && lock.l_type != libc::F_UNLCK as libc::c_short
}

/// Windows locks the `-shm` file's bytes so that SQLite's own exclusive lock sees other programs.
#[cfg(not(unix))]
fn others_have_it_open(_path: &Path) -> bool {
    false
}

/// After the file at `path` was renamed away from under an exclusively locked connection, makes the old
/// file unreadable before the lock is let go: a program that opened the old file just before the rename
/// and waits for the lock then fails with "not a database" instead of writing into a file that no
/// longer has a name (its writes would be lost without a word). `old` was opened before the rename.
pub(crate) fn retire_old_file(old: &std::fs::File) {
    use std::io::{Seek, SeekFrom, Write};
    let mut f = old;
    if f.seek(SeekFrom::Start(0)).is_ok() {
        let _ = f.write_all(&[0u8; 100]);
        let _ = f.sync_all();
    }
}

/// Row counts of every ordinary table, for comparing a copy with its original.
pub(crate) fn table_counts(conn: &Connection, schema: &str) -> Result<Vec<(String, i64)>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT name FROM \"{schema}\".sqlite_schema WHERE type = 'table' AND rootpage > 0 AND name NOT LIKE 'sqlite_%' ORDER BY name"
    ))?;
    let names: Vec<String> = stmt.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
    names
        .into_iter()
        .map(|n| {
            let c: i64 = conn.query_row(&format!("SELECT count(*) FROM \"{schema}\".\"{n}\""), [], |r| r.get(0))?;
            Ok((n, c))
        })
        .collect()
}
