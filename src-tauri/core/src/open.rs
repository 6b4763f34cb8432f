//! Opening the database with its policy: what the file is (missing, plain, encrypted, damaged, on
//! read-only media), SQLite's checks at open, a backup before a migration and once a day, the sweep of
//! files left by killed operations, and finishing an interrupted encryption. Built on `db` (connecting)
//! and `safety` (checks and backups); restore and encryption sit above it.

use std::path::Path;

use rusqlite::OpenFlags;
use serde::{Deserialize, Serialize};

use crate::db::{
    bad_database, check_application, configure, configure_read_only, connect, latest_version, migrate_with, new_uid,
    schema_version, validate_key, Connection,
};
use crate::error::{Error, Result};

/// How to open a database. `OpenOptions::default()` is what `open` uses: no passphrase, read-write, a
/// quick check of files up to [`QUICK_CHECK_MAX_BYTES`], and the daily backup.
#[derive(Clone, Deserialize)]
#[serde(default)]
pub struct OpenOptions {
    /// The passphrase of an encrypted database, as the user typed it. It is used for `PRAGMA key` and
    /// never written anywhere; `Debug` shows only whether there is one. With a passphrase, a new database
    /// is created encrypted; a plain database opens as it is (the passphrase is then unused).
    pub passphrase: Option<String>,
    /// Open without writing anything: no migration, no backup, every write refused.
    pub read_only: bool,
    /// Run `PRAGMA quick_check` at open (only for files up to [`QUICK_CHECK_MAX_BYTES`], so a large
    /// database does not delay the start; `safety::check` checks any size).
    pub quick_check: bool,
    /// Make the day's automatic backup if none was made today (see `safety::daily_backup`).
    pub daily_backup: bool,
    /// How many backups the automatic ones keep in the `backups` folder (older ones are deleted).
    pub keep_backups: usize,
}

impl Default for OpenOptions {
    fn default() -> Self {
        OpenOptions {
            passphrase: None,
            read_only: false,
            quick_check: true,
            daily_backup: true,
            keep_backups: crate::safety::KEEP_BACKUPS,
        }
    }
}

impl std::fmt::Debug for OpenOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OpenOptions")
            .field("passphrase", &self.passphrase.as_ref().map(|_| "<hidden>"))
            .field("read_only", &self.read_only)
            .field("quick_check", &self.quick_check)
            .field("daily_backup", &self.daily_backup)
            .field("keep_backups", &self.keep_backups)
            .finish()
    }
}

/// Files larger than this are not quick-checked at open: at about 17 ms per megabyte the check of a
/// database with a million attendance records would delay every start by seconds. The daily backup
/// verifies its copy, and `safety::check` checks on demand.
pub const QUICK_CHECK_MAX_BYTES: u64 = 16 << 20;

/// Files up to this size get SQLite's full `integrity_check` at every open instead of `quick_check`:
/// it also compares every index with its table, which finds damage that lets writes go astray. It costs
/// 20 to 50 ms per megabyte, so at most about 200 ms here.
pub const FULL_CHECK_MAX_BYTES: u64 = 4 << 20;

/// Whether the folder of `path` can take new files (SQLite's `-wal` and `-shm`). False on read-only media.
fn writable_place(path: &Path) -> bool {
    let probe = crate::files::folder(path).join(format!(".rollcall-probe-{}", new_uid()));
    match crate::files::create_private(&probe) {
        Ok(_) => {
            let _ = std::fs::remove_file(&probe);
            true
        }
        Err(_) => false,
    }
}

/// A database opened by [`open_checked`], with what the desktop app tells the user about it.
pub struct Opened {
    pub conn: Connection,
    /// True when the file was found damaged (or read-only was asked for): every write is refused, so
    /// the damage cannot spread, and the user can still read and export what is there.
    pub read_only: bool,
    /// Why the database was opened read-only, in plain words (None when all is well).
    pub problem: Option<String>,
    /// The newest backup in the `backups` folder (after today's automatic backup, if one was made).
    pub latest_backup: Option<crate::safety::BackupInfo>,
    /// Whether the file is encrypted (SQLCipher).
    pub encrypted: bool,
    /// Whether `quick_check` ran at open (it is skipped for files over [`QUICK_CHECK_MAX_BYTES`]).
    pub quick_checked: bool,
    /// Why today's automatic backup failed (the database opened anyway).
    pub backup_error: Option<String>,
}

/// Everything of [`Opened`] but the connection, for the UI.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OpenStatus {
    pub read_only: bool,
    pub problem: Option<String>,
    pub latest_backup: Option<crate::safety::BackupInfo>,
    pub encrypted: bool,
    pub quick_checked: bool,
    pub backup_error: Option<String>,
}

impl Opened {
    pub fn status(&self) -> OpenStatus {
        OpenStatus {
            read_only: self.read_only,
            problem: self.problem.clone(),
            latest_backup: self.latest_backup.clone(),
            encrypted: self.encrypted,
            quick_checked: self.quick_checked,
            backup_error: self.backup_error.clone(),
        }
    }
}

/// Opens (creating if needed) the database at `path`, sets the pragmas and brings the schema up to date.
/// A damaged, truncated or foreign file is refused with `Error::BadDatabase` and left as it is (never
/// replaced by a new empty database); an encrypted one with `Error::PassphraseRequired`.
pub fn open(path: &Path) -> Result<Connection> {
    open_with(path, &OpenOptions::default())
}

/// Like [`open`], with a passphrase and the other options. Damage found at open is an error.
pub fn open_with(path: &Path, options: &OpenOptions) -> Result<Connection> {
    open_inner(path, options, false).map(|opened| opened.conn)
}

/// For the desktop app: like [`open_with`], but a database found damaged at open is opened read-only and
/// the problem is reported in [`Opened::problem`] instead of failing, so the user can still read and
/// export, and restore a backup (`restore::restore`). Files that cannot be read at all (not a database,
/// wrong passphrase, newer version) still fail.
pub fn open_checked(path: &Path, options: &OpenOptions) -> Result<Opened> {
    open_inner(path, options, true)
}

/// Refuses what cannot be a database file before anything is created or read: an empty path or
/// `:memory:` (nothing would be saved), a folder or a path ending in a separator, and special files
/// (`/dev/null`, a named pipe that would block forever, a device).
fn check_path(path: &Path) -> Result<()> {
    let text = path.as_os_str().to_string_lossy();
    let refuse = |why: &str| Err(Error::invalid("db", format!("{}: {why}", path.display())));
    if text.trim().is_empty() || text == ":memory:" || text.starts_with("file:") {
        return refuse("this is not a file path; give the path of a database file (nothing would be saved)");
    }
    if text.ends_with('/') || text.ends_with(std::path::MAIN_SEPARATOR) || path.is_dir() {
        return refuse("this is a folder; give the path of a database file in it");
    }
    if let Ok(meta) = std::fs::metadata(path) {
        if !meta.is_file() {
            return refuse("this is not a regular file (a device or a pipe); give the path of a database file");
        }
    }
    Ok(())
}

/// Whether the connection can write the main database. SQLite opens a file on a read-only disk (a CD,
/// a write-protected USB stick, a folder without write permission) read-only by itself.
fn is_read_only_file(conn: &Connection) -> bool {
    conn.is_readonly(rusqlite::MAIN_DB).unwrap_or(false)
}

/// What the user is told when the file cannot be written.
const READ_ONLY_MEDIA: &str =
    "the database file cannot be changed (a read-only disk or folder); it is open read-only: copy it to a writable folder to change it";

/// A read-only connection to a file on read-only media. A database in WAL mode needs its `-shm` file,
/// which cannot be created there; `immutable=1` tells SQLite that nobody can change the file, so it
/// reads it without one.
fn connect_immutable(path: &Path, key: Option<&str>) -> Result<Connection> {
    match connect(path, true, key) {
        Ok(conn) => Ok(conn),
        Err(Error::WrongPassphrase { path }) => Err(Error::WrongPassphrase { path }),
        Err(_) => {
            let absolute = std::path::absolute(path).map_err(|e| Error::io(path, e))?;
            let mut uri = String::from("file:");
            for b in absolute.to_string_lossy().bytes() {
                match b {
                    b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'/' | b'-' | b'_' | b'.' | b'~' => uri.push(b as char),
                    _ => uri.push_str(&format!("%{b:02X}")),
                }
            }
            uri.push_str("?immutable=1");
            let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX | OpenFlags::SQLITE_OPEN_URI;
            let conn = Connection::open_with_flags(&uri, flags).map_err(|e| bad_database(path, e))?;
            conn.execute_batch("PRAGMA cipher_log_level = NONE;").map_err(|e| bad_database(path, e))?;
            if let Some(key) = key {
                conn.pragma_update(None, "key", key).map_err(|e| bad_database(path, e))?;
            }
            validate_key(conn, path, key)
        }
    }
}

fn open_inner(path: &Path, options: &OpenOptions, lenient: bool) -> Result<Opened> {
    use crate::safety::{self, FileState};

    check_path(path)?;
    let state = safety::file_state(path)?;
    let passphrase = options.passphrase.as_deref().filter(|p| !p.is_empty());
    let key = match state {
        FileState::Missing => {
            if options.read_only {
                return Err(Error::not_found("database", path.display()));
            }
            if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
            }
            // A new database is encrypted from its first byte when a passphrase is given.
            passphrase
        }
        FileState::Plain => {
            if passphrase.is_some() {
                log::info!("the database is not encrypted; the passphrase is not used");
            }
            None
        }
        FileState::Encrypted => match passphrase {
            Some(p) => Some(p),
            None => return Err(Error::PassphraseRequired { path: path.display().to_string() }),
        },
        FileState::Empty => {
            return Err(Error::BadDatabase {
                path: path.display().to_string(),
                message: "the file is empty; if your data was here, restore a backup".into(),
            })
        }
        FileState::NotADatabase => {
            return Err(Error::BadDatabase {
                path: path.display().to_string(),
                message: "this file is not a Rollcall database, or it is damaged".into(),
            })
        }
    };
    let encrypted = key.is_some();
    let mut read_only = options.read_only;
    let mut notice = None;
    let conn = match connect(path, read_only, key) {
        Ok(conn) if !read_only && state != FileState::Missing && is_read_only_file(&conn) => {
            log::info!("the database file cannot be written; opened read-only");
            read_only = true;
            notice = Some(READ_ONLY_MEDIA.to_string());
            conn
        }
        Ok(conn) => conn,
        Err(_) if state != FileState::Missing && !writable_place(path) => {
            log::info!("the database is on read-only media; opened read-only");
            read_only = true;
            notice = Some(READ_ONLY_MEDIA.to_string());
            connect_immutable(path, key)?
        }
        // SQLite refuses outright a file shorter than its header says; the desktop app can still show
        // and export what the file holds.
        Err(e @ Error::BadDatabase { .. }) if lenient && state != FileState::Missing => {
            return salvage(path, key, "it cannot be read in full", false).map_err(|_| e);
        }
        Err(e) => return Err(e),
    };
    if state == FileState::Missing {
        // The database holds personal data: only its owner may read it (SQLite gives the -wal and -shm
        // files the same permissions).
        crate::files::make_private(path);
    }

    // Damage: a truncated file (cheap, any size), then SQLite's checks. Small files get the full
    // integrity check (every index against its table: damage that quick_check misses) at every open,
    // larger ones quick_check; a database too large for either is fully checked at the first open of
    // each day, before the day's backup, so no day's writes go into a file that was damaged unseen.
    let mut problem = if state == FileState::Plain { safety::truncation(path)? } else { None };
    let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    let daily_due = options.daily_backup && !read_only && state != FileState::Missing && safety::daily_backup_due(path);
    let checks = problem.is_none() && options.quick_check && state != FileState::Missing;
    let full_check = checks && (size <= FULL_CHECK_MAX_BYTES || (size > QUICK_CHECK_MAX_BYTES && daily_due));
    let quick_checked = checks && (full_check || size <= QUICK_CHECK_MAX_BYTES);
    if full_check {
        problem = safety::full_check(&conn);
    } else if quick_checked {
        problem = safety::quick_check(&conn);
    }
    if let Some(p) = problem {
        log::info!("the database failed its check at open: {p}");
        if !lenient {
            return Err(Error::BadDatabase {
                path: path.display().to_string(),
                message: format!("the database is damaged ({p}); run `check` and restore a backup"),
            });
        }
        drop(conn);
        return salvage(path, key, &p, quick_checked);
    }

    check_application(&conn, path)?;
    let mut conn = conn;
    let mut backup_error = None;
    if read_only {
        configure_read_only(&conn).map_err(|e| bad_database(path, e))?;
        let current = schema_version(&conn)?;
        if current > latest_version() {
            return Err(Error::NewerDatabase { found: current, supported: latest_version() });
        }
    } else {
        configure(&conn).map_err(|e| bad_database(path, e))?;
        let current = schema_version(&conn)?;
        // A migration changes an existing database in place, so a verified copy is made first; if that
        // copy cannot be made (a full disk), the database is not migrated and not opened.
        if current > 0 && current < latest_version() {
            safety::auto_backup(&conn, path, &format!("before-v{}", latest_version()), options.keep_backups)?;
        }
        migrate(&mut conn)?;
        // Leftovers of operations killed midway (a plain copy beside an encrypted database, half an
        // export) go now, and an interrupted encryption finishes its backups.
        crate::files::sweep(path);
        if encrypted {
            crate::safety::finish_encryption(path, key);
        }
        if options.daily_backup && state != FileState::Missing {
            if let Err(e) = safety::daily_backup(&conn, path, options.keep_backups) {
                log::warn!("today's automatic backup failed: {e}");
                // A backup that fails its own check may have copied damage: the database is checked in
                // full, and a damaged one is not written to.
                if matches!(e, Error::BadDatabase { .. }) && !full_check {
                    if let Some(p) = safety::full_check(&conn) {
                        log::info!("the database failed its full check after the backup's: {p}");
                        if !lenient {
                            return Err(Error::BadDatabase {
                                path: path.display().to_string(),
                                message: format!("the database is damaged ({p}); run `check` and restore a backup"),
                            });
                        }
                        drop(conn);
                        return salvage(path, key, &p, true);
                    }
                }
                backup_error = Some(e.to_string());
            }
        }
    }
    let latest_backup = safety::list_backups(path).ok().and_then(|b| b.into_iter().next());
    Ok(Opened { conn, read_only, problem: notice, latest_backup, encrypted, quick_checked, backup_error })
}

/// Opens a damaged database read-only for reading what is left: `writable_schema` makes SQLite read a
/// file shorter than its header says instead of refusing it (the connection cannot write anyway).
fn salvage(path: &Path, key: Option<&str>, problem: &str, quick_checked: bool) -> Result<Opened> {
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX)
        .map_err(|e| bad_database(path, e))?;
    conn.execute_batch("PRAGMA cipher_log_level = NONE;").map_err(|e| bad_database(path, e))?;
    if let Some(key) = key {
        conn.pragma_update(None, "key", key).map_err(|e| bad_database(path, e))?;
    }
    conn.execute_batch("PRAGMA writable_schema = ON;").map_err(|e| bad_database(path, e))?;
    conn.query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get::<_, i64>(0))
        .map_err(|e| bad_database(path, e))?;
    configure_read_only(&conn).map_err(|e| bad_database(path, e))?;
    log::info!("the database is damaged; opened read-only");
    Ok(Opened {
        conn,
        read_only: true,
        problem: Some(format!("the database is damaged ({problem}); it is open read-only, restore a backup")),
        latest_backup: crate::safety::list_backups(path).ok().and_then(|b| b.into_iter().next()),
        encrypted: key.is_some(),
        quick_checked,
        backup_error: None,
    })
}

/// What [`daily_maintenance`] did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Maintenance {
    /// Today's backup, when one was made (none when one had been made today already).
    pub backup: Option<crate::safety::BackupInfo>,
    /// Damage found by the full check: the database must be used read-only from now on.
    pub problem: Option<String>,
}

/// The first-of-the-day work that the desktop app runs after its window is usable, on its own connection
/// (`OpenOptions::daily_backup` false at open): for a database too large to be fully checked at every
/// open, the full integrity check, then the day's verified backup. A backup that fails its own check is
/// followed by a full check of the database. Writes by the window meanwhile only wait for a moment
/// (the backup reads a consistent snapshot of the WAL database).
pub fn daily_maintenance(conn: &Connection, path: &Path, keep: usize) -> Result<Maintenance> {
    daily_maintenance_with(conn, path, keep, None)
}

/// `daily_maintenance`, telling `progress` (when given) how far the day's backup has got, in bytes of
/// the copy: first `(0, total)` as the work starts (a full check of a large file comes before the copy),
/// then as the copy grows, and `(total, total)` while the copy is checked.
pub fn daily_maintenance_with(
    conn: &Connection,
    path: &Path,
    keep: usize,
    progress: Option<&crate::progress::Progress>,
) -> Result<Maintenance> {
    use crate::safety;
    if !safety::daily_backup_due(path) {
        return Ok(Maintenance { backup: None, problem: None });
    }
    let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    if let Some(progress) = progress {
        progress.report(0, size);
    }
    if size > FULL_CHECK_MAX_BYTES {
        if let Some(problem) = safety::full_check(conn) {
            log::info!("the database failed its daily full check: {problem}");
            return Ok(Maintenance { backup: None, problem: Some(problem) });
        }
    }
    match safety::daily_backup_with(conn, path, keep, progress) {
        Ok(backup) => Ok(Maintenance { backup, problem: None }),
        Err(e @ Error::BadDatabase { .. }) => match safety::full_check(conn) {
            Some(problem) => Ok(Maintenance { backup: None, problem: Some(problem) }),
            None => Err(e),
        },
        Err(e) => Err(e),
    }
}

/// Applies the pending migrations (see `db::migrate_with`) with the steps that SQL cannot express:
/// version 7 converts stored genders to categories with `text::fold` (`gender::convert_existing`).
pub fn migrate(conn: &mut Connection) -> Result<()> {
    migrate_with(conn, |tx, version| {
        if version == 7 {
            crate::gender::convert_existing(tx)?;
        }
        Ok(())
    })
}

/// An in-memory database with the full schema, for tests and dry runs.
pub fn open_in_memory() -> Result<Connection> {
    let mut conn = Connection::open_in_memory()?;
    configure(&conn)?;
    check_application(&conn, Path::new(":memory:"))?;
    migrate(&mut conn)?;
    Ok(conn)
}
