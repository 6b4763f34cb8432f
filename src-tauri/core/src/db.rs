//! The database connection: where the file lives, connecting (with a key), the connection pragmas, the
//! embedded migrations, and the one transaction helper that every multi-statement write goes through.
//! Opening with its policy (checks, backups, read-only media) is `open`, one layer up.

use std::path::{Path, PathBuf};

use rusqlite::{OpenFlags, Transaction, TransactionBehavior};

/// The connection type, re-exported so front ends need not depend on rusqlite themselves.
pub use rusqlite::Connection;

use crate::error::{Error, Result};

/// The Tauri bundle identifier; the desktop app's data folder is named after it, so the CLI finds the
/// same database as the app.
pub const APP_IDENTIFIER: &str = "org.rollcall.desktop";
pub const DB_FILE_NAME: &str = "rollcall.sqlite3";
/// Marks a SQLite file as a Rollcall database ("Roll" in ASCII), so other SQLite files are refused.
pub const APPLICATION_ID: i64 = 0x526f_6c6c;

/// Embedded migrations, in order; the schema version is the number of migrations applied.
const MIGRATIONS: &[&str] = &[
    include_str!("../migrations/0001_init.sql"),
    include_str!("../migrations/0002_import.sql"),
    include_str!("../migrations/0003_safety.sql"),
    include_str!("../migrations/0004_reports.sql"),
    include_str!("../migrations/0005_consortium.sql"),
    include_str!("../migrations/0006_erased_imports.sql"),
    include_str!("../migrations/0007_donor.sql"),
    include_str!("../migrations/0008_import_speed.sql"),
    include_str!("../migrations/0009_person_emails.sql"),
];

/// The schema version this build writes.
pub fn latest_version() -> i64 {
    MIGRATIONS.len() as i64
}

/// The database path used when neither `--db` nor `ROLLCALL_DB` says otherwise: the OS's per-user
/// app-data folder (`~/.local/share/org.rollcall.desktop` on Linux, `%APPDATA%\org.rollcall.desktop` on
/// Windows, `~/Library/Application Support/org.rollcall.desktop` on macOS), the folder Tauri also uses.
pub fn default_path() -> PathBuf {
    if let Some(p) = std::env::var_os("ROLLCALL_DB").filter(|p| !p.is_empty()) {
        return PathBuf::from(p);
    }
    dirs::data_dir().unwrap_or_else(|| PathBuf::from(".")).join(APP_IDENTIFIER).join(DB_FILE_NAME)
}

/// Opens a connection, keys it when a passphrase is given (`PRAGMA key` must come before anything reads
/// the file) and reads the schema once, which is where a wrong key or a foreign file shows.
///
/// A passphrase is used in Unicode normal form C, so the same passphrase typed on keyboards that compose
/// accents differently opens the same database; a database keyed with another form by an earlier version
/// still opens with the passphrase exactly as typed.
pub(crate) fn connect(path: &Path, read_only: bool, key: Option<&str>) -> Result<Connection> {
    let variants = key_variants(key);
    let mut result = connect_keyed(path, read_only, variants[0].as_deref());
    for other in &variants[1..] {
        match result {
            Err(Error::WrongPassphrase { .. }) => result = connect_keyed(path, read_only, other.as_deref()),
            _ => break,
        }
    }
    result
}

/// The forms of a passphrase to try, the normal one (NFC, used for every new key) first.
pub(crate) fn key_variants(key: Option<&str>) -> Vec<Option<String>> {
    use unicode_normalization::UnicodeNormalization;
    match key {
        None => vec![None],
        Some(k) => {
            let nfc: String = k.nfc().collect();
            if nfc == k {
                vec![Some(nfc)]
            } else {
                vec![Some(nfc), Some(k.to_string())]
            }
        }
    }
}

/// The key new encryption uses for a passphrase: its normal form C.
pub(crate) fn normal_key(key: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    key.nfc().collect()
}

fn connect_keyed(path: &Path, read_only: bool, key: Option<&str>) -> Result<Connection> {
    let flags = if read_only {
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX
    } else {
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE | OpenFlags::SQLITE_OPEN_NO_MUTEX
    };
    let conn = connect_with_flags(path, flags, key)?;
    validate_key(conn, path, key)
}

/// A read-write connection to an existing file, keyed but not yet read, for settings that must come
/// before the first read (`locking_mode`).
///
/// The connection is in exclusive locking mode from its first statement: set any later, SQLCipher's own
/// pragmas may already have opened the write-ahead log in shared mode, and the "exclusive" lock would
/// then not keep other programs out.
pub(crate) fn connect_exclusive(path: &Path, key: Option<&str>) -> Result<Connection> {
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX)
        .map_err(|e| bad_database(path, e))?;
    conn.execute_batch("PRAGMA locking_mode = EXCLUSIVE;").map_err(|e| bad_database(path, e))?;
    key_connection(conn, path, key)
}

fn connect_with_flags(path: &Path, flags: OpenFlags, key: Option<&str>) -> Result<Connection> {
    let conn = Connection::open_with_flags(path, flags).map_err(|e| bad_database(path, e))?;
    key_connection(conn, path, key)
}

fn key_connection(conn: Connection, path: &Path, key: Option<&str>) -> Result<Connection> {
    // SQLCipher logs failed decryptions to stderr by itself; errors reach the user through `Error`.
    conn.execute_batch("PRAGMA cipher_log_level = NONE;").map_err(|e| bad_database(path, e))?;
    if let Some(key) = key {
        conn.pragma_update(None, "key", key).map_err(|e| bad_database(path, e))?;
    }
    Ok(conn)
}

pub(crate) fn validate_key(conn: Connection, path: &Path, key: Option<&str>) -> Result<Connection> {
    match conn.query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get::<_, i64>(0)) {
        Ok(_) => Ok(conn),
        Err(rusqlite::Error::SqliteFailure(f, _)) if key.is_some() && f.code == rusqlite::ErrorCode::NotADatabase => {
            Err(Error::WrongPassphrase { path: path.display().to_string() })
        }
        Err(e) => Err(bad_database(path, e)),
    }
}

pub(crate) fn bad_database(path: &Path, e: rusqlite::Error) -> Error {
    match &e {
        rusqlite::Error::SqliteFailure(f, _)
            if matches!(f.code, rusqlite::ErrorCode::NotADatabase | rusqlite::ErrorCode::DatabaseCorrupt) =>
        {
            Error::BadDatabase {
                path: path.display().to_string(),
                message: "this file is not a Rollcall database, or it is damaged".into(),
            }
        }
        _ => e.into(),
    }
}

/// The settings of a read-only connection: the safe ones of `configure`, nothing that writes.
pub(crate) fn configure_read_only(conn: &Connection) -> rusqlite::Result<()> {
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    conn.execute_batch(
        "PRAGMA query_only = ON;
         PRAGMA foreign_keys = ON;
         PRAGMA temp_store = MEMORY;
         PRAGMA trusted_schema = OFF;",
    )
}

/// The connection settings, in one place.
///
/// - WAL lets the window read while an import writes, and a crash never corrupts committed data.
/// - `synchronous=FULL`: every commit is on disk before it is reported done, so a power cut cannot lose
///   an attendance list the coordinator has just saved. Writes are few and batched in transactions, so
///   the cost is small.
/// - `foreign_keys=ON`: no orphans, enforced by SQLite itself.
/// - `secure_delete=ON`: deleted rows (an erased person) are overwritten, not left in free pages.
/// - `temp_store=MEMORY`: sorts and temporary tables never spill personal data into temp files.
/// - `trusted_schema=OFF`: a tampered file cannot make schema objects call functions with side effects.
/// - `cache_size=-65536`: up to 64 MiB of pages in memory (SQLite's default is 2 MB). An import into a
///   database of 100,000 people touches their email, name and search indexes all over; with the small
///   cache it re-read the same pages 685,000 times and spilled dirty pages to the WAL again and again
///   (7 to 10 s for 100,000 rows, against about 3.5 s with this cache; see README, Performance). The
///   memory is only taken as pages are read, so a small database uses little.
pub fn configure(conn: &Connection) -> rusqlite::Result<()> {
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    conn.execute_batch(
        "PRAGMA journal_mode = WAL;
         PRAGMA synchronous = FULL;
         PRAGMA foreign_keys = ON;
         PRAGMA secure_delete = ON;
         PRAGMA temp_store = MEMORY;
         PRAGMA trusted_schema = OFF;
         PRAGMA cache_size = -65536;",
    )
}

fn pragma_i64(conn: &Connection, name: &str) -> Result<i64> {
    Ok(conn.query_row(&format!("PRAGMA {name}"), [], |r| r.get(0))?)
}

/// Refuses SQLite files that belong to some other program: they have tables but not our application id.
pub(crate) fn check_application(conn: &Connection, path: &Path) -> Result<()> {
    let app_id: i64 = conn.query_row("PRAGMA application_id", [], |r| r.get(0)).map_err(|e| bad_database(path, e))?;
    if app_id == APPLICATION_ID {
        return Ok(());
    }
    let tables: i64 = conn
        .query_row("SELECT count(*) FROM sqlite_schema WHERE type = 'table'", [], |r| r.get(0))
        .map_err(|e| bad_database(path, e))?;
    if app_id != 0 || tables > 0 {
        return Err(Error::BadDatabase {
            path: path.display().to_string(),
            message: "this SQLite file was not made by Rollcall".into(),
        });
    }
    Ok(())
}

/// The schema version recorded in the file (`PRAGMA user_version`).
pub fn schema_version(conn: &Connection) -> Result<i64> {
    pragma_i64(conn, "user_version")
}

/// Applies the pending migrations, each in its own transaction with its version recorded in the same
/// transaction, so a crash leaves the database at a whole version. A newer database is refused.
///
/// `rust_step(tx, version)` runs after each migration's SQL, in its transaction, for the steps SQL
/// cannot express; it lives with the domain that needs it (see `open::migrate`), so this layer knows
/// nothing of the domain.
pub fn migrate_with(conn: &mut Connection, rust_step: impl Fn(&Transaction, i64) -> Result<()>) -> Result<()> {
    let current = schema_version(conn)?;
    let latest = latest_version();
    if current > latest {
        return Err(Error::NewerDatabase { found: current, supported: latest });
    }
    for (index, sql) in MIGRATIONS.iter().enumerate().skip(current as usize) {
        let version = index as i64 + 1;
        log::info!("applying schema migration {version}");
        write(conn, |tx| {
            tx.execute_batch(sql)?;
            rust_step(tx, version)?;
            tx.execute_batch(&format!("PRAGMA user_version = {version}; PRAGMA application_id = {APPLICATION_ID};"))?;
            Ok(())
        })?;
    }
    Ok(())
}

/// Runs `f` in one IMMEDIATE transaction: it commits if `f` succeeds and rolls back otherwise, so a
/// multi-statement write lands whole or not at all. IMMEDIATE takes the write lock up front, so two
/// writers wait for each other (busy_timeout) instead of failing halfway.
pub fn write<T>(conn: &mut Connection, f: impl FnOnce(&Transaction) -> Result<T>) -> Result<T> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let value = f(&tx)?;
    tx.commit()?;
    Ok(value)
}

/// The file of the database `conn` is connected to (None for an in-memory database). Files the core
/// writes are checked against it (see `files::check_destination`).
pub fn file_of(conn: &Connection) -> Option<PathBuf> {
    conn.path().filter(|p| !p.is_empty()).map(PathBuf::from)
}

/// Runs `PRAGMA wal_checkpoint(TRUNCATE)`: copies everything in the write-ahead log into the database
/// file and empties the log. Returns false when another connection's read kept it from finishing.
pub fn checkpoint(conn: &Connection) -> Result<bool> {
    let (busy, _log, _done): (i64, i64, i64) =
        conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    Ok(busy == 0)
}

/// Frees what the connection's page cache holds (`PRAGMA shrink_memory`), as a long-lived connection
/// does when its program is idle: `cache_size` (see `configure`) is a ceiling the cache keeps once it has
/// grown to it, 64 MB on a large database. The next statements read their pages again from the file
/// (the system's cache, when it still has them). Nothing is written and no setting changes.
pub fn release_memory(conn: &Connection) -> Result<()> {
    conn.execute_batch("PRAGMA shrink_memory;")?;
    Ok(())
}

/// The current time as stored in `created_at`/`updated_at`: UTC, RFC 3339, second precision.
pub fn now() -> String {
    chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// A new globally unique id (UUID v7: time-ordered, so merged data sorts by creation).
pub fn new_uid() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// Turns a user-supplied reference (a row id like `12` or a uid) into the row id of `table`.
pub fn resolve_id(conn: &Connection, table: Table, reference: &str) -> Result<i64> {
    let r = reference.trim();
    let found: Option<i64> = if let Ok(id) = r.parse::<i64>() {
        conn.query_row(&format!("SELECT id FROM {} WHERE id = ?1", table.name()), [id], |row| row.get(0)).ok()
    } else if uuid::Uuid::parse_str(r).is_ok() {
        conn.query_row(&format!("SELECT id FROM {} WHERE uid = ?1", table.name()), [r.to_lowercase()], |row| row.get(0))
            .ok()
    } else {
        return Err(Error::invalid("id", format!("'{r}' is not an id (a number or a UUID)")));
    };
    found.ok_or_else(|| Error::not_found(table.entity(), r))
}

/// The tables whose rows users refer to by id.
#[derive(Debug, Clone, Copy)]
pub enum Table {
    Projects,
    Organisations,
    Events,
    People,
    Attendance,
    Imports,
}

impl Table {
    fn name(self) -> &'static str {
        match self {
            Table::Projects => "projects",
            Table::Organisations => "organisations",
            Table::Events => "events",
            Table::People => "people",
            Table::Attendance => "attendance",
            Table::Imports => "imports",
        }
    }

    pub fn entity(self) -> &'static str {
        match self {
            Table::Projects => "project",
            Table::Organisations => "organisation",
            Table::Events => "event",
            Table::People => "person",
            Table::Attendance => "attendance record",
            Table::Imports => "import",
        }
    }
}

/// Fails with NotFound unless a row with this id exists in `table`.
pub fn ensure_exists(conn: &Connection, table: Table, id: i64) -> Result<()> {
    let n: i64 = conn.query_row(&format!("SELECT count(*) FROM {} WHERE id = ?1", table.name()), [id], |r| r.get(0))?;
    if n == 0 {
        return Err(Error::not_found(table.entity(), id));
    }
    Ok(())
}
