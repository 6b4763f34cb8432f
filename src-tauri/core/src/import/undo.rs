//! The imports of an event, and undoing one: attendance it updated gets its previous values back, the
//! attendance it created is deleted, and so are the people and organisations it created unless something
//! else now refers to them. The import stays listed, marked undone.

use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

use crate::db::{self, Table};
use crate::error::{Error, Result};

/// One row of the `imports` table: a file imported into an event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImportRecord {
    pub id: i64,
    pub uid: String,
    pub event_id: i64,
    pub file_name: String,
    pub file_sha256: String,
    /// A `Format` name, or `paste` for pasted lists.
    pub format: String,
    pub rows_read: i64,
    pub people_created: i64,
    pub people_matched: i64,
    pub attendances_created: i64,
    pub attendances_updated: i64,
    pub undone_at: Option<String>,
    pub created_at: String,
}

/// What an undo did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UndoSummary {
    pub import_id: i64,
    /// Attendance records the import created, now deleted.
    pub attendances_deleted: u64,
    /// Attendance records the import changed, now back as they were.
    pub attendances_restored: u64,
    pub people_deleted: u64,
    /// People the import created that were kept because other records (attendance at other events,
    /// consents) now refer to them.
    pub people_kept: u64,
    pub organisations_deleted: u64,
}

/// Imports, newest first; of one event when `event_id` is given.
pub fn list(conn: &Connection, event_id: Option<i64>) -> Result<Vec<ImportRecord>> {
    if let Some(id) = event_id {
        db::ensure_exists(conn, Table::Events, id)?;
    }
    let mut stmt = conn.prepare(
        "SELECT id, uid, event_id, file_name, file_sha256, format, rows_read, people_created, people_matched,
                attendances_created, attendances_updated, undone_at, created_at
           FROM imports WHERE ?1 IS NULL OR event_id = ?1 ORDER BY id DESC",
    )?;
    let rows = stmt.query_map([event_id], |r| {
        Ok(ImportRecord {
            id: r.get(0)?,
            uid: r.get(1)?,
            event_id: r.get(2)?,
            file_name: r.get(3)?,
            file_sha256: r.get(4)?,
            format: r.get(5)?,
            rows_read: r.get(6)?,
            people_created: r.get(7)?,
            people_matched: r.get(8)?,
            attendances_created: r.get(9)?,
            attendances_updated: r.get(10)?,
            undone_at: r.get(11)?,
            created_at: r.get(12)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Undoes an import in one transaction. Refused (Conflict) when it was undone already, or when a later
/// import that is still in force changed the same attendance records (undo that one first).
pub fn undo(conn: &mut Connection, import_id: i64) -> Result<UndoSummary> {
    let summary = db::write(conn, |tx| {
        let undone: Option<Option<String>> =
            tx.query_row("SELECT undone_at FROM imports WHERE id = ?1", [import_id], |r| r.get(0)).optional()?;
        match undone {
            None => return Err(Error::not_found("import", import_id)),
            Some(Some(_)) => return Err(Error::conflict(format!("import {import_id} was already undone"))),
            Some(None) => {}
        }
        let later: Option<i64> = tx
            .query_row(
                "SELECT c.import_id FROM import_changes c JOIN imports i ON i.id = c.import_id
                  WHERE c.prev_import_id = ?1 AND i.undone_at IS NULL ORDER BY c.import_id DESC LIMIT 1",
                [import_id],
                |r| r.get(0),
            )
            .optional()?;
        if let Some(later) = later {
            return Err(Error::conflict(format!(
                "import {later} later changed attendance records of import {import_id}; undo import {later} first"
            )));
        }
        let restored = tx.execute(
            "UPDATE attendance SET role = c.role, status = c.status, minutes = c.minutes, first_join = c.first_join,
                    last_leave = c.last_leave, import_id = c.prev_import_id, updated_at = c.updated_at
               FROM import_changes c
              WHERE c.import_id = ?1 AND c.attendance_id = attendance.id",
            [import_id],
        )?;
        // Registrations this import recorded beside attendance that stays (see apply::flush).
        tx.execute("DELETE FROM registrations WHERE import_id = ?1", [import_id])?;
        // Addresses kept from this import's decisions go with it: undoing it undoes its decisions.
        tx.execute("DELETE FROM person_emails WHERE import_id = ?1", [import_id])?;
        let deleted = tx.execute("DELETE FROM attendance WHERE import_id = ?1", [import_id])?;
        let created: i64 =
            tx.query_row("SELECT count(*) FROM import_people WHERE import_id = ?1", [import_id], |r| r.get(0))?;
        let people_deleted = tx.execute(
            "DELETE FROM people
              WHERE id IN (SELECT person_id FROM import_people WHERE import_id = ?1)
                AND NOT EXISTS (SELECT 1 FROM attendance a WHERE a.person_id = people.id)
                AND NOT EXISTS (SELECT 1 FROM consents c WHERE c.person_id = people.id)",
            [import_id],
        )?;
        let organisations_deleted = tx.execute(
            "DELETE FROM organisations
              WHERE id IN (SELECT organisation_id FROM import_organisations WHERE import_id = ?1)
                AND NOT EXISTS (SELECT 1 FROM people p WHERE p.organisation_id = organisations.id)
                AND NOT EXISTS (SELECT 1 FROM project_partners pp WHERE pp.organisation_id = organisations.id)",
            [import_id],
        )?;
        take_back_anonymous(tx, import_id)?;
        for table in ["import_changes", "import_people", "import_organisations"] {
            tx.execute(&format!("DELETE FROM {table} WHERE import_id = ?1"), [import_id])?;
        }
        let now = db::now();
        tx.execute("UPDATE imports SET undone_at = ?2, updated_at = ?2 WHERE id = ?1", params![import_id, now])?;
        Ok(UndoSummary {
            import_id,
            attendances_deleted: deleted as u64,
            attendances_restored: restored as u64,
            people_deleted: people_deleted as u64,
            people_kept: (created as u64).saturating_sub(people_deleted as u64),
            organisations_deleted: organisations_deleted as u64,
        })
    })?;
    log::info!(
        "undid import {import_id}: {} attendances deleted, {} restored, {} people deleted, {} kept",
        summary.attendances_deleted,
        summary.attendances_restored,
        summary.people_deleted,
        summary.people_kept
    );
    Ok(summary)
}

/// People erased after this import keep its attendance as anonymous numbers; undoing the import takes
/// those numbers back, so no figure is left with no record behind it.
fn take_back_anonymous(tx: &Connection, import_id: i64) -> Result<()> {
    // Rows taken back whole go first; the others are reduced (the order matters: a reduced row must
    // not then look like one to delete).
    tx.execute(
        "DELETE FROM event_anonymous_counts
          WHERE EXISTS (SELECT 1 FROM import_anonymous_counts i
                         WHERE i.import_id = ?1 AND i.event_id = event_anonymous_counts.event_id
                           AND i.role = event_anonymous_counts.role AND i.status = event_anonymous_counts.status
                           AND i.count >= event_anonymous_counts.count)",
        [import_id],
    )?;
    tx.execute(
        "UPDATE event_anonymous_counts AS c SET count = c.count - i.count, minutes = max(c.minutes - i.minutes, 0)
           FROM import_anonymous_counts i
          WHERE i.import_id = ?1 AND i.event_id = c.event_id AND i.role = c.role AND i.status = c.status
            AND c.count > i.count",
        [import_id],
    )?;
    tx.execute(
        "DELETE FROM project_anonymous_people
          WHERE EXISTS (SELECT 1 FROM import_anonymous_people i
                         WHERE i.import_id = ?1 AND i.project_id = project_anonymous_people.project_id
                           AND i.people >= project_anonymous_people.people)",
        [import_id],
    )?;
    tx.execute(
        "UPDATE project_anonymous_people AS p SET people = p.people - i.people
           FROM import_anonymous_people i
          WHERE i.import_id = ?1 AND i.project_id = p.project_id AND p.people > i.people",
        [import_id],
    )?;
    tx.execute("DELETE FROM import_anonymous_counts WHERE import_id = ?1", [import_id])?;
    tx.execute("DELETE FROM import_anonymous_people WHERE import_id = ?1", [import_id])?;
    Ok(())
}
