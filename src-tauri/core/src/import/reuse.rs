//! One read: the rows a preview read from a file, kept for the commit that follows, so a file is parsed
//! once (issue 18). One file per database, small files only (`LIMIT` rows: a meeting's or webinar's
//! report; a large file is streamed again rather than held), used once.
//!
//! The rows are what the parser made of the file, before any matching, so they depend on the file and
//! on nothing else in the database than what the parser is given: the key is the file's SHA-256 and
//! size, the format, mapping, header line and day order found for it (a remembered mapping comes from
//! the database), the status asked for, and the event's date and planned length (times written without
//! a date, durations). Any change there reads the file again. Matching and writing run again in the
//! commit's transaction against the database as it is then, so a person added or changed since the
//! preview is seen as a fresh read would see them. The key is not the connection's `PRAGMA
//! data_version`: the window runs the preview and the commit as jobs on connections of their own, whose
//! data versions cannot be compared.

use std::cell::Cell;
use std::sync::Mutex;

use rusqlite::Connection;

use super::apply;
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
    /// The database file (tests run many side by side; the window has one).
    database: Option<String>,
    event_id: i64,
    sha256: String,
    size: u64,
    /// What the parser is given besides the file, written out.
    reading: String,
}

impl Key {
    pub(super) fn of(conn: &Connection, event_id: i64, plan: &Plan, options: &ImportOptions) -> Result<Key> {
        let reading = format!(
            "{:?}",
            (
                plan.format.as_str(),
                &plan.mapping,
                plan.header_line,
                plan.day_order,
                plan.encoding,
                plan.delimiter,
                &options.status,
                apply::event_date(conn, event_id)?,
                apply::event_minutes(conn, event_id)?,
            )
        );
        Ok(Key {
            database: conn.path().map(str::to_string),
            event_id,
            sha256: plan.sha256.clone(),
            size: plan.size,
            reading,
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
