//! Opening the database: where it lives, the connection pragmas, the embedded migrations, and the one
//! transaction helper that every multi-statement write goes through.

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

/// Opens (creating if needed) the database at `path`, sets the pragmas and brings the schema up to date.
pub fn open(path: &Path) -> Result<Connection> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    }
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| bad_database(path, e))?;
    prepare(conn, path)
}

/// An in-memory database with the full schema, for tests and dry runs.
pub fn open_in_memory() -> Result<Connection> {
    prepare(Connection::open_in_memory()?, Path::new(":memory:"))
}

fn prepare(mut conn: Connection, path: &Path) -> Result<Connection> {
    configure(&conn).map_err(|e| bad_database(path, e))?;
    check_application(&conn, path)?;
    migrate(&mut conn)?;
    Ok(conn)
}

fn bad_database(path: &Path, e: impl Into<Error>) -> Error {
    match e.into() {
        Error::Sqlite(rusqlite::Error::SqliteFailure(f, _))
            if matches!(f.code, rusqlite::ErrorCode::NotADatabase | rusqlite::ErrorCode::DatabaseCorrupt) =>
        {
            Error::BadDatabase {
                path: path.display().to_string(),
                message: "this file is not a Rollcall database, or it is damaged or encrypted".into(),
            }
        }
        other => other,
    }
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
pub fn configure(conn: &Connection) -> rusqlite::Result<()> {
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    conn.execute_batch(
        "PRAGMA journal_mode = WAL;
         PRAGMA synchronous = FULL;
         PRAGMA foreign_keys = ON;
         PRAGMA secure_delete = ON;
         PRAGMA temp_store = MEMORY;
         PRAGMA trusted_schema = OFF;",
    )
}

fn pragma_i64(conn: &Connection, name: &str) -> Result<i64> {
    Ok(conn.query_row(&format!("PRAGMA {name}"), [], |r| r.get(0))?)
}

/// Refuses SQLite files that belong to some other program: they have tables but not our application id.
fn check_application(conn: &Connection, path: &Path) -> Result<()> {
    let app_id = pragma_i64(conn, "application_id").map_err(|e| bad_database(path, e))?;
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
pub fn migrate(conn: &mut Connection) -> Result<()> {
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
        conn.query_row(&format!("SELECT id FROM {} WHERE id = ?1", table.name()), [id], |row| row.get(0))
            .ok()
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
