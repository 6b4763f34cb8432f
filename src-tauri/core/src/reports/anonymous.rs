//! What erasures left behind, read for the reports: anonymous attendance counts per event and the number
//! of erased people per project (written by `privacy` when a person is erased; see its module comment).

use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

use crate::error::Result;

/// Anonymous attendance left by erased people at one event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AnonymousCount {
    pub event_id: i64,
    pub role: String,
    pub status: String,
    /// Attendance records.
    pub count: i64,
    /// Their minutes added up (records without minutes add nothing).
    pub minutes: i64,
}

/// The anonymous counts of erased people, for one event or all events of a project (or everything).
pub fn anonymous_counts(
    conn: &Connection,
    project_id: Option<i64>,
    event_id: Option<i64>,
) -> Result<Vec<AnonymousCount>> {
    let mut stmt = conn.prepare(
        "SELECT c.event_id, c.role, c.status, c.count, c.minutes
           FROM event_anonymous_counts c JOIN events e ON e.id = c.event_id
          WHERE (?1 IS NULL OR e.project_id = ?1) AND (?2 IS NULL OR c.event_id = ?2)
          ORDER BY e.starts_utc, c.event_id, c.role, c.status",
    )?;
    let rows = stmt.query_map(params![project_id, event_id], |r| {
        Ok(AnonymousCount {
            event_id: r.get(0)?,
            role: r.get(1)?,
            status: r.get(2)?,
            count: r.get(3)?,
            minutes: r.get(4)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// How many erased people had attended the project (for unique-participant totals).
pub fn anonymous_people(conn: &Connection, project_id: i64) -> Result<i64> {
    Ok(conn
        .query_row("SELECT people FROM project_anonymous_people WHERE project_id = ?1", [project_id], |r| r.get(0))
        .optional()?
        .unwrap_or(0))
}
