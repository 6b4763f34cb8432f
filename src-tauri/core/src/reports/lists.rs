//! The list reports: an event's attendance, a person's history, an organisation's participation and a
//! project's partners. Lists show every record with its status; their totals count only `attended`.

use rusqlite::{Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

use super::local_date;
use crate::attendance::{self, HistoryEntry};
use crate::db::{self, Table};
use crate::error::{Error, Result};
use crate::partners::{self, Partner};

/// The event a list is about.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventHeader {
    pub id: i64,
    pub title: String,
    pub kind: String,
    pub project_id: i64,
    pub project_name: String,
    /// Local start as announced, `YYYY-MM-DDTHH:MM`.
    pub starts_at: String,
    pub timezone: String,
    /// Local start date, `YYYY-MM-DD`.
    pub date: String,
}

/// One person on an event's list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventAttendanceRow {
    pub person_id: i64,
    pub name: String,
    pub email: Option<String>,
    pub organisation_id: Option<i64>,
    pub organisation: Option<String>,
    pub country: Option<String>,
    pub gender: Option<String>,
    pub role: String,
    pub status: String,
    pub minutes: Option<i64>,
}

/// An event's attendance list: organisers, moderators and speakers first, then by name.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventAttendance {
    pub event: EventHeader,
    /// People with status attended.
    pub attended: i64,
    /// Everyone on the list, whatever their status.
    pub rows: Vec<EventAttendanceRow>,
}

pub(crate) fn event_header(conn: &Connection, event_id: i64) -> Result<EventHeader> {
    conn.query_row(
        "SELECT e.id, e.title, e.kind, e.project_id, p.name, e.starts_at, e.timezone
           FROM events e JOIN projects p ON p.id = e.project_id WHERE e.id = ?1",
        [event_id],
        |r| {
            let starts_at: String = r.get(5)?;
            Ok(EventHeader {
                id: r.get(0)?,
                title: r.get(1)?,
                kind: r.get(2)?,
                project_id: r.get(3)?,
                project_name: r.get(4)?,
                date: local_date(&starts_at),
                starts_at,
                timezone: r.get(6)?,
            })
        },
    )
    .optional()?
    .ok_or_else(|| Error::not_found("event", event_id))
}

/// The attendance list of one event.
pub fn event_attendance(conn: &Connection, event_id: i64) -> Result<EventAttendance> {
    let event = event_header(conn, event_id)?;
    let mut stmt = conn.prepare(&format!(
        "SELECT p.id, p.full_name, p.email, p.organisation_id, o.name, p.country, p.gender, a.role, a.status, a.minutes
           FROM attendance a JOIN people p ON p.id = a.person_id LEFT JOIN organisations o ON o.id = p.organisation_id
          WHERE a.event_id = ?1
          ORDER BY {} DESC, p.name_key, p.id",
        crate::vocab::Role::sql_rank("a.role")
    ))?;
    let rows: Vec<EventAttendanceRow> = stmt
        .query_map([event_id], |r| {
            Ok(EventAttendanceRow {
                person_id: r.get(0)?,
                name: r.get(1)?,
                email: r.get(2)?,
                organisation_id: r.get(3)?,
                organisation: r.get(4)?,
                country: r.get(5)?,
                gender: r.get(6)?,
                role: r.get(7)?,
                status: r.get(8)?,
                minutes: r.get(9)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    let attended = rows.iter().filter(|r| r.status == super::ATTENDED).count() as i64;
    Ok(EventAttendance { event, attended, rows })
}

/// Everything one person took part in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PersonHistory {
    pub person_id: i64,
    pub name: String,
    pub organisation: Option<String>,
    pub country: Option<String>,
    /// Events attended (status attended).
    pub events_attended: i64,
    /// Distinct projects of those events.
    pub projects: i64,
    /// Sum of the recorded minutes of those events.
    pub total_minutes: i64,
    /// Every record, newest event first, whatever its status.
    pub entries: Vec<HistoryEntry>,
}

/// A person's history: events with project, role, status and minutes.
pub fn person_history(conn: &Connection, person_id: i64) -> Result<PersonHistory> {
    let (name, organisation, country): (String, Option<String>, Option<String>) = conn
        .query_row(
            "SELECT p.full_name, o.name, p.country FROM people p LEFT JOIN organisations o ON o.id = p.organisation_id
              WHERE p.id = ?1",
            [person_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?
        .ok_or_else(|| Error::not_found("person", person_id))?;
    let entries = attendance::history(conn, person_id)?;
    let attended: Vec<&HistoryEntry> = entries.iter().filter(|e| e.status == super::ATTENDED).collect();
    let projects: std::collections::HashSet<i64> = attended.iter().map(|e| e.project_id).collect();
    Ok(PersonHistory {
        person_id,
        name,
        organisation,
        country,
        events_attended: attended.len() as i64,
        projects: projects.len() as i64,
        total_minutes: attended.iter().filter_map(|e| e.minutes).sum(),
        entries,
    })
}

/// One of an organisation's people at one event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrgParticipationRow {
    pub person_id: i64,
    pub name: String,
    pub event_id: i64,
    pub event_title: String,
    pub event_kind: String,
    /// Local start date, `YYYY-MM-DD`.
    pub date: String,
    pub project_id: i64,
    pub project_name: String,
    pub role: String,
    pub status: String,
    pub minutes: Option<i64>,
}

/// Which of an organisation's people came to which event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrgParticipation {
    pub organisation_id: i64,
    pub organisation_name: String,
    /// Its people who attended at least one event.
    pub people: i64,
    /// Events at which at least one of its people attended.
    pub events: i64,
    /// Attendances of its people (status attended).
    pub attendances: i64,
    /// Every record of its people, newest event first, then by name.
    pub rows: Vec<OrgParticipationRow>,
}

/// An organisation's participation: its people (by their current organisation) at every event.
pub fn organisation_participation(conn: &Connection, organisation_id: i64) -> Result<OrgParticipation> {
    let organisation_name: String = conn
        .query_row("SELECT name FROM organisations WHERE id = ?1", [organisation_id], |r| r.get(0))
        .optional()?
        .ok_or_else(|| Error::not_found("organisation", organisation_id))?;
    let mut stmt = conn.prepare(
        "SELECT p.id, p.full_name, e.id, e.title, e.kind, e.starts_at, pr.id, pr.name, a.role, a.status, a.minutes
           FROM people p JOIN attendance a ON a.person_id = p.id JOIN events e ON e.id = a.event_id
           JOIN projects pr ON pr.id = e.project_id
          WHERE p.organisation_id = ?1
          ORDER BY e.starts_utc DESC, e.id DESC, p.name_key, p.id",
    )?;
    let rows: Vec<OrgParticipationRow> = stmt
        .query_map([organisation_id], |r| {
            let starts_at: String = r.get(5)?;
            Ok(OrgParticipationRow {
                person_id: r.get(0)?,
                name: r.get(1)?,
                event_id: r.get(2)?,
                event_title: r.get(3)?,
                event_kind: r.get(4)?,
                date: local_date(&starts_at),
                project_id: r.get(6)?,
                project_name: r.get(7)?,
                role: r.get(8)?,
                status: r.get(9)?,
                minutes: r.get(10)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    let attended: Vec<&OrgParticipationRow> = rows.iter().filter(|r| r.status == super::ATTENDED).collect();
    let people: std::collections::HashSet<i64> = attended.iter().map(|r| r.person_id).collect();
    let events: std::collections::HashSet<i64> = attended.iter().map(|r| r.event_id).collect();
    Ok(OrgParticipation {
        organisation_id,
        organisation_name,
        people: people.len() as i64,
        events: events.len() as i64,
        attendances: attended.len() as i64,
        rows,
    })
}

/// The partners of a project with their roles.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProjectPartners {
    pub project_id: i64,
    pub project_name: String,
    pub donor: Option<String>,
    /// Lead first, then partners, funders, supporters and associates.
    pub partners: Vec<Partner>,
}

/// A project's partners.
pub fn partners(conn: &Connection, project_id: i64) -> Result<ProjectPartners> {
    db::ensure_exists(conn, Table::Projects, project_id)?;
    let (project_name, donor) =
        conn.query_row("SELECT name, donor FROM projects WHERE id = ?1", [project_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(ProjectPartners { project_id, project_name, donor, partners: partners::for_project(conn, project_id)? })
}
