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

/// An age band in whole years; `max` None is "and over" ("65+").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgeBand {
    pub min: i64,
    pub max: Option<i64>,
}

impl AgeBand {
    /// "18-24" or "65+".
    pub fn label(&self) -> String {
        match self.max {
            Some(max) => format!("{}-{max}", self.min),
            None => format!("{}+", self.min),
        }
    }

    pub fn contains(&self, age: i64) -> bool {
        age >= self.min && self.max.is_none_or(|m| age <= m)
    }

    /// Parses "18-24", "18–24" or "65+".
    pub fn parse(value: &str) -> Option<AgeBand> {
        let v: String = value.chars().filter(|c| !c.is_whitespace()).collect();
        if let Some(min) = v.strip_suffix('+') {
            return min.parse().ok().filter(|m: &i64| *m >= 0).map(|min| AgeBand { min, max: None });
        }
        let (a, b) = v.split_once(['-', '–', '—'])?;
        let (min, max): (i64, i64) = (a.parse().ok()?, b.parse().ok()?);
        (min >= 0 && max >= min).then_some(AgeBand { min, max: Some(max) })
    }
}

/// The default age bands (0-17, 18-24, 25-34, 35-49, 50-64, 65+).
pub const DEFAULT_AGE_BANDS: &[AgeBand] = &[
    AgeBand { min: 0, max: Some(17) },
    AgeBand { min: 18, max: Some(24) },
    AgeBand { min: 25, max: Some(34) },
    AgeBand { min: 35, max: Some(49) },
    AgeBand { min: 50, max: Some(64) },
    AgeBand { min: 65, max: None },
];

/// A participant type of a project: a stable key and what to show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParticipantType {
    pub key: String,
    pub label: String,
}

/// The default participant types (key, label).
pub const DEFAULT_PARTICIPANT_TYPES: &[(&str, &str)] = &[
    ("civil_society", "civil-society representative"),
    ("human_rights_defender", "human-rights defender"),
    ("journalist", "journalist"),
    ("public_official", "public official"),
    ("academic", "academic"),
    ("student", "student"),
    ("other", "other"),
];

/// A typed age band, checked and written the one way ("25-34", "65+"); None when blank.
pub fn age_band_label(field: &str, value: Option<&str>) -> Result<Option<String>> {
    match value.map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(v) => AgeBand::parse(v)
            .map(|b| Some(b.label()))
            .ok_or_else(|| Error::invalid(field, format!("'{v}' is not an age band like 25-34 or 65+"))),
    }
}

/// The key of a participant type as typed: a default type's key or label maps to its key ("Journalist",
/// "human-rights defender"); anything else becomes a key of its own (folded, spaces and dashes as `_`).
pub fn participant_type_key(field: &str, value: Option<&str>) -> Result<Option<String>> {
    let Some(v) = validate::optional(field, value)? else { return Ok(None) };
    let folded = crate::text::fold(&v);
    let slug = |s: &str| s.replace([' ', '-'], "_");
    for (key, label) in DEFAULT_PARTICIPANT_TYPES {
        if slug(&folded) == *key || folded == *label || slug(&folded) == slug(label) {
            return Ok(Some(key.to_string()));
        }
    }
    Ok(Some(slug(&folded)))
}

/// A project's age bands, in order (the defaults when it has set none).
pub fn age_bands(conn: &Connection, project_id: i64) -> Result<Vec<AgeBand>> {
    db::ensure_exists(conn, Table::Projects, project_id)?;
    let mut stmt =
        conn.prepare("SELECT min_age, max_age FROM project_age_bands WHERE project_id = ?1 ORDER BY position")?;
    let bands: Vec<AgeBand> = stmt
        .query_map([project_id], |r| Ok(AgeBand { min: r.get(0)?, max: r.get(1)? }))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(if bands.is_empty() { DEFAULT_AGE_BANDS.to_vec() } else { bands })
}

/// Sets a project's age bands (an empty list goes back to the defaults). Bands must not overlap.
pub fn set_age_bands(conn: &mut Connection, project_id: i64, bands: &[AgeBand]) -> Result<Vec<AgeBand>> {
    db::ensure_exists(conn, Table::Projects, project_id)?;
    let mut sorted = bands.to_vec();
    sorted.sort_by_key(|b| b.min);
    for pair in sorted.windows(2) {
        if pair[0].max.is_none_or(|m| m >= pair[1].min) {
            return Err(Error::invalid(
                "age_bands",
                format!("the age bands {} and {} overlap", pair[0].label(), pair[1].label()),
            ));
        }
    }
    if let Some(b) = sorted.iter().find(|b| b.max.is_some_and(|m| m < b.min)) {
        return Err(Error::invalid("age_bands", format!("the age band {} ends before it starts", b.label())));
    }
    db::write(conn, |tx| {
        tx.execute("DELETE FROM project_age_bands WHERE project_id = ?1", [project_id])?;
        for (i, b) in sorted.iter().enumerate() {
            tx.execute(
                "INSERT INTO project_age_bands (project_id, position, min_age, max_age) VALUES (?1, ?2, ?3, ?4)",
                params![project_id, i as i64, b.min, b.max],
            )?;
        }
        Ok(())
    })?;
    age_bands(conn, project_id)
}

/// A project's participant types, in order (the defaults when it has set none).
pub fn participant_types(conn: &Connection, project_id: i64) -> Result<Vec<ParticipantType>> {
    db::ensure_exists(conn, Table::Projects, project_id)?;
    let mut stmt =
        conn.prepare("SELECT key, label FROM project_participant_types WHERE project_id = ?1 ORDER BY position")?;
    let types: Vec<ParticipantType> = stmt
        .query_map([project_id], |r| Ok(ParticipantType { key: r.get(0)?, label: r.get(1)? }))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(if types.is_empty() {
        DEFAULT_PARTICIPANT_TYPES
            .iter()
            .map(|(k, l)| ParticipantType { key: k.to_string(), label: l.to_string() })
            .collect()
    } else {
        types
    })
}

/// Sets a project's participant types from their labels, in order (keys are derived as in
/// [`participant_type_key`]); an empty list goes back to the defaults.
pub fn set_participant_types(
    conn: &mut Connection,
    project_id: i64,
    labels: &[String],
) -> Result<Vec<ParticipantType>> {
    db::ensure_exists(conn, Table::Projects, project_id)?;
    let mut types: Vec<ParticipantType> = Vec::new();
    for label in labels {
        let label = validate::required("participant_types", label)?;
        let key = participant_type_key("participant_types", Some(&label))?.unwrap_or_default();
        if types.iter().any(|t| t.key == key) {
            return Err(Error::invalid("participant_types", format!("the participant type '{label}' is listed twice")));
        }
        types.push(ParticipantType { key, label });
    }
    db::write(conn, |tx| {
        tx.execute("DELETE FROM project_participant_types WHERE project_id = ?1", [project_id])?;
        for (i, t) in types.iter().enumerate() {
            tx.execute(
                "INSERT INTO project_participant_types (project_id, position, key, label) VALUES (?1, ?2, ?3, ?4)",
                params![project_id, i as i64, t.key, t.label],
            )?;
        }
        Ok(())
    })?;
    participant_types(conn, project_id)
}
