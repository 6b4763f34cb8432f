//! Organisations: NGOs, foundations, donors and others that take part in projects and that people belong to.

use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::{Deserialize, Serialize};

use crate::db::{self, Table};
use crate::error::{Error, Result};
use crate::text;
use crate::validate;

pub const KINDS: &[&str] = &["ngo", "foundation", "donor", "government", "media", "informal_group", "other"];

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Organisation {
    pub id: i64,
    pub uid: String,
    pub name: String,
    pub short_name: Option<String>,
    pub country: Option<String>,
    pub kind: String,
    pub website: Option<String>,
    pub notes: String,
    pub created_at: String,
    pub updated_at: String,
    /// Number of people recorded as members (computed).
    pub people: i64,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct OrganisationInput {
    pub name: String,
    pub short_name: Option<String>,
    pub country: Option<String>,
    pub kind: Option<String>,
    pub website: Option<String>,
    pub notes: Option<String>,
}

struct Valid {
    name: String,
    short_name: Option<String>,
    country: Option<String>,
    kind: String,
    website: Option<String>,
    notes: String,
}

fn validate(input: &OrganisationInput) -> Result<Valid> {
    Ok(Valid {
        name: validate::required("name", &input.name)?,
        short_name: validate::optional("short_name", input.short_name.as_deref())?,
        country: validate::country("country", input.country.as_deref())?,
        kind: validate::one_of("kind", input.kind.as_deref().unwrap_or("ngo"), KINDS)?,
        website: validate::url("website", input.website.as_deref())?,
        notes: validate::long("notes", input.notes.as_deref())?,
    })
}

const SELECT: &str = "SELECT o.id, o.uid, o.name, o.short_name, o.country, o.kind, o.website, o.notes, o.created_at,
       o.updated_at, (SELECT count(*) FROM people p WHERE p.organisation_id = o.id)
  FROM organisations o";

fn from_row(r: &Row) -> rusqlite::Result<Organisation> {
    Ok(Organisation {
        id: r.get(0)?,
        uid: r.get(1)?,
        name: r.get(2)?,
        short_name: r.get(3)?,
        country: r.get(4)?,
        kind: r.get(5)?,
        website: r.get(6)?,
        notes: r.get(7)?,
        created_at: r.get(8)?,
        updated_at: r.get(9)?,
        people: r.get(10)?,
    })
}

pub fn create(conn: &Connection, input: &OrganisationInput) -> Result<Organisation> {
    let v = validate(input)?;
    let now = db::now();
    conn.execute(
        "INSERT INTO organisations (uid, name, short_name, country, kind, website, notes, name_key, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9)",
        params![db::new_uid(), v.name, v.short_name, v.country, v.kind, v.website, v.notes, text::fold(&v.name), now],
    )?;
    get(conn, conn.last_insert_rowid())
}

pub fn update(conn: &Connection, id: i64, input: &OrganisationInput) -> Result<Organisation> {
    let v = validate(input)?;
    let n = conn.execute(
        "UPDATE organisations SET name = ?2, short_name = ?3, country = ?4, kind = ?5, website = ?6, notes = ?7,
                name_key = ?8, updated_at = ?9 WHERE id = ?1",
        params![id, v.name, v.short_name, v.country, v.kind, v.website, v.notes, text::fold(&v.name), db::now()],
    )?;
    if n == 0 {
        return Err(Error::not_found("organisation", id));
    }
    get(conn, id)
}

pub fn get(conn: &Connection, id: i64) -> Result<Organisation> {
    conn.query_row(&format!("{SELECT} WHERE o.id = ?1"), [id], from_row)
        .optional()?
        .ok_or_else(|| Error::not_found("organisation", id))
}

/// Organisations sorted by name; `search` keeps those whose name or short name contains it (folded).
pub fn list(conn: &Connection, search: Option<&str>) -> Result<Vec<Organisation>> {
    let pattern = search.map(text::fold).filter(|s| !s.is_empty());
    let mut stmt = conn.prepare(&format!(
        "{SELECT} WHERE ?1 IS NULL OR instr(o.name_key, ?1) > 0 OR instr(lower(coalesce(o.short_name, '')), ?1) > 0
         ORDER BY o.name_key"
    ))?;
    let rows = stmt.query_map([pattern], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Finds an organisation by exact (folded) name or short name, for imports and the sample data.
pub fn find_by_name(conn: &Connection, name: &str) -> Result<Option<i64>> {
    let key = text::fold(name);
    // Two index lookups (name_key, and lower(short_name) from migration 8) rather than one `OR`, which
    // SQLite answered by scanning every organisation: an import asks this for every bracketed name.
    Ok(conn
        .prepare_cached(
            "SELECT min(id) FROM (SELECT id FROM organisations WHERE name_key = ?1
                         UNION ALL SELECT id FROM organisations WHERE lower(short_name) = ?1 AND short_name IS NOT NULL)",
        )?
        .query_row([key], |r| r.get(0))?)
}

/// Deletes an organisation. Its partnerships go with it and its people stay, without an organisation;
/// unless `cascade` is set a Conflict says so first.
pub fn delete(conn: &mut Connection, id: i64, cascade: bool) -> Result<()> {
    db::ensure_exists(conn, Table::Organisations, id)?;
    let (people, partnerships): (i64, i64) = conn.query_row(
        "SELECT (SELECT count(*) FROM people WHERE organisation_id = ?1),
                (SELECT count(*) FROM project_partners WHERE organisation_id = ?1)",
        [id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    if !cascade && (people > 0 || partnerships > 0) {
        return Err(Error::conflict(format!(
            "this organisation is a partner in {partnerships} project(s) and has {people} member(s); deleting it removes the partnerships and leaves the people without an organisation"
        )));
    }
    db::write(conn, |tx| {
        tx.execute("DELETE FROM organisations WHERE id = ?1", [id])?;
        Ok(())
    })
}
