//! The one owner of the database in the desktop app: the open connection, managed by Tauri, behind a
//! small accessor that commands use. Long work opens its own connection from `path` off the UI thread.

use std::path::PathBuf;
use std::sync::Mutex;

use rollcall_core::db::Connection;
use rollcall_core::{Error, Result};

pub struct AppState {
    pub path: PathBuf,
    conn: Mutex<Option<Connection>>,
    /// Why the database could not be opened (a newer or damaged file), shown by the UI at start.
    open_error: Option<Error>,
}

impl AppState {
    /// Opens the database at `path`. A failure does not stop the app: the window starts and says why.
    pub fn open(path: PathBuf) -> AppState {
        match rollcall_core::db::open(&path) {
            Ok(conn) => AppState { path, conn: Mutex::new(Some(conn)), open_error: None },
            Err(e) => {
                log::error!("could not open the database: {e}");
                AppState { path, conn: Mutex::new(None), open_error: Some(e) }
            }
        }
    }

    pub fn open_error(&self) -> Option<&Error> {
        self.open_error.as_ref()
    }

    /// Runs `f` with the connection. The lock is held only for the call, never across an await.
    pub fn with<T>(&self, f: impl FnOnce(&mut Connection) -> Result<T>) -> Result<T> {
        let mut guard = self.conn.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        match guard.as_mut() {
            Some(conn) => f(conn),
            None => Err(self.open_error_copy()),
        }
    }

    /// A second connection to the same database for long work on another thread (WAL lets it read while
    /// the window's connection reads too; writers wait for each other through busy_timeout).
    pub fn open_another(&self) -> Result<Connection> {
        if self.open_error.is_some() {
            return Err(self.open_error_copy());
        }
        rollcall_core::db::open(&self.path)
    }

    fn open_error_copy(&self) -> Error {
        match &self.open_error {
            Some(e) => Error::BadDatabase { path: self.path.display().to_string(), message: e.to_string() },
            None => Error::conflict("the database is not open"),
        }
    }
}
