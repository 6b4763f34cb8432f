//! One read: the rows a preview read from a file, kept for the commit that follows, so a file is parsed
//! once (issue 18). One file per database, small files only (`LIMIT` rows: a coordinator's reports; a
//! large file is streamed again rather than held), used once, and only while everything the rows depend
//! on is unchanged: the file's SHA-256, the options, the event, and the database (`PRAGMA data_version`
//! for other connections' commits, the connection's own change count for its own writes). Matching and
//! writing run again in the commit's transaction: they must, since the commit writes.

use std::cell::Cell;
use std::sync::Mutex;

use rusqlite::Connection;

use super::options::ImportOptions;
use super::row::Item;
use super::Plan;
use crate::error::Result;

/// Rows (items) a preview keeps at most: far more than a meeting's or webinar's report, far less than
/// the memory a million-row file would take.
const LIMIT: usize = 20_000;

/// What the kept rows depend on.
#[derive(PartialEq, Eq)]
pub(super) struct Key {
    /// The connection (where it lives), whose data version and change count are compared: both are a
    /// connection's own. Another connection can only cause a needless second read, never a wrong reuse
    /// unless it also has the same data version and change count at the same address.
    connection: usize,
    database: Option<String>,
    data_version: i64,
    changes: u64,
    event_id: i64,
    sha256: String,
    size: u64,
    /// The options the rows depend on, as JSON (format, mapping, status); the policy for ambiguous rows
    /// and the confirmation of skips change what is written, not what is read.
    options: String,
}

impl Key {
    pub(super) fn of(conn: &Connection, event_id: i64, plan: &Plan, options: &ImportOptions) -> Result<Key> {
        Ok(Key {
            connection: conn as *const Connection as usize,
            database: conn.path().map(str::to_string),
            data_version: conn.query_row("PRAGMA data_version", [], |r| r.get(0))?,
            changes: conn.total_changes(),
            event_id,
            sha256: plan.sha256.clone(),
            size: plan.size,
            options: serde_json::to_string(&(&options.format, &options.mapping, &options.status)).unwrap_or_default(),
        })
    }
}

struct Kept {
    key: Key,
    items: Vec<Item>,
}

/// Files kept at most, one per database (the window has one; tests run many side by side).
const FILES: usize = 4;

static KEPT: Mutex<Vec<Kept>> = Mutex::new(Vec::new());

thread_local! {
    static READS: Cell<u64> = const { Cell::new(0) };
}

/// How many times this thread has read a file through its parser (for tests of the one read).
pub fn files_read() -> u64 {
    READS.with(Cell::get)
}

pub(super) fn count_read() {
    READS.with(|r| r.set(r.get() + 1));
}

/// Adds a record's items to those being kept, or stops keeping when there are too many.
pub(super) fn add(keep: &mut Option<Vec<Item>>, items: &[Item]) {
    if let Some(kept) = keep {
        if kept.len() + items.len() > LIMIT {
            *keep = None;
        } else {
            kept.extend_from_slice(items);
        }
    }
}

fn slots() -> std::sync::MutexGuard<'static, Vec<Kept>> {
    KEPT.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Keeps a preview's rows, in place of what was kept for the same database.
pub(super) fn keep(key: Key, items: Vec<Item>) {
    let mut slots = slots();
    slots.retain(|k| k.key.database != key.database);
    if slots.len() >= FILES {
        slots.remove(0);
    }
    slots.push(Kept { key, items });
}

/// Forgets what was kept for the database of `key`.
pub(super) fn forget(key: &Key) {
    slots().retain(|k| k.key.database != key.database);
}

/// The kept rows if their key is `key`; what was kept for the same database is dropped either way.
pub(super) fn take(key: &Key) -> Option<Vec<Item>> {
    let mut slots = slots();
    let at = slots.iter().position(|k| k.key.database == key.database)?;
    let kept = slots.remove(at);
    (&kept.key == key).then_some(kept.items)
}
