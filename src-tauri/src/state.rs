//! The one owner of the database in the desktop app: the open connection, managed by Tauri, behind a
//! small accessor that commands use. Long work opens its own connection from `path` off the UI thread.
//!
//! The database can be in one of three states: open (perhaps read-only, when it was found damaged),
//! locked (encrypted, waiting for its passphrase) or failed (a newer or foreign file). The window asks
//! `status()` at start and shows the matching screen.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, MutexGuard};

use rollcall_core::db::Connection;
use rollcall_core::open::{self, OpenOptions, OpenStatus};
use rollcall_core::{Error, Result};

pub struct AppState {
    pub path: PathBuf,
    inner: Mutex<Inner>,
    /// Whether today's deferred work (full check of a large file, the daily backup) has been started.
    maintenance: AtomicBool,
    /// The files this session wrote at the user's request (exports, a person's data, bundles), newest
    /// last: the only files the window may ask to open or show in their folder (see commands::files), so
    /// a page that misbehaves cannot have the system open anything else.
    written: Mutex<Vec<PathBuf>>,
}

/// How many written files are remembered for "Open" and "Show in folder"; the oldest are forgotten.
const WRITTEN_KEPT: usize = 100;

#[derive(Default)]
struct Inner {
    conn: Option<Connection>,
    /// Why the database is not open: `PassphraseRequired` (locked), or a file that cannot be opened.
    open_error: Option<Error>,
    status: Option<OpenStatus>,
    /// The passphrase the user typed, kept in memory only (SQLCipher holds the key in memory anyway)
    /// so that background jobs can open their own connection. Never written anywhere.
    passphrase: Option<String>,
}

/// What the window needs to know about the database at start and after a change.
pub struct Snapshot {
    pub open_error: Option<Error>,
    pub status: Option<OpenStatus>,
}

impl AppState {
    /// Opens the database at `path` (with the checks at open; the daily backup and the full check of a
    /// large file are deferred until the window is usable, see `jobs::daily_maintenance`). A failure
    /// does not stop the app: the window starts and says why, or asks for the passphrase.
    pub fn open(path: PathBuf) -> AppState {
        let state = AppState {
            path,
            inner: Mutex::new(Inner::default()),
            maintenance: AtomicBool::new(false),
            written: Mutex::new(Vec::new()),
        };
        let mut inner = state.lock();
        state.open_into(&mut inner, None);
        drop(inner);
        state
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn open_into(&self, inner: &mut Inner, passphrase: Option<String>) {
        let options = OpenOptions { passphrase: passphrase.clone(), daily_backup: false, ..OpenOptions::default() };
        match open::open_checked(&self.path, &options) {
            Ok(opened) => {
                let status = opened.status();
                if let Some(problem) = &status.problem {
                    log::warn!("database opened read-only: {problem}");
                }
                *inner = Inner { conn: Some(opened.conn), open_error: None, status: Some(status), passphrase };
            }
            Err(e) => {
                // An encrypted database waiting for its passphrase is the normal start of an encrypted
                // install, not a failure; a wrong passphrase is the user's typo. Only the rest is an error.
                match &e {
                    Error::PassphraseRequired { .. } => {
                        log::info!("the database is encrypted: waiting for its passphrase")
                    }
                    Error::WrongPassphrase { .. } => log::warn!("the passphrase did not open the database"),
                    _ => log::error!("could not open the database: {e}"),
                }
                *inner = Inner { conn: None, open_error: Some(e), status: None, passphrase: None };
            }
        }
    }

    /// Opens an encrypted database with the passphrase the user typed. A wrong passphrase is an error and
    /// leaves the app locked.
    pub fn unlock(&self, passphrase: String) -> Result<()> {
        rollcall_core::encryption::check_passphrase(&passphrase)?;
        let mut inner = self.lock();
        if inner.conn.is_some() {
            return Ok(());
        }
        let options =
            OpenOptions { passphrase: Some(passphrase.clone()), daily_backup: false, ..OpenOptions::default() };
        let opened = open::open_checked(&self.path, &options)?;
        let status = opened.status();
        *inner =
            Inner { conn: Some(opened.conn), open_error: None, status: Some(status), passphrase: Some(passphrase) };
        log::info!("encrypted database unlocked");
        Ok(())
    }

    /// Remembers a file written at the user's request, so the window may offer to open it.
    pub fn note_written(&self, path: &Path) {
        let mut written = self.written.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        written.retain(|p| p != path);
        written.push(path.to_path_buf());
        if written.len() > WRITTEN_KEPT {
            written.remove(0);
        }
    }

    /// Whether this session wrote `path` at the user's request (see `note_written`).
    pub fn was_written(&self, path: &Path) -> bool {
        self.written.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).iter().any(|p| p == path)
    }

    pub fn snapshot(&self) -> Snapshot {
        let inner = self.lock();
        Snapshot { open_error: inner.open_error.as_ref().map(copy_error), status: inner.status.clone() }
    }

    /// Runs `f` with the connection. The lock is held only for the call, never across an await.
    pub fn with<T>(&self, f: impl FnOnce(&mut Connection) -> Result<T>) -> Result<T> {
        let mut inner = self.lock();
        let result = match inner.conn.as_mut() {
            Some(conn) => f(conn),
            None => Err(not_open(&inner)),
        };
        drop(inner);
        crate::memory::busy();
        result
    }

    /// Frees the connection's page cache when the window is idle (see `memory`). A command holding the
    /// connection now is not waited for: it marks the window busy again when it ends.
    pub fn release_memory(&self) {
        let Ok(mut inner) = self.inner.try_lock() else { return };
        if let Some(conn) = inner.conn.as_mut() {
            if let Err(e) = rollcall_core::db::release_memory(conn) {
                log::warn!("could not free the page cache: {e}");
            }
        }
    }

    /// A second connection to the same database for long work on another thread (WAL lets it read while
    /// the window's connection reads too; writers wait for each other through busy_timeout). It skips
    /// the checks and the backup that the first open already did.
    pub fn open_another(&self) -> Result<Connection> {
        let inner = self.lock();
        if inner.conn.is_none() {
            return Err(not_open(&inner));
        }
        let options = OpenOptions {
            passphrase: inner.passphrase.clone(),
            read_only: inner.status.as_ref().is_some_and(|s| s.read_only),
            quick_check: false,
            daily_backup: false,
            ..OpenOptions::default()
        };
        drop(inner);
        open::open_with(&self.path, &options)
    }

    /// Runs `f` on a connection of its own (`open_another`), for a slow read that must not hold the
    /// window's connection while other commands wait. The connection is closed afterwards.
    pub fn with_another<T>(&self, f: impl FnOnce(&mut Connection) -> Result<T>) -> Result<T> {
        let result = self.open_another().and_then(|mut conn| f(&mut conn));
        crate::memory::busy();
        result
    }

    /// True the first time it is called while the database is open (and writable): today's deferred
    /// work then starts once.
    pub fn begin_maintenance(&self) -> bool {
        let inner = self.lock();
        let writable = inner.conn.is_some() && !inner.status.as_ref().is_some_and(|s| s.read_only);
        writable && !self.maintenance.swap(true, Ordering::SeqCst)
    }

    /// Records what today's deferred work did: the new backup, or damage found by the full check, in
    /// which case the database is opened again read-only (the window then shows the banner).
    pub fn maintenance_done(&self, result: &Result<open::Maintenance>) {
        let mut inner = self.lock();
        match result {
            Ok(m) => {
                if let Some(problem) = &m.problem {
                    log::warn!("database damaged, opened read-only: {problem}");
                    let options = OpenOptions {
                        passphrase: inner.passphrase.clone(),
                        read_only: true,
                        quick_check: false,
                        daily_backup: false,
                        ..OpenOptions::default()
                    };
                    if let Ok(opened) = open::open_checked(&self.path, &options) {
                        let mut status = opened.status();
                        status.problem = Some(format!(
                            "the database is damaged ({problem}); it is open read-only, restore a backup"
                        ));
                        inner.conn = Some(opened.conn);
                        inner.status = Some(status);
                    }
                } else if let (Some(backup), Some(status)) = (&m.backup, inner.status.as_mut()) {
                    status.latest_backup = Some(backup.clone());
                }
            }
            Err(e) => {
                log::warn!("today's automatic backup failed: {e}");
                if let Some(status) = inner.status.as_mut() {
                    status.backup_error = Some(e.to_string());
                }
            }
        }
    }

    /// The passphrase of the open database, if it is encrypted (for restoring an encrypted backup).
    pub fn passphrase(&self) -> Option<String> {
        self.lock().passphrase.clone()
    }

    /// Closes the database, runs `f` on its file (restore, encrypt, decrypt) and opens it again with
    /// `passphrase` (the new one after encrypting; None after decrypting). If `f` fails the database is
    /// opened again as it was.
    pub fn reopen_around<T>(
        &self,
        passphrase_after: Option<Option<String>>,
        f: impl FnOnce(&std::path::Path) -> Result<T>,
    ) -> Result<T> {
        let mut inner = self.lock();
        let before = inner.passphrase.clone();
        // Dropping the connection checkpoints and closes it, so the file can be replaced.
        inner.conn = None;
        let result = f(&self.path);
        let passphrase = match (&result, passphrase_after) {
            (Ok(_), Some(after)) => after,
            _ => before,
        };
        self.open_into(&mut inner, passphrase);
        result
    }
}

fn copy_error(e: &Error) -> Error {
    match e {
        Error::PassphraseRequired { path } => Error::PassphraseRequired { path: path.clone() },
        Error::NewerDatabase { found, supported } => Error::NewerDatabase { found: *found, supported: *supported },
        Error::BadDatabase { path, message } => Error::BadDatabase { path: path.clone(), message: message.clone() },
        Error::WrongPassphrase { path } => Error::WrongPassphrase { path: path.clone() },
        Error::Invalid { field, message, rule } => {
            Error::Invalid { field: field.clone(), message: message.clone(), rule: *rule }
        }
        Error::Conflict { message, code } => Error::Conflict { message: message.clone(), code: *code },
        // The rest (I/O, SQLite) cannot be cloned; their words are kept.
        other => Error::internal(other.to_string()),
    }
}

fn not_open(inner: &Inner) -> Error {
    match &inner.open_error {
        Some(e) => copy_error(e),
        None => Error::internal("the database is not open"),
    }
}
