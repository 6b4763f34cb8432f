//! Projects: the funded programmes (webinar series, conferences, contests) that events belong to.

use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::{Deserialize, Serialize};

use crate::db::{self, Table};
use crate::error::{Error, Result};
use crate::validate;

pub const STATUSES: &[&str] = &["planned", "active", "closed"];

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Project {
    pub id: i64,
    pub uid: String,
    pub name: String,
    pub code: Option<String>,
    pub donor: Option<String>,
    pub start_date: Option<String>,
    pub end_date: Option<String>,
    pub status: String,
    pub description: String,
    pub created_at: String,
    pub updated_at: String,
    /// Number of events in the project (computed).
    pub events: i64,
    /// Number of partner organisations (computed).
    pub partners: i64,
}

/// What a user fills in to create or edit a project.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ProjectInput {
    pub name: String,
    pub code: Option<String>,
    pub donor: Option<String>,
    pub start_date: Option<String>,
    pub end_date: Option<String>,
    pub status: Option<String>,
    pub description: Option<String>,
}

struct Valid {
    name: String,
    code: Option<String>,
    donor: Option<String>,
    start_date: Option<String>,
    end_date: Option<String>,
    status: String,
    description: String,
}

fn validate(input: &ProjectInput) -> Result<Valid> {
    let v = Valid {
        name: validate::required("name", &input.name)?,
        code: validate::optional("code", input.code.as_deref())?,
        donor: validate::optional("donor", input.donor.as_deref())?,
        start_date: validate::date("start_date", input.start_date.as_deref())?,
        end_date: validate::date("end_date", input.end_date.as_deref())?,
        status: validate::one_of("status", input.status.as_deref().unwrap_or("active"), STATUSES)?,
        description: validate::long("description", input.description.as_deref())?,
    };
    if let (Some(s), Some(e)) = (&v.start_date, &v.end_date) {
        if e < s {
            return Err(Error::invalid("end_date", "end date is before the start date"));
        }
    }
    Ok(v)
}

const SELECT: &str = "SELECT p.id, p.uid, p.name, p.code, p.donor, p.start_date, p.end_date, p.status, p.description,
       p.created_at, p.updated_at,
       (SELECT count(*) FROM events e WHERE e.project_id = p.id),
       (SELECT count(*) FROM project_partners pp WHERE pp.project_id = p.id)
  FROM projects p";

fn from_row(r: &Row) -> rusqlite::Result<Project> {
    Ok(Project {
        id: r.get(0)?,
        uid: r.get(1)?,
        name: r.get(2)?,
        code: r.get(3)?,
        donor: r.get(4)?,
        start_date: r.get(5)?,
        end_date: r.get(6)?,
        status: r.get(7)?,
        description: r.get(8)?,
        created_at: r.get(9)?,
        updated_at: r.get(10)?,
        events: r.get(11)?,
        partners: r.get(12)?,
    })
}

pub fn create(conn: &Connection, input: &ProjectInput) -> Result<Project> {
    let v = validate(input)?;
    let now = db::now();
    conn.execute(
        "INSERT INTO projects (uid, name, code, donor, start_date, end_date, status, description, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9)",
        params![db::new_uid(), v.name, v.code, v.donor, v.start_date, v.end_date, v.status, v.description, now],
    )?;
    get(conn, conn.last_insert_rowid())
}

pub fn update(conn: &Connection, id: i64, input: &ProjectInput) -> Result<Project> {
    let v = validate(input)?;
    let n = conn.execute(
        "UPDATE projects SET name = ?2, code = ?3, donor = ?4, start_date = ?5, end_date = ?6, status = ?7,
                description = ?8, updated_at = ?9 WHERE id = ?1",
        params![id, v.name, v.code, v.donor, v.start_date, v.end_date, v.status, v.description, db::now()],
    )?;
    if n == 0 {
        return Err(Error::not_found("project", id));
    }
    get(conn, id)
}

pub fn get(conn: &Connection, id: i64) -> Result<Project> {
    conn.query_row(&format!("{SELECT} WHERE p.id = ?1"), [id], from_row)
        .optional()?
        .ok_or_else(|| Error::not_found("project", id))
}

/// All projects, active ones first, then by start date (newest first) and name.
pub fn list(conn: &Connection) -> Result<Vec<Project>> {
    let mut stmt = conn.prepare(&format!(
        "{SELECT} ORDER BY CASE p.status WHEN 'active' THEN 0 WHEN 'planned' THEN 1 ELSE 2 END,
                  p.start_date IS NULL, p.start_date DESC, p.name"
    ))?;
    let rows = stmt.query_map([], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Deletes a project. Its events, their attendance and its partner links go with it, so unless `cascade`
/// is set the call refuses with a Conflict that says what would be deleted, for the UI to ask first.
pub fn delete(conn: &mut Connection, id: i64, cascade: bool) -> Result<()> {
    db::ensure_exists(conn, Table::Projects, id)?;
    let (events, attendance): (i64, i64) = conn.query_row(
        "SELECT (SELECT count(*) FROM events WHERE project_id = ?1),
                (SELECT count(*) FROM attendance a JOIN events e ON e.id = a.event_id WHERE e.project_id = ?1)",
        [id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    if !cascade && events > 0 {
        return Err(Error::conflict(format!(
            "this project has {events} event(s) with {attendance} attendance record(s); deleting it deletes them too"
        )));
    }
    db::write(conn, |tx| {
        tx.execute("DELETE FROM projects WHERE id = ?1", [id])?;
        Ok(())
    })
}

/// Whether the database has no project yet: the desktop app then offers the sample data or an empty
/// start.
pub fn none_yet(conn: &Connection) -> Result<bool> {
    let n: i64 = conn.query_row("SELECT count(*) FROM projects", [], |r| r.get(0))?;
    Ok(n == 0)
}
