//! Privacy: everything held about one person (right of access, as JSON or CSV), erasing a person
//! everywhere (right to erasure, with the bytes gone from the file too), and retention (people not seen
//! since a date). Consent records are kept in `people` (add_consent, withdraw_consent_on).
//!
//! Erasure keeps only anonymous numbers: each event's count of erased attendance records by role and
//! status, with their minutes (`event_anonymous_counts`), and each project's count of erased people who
//! attended it (`project_anonymous_people`), so past reports keep their totals. Reports add them with
//! [`anonymous_counts`] and [`anonymous_people`].

use std::io::Write;
use std::path::Path;

use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

use crate::db::{self, Table};
use crate::error::{Error, Result};
use crate::export::csv::{CsvFile, CsvOptions};
use crate::organisations::{self, Organisation};
use crate::people::{self, Consent, Person};
use crate::validate;

/// Everything Rollcall holds about one person, for a subject access request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PersonData {
    /// When this copy was made (UTC).
    pub generated_at: String,
    pub person: Person,
    /// Their other email addresses (kept from import decisions and merges).
    pub other_emails: Vec<people::OtherEmail>,
    pub organisation: Option<Organisation>,
    pub consents: Vec<Consent>,
    /// Disability answers, when held (special-category data, under consent).
    pub disability: Option<crate::disability::Disability>,
    /// Registrations for events (registered, whether or not they attended).
    pub registrations: Vec<RegistrationData>,
    /// Every attendance record, newest event first, with its event and project.
    pub attendance: Vec<AttendanceData>,
    /// The imported files that created this person or recorded or changed their attendance.
    pub imports: Vec<ImportData>,
}

/// One attendance record with its event and project.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AttendanceData {
    pub event_id: i64,
    pub event_uid: String,
    pub event_title: String,
    pub event_kind: String,
    pub starts_at: String,
    pub timezone: String,
    pub platform: Option<String>,
    pub project_id: i64,
    pub project_name: String,
    pub role: String,
    pub status: String,
    pub minutes: Option<i64>,
    pub first_join: Option<String>,
    pub last_leave: Option<String>,
    /// `manual` or `import`.
    pub source: String,
    pub import_id: Option<i64>,
    pub created_at: String,
    pub updated_at: String,
}

/// A registration for an event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RegistrationData {
    pub event_id: i64,
    pub event_title: String,
    pub registered_at: String,
    pub import_id: Option<i64>,
}

/// An import that touched the person.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImportData {
    pub import_id: i64,
    pub uid: String,
    pub event_id: i64,
    pub file_name: String,
    pub format: String,
    pub imported_at: String,
    pub undone_at: Option<String>,
    /// What it did: `created the person`, `recorded attendance` or `changed attendance`.
    pub effect: String,
}

/// Collects everything about person `id`.
pub fn person_data(conn: &Connection, id: i64) -> Result<PersonData> {
    let person = people::get(conn, id)?;
    let organisation = person.organisation_id.map(|o| organisations::get(conn, o)).transpose()?;
    let consents = people::consents(conn, id)?;
    let other_emails = people::other_emails(conn, id)?;
    let disability = crate::disability::get(conn, id)?;
    let registrations = conn
        .prepare(
            "SELECT r.event_id, e.title, r.created_at, r.import_id FROM registrations r JOIN events e ON e.id = r.event_id
              WHERE r.person_id = ?1 ORDER BY e.starts_utc DESC, e.id DESC",
        )?
        .query_map([id], |r| {
            Ok(RegistrationData { event_id: r.get(0)?, event_title: r.get(1)?, registered_at: r.get(2)?, import_id: r.get(3)? })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut stmt = conn.prepare(
        "SELECT e.id, e.uid, e.title, e.kind, e.starts_at, e.timezone, e.platform, p.id, p.name, a.role, a.status,
                a.minutes, a.first_join, a.last_leave, a.source, a.import_id, a.created_at, a.updated_at
           FROM attendance a JOIN events e ON e.id = a.event_id JOIN projects p ON p.id = e.project_id
          WHERE a.person_id = ?1 ORDER BY e.starts_utc DESC, e.id DESC",
    )?;
    let attendance = stmt
        .query_map([id], |r| {
            Ok(AttendanceData {
                event_id: r.get(0)?,
                event_uid: r.get(1)?,
                event_title: r.get(2)?,
                event_kind: r.get(3)?,
                starts_at: r.get(4)?,
                timezone: r.get(5)?,
                platform: r.get(6)?,
                project_id: r.get(7)?,
                project_name: r.get(8)?,
                role: r.get(9)?,
                status: r.get(10)?,
                minutes: r.get(11)?,
                first_join: r.get(12)?,
                last_leave: r.get(13)?,
                source: r.get(14)?,
                import_id: r.get(15)?,
                created_at: r.get(16)?,
                updated_at: r.get(17)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut stmt = conn.prepare(
        "SELECT i.id, i.uid, i.event_id, i.file_name, i.format, i.created_at, i.undone_at, t.effect
           FROM (SELECT import_id, 0 AS k, 'created the person' AS effect FROM import_people WHERE person_id = ?1
                 UNION SELECT import_id, 1, 'recorded attendance' FROM attendance WHERE person_id = ?1 AND import_id IS NOT NULL
                 UNION SELECT c.import_id, 2, 'changed attendance' FROM import_changes c
                        JOIN attendance a ON a.id = c.attendance_id WHERE a.person_id = ?1) t
           JOIN imports i ON i.id = t.import_id
          ORDER BY i.created_at, i.id, t.k",
    )?;
    let imports = stmt
        .query_map([id], |r| {
            Ok(ImportData {
                import_id: r.get(0)?,
                uid: r.get(1)?,
                event_id: r.get(2)?,
                file_name: r.get(3)?,
                format: r.get(4)?,
                imported_at: r.get(5)?,
                undone_at: r.get(6)?,
                effect: r.get(7)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(PersonData {
        generated_at: db::now(),
        person,
        other_emails,
        organisation,
        consents,
        disability,
        registrations,
        attendance,
        imports,
    })
}

/// The file format of [`write_person_data`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DataFormat {
    #[default]
    Json,
    Csv,
}

impl std::str::FromStr for DataFormat {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "json" => Ok(DataFormat::Json),
            "csv" => Ok(DataFormat::Csv),
            other => Err(Error::invalid("format", format!("format must be json or csv, not '{other}'"))),
        }
    }
}

/// What [`write_person_data`] wrote.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PersonDataFile {
    pub path: String,
    pub format: DataFormat,
    pub person_id: i64,
    pub bytes: u64,
}

/// Header of the CSV copy: one row per fact, so every kind of record fits in one sheet.
pub const PERSON_DATA_CSV_HEADER: [&str; 4] = ["section", "record", "field", "value"];

/// Writes everything about person `id` to `out`, as pretty JSON (the [`PersonData`] structure) or as a
/// CSV of `section, record, field, value` rows. The file is written under a temporary name, readable only
/// by its owner on Unix, and renamed into place when complete.
pub fn write_person_data(conn: &Connection, id: i64, out: &Path, format: DataFormat) -> Result<PersonDataFile> {
    let data = person_data(conn, id)?;
    if let Some(dir) = out.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    }
    let db = db::file_of(conn);
    match format {
        DataFormat::Json => write_json(&data, out, db.as_deref())?,
        DataFormat::Csv => write_csv(&data, out, db.as_deref())?,
    }
    let bytes = std::fs::metadata(out).map_err(|e| Error::io(out, e))?.len();
    log::info!(
        "person {id}: data written as {} ({bytes} bytes)",
        if format == DataFormat::Csv { "CSV" } else { "JSON" }
    );
    Ok(PersonDataFile { path: out.display().to_string(), format, person_id: id, bytes })
}

fn write_json(data: &PersonData, out: &Path, db: Option<&Path>) -> Result<()> {
    let bytes = serde_json::to_vec_pretty(data).map_err(|e| Error::internal(e.to_string()))?;
    let mut staged = crate::files::Staged::create(out, "export", db, "path")?;
    let temp = staged.temp_path().to_path_buf();
    let file = staged.file();
    file.write_all(&bytes).and_then(|()| file.write_all(b"\n")).map_err(|e| Error::io(&temp, e))?;
    staged.commit()
}

/// The facts of the person as `(section, record, field, value)` rows, in the order of the JSON.
pub fn person_data_rows(data: &PersonData) -> Vec<[String; 4]> {
    let mut rows = Vec::new();
    add_rows(&mut rows, "person", data.person.id.to_string(), &data.person);
    for e in &data.other_emails {
        add_rows(&mut rows, "other_email", e.email.clone(), e);
    }
    if let Some(o) = &data.organisation {
        add_rows(&mut rows, "organisation", o.id.to_string(), o);
    }
    for c in &data.consents {
        add_rows(&mut rows, "consent", c.id.to_string(), c);
    }
    if let Some(d) = &data.disability {
        add_rows(&mut rows, "disability", d.person_id.to_string(), d);
    }
    for r in &data.registrations {
        add_rows(&mut rows, "registration", format!("event {}", r.event_id), r);
    }
    for a in &data.attendance {
        add_rows(&mut rows, "attendance", format!("event {}", a.event_id), a);
    }
    for i in &data.imports {
        add_rows(&mut rows, "import", i.import_id.to_string(), i);
    }
    rows
}

/// One row per field of a record, its value as text (empty for none).
fn add_rows(rows: &mut Vec<[String; 4]>, section: &str, record: String, value: &impl Serialize) {
    if let Ok(serde_json::Value::Object(map)) = serde_json::to_value(value) {
        for (field, v) in map {
            let cell = match v {
                serde_json::Value::Null => String::new(),
                serde_json::Value::String(s) => s,
                other => other.to_string(),
            };
            rows.push([section.to_string(), record.clone(), field, cell]);
        }
    }
}

fn write_csv(data: &PersonData, out: &Path, db: Option<&Path>) -> Result<()> {
    let mut csv = CsvFile::create(out, &CsvOptions::default(), &PERSON_DATA_CSV_HEADER, db)?;
    for row in person_data_rows(data) {
        csv.row(row.iter())?;
    }
    csv.finish()?;
    Ok(())
}

/// What an erasure removed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct EraseSummary {
    pub people: usize,
    pub consents: usize,
    pub attendance: usize,
    /// Rows of the import journal that named them (the import that created them, attendance changes).
    pub import_journal: usize,
    /// Attendance records kept as anonymous numbers in `event_anonymous_counts`.
    pub anonymous_attendance: usize,
    /// Whether the write-ahead log was emptied afterwards, so no copy of the erased rows is left in it.
    /// False when another connection was reading at that moment; the next checkpoint empties it.
    pub log_cleared: bool,
}

/// Erases one person everywhere: see [`erase_people`].
pub fn erase_person(conn: &mut Connection, id: i64) -> Result<EraseSummary> {
    erase_people(conn, &[id])
}

/// Erases people everywhere, in one transaction (all of them or none): their record, consents,
/// attendance, search index entries and import journal rows. Their attendance is kept only as anonymous
/// numbers per event (and a count of erased people per project). SQLite's secure_delete overwrites the
/// freed bytes, the search index is rewritten ('optimize') and the write-ahead log is emptied, so the
/// erased names and emails are no longer anywhere in the database files. Copies in backups made before
/// stay until those backups are rotated out; a restore erases these people again.
pub fn erase_people(conn: &mut Connection, ids: &[i64]) -> Result<EraseSummary> {
    let mut summary = db::write(conn, |tx| {
        let mut s = EraseSummary::default();
        let now = db::now();
        for &id in ids {
            db::ensure_exists(tx, Table::People, id)?;
            erase_one(tx, id, &now, &mut s)?;
        }
        tidy_after_erase(tx)?;
        Ok(s)
    })?;
    summary.log_cleared = crate::db::checkpoint(conn)?;
    log::info!(
        "erased {} person(s): {} attendance records ({} kept as anonymous counts), {} consents, {} import journal rows",
        summary.people,
        summary.attendance,
        summary.anonymous_attendance,
        summary.consents,
        summary.import_journal
    );
    Ok(summary)
}

/// Erases people inside the caller's transaction (a bundle's erasure markers are applied with the rest
/// of the bundle). The caller empties the write-ahead log after committing (`safety::checkpoint`).
pub(crate) fn erase_in(tx: &Connection, ids: &[i64]) -> Result<EraseSummary> {
    let mut s = EraseSummary::default();
    if ids.is_empty() {
        return Ok(s);
    }
    let now = db::now();
    for &id in ids {
        erase_one(tx, id, &now, &mut s)?;
    }
    tidy_after_erase(tx)?;
    Ok(s)
}

/// Erases the people with these uids, where they exist (the erasure log of a database applied to a
/// restored backup). Returns how many were erased.
pub(crate) fn erase_uids(conn: &mut Connection, uids: &[String]) -> Result<usize> {
    let mut ids = Vec::new();
    for uid in uids {
        if let Some(id) =
            conn.query_row("SELECT id FROM people WHERE uid = ?1", [uid], |r| r.get::<_, i64>(0)).optional()?
        {
            ids.push(id);
        }
    }
    let n = if ids.is_empty() { 0 } else { erase_people(conn, &ids)?.people };
    // The restored database's own log lacks the erasures made after the backup: record them again, so a
    // later restore of an even older backup erases these people too.
    db::write(conn, |tx| record_erasures(tx, uids))?;
    Ok(n)
}

fn record_erasures(tx: &Connection, uids: &[String]) -> Result<()> {
    let now = db::now();
    for uid in uids {
        tx.execute("INSERT OR IGNORE INTO erasures (uid, erased_at) VALUES (?1, ?2)", params![uid, now])?;
    }
    Ok(())
}

fn erase_one(tx: &Connection, id: i64, now: &str, s: &mut EraseSummary) -> Result<()> {
    let count = |sql: &str| -> Result<usize> { Ok(tx.query_row(sql, [id], |r| r.get::<_, i64>(0))? as usize) };
    let attendance = count("SELECT count(*) FROM attendance WHERE person_id = ?1")?;
    s.consents += count("SELECT count(*) FROM consents WHERE person_id = ?1")?;
    s.attendance += attendance;
    s.anonymous_attendance += attendance;
    tx.execute(
        "INSERT INTO event_anonymous_counts (event_id, role, status, count, minutes)
         SELECT event_id, role, status, count(*), coalesce(sum(minutes), 0) FROM attendance WHERE person_id = ?1
          GROUP BY event_id, role, status
         ON CONFLICT (event_id, role, status) DO UPDATE SET count = count + excluded.count, minutes = minutes + excluded.minutes",
        [id],
    )?;
    tx.execute(
        "INSERT INTO project_anonymous_people (project_id, people)
         SELECT DISTINCT e.project_id, 1 FROM attendance a JOIN events e ON e.id = a.event_id
          WHERE a.person_id = ?1 AND a.status = 'attended'
         ON CONFLICT (project_id) DO UPDATE SET people = people + 1",
        [id],
    )?;
    // What of the above came from imports, so that undoing an import later takes it back.
    tx.execute(
        "INSERT INTO import_anonymous_counts (import_id, event_id, role, status, count, minutes)
         SELECT import_id, event_id, role, status, count(*), coalesce(sum(minutes), 0) FROM attendance
          WHERE person_id = ?1 AND import_id IS NOT NULL
          GROUP BY import_id, event_id, role, status
         ON CONFLICT (import_id, event_id, role, status)
         DO UPDATE SET count = count + excluded.count, minutes = minutes + excluded.minutes",
        [id],
    )?;
    tx.execute(
        "INSERT INTO import_anonymous_people (import_id, project_id, people)
         SELECT min(a.import_id), e.project_id, 1 FROM attendance a JOIN events e ON e.id = a.event_id
          WHERE a.person_id = ?1 AND a.status = 'attended'
          GROUP BY e.project_id
         HAVING count(*) = count(a.import_id) AND min(a.import_id) = max(a.import_id)
         ON CONFLICT (import_id, project_id) DO UPDATE SET people = people + 1",
        [id],
    )?;
    tx.execute(
        "INSERT OR IGNORE INTO erasures (uid, erased_at) SELECT uid, ?2 FROM people WHERE id = ?1",
        params![id, now],
    )?;
    // The other uids the person was known by (partners' uids, merged people) are erased too, so a bundle
    // naming any of them, even an old one applied late, never brings the person back.
    tx.execute(
        "INSERT OR IGNORE INTO erasures (uid, erased_at) SELECT uid, ?2 FROM person_aliases WHERE person_id = ?1",
        params![id, now],
    )?;
    // The journal rows go with the person by foreign key; deleted here first so they can be counted.
    s.import_journal += tx.execute(
        "DELETE FROM import_changes WHERE attendance_id IN (SELECT id FROM attendance WHERE person_id = ?1)",
        [id],
    )?;
    s.import_journal += tx.execute("DELETE FROM import_people WHERE person_id = ?1", [id])?;
    // Their other email addresses (kept from import decisions and merges) are personal data too; deleted
    // here rather than left to the foreign key, so erasure does not depend on it.
    tx.execute("DELETE FROM person_emails WHERE person_id = ?1", [id])?;
    // Consents and attendance follow by ON DELETE CASCADE, the search index by trigger.
    s.people += tx.execute("DELETE FROM people WHERE id = ?1", [id])?;
    Ok(())
}

/// After deleting people: rewrite the search index so none of its pages keeps their tokens, and renew
/// the planner's statistics if any were gathered (sqlite_stat4 stores sample index keys, which can be
/// names or emails).
fn tidy_after_erase(tx: &Connection) -> Result<()> {
    tx.execute("INSERT INTO people_fts (people_fts) VALUES ('optimize')", [])?;
    let stats: i64 =
        tx.query_row("SELECT count(*) FROM sqlite_schema WHERE name IN ('sqlite_stat1', 'sqlite_stat4')", [], |r| {
            r.get(0)
        })?;
    if stats > 0 {
        tx.execute_batch("ANALYZE people;")?;
    }
    Ok(())
}

pub use crate::reports::anonymous::{anonymous_counts, anonymous_people, AnonymousCount};

/// A person in the retention list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PersonSummary {
    pub id: i64,
    pub uid: String,
    pub full_name: String,
    pub email: Option<String>,
    pub organisation_name: Option<String>,
    pub created_at: String,
    /// The local date of the last event they are recorded at (any status), if any.
    pub last_event: Option<String>,
    pub attendance: i64,
    /// Consents given and not withdrawn; a reason to keep someone.
    pub open_consents: i64,
}

/// People with no attendance record (of any status) at any event on or after `before` (a date,
/// YYYY-MM-DD, compared with the event's local date) and added before it: the candidates for deletion
/// under a retention period. Sorted by name. Errors name the field `before`, as the CLI's `--before`
/// and the desktop command's argument are called.
pub fn retention_candidates(conn: &Connection, before: &str) -> Result<Vec<PersonSummary>> {
    let since =
        validate::date("before", Some(before))?.ok_or_else(|| Error::invalid("before", "a date is required"))?;
    let mut stmt = conn.prepare(
        "SELECT p.id, p.uid, p.full_name, p.email, o.name, p.created_at,
                (SELECT max(substr(e.starts_at, 1, 10)) FROM attendance a JOIN events e ON e.id = a.event_id
                  WHERE a.person_id = p.id),
                (SELECT count(*) FROM attendance a WHERE a.person_id = p.id),
                (SELECT count(*) FROM consents c WHERE c.person_id = p.id AND c.withdrawn_on IS NULL)
           FROM people p LEFT JOIN organisations o ON o.id = p.organisation_id
          WHERE substr(p.created_at, 1, 10) < ?1
            AND NOT EXISTS (SELECT 1 FROM attendance a JOIN events e ON e.id = a.event_id
                             WHERE a.person_id = p.id AND substr(e.starts_at, 1, 10) >= ?1)
          ORDER BY p.name_key, p.id",
    )?;
    let rows = stmt.query_map([since], |r| {
        Ok(PersonSummary {
            id: r.get(0)?,
            uid: r.get(1)?,
            full_name: r.get(2)?,
            email: r.get(3)?,
            organisation_name: r.get(4)?,
            created_at: r.get(5)?,
            last_event: r.get(6)?,
            attendance: r.get(7)?,
            open_consents: r.get(8)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
