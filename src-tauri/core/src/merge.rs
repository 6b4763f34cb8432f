//! Merging two records of the same person (duplicates within one database): DROP's attendance, consents
//! and missing details move to KEEP, DROP's uid (and the uids it was known by) become aliases of KEEP so a
//! later bundle naming DROP lands on KEEP, and DROP is deleted, all in one transaction.
//!
//! Two records at the same event become one: the higher role and status, the larger minutes, the earlier
//! join and the later leave. KEEP's own details win; only the ones KEEP lacks are taken from DROP.

use rusqlite::{params, Connection};
use serde::{Deserialize, Serialize};

use crate::db::{self, Table};
use crate::error::{Error, Result};
use crate::people::{self, Person};

/// What a merge did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MergeSummary {
    /// The person kept, as they are after the merge.
    pub person: Person,
    pub dropped_id: i64,
    pub dropped_uid: String,
    /// Attendance records moved to KEEP, and those merged into a record KEEP had at the same event.
    pub attendances_moved: u64,
    pub attendances_merged: u64,
    pub consents_moved: u64,
    /// Details KEEP lacked and took from DROP (`email`, `organisation_id`, `country`, `gender`, `notes`).
    pub fields_filled: Vec<String>,
}

/// Merges person `drop` into person `keep`.
pub fn merge_people(conn: &mut Connection, keep: i64, drop: i64) -> Result<MergeSummary> {
    if keep == drop {
        return Err(Error::invalid("drop", "a person cannot be merged with themselves"));
    }
    db::ensure_exists(conn, Table::People, keep)?;
    db::ensure_exists(conn, Table::People, drop)?;
    let summary = db::write(conn, |tx| {
        let dropped_uid: String = tx.query_row("SELECT uid FROM people WHERE id = ?1", [drop], |r| r.get(0))?;
        let role_rank = |col: &str| crate::vocab::Role::sql_rank(col);
        let status_rank = |col: &str| {
            format!("CASE {col} WHEN 'attended' THEN 3 WHEN 'absent' THEN 2 WHEN 'cancelled' THEN 1 ELSE 0 END")
        };
        // Records at events both attended: KEEP's takes the best of both, DROP's goes.
        let merged = tx.execute(
            &format!(
                "UPDATE attendance AS k SET
                    role = CASE WHEN {} > {} THEN d.role ELSE k.role END,
                    status = CASE WHEN {} > {} THEN d.status ELSE k.status END,
                    minutes = CASE WHEN d.minutes IS NULL THEN k.minutes WHEN k.minutes IS NULL THEN d.minutes
                                   ELSE max(k.minutes, d.minutes) END,
                    first_join = CASE WHEN d.first_join IS NULL THEN k.first_join WHEN k.first_join IS NULL THEN d.first_join
                                      ELSE min(k.first_join, d.first_join) END,
                    last_leave = CASE WHEN d.last_leave IS NULL THEN k.last_leave WHEN k.last_leave IS NULL THEN d.last_leave
                                      ELSE max(k.last_leave, d.last_leave) END,
                    updated_at = ?3
                   FROM attendance AS d
                  WHERE k.person_id = ?1 AND d.person_id = ?2 AND d.event_id = k.event_id",
                role_rank("d.role"),
                role_rank("k.role"),
                status_rank("d.status"),
                status_rank("k.status")
            ),
            params![keep, drop, db::now()],
        )?;
        // Registrations move first: deleting DROP's duplicate attendance below would take them along.
        tx.execute("UPDATE OR IGNORE registrations SET person_id = ?1 WHERE person_id = ?2", params![keep, drop])?;
        // Disability answers (under a consent that moves to KEEP below) move when KEEP has none, rather than
        // going with DROP's row.
        tx.execute(
            "UPDATE person_disability SET person_id = ?1
              WHERE person_id = ?2 AND NOT EXISTS (SELECT 1 FROM person_disability WHERE person_id = ?1)",
            params![keep, drop],
        )?;
        tx.execute(
            "DELETE FROM attendance WHERE person_id = ?2 AND event_id IN (SELECT event_id FROM attendance WHERE person_id = ?1)",
            params![keep, drop],
        )?;
        let moved = tx.execute("UPDATE attendance SET person_id = ?1 WHERE person_id = ?2", params![keep, drop])?;
        let consents = tx.execute("UPDATE consents SET person_id = ?1 WHERE person_id = ?2", params![keep, drop])?;
        // Details KEEP lacks.
        let mut filled = Vec::new();
        for col in ["email", "organisation_id", "country", "gender", "birth_year", "age_band", "participant_type"] {
            let n = tx.execute(
                &format!(
                    "UPDATE people SET {col} = (SELECT {col} FROM people WHERE id = ?2)
                      WHERE id = ?1 AND {col} IS NULL AND (SELECT {col} FROM people WHERE id = ?2) IS NOT NULL"
                ),
                params![keep, drop],
            )?;
            if n > 0 {
                filled.push(col.to_string());
                // A gender comes with the words it was given in.
                if col == "gender" {
                    tx.execute(
                        "UPDATE people SET gender_text = (SELECT gender_text FROM people WHERE id = ?2) WHERE id = ?1",
                        params![keep, drop],
                    )?;
                }
            }
        }
        if tx.execute(
            "UPDATE people SET notes = trim(notes || char(10) || (SELECT notes FROM people WHERE id = ?2))
              WHERE id = ?1 AND (SELECT notes FROM people WHERE id = ?2) <> ''",
            params![keep, drop],
        )? > 0
        {
            filled.push("notes".into());
        }
        if filled.iter().any(|f| f == "email") {
            let (name, email): (String, Option<String>) =
                tx.query_row("SELECT full_name, email FROM people WHERE id = ?1", [keep], |r| {
                    Ok((r.get(0)?, r.get(1)?))
                })?;
            let (email_key, _, search_key) = people::keys(&name, email.as_deref());
            tx.execute(
                "UPDATE people SET email_key = ?2, search_key = ?3 WHERE id = ?1",
                params![keep, email_key, search_key],
            )?;
        }
        tx.execute("UPDATE people SET updated_at = ?2 WHERE id = ?1", params![keep, db::now()])?;
        // DROP's uid and its own aliases now name KEEP; the import journal forgets DROP with the row.
        tx.execute("UPDATE person_aliases SET person_id = ?1 WHERE person_id = ?2", params![keep, drop])?;
        // DROP's other addresses move to KEEP, and DROP's own email (when KEEP has another) becomes one
        // of KEEP's, so the next report with it matches KEEP by email instead of asking.
        tx.execute("UPDATE person_emails SET person_id = ?1 WHERE person_id = ?2", params![keep, drop])?;
        let dropped_email: Option<String> =
            tx.query_row("SELECT email FROM people WHERE id = ?1", [drop], |r| r.get(0))?;
        tx.execute("DELETE FROM people WHERE id = ?1", [drop])?;
        if let Some(email) = dropped_email {
            people::keep_email(tx, keep, &email, "merge", None)?;
        }
        tx.execute(
            "INSERT OR REPLACE INTO person_aliases (uid, person_id) VALUES (?1, ?2)",
            params![dropped_uid, keep],
        )?;
        Ok(MergeSummary {
            person: people::get(tx, keep)?,
            dropped_id: drop,
            dropped_uid,
            attendances_moved: moved as u64,
            attendances_merged: merged as u64,
            consents_moved: consents as u64,
            fields_filled: filled,
        })
    })?;
    log::info!(
        "merged person {drop} into {keep}: {} attendance records moved, {} merged, {} consents moved",
        summary.attendances_moved,
        summary.attendances_merged,
        summary.consents_moved
    );
    Ok(summary)
}
