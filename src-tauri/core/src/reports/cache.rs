//! What the report caches (`report_rosters`, `report_people`) share: they are rebuilt inside a read
//! transaction and stored afterwards only if no other connection wrote in between, so a stored cache
//! always matches the data it was built from (triggers delete it whenever that data changes later).

use rusqlite::{Connection, Transaction};

use crate::db;
use crate::error::Result;

/// SQLite's counter of commits by other connections (`PRAGMA data_version`).
pub(crate) fn data_version(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("PRAGMA data_version", [], |r| r.get(0))?)
}

/// Stores rebuilt cache rows with `write`, unless another connection has written since `version` was read
/// (then they may be stale, and the next report rebuilds them) or is writing now (a report does not wait
/// for an import). Failing to store is not an error: the report is complete without it.
pub(crate) fn store(conn: &mut Connection, version: i64, what: &str, write: impl FnOnce(&Transaction) -> Result<()>) {
    let previous: i64 = conn.query_row("PRAGMA busy_timeout", [], |r| r.get(0)).unwrap_or(5000);
    let _ = conn.busy_timeout(std::time::Duration::ZERO);
    let result = db::write(conn, |tx| {
        if data_version(tx)? != version {
            return Ok(false);
        }
        write(tx)?;
        Ok(true)
    });
    let _ = conn.busy_timeout(std::time::Duration::from_millis(previous.max(0) as u64));
    match result {
        Ok(true) => log::debug!("stored the rebuilt {what}"),
        Ok(false) => log::debug!("{what} not stored: the database changed meanwhile"),
        Err(e) => log::debug!("{what} not stored: {e}"),
    }
}
