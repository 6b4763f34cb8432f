//! Attendance: who came to which event, in what role, with what status and for how many minutes.

use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::{Deserialize, Serialize};

use crate::db::{self, Table};
use crate::error::{Error, Result};
use crate::validate;
use crate::vocab::{Role, Status};

/// The roles as stored, lowest rank first (`vocab::Role`); report caches store a role as its index.
pub const ROLES: &[&str] =
    &[Role::Participant.as_str(), Role::Speaker.as_str(), Role::Moderator.as_str(), Role::Organiser.as_str()];
/// In this order, not the rank's: report caches and exports store a status as its index here.
pub const STATUSES: &[&str] =
    &[Status::Registered.as_str(), Status::Attended.as_str(), Status::Absent.as_str(), Status::Cancelled.as_str()];

/// One person's attendance at one event, with the person's details for lists.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Attendance {
    pub id: i64,
    pub uid: String,
    pub event_id: i64,
    pub person_id: i64,
    pub name: String,
    pub email: Option<String>,
    pub organisation_name: Option<String>,
    pub country: Option<String>,
    pub role: String,
    pub status: String,
    pub minutes: Option<i64>,
    pub first_join: Option<String>,
    pub last_leave: Option<String>,
    pub source: String,
    pub import_id: Option<i64>,
}

/// Sets one person's attendance at an event. Fields left out keep their current value (or the default,
/// participant / attended, for a new record).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct AttendanceInput {
    pub event_id: i64,
    pub person_id: i64,
    pub role: Option<String>,
    pub status: Option<String>,
    pub minutes: Option<i64>,
}

const SELECT: &str =
    "SELECT a.id, a.uid, a.event_id, a.person_id, p.full_name, p.email, o.name, p.country, a.role, a.status,
       a.minutes, a.first_join, a.last_leave, a.source, a.import_id
  FROM attendance a JOIN people p ON p.id = a.person_id LEFT JOIN organisations o ON o.id = p.organisation_id";

fn from_row(r: &Row) -> rusqlite::Result<Attendance> {
    Ok(Attendance {
        id: r.get(0)?,
        uid: r.get(1)?,
        event_id: r.get(2)?,
        person_id: r.get(3)?,
        name: r.get(4)?,
        email: r.get(5)?,
        organisation_name: r.get(6)?,
        country: r.get(7)?,
        role: r.get(8)?,
        status: r.get(9)?,
        minutes: r.get(10)?,
        first_join: r.get(11)?,
        last_leave: r.get(12)?,
        source: r.get(13)?,
        import_id: r.get(14)?,
    })
}

pub fn set(conn: &Connection, input: &AttendanceInput) -> Result<Attendance> {
    db::ensure_exists(conn, Table::Events, input.event_id)?;
    db::ensure_exists(conn, Table::People, input.person_id)?;
    let role = input.role.as_deref().map(|r| validate::one_of("role", r, ROLES)).transpose()?;
    let status = input.status.as_deref().map(|s| validate::one_of("status", s, STATUSES)).transpose()?;
    if let Some(m) = input.minutes {
        validate::range("minutes", m, 0, validate::MAX_MINUTES, "minutes must be between 0 and 44640")?;
    }
    let now = db::now();
    conn.execute(
        "INSERT INTO attendance (uid, event_id, person_id, role, status, minutes, source, created_at, updated_at)
         VALUES (?1, ?2, ?3, coalesce(?4, 'participant'), coalesce(?5, 'attended'), ?6, 'manual', ?7, ?7)
         ON CONFLICT (event_id, person_id) DO UPDATE SET
             role = coalesce(?4, role), status = coalesce(?5, status), minutes = coalesce(?6, minutes),
             updated_at = ?7",
        params![db::new_uid(), input.event_id, input.person_id, role, status, input.minutes, now],
    )?;
    get(conn, input.event_id, input.person_id)
}

pub fn get(conn: &Connection, event_id: i64, person_id: i64) -> Result<Attendance> {
    conn.query_row(&format!("{SELECT} WHERE a.event_id = ?1 AND a.person_id = ?2"), [event_id, person_id], from_row)
        .optional()?
        .ok_or_else(|| Error::not_found("attendance record", format!("{event_id}/{person_id}")))
}

/// The attendance list of an event: organisers, moderators and speakers first, then by name.
pub fn for_event(conn: &Connection, event_id: i64) -> Result<Vec<Attendance>> {
    db::ensure_exists(conn, Table::Events, event_id)?;
    let mut stmt = conn.prepare(&format!(
        "{SELECT} WHERE a.event_id = ?1
         ORDER BY {} DESC, p.name_key, p.id",
        crate::vocab::Role::sql_rank("a.role")
    ))?;
    let rows = stmt.query_map([event_id], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// What part of an event's list to show: the window's list asks for one page at a time.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct AttendanceQuery {
    /// Text found in the name, email, organisation or country code, in any script, case- and
    /// accent-insensitive (`text::fold`).
    pub filter: Option<String>,
    pub offset: i64,
    /// Page size; 0 means all.
    pub limit: i64,
}

/// One page of an event's attendance list, in `for_event`'s order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AttendancePage {
    pub items: Vec<Attendance>,
    /// Records that match the filter (all of them without one).
    pub total: i64,
    /// Records on the event's list, whatever the filter.
    pub all: i64,
    pub offset: i64,
    pub limit: i64,
}

/// A page of an event's attendance list (issue 19: an event of 17,000 records sent whole to the window
/// took 110 to 180 ms to cross and about 20 MB of the web process's memory at each visit; a page of 100
/// is a few milliseconds). An offset past the end gives the last page, so a list that shrank under a
/// redraw stays on a page that exists.
pub fn page(conn: &Connection, event_id: i64, q: &AttendanceQuery) -> Result<AttendancePage> {
    db::ensure_exists(conn, Table::Events, event_id)?;
    let filter = q.filter.as_deref().map(crate::text::fold).filter(|f| !f.is_empty());
    let limit = if q.limit <= 0 { -1 } else { q.limit.min(10_000) };
    const MATCHES: &str = "(?2 IS NULL OR instr(p.search_key, ?2) > 0 OR instr(o.name_key, ?2) > 0
                             OR instr(lower(coalesce(p.country, '')), ?2) > 0)";
    let all: i64 = conn.query_row("SELECT count(*) FROM attendance WHERE event_id = ?1", [event_id], |r| r.get(0))?;
    let total: i64 = match &filter {
        None => all,
        Some(_) => conn.query_row(
            &format!(
                "SELECT count(*) FROM attendance a JOIN people p ON p.id = a.person_id
                   LEFT JOIN organisations o ON o.id = p.organisation_id
                  WHERE a.event_id = ?1 AND {MATCHES}"
            ),
            params![event_id, filter],
            |r| r.get(0),
        )?,
    };
    let mut offset = q.offset.max(0);
    if limit > 0 && offset >= total {
        offset = if total == 0 { 0 } else { (total - 1) / limit * limit };
    }
    let mut stmt = conn.prepare(&format!(
        "{SELECT} WHERE a.event_id = ?1 AND {MATCHES}
         ORDER BY {} DESC, p.name_key, p.id LIMIT ?3 OFFSET ?4",
        crate::vocab::Role::sql_rank("a.role")
    ))?;
    let items = stmt.query_map(params![event_id, filter, limit, offset], from_row)?.collect::<rusqlite::Result<_>>()?;
    Ok(AttendancePage { items, total, all, offset, limit: limit.max(0) })
}

/// Removes a person from an event's list.
pub fn remove(conn: &Connection, event_id: i64, person_id: i64) -> Result<()> {
    let n = conn.execute("DELETE FROM attendance WHERE event_id = ?1 AND person_id = ?2", [event_id, person_id])?;
    if n == 0 {
        return Err(Error::not_found("attendance record", format!("{event_id}/{person_id}")));
    }
    Ok(())
}

/// One line of a person's attendance history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HistoryEntry {
    pub event_id: i64,
    pub event_title: String,
    pub event_kind: String,
    pub project_id: i64,
    pub project_name: String,
    pub starts_at: String,
    pub timezone: String,
    pub role: String,
    pub status: String,
    pub minutes: Option<i64>,
}

/// Every event a person is recorded at, newest first.
pub fn history(conn: &Connection, person_id: i64) -> Result<Vec<HistoryEntry>> {
    db::ensure_exists(conn, Table::People, person_id)?;
    let mut stmt = conn.prepare(
        "SELECT e.id, e.title, e.kind, p.id, p.name, e.starts_at, e.timezone, a.role, a.status, a.minutes
           FROM attendance a JOIN events e ON e.id = a.event_id JOIN projects p ON p.id = e.project_id
          WHERE a.person_id = ?1 ORDER BY e.starts_utc DESC",
    )?;
    let rows = stmt.query_map([person_id], |r| {
        Ok(HistoryEntry {
            event_id: r.get(0)?,
            event_title: r.get(1)?,
            event_kind: r.get(2)?,
            project_id: r.get(3)?,
            project_name: r.get(4)?,
            starts_at: r.get(5)?,
            timezone: r.get(6)?,
            role: r.get(7)?,
            status: r.get(8)?,
            minutes: r.get(9)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Someone expected at an event because they came to the project's other events, but who is not on
/// this event's list yet: the rows of the manual attendance grid that still need a status.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Expected {
    pub person_id: i64,
    pub name: String,
    pub email: Option<String>,
    pub organisation_name: Option<String>,
    pub country: Option<String>,
    /// How many of the project's other events they are recorded at (as anything but cancelled).
    pub events: i64,
}

/// At most this many expected people are offered; the most regular come first.
pub const EXPECTED_LIMIT: i64 = 500;

/// The people expected at an event: recorded at another event of the same project (not cancelled) and
/// not on this event's list, the most regular first.
pub fn expected(conn: &Connection, event_id: i64) -> Result<Vec<Expected>> {
    db::ensure_exists(conn, Table::Events, event_id)?;
    let mut stmt = conn.prepare(
        "WITH this AS (SELECT id, project_id FROM events WHERE id = ?1),
              seen AS (SELECT a.person_id, count(*) AS n
                         FROM attendance a JOIN events e ON e.id = a.event_id, this
                        WHERE e.project_id = this.project_id AND e.id <> this.id AND a.status <> 'cancelled'
                        GROUP BY a.person_id)
         SELECT p.id, p.full_name, p.email, o.name, p.country, seen.n
           FROM seen JOIN people p ON p.id = seen.person_id LEFT JOIN organisations o ON o.id = p.organisation_id
          WHERE NOT EXISTS (SELECT 1 FROM attendance x WHERE x.event_id = ?1 AND x.person_id = p.id)
          ORDER BY seen.n DESC, p.name_key, p.id
          LIMIT ?2",
    )?;
    let rows = stmt.query_map(params![event_id, EXPECTED_LIMIT], |r| {
        Ok(Expected {
            person_id: r.get(0)?,
            name: r.get(1)?,
            email: r.get(2)?,
            organisation_name: r.get(3)?,
            country: r.get(4)?,
            events: r.get(5)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
