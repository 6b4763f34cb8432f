//! Project partners: which organisations take part in a project, and in what role.

use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::{Deserialize, Serialize};

use crate::db::{self, Table};
use crate::error::{Error, Result};
use crate::validate;

pub const ROLES: &[&str] = &["lead", "partner", "supporter", "funder", "associate"];

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Partner {
    pub id: i64,
    pub uid: String,
    pub project_id: i64,
    pub organisation_id: i64,
    pub role: String,
    pub organisation_name: String,
    pub organisation_country: Option<String>,
    pub organisation_kind: String,
    pub project_name: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct PartnerInput {
    pub project_id: i64,
    pub organisation_id: i64,
    pub role: String,
}

const SELECT: &str =
    "SELECT pp.id, pp.uid, pp.project_id, pp.organisation_id, pp.role, o.name, o.country, o.kind, p.name
  FROM project_partners pp JOIN organisations o ON o.id = pp.organisation_id JOIN projects p ON p.id = pp.project_id";

fn from_row(r: &Row) -> rusqlite::Result<Partner> {
    Ok(Partner {
        id: r.get(0)?,
        uid: r.get(1)?,
        project_id: r.get(2)?,
        organisation_id: r.get(3)?,
        role: r.get(4)?,
        organisation_name: r.get(5)?,
        organisation_country: r.get(6)?,
        organisation_kind: r.get(7)?,
        project_name: r.get(8)?,
    })
}

/// Adds an organisation to a project; adding it twice is a Conflict (change the role instead).
pub fn add(conn: &Connection, input: &PartnerInput) -> Result<Partner> {
    let role = validate::one_of("role", &input.role, ROLES)?;
    db::ensure_exists(conn, Table::Projects, input.project_id)?;
    db::ensure_exists(conn, Table::Organisations, input.organisation_id)?;
    let exists: Option<i64> = conn
        .query_row(
            "SELECT id FROM project_partners WHERE project_id = ?1 AND organisation_id = ?2",
            [input.project_id, input.organisation_id],
            |r| r.get(0),
        )
        .optional()?;
    if exists.is_some() {
        return Err(Error::conflict("this organisation is already a partner of the project; change its role instead"));
    }
    let now = db::now();
    conn.execute(
        "INSERT INTO project_partners (uid, project_id, organisation_id, role, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?5)",
        params![db::new_uid(), input.project_id, input.organisation_id, role, now],
    )?;
    get(conn, conn.last_insert_rowid())
}

pub fn set_role(conn: &Connection, id: i64, role: &str) -> Result<Partner> {
    let role = validate::one_of("role", role, ROLES)?;
    let n = conn.execute(
        "UPDATE project_partners SET role = ?2, updated_at = ?3 WHERE id = ?1",
        params![id, role, db::now()],
    )?;
    if n == 0 {
        return Err(Error::not_found("partnership", id));
    }
    get(conn, id)
}

pub fn get(conn: &Connection, id: i64) -> Result<Partner> {
    conn.query_row(&format!("{SELECT} WHERE pp.id = ?1"), [id], from_row)
        .optional()?
        .ok_or_else(|| Error::not_found("partnership", id))
}

/// The partners of a project, lead first.
pub fn for_project(conn: &Connection, project_id: i64) -> Result<Vec<Partner>> {
    let mut stmt = conn.prepare(&format!(
        "{SELECT} WHERE pp.project_id = ?1
         ORDER BY CASE pp.role WHEN 'lead' THEN 0 WHEN 'partner' THEN 1 WHEN 'funder' THEN 2 WHEN 'supporter' THEN 3 ELSE 4 END, o.name_key"
    ))?;
    let rows = stmt.query_map([project_id], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The projects an organisation takes part in.
pub fn for_organisation(conn: &Connection, organisation_id: i64) -> Result<Vec<Partner>> {
    let mut stmt = conn.prepare(&format!("{SELECT} WHERE pp.organisation_id = ?1 ORDER BY p.name"))?;
    let rows = stmt.query_map([organisation_id], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Removes an organisation from a project (nothing else refers to a partnership).
pub fn remove(conn: &Connection, id: i64) -> Result<()> {
    let n = conn.execute("DELETE FROM project_partners WHERE id = ?1", [id])?;
    if n == 0 {
        return Err(Error::not_found("partnership", id));
    }
    Ok(())
}
