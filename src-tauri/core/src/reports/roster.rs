//! Event rosters: each event's attended records packed into one blob, so aggregate reports read a
//! million attendance records as a few thousand blobs instead of stepping SQLite through a million rows.
//!
//! `report_rosters` is a cache. Triggers on `attendance` delete an event's row whenever its attended
//! records change, and deleting the event deletes it; a report rebuilds the missing rows from the covering
//! index `attendance_attended` and stores them (see `cache`).
//!
//! Format (version 1): one byte `1`, then 13 bytes per attended record: the person id (i64,
//! little-endian), the role (one byte, an index into `ROLES`) and the minutes (i32, little-endian, -1 for
//! unknown). A blob in any other format counts as missing.

use rusqlite::types::ValueRef;
use rusqlite::Connection;

use super::cache;
use crate::attendance::ROLES;
use crate::error::Result;

const FORMAT: u8 = 1;
const RECORD: usize = 13;

/// One attended record as reports see it.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Record {
    pub person_id: i64,
    /// Index into `attendance::ROLES`.
    pub role: u8,
    pub minutes: Option<i32>,
}

fn role_code(role: &[u8]) -> u8 {
    ROLES.iter().position(|r| r.as_bytes() == role).unwrap_or(0) as u8
}

fn decode(data: &[u8]) -> Option<impl Iterator<Item = Record> + '_> {
    let (&version, body) = data.split_first()?;
    if version != FORMAT || body.len() % RECORD != 0 {
        return None;
    }
    Some(body.chunks_exact(RECORD).map(|c| {
        let minutes = i32::from_le_bytes([c[9], c[10], c[11], c[12]]);
        Record {
            person_id: i64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]),
            role: c[8],
            minutes: (minutes >= 0).then_some(minutes),
        }
    }))
}

/// Packs an event's attended records, read from the covering index.
fn build(conn: &Connection, event_id: i64) -> Result<(i64, Vec<u8>)> {
    let mut stmt = conn.prepare_cached(
        "SELECT person_id, role, minutes FROM attendance WHERE event_id = ?1 AND status = 'attended'",
    )?;
    let mut rows = stmt.query([event_id])?;
    let mut data = vec![FORMAT];
    let mut n = 0i64;
    while let Some(r) = rows.next()? {
        let person_id = match r.get_ref(0)? {
            ValueRef::Integer(i) => i,
            _ => continue,
        };
        let role = match r.get_ref(1)? {
            ValueRef::Text(t) => role_code(t),
            _ => 0,
        };
        let minutes = match r.get_ref(2)? {
            ValueRef::Integer(m) => i32::try_from(m).unwrap_or(i32::MAX),
            _ => -1,
        };
        data.extend_from_slice(&person_id.to_le_bytes());
        data.push(role);
        data.extend_from_slice(&minutes.to_le_bytes());
        n += 1;
    }
    Ok((n, data))
}

/// Calls `f(event_index, record)` for every attended record of the events in `event_ids` (the index is
/// the event's position in `event_ids`), from the stored rosters where present and from the attendance
/// index otherwise; rosters that had to be rebuilt are then stored for the next report. `scope` must
/// select (at least) the same events, so their rosters are read in one statement.
pub(crate) fn scan(
    conn: &mut Connection,
    scope: &Scope,
    event_ids: &[i64],
    mut f: impl FnMut(usize, Record),
) -> Result<ScanStats> {
    let position: std::collections::HashMap<i64, usize> = event_ids.iter().enumerate().map(|(i, &e)| (e, i)).collect();
    let mut found = vec![false; event_ids.len()];
    let mut rebuilt: Vec<(i64, i64, Vec<u8>)> = Vec::new();
    let version;
    {
        // One read transaction: the stored rosters and the rebuilt ones describe the same snapshot.
        let tx = conn.transaction()?;
        version = cache::data_version(&tx)?;
        {
            let mut stmt = tx.prepare_cached(&format!(
                "SELECT r.event_id, r.data FROM events e JOIN report_rosters r ON r.event_id = e.id WHERE {}",
                Scope::WHERE
            ))?;
            let mut rows = stmt.query(scope.params())?;
            while let Some(r) = rows.next()? {
                let Some(&i) = r.get_ref(0)?.as_i64().ok().and_then(|e| position.get(&e)) else { continue };
                if let Some(records) = r.get_ref(1)?.as_blob().ok().and_then(decode) {
                    found[i] = true;
                    for record in records {
                        f(i, record);
                    }
                }
            }
        }
        for (i, &event_id) in event_ids.iter().enumerate() {
            if found[i] {
                continue;
            }
            let (n, data) = build(&tx, event_id)?;
            for record in decode(&data).expect("a roster just built decodes") {
                f(i, record);
            }
            rebuilt.push((event_id, n, data));
        }
        tx.commit()?;
    }
    let stats = ScanStats { events: event_ids.len(), rebuilt: rebuilt.len() };
    if !rebuilt.is_empty() {
        cache::store(conn, version, "event rosters", |tx| {
            let mut insert = tx.prepare_cached(
                "INSERT OR REPLACE INTO report_rosters (event_id, attended, data) VALUES (?1, ?2, ?3)",
            )?;
            for (event_id, n, data) in &rebuilt {
                insert.execute(rusqlite::params![event_id, n, data])?;
            }
            Ok(())
        });
    }
    Ok(stats)
}

/// The events of a report: one project's, optionally only those whose local start date is within
/// `from`..=`to` (ISO dates, inclusive).
#[derive(Debug, Clone)]
pub(crate) struct Scope {
    pub project_id: i64,
    pub from: Option<String>,
    pub to: Option<String>,
}

impl Scope {
    /// The condition on `events e` that selects the scope, with parameters ?1 (project), ?2 (from), ?3 (to).
    pub const WHERE: &'static str = "e.project_id = ?1 AND (?2 IS NULL OR substr(e.starts_at, 1, 10) >= ?2)
           AND (?3 IS NULL OR substr(e.starts_at, 1, 10) <= ?3)";

    pub fn params(&self) -> (i64, Option<&str>, Option<&str>) {
        (self.project_id, self.from.as_deref(), self.to.as_deref())
    }
}

/// How a scan went, for the log.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ScanStats {
    pub events: usize,
    pub rebuilt: usize,
}
