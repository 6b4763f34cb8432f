//! Writing an import's people and attendance, inside the caller's transaction: the record in `imports`,
//! people and attendance rows in batches of multi-row statements, the journal of records that existed
//! before (for undo), and the counts of what changed, taken from the database after the fact.
//!
//! Within the import, joins add up (minutes summed, earliest join, latest leave, highest role and
//! status); an attendance that existed before is journaled on first touch and then takes the report's
//! minutes and times. At the end, touched records that ended up unchanged are given back their journal
//! state, so importing the same content twice changes nothing.
//!
//! Architecture invariant: this is the only file of the import that writes to the database (besides
//! `undo` and the remembered column mappings); it knows nothing of formats or matching.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use chrono::NaiveDateTime;
use rusqlite::{params, Connection};

use super::options::Format;
use super::report::{Ambiguous, ReviewRow, Skipped};
use super::row::Row;
use crate::db;
use crate::error::Result;
use crate::people::{self, Valid};
use crate::vocab::{Role, Status};

/// Where the rows come from, as recorded in `imports`.
pub(crate) enum Source<'a> {
    File { name: &'a str, sha256: &'a str, format: Format },
    Paste { sha256: String },
}

/// What a run did, counted after the fact from the database where possible.
#[derive(Debug, Default)]
pub(crate) struct Outcome {
    pub import_id: i64,
    pub rows: u64,
    pub people_created: u64,
    pub people_matched: u64,
    pub attendances_created: u64,
    pub attendances_updated: u64,
    pub attendances_unchanged: u64,
    pub ambiguous: Vec<Ambiguous>,
    pub ambiguous_total: u64,
    /// Ambiguous people left undecided, and the first lines of them.
    pub undecided: u64,
    pub undecided_lines: Vec<u64>,
    pub skipped: Vec<Skipped>,
    pub skipped_total: u64,
    pub warnings: Vec<Skipped>,
    pub warnings_total: u64,
    /// Headers of columns no field was read from, in the order first met.
    pub ignored_columns: Vec<String>,
    /// The people of the report for its review (first `review::REVIEW_LIMIT`), and how many in all.
    pub people: Vec<ReviewRow>,
    pub people_total: u64,
    /// Rows left out by a per-row decision (in `skipped_total` too): not a reason to doubt the file.
    pub skipped_by_decision: u64,
}

/// `YYYY-MM-DDTHH:MM:SS`, written out by hand: chrono's format strings are parsed on every call.
fn iso(t: Option<NaiveDateTime>) -> Option<String> {
    use chrono::{Datelike, Timelike};
    t.map(|t| {
        format!("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}", t.year(), t.month(), t.day(), t.hour(), t.minute(), t.second())
    })
}
/// Seconds of `[join, leave]` that the intervals in `seen` already cover.
fn covered(seen: &[(i64, i64)], join: i64, leave: i64) -> i64 {
    let mut parts: Vec<(i64, i64)> =
        seen.iter().map(|&(a, b)| (a.max(join), b.min(leave))).filter(|(a, b)| a < b).collect();
    parts.sort_unstable();
    let (mut total, mut end) = (0, i64::MIN);
    for (a, b) in parts {
        let a = a.max(end);
        if b > a {
            total += b - a;
            end = b;
        }
    }
    total
}

/// Join-to-leave intervals by person, compact: a million-row report has hundreds of thousands of
/// people, most of them on one row. A vector per person (with its own allocation and 16-byte times)
/// made this 75 MB at a million rows, the largest part of the import's memory; now a person's first
/// interval is 8 bytes in one flat map, and only people with more rows get a vector.
#[derive(Default)]
struct Intervals {
    /// Times are seconds from the first join seen, which keeps them in 32 bits (68 years either way).
    base: Option<i64>,
    first: HashMap<i64, (i32, i32)>,
    more: HashMap<i64, Vec<(i32, i32)>>,
}

impl Intervals {
    /// Seconds of `[join, leave]` the person's earlier intervals cover; then adds this one.
    fn add(&mut self, person_id: i64, join: i64, leave: i64) -> i64 {
        let base = *self.base.get_or_insert(join);
        let squeeze = |t: i64| (t - base).clamp(i32::MIN as i64, i32::MAX as i64) as i32;
        let (j, l) = (squeeze(join), squeeze(leave));
        let Some(&first) = self.first.get(&person_id) else {
            self.first.insert(person_id, (j, l));
            return 0;
        };
        let seen = self.more.entry(person_id).or_insert_with(|| vec![first]);
        let wide: Vec<(i64, i64)> = seen.iter().map(|&(a, b)| (a as i64, b as i64)).collect();
        let overlap = covered(&wide, j as i64, l as i64);
        seen.push((j, l));
        overlap
    }
}

/// The writing side of a run: what it has written and what waits for the next batch.
pub(super) struct Writer<'c> {
    pub tx: &'c Connection,
    pub event_id: i64,
    pub import_id: i64,
    /// `attendance.source` of records this run creates.
    source: &'static str,
    pub now: String,
    /// Largest row ids before the run: anything above was created by it.
    pub max_person: i64,
    max_attendance: i64,
    max_organisation: i64,
    /// People who had an attendance at the event before the run and have not been journaled yet.
    pre_existing: HashSet<i64>,
    matched: HashSet<i64>,
    /// Each person's join-to-leave intervals so far in this run, so that time on two devices at once
    /// counts once: the one part of a run that grows with the file.
    intervals: Intervals,
    pub pending: Pending,
    /// Rows the first batch must hold for the run to write in bulk (see `Bulk`).
    bulk_threshold: usize,
    bulk: Bulk,
    /// Whether any attendance record was written (inserted or updated) by the run.
    wrote_attendance: bool,
}

/// How a run keeps the search index, the report caches and the partners' change tracking in step.
///
/// Row by row, triggers do it for every person and attendance record written; for a large file that
/// is a fifth of the import's time (the trigram index alone takes one index segment per statement).
/// A bulk run drops those triggers inside its transaction before its first write, writes the rows, then
/// brings the same tables up to date set-wise (`Writer::resume`) and creates the triggers again from
/// their own stored SQL, all before the transaction commits: other connections never see the schema
/// without them, and a failure or a preview rolls the drop back with everything else. The result is
/// the row-by-row result (tested with both ways on the same files).
enum Bulk {
    /// No batch written yet: the first flush decides, by its size.
    Undecided,
    RowByRow,
    /// The triggers dropped, with their SQL to create them again.
    Suspended(Vec<String>),
}

/// People per statement when a bulk run indexes them for search (see `Writer::resume`).
const FTS_CHUNK: i64 = 10_000;

/// The triggers a bulk run suspends: those that fire for every person or attendance record an import
/// writes. What they would have done is done once by `Writer::resume`:
/// - `people_fts_insert`, `people_fts_update`: the trigram index of the people the run created, from
///   their final `search_key` (a run updates the search key of people it created only, see `match.rs`'s
///   `give_email`; people from before the run are never changed by an import);
/// - `report_people_insert`: the cache of people's attributes goes when anyone was created;
/// - `report_rosters_attendance_*`: the event's roster goes when a record the run wrote is attended (a
///   status only moves up, and attended is the highest, so that covers records that were attended
///   before the run too);
/// - `site_changes_attendance_*`: the event is marked changed at the site's current version;
/// - `registrations_attendance_*`: `flush` records the registration of every registered row itself,
///   with the values the triggers would write, so they add nothing.
///
/// Other triggers on these tables stay: they fire for rare updates (an email given to a guest) or for
/// deletions, which an import does not make.
const SUSPENDED: &[&str] = &[
    "people_fts_insert",
    "people_fts_update",
    "report_people_insert",
    "report_rosters_attendance_insert",
    "report_rosters_attendance_update",
    "site_changes_attendance_insert",
    "site_changes_attendance_update",
    "registrations_attendance_insert",
    "registrations_attendance_update",
];

/// statement per person would write one index segment per person.
/// People created and attendance rows written by a run but not yet in the database: they are inserted
/// a batch at a time with multi-row statements. That is several times faster than a statement per row,
/// mostly because the people FTS index flushes its pending terms at every statement (savepoint), so one
#[derive(Default)]
pub(super) struct Pending {
    /// The id the next new person gets: the run holds the write lock, so ids after the largest are free.
    pub next_id: i64,
    pub people: Vec<NewPerson>,
    /// Email key and folded name of the people above, to find them before they are written.
    pub emails: HashMap<String, i64>,
    pub names: HashMap<String, Vec<i64>>,
    attendance: Vec<Attend>,
}

impl Pending {
    pub(super) fn person(&self, id: i64) -> Option<&NewPerson> {
        let first = self.people.first()?.id;
        self.people.get(usize::try_from(id - first).ok()?)
    }

    /// A pending person by id: their ids are consecutive, so the id gives the place.
    pub(super) fn person_mut(&mut self, id: i64) -> Option<&mut NewPerson> {
        let first = self.people.first()?.id;
        self.people.get_mut(usize::try_from(id - first).ok()?)
    }
}

pub(super) struct NewPerson {
    pub id: i64,
    pub uid: String,
    pub valid: Valid,
    pub organisation_id: Option<i64>,
    pub name_key: String,
}

/// One row's contribution to a person's attendance.
struct Attend {
    person_id: i64,
    role: Option<&'static str>,
    status: &'static str,
    minutes: Option<i64>,
    join: Option<String>,
    leave: Option<String>,
}

/// Rows per multi-row statement: 2,000 rows of 16 parameters stay under SQLite's limit of 32,766. Larger
/// batches mean fewer people FTS segments to write and merge (one per statement): 2,000 rather than 500
/// made the writes of a 100,000-row import about 30% faster.
const BATCH: usize = 2000;

const INSERT_PEOPLE: &str =
    "INSERT INTO people (id, uid, full_name, email, organisation_id, country, gender, notes, email_key, name_key,
                         search_key, created_at, updated_at, gender_text, birth_year, age_band, participant_type) VALUES ";
const PERSON_VALUES: &str = "(?, ?, ?, ?, ?, ?, ?, '', ?, ?, ?, ?, ?, ?, ?, ?, ?)";
const INSERT_ATTENDANCE: &str =
    "INSERT INTO attendance (uid, event_id, person_id, role, status, minutes, first_join, last_leave, source, import_id, created_at, updated_at) VALUES ";
const ATTENDANCE_VALUES: &str = "(?, ?, ?, coalesce(?, 'participant'), ?, ?, ?, ?, ?, ?, ?, ?)";
/// Within a run, joins add up; an attendance from before the run takes the report's minutes and times on
/// first touch (its `import_id` is not yet this run's). Role and status only ever move up.
/// The ranks come from `Role::sql_rank` and `Status::sql_rank`, the same order as the Rust enums.
fn upsert() -> &'static str {
    static SQL: OnceLock<String> = OnceLock::new();
    SQL.get_or_init(|| {
        format!(
            " ON CONFLICT (event_id, person_id) DO UPDATE SET
    role = CASE WHEN {} > {} THEN excluded.role ELSE role END,
    status = CASE WHEN {} > {} THEN excluded.status ELSE status END,
    {UPSERT_REST}",
            Role::sql_rank("excluded.role"),
            Role::sql_rank("role"),
            Status::sql_rank("excluded.status"),
            Status::sql_rank("status"),
        )
    })
}
const UPSERT_REST: &str = "minutes = CASE WHEN import_id IS excluded.import_id
                   THEN CASE WHEN excluded.minutes IS NULL THEN minutes WHEN minutes IS NULL THEN excluded.minutes
                             ELSE minutes + excluded.minutes END
                   ELSE coalesce(excluded.minutes, minutes) END,
    first_join = CASE WHEN excluded.first_join IS NULL THEN first_join
                      WHEN import_id IS excluded.import_id AND first_join IS NOT NULL AND first_join < excluded.first_join THEN first_join
                      ELSE excluded.first_join END,
    last_leave = CASE WHEN excluded.last_leave IS NULL THEN last_leave
                      WHEN import_id IS excluded.import_id AND last_leave IS NOT NULL AND last_leave > excluded.last_leave THEN last_leave
                      ELSE excluded.last_leave END,
    import_id = excluded.import_id,
    updated_at = excluded.updated_at";

enum Batch<'c> {
    Cached(rusqlite::CachedStatement<'c>),
    Once(rusqlite::Statement<'c>),
}

impl Batch<'_> {
    fn bind(&mut self, index: usize, value: &dyn rusqlite::ToSql) -> rusqlite::Result<()> {
        match self {
            Batch::Cached(s) => s.raw_bind_parameter(index, value),
            Batch::Once(s) => s.raw_bind_parameter(index, value),
        }
    }

    fn run(&mut self) -> rusqlite::Result<usize> {
        match self {
            Batch::Cached(s) => s.raw_execute(),
            Batch::Once(s) => s.raw_execute(),
        }
    }
}

fn values(one: &str, n: usize) -> String {
    vec![one; n].join(", ")
}

impl<'c> Writer<'c> {
    /// Records the import in `imports` (its counts are filled in by `settle`).
    pub fn start(tx: &'c Connection, event_id: i64, source: Source) -> Result<Writer<'c>> {
        let now = db::now();
        let (file_name, sha256, format, attendance_source) = match &source {
            Source::File { name, sha256, format } => (name.to_string(), sha256.to_string(), format.as_str(), "import"),
            Source::Paste { sha256 } => ("pasted list".to_string(), sha256.clone(), "paste", "manual"),
        };
        tx.execute(
            "INSERT INTO imports (uid, event_id, file_name, file_sha256, format, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)",
            params![db::new_uid(), event_id, file_name, sha256, format, now],
        )?;
        let import_id = tx.last_insert_rowid();
        let max = |table: &str| -> Result<i64> {
            Ok(tx.query_row(&format!("SELECT coalesce(max(id), 0) FROM {table}"), [], |r| r.get(0))?)
        };
        let mut stmt = tx.prepare("SELECT person_id FROM attendance WHERE event_id = ?1")?;
        let pre_existing = stmt.query_map([event_id], |r| r.get(0))?.collect::<rusqlite::Result<HashSet<i64>>>()?;
        let max_person = max("people")?;
        Ok(Writer {
            tx,
            event_id,
            import_id,
            source: attendance_source,
            now,
            max_person,
            max_attendance: max("attendance")?,
            max_organisation: max("organisations")?,
            pre_existing,
            matched: HashSet::new(),
            intervals: Intervals::default(),
            pending: Pending { next_id: max_person + 1, ..Pending::default() },
            bulk_threshold: BATCH,
            bulk: Bulk::Undecided,
            wrote_attendance: false,
        })
    }

    /// The rows the first batch must hold for a bulk run (`None`: one full batch).
    pub fn set_bulk_threshold(&mut self, rows: Option<usize>) {
        self.bulk_threshold = rows.unwrap_or(BATCH);
    }

    /// Before the first batch is written: a large one makes the run a bulk run (see `Bulk`).
    fn decide(&mut self) -> Result<()> {
        if !matches!(self.bulk, Bulk::Undecided) {
            return Ok(());
        }
        let rows = self.pending.people.len() + self.pending.attendance.len();
        if rows == 0 || rows < self.bulk_threshold {
            self.bulk = Bulk::RowByRow;
            return Ok(());
        }
        let mut saved = Vec::with_capacity(SUSPENDED.len());
        {
            let mut stmt = self.tx.prepare("SELECT sql FROM sqlite_schema WHERE type = 'trigger' AND name = ?1")?;
            for name in SUSPENDED {
                saved.push(stmt.query_row([name], |r| r.get::<_, String>(0))?);
            }
        }
        for name in SUSPENDED {
            self.tx.execute_batch(&format!("DROP TRIGGER {name}"))?;
        }
        log::debug!("import {}: bulk run, {} triggers suspended", self.import_id, saved.len());
        self.bulk = Bulk::Suspended(saved);
        Ok(())
    }

    /// Ends a bulk run: does set-wise what the suspended triggers would have done row by row, then
    /// creates them again. Runs before `settle`, whose updates fire the triggers as they would row by row.
    fn resume(&mut self) -> Result<()> {
        let Bulk::Suspended(saved) = std::mem::replace(&mut self.bulk, Bulk::RowByRow) else {
            return Ok(());
        };
        let created: bool =
            self.tx.query_row("SELECT EXISTS (SELECT 1 FROM people WHERE id > ?1)", [self.max_person], |r| r.get(0))?;
        if created {
            // Large statements rather than one per batch (fewer trigram index segments to merge), but not
            // one for all: SQLite keeps the pages a statement changes in its statement journal (in memory,
            // temp_store), which for a million-row import was 50 MB in a single statement.
            let last: i64 = self.tx.query_row("SELECT max(id) FROM people", [], |r| r.get(0))?;
            let mut from = self.max_person;
            while from < last {
                let to = from.saturating_add(FTS_CHUNK).min(last);
                self.tx
                    .prepare_cached(
                        "INSERT INTO people_fts (rowid, search_key)
                         SELECT id, search_key FROM people WHERE id > ?1 AND id <= ?2 ORDER BY id",
                    )?
                    .execute([from, to])?;
                from = to;
            }
            self.tx.execute("DELETE FROM report_people", [])?;
        }
        if self.wrote_attendance {
            self.tx.execute(
                "DELETE FROM report_rosters WHERE event_id = ?1
                    AND EXISTS (SELECT 1 FROM attendance WHERE event_id = ?1 AND import_id = ?2 AND status = 'attended')",
                params![self.event_id, self.import_id],
            )?;
            self.tx.execute(
                "INSERT INTO site_changes (entity, key, version) VALUES ('event', ?1, (SELECT version FROM site_clock))
                 ON CONFLICT (entity, key) DO UPDATE SET version = excluded.version WHERE version <> excluded.version",
                [self.event_id],
            )?;
        }
        for sql in &saved {
            self.tx.execute_batch(sql)?;
        }
        Ok(())
    }

    /// Returns the minutes this row's time overlapped the person's earlier rows of the run (counted once).
    pub(super) fn attend(&mut self, person_id: i64, row: &Row) -> Result<i64> {
        let mut minutes = row.minutes;
        let mut overlap_minutes = 0;
        if let (Some(j), Some(l)) = (row.join, row.leave) {
            let (j, l) = (j.and_utc().timestamp(), l.and_utc().timestamp());
            // Joins add up within a run (the upsert sums minutes), so the part of this interval already
            // covered by the person's earlier ones (a phone beside a laptop) is taken off this row's minutes:
            // the total is the time they were present, the union of their intervals.
            overlap_minutes = (self.intervals.add(person_id, j, l) + 30) / 60;
            if overlap_minutes > 0 {
                minutes = minutes.map(|m| (m - overlap_minutes).max(0));
            }
        }
        if person_id <= self.max_person {
            self.matched.insert(person_id);
        }
        if self.pre_existing.remove(&person_id) {
            // First touch of a record from before the run: keep its values for undo.
            self.tx
                .prepare_cached(
                    "INSERT INTO import_changes (import_id, attendance_id, role, status, minutes, first_join, last_leave, prev_import_id, updated_at)
                     SELECT ?1, id, role, status, minutes, first_join, last_leave, import_id, updated_at
                       FROM attendance WHERE event_id = ?2 AND person_id = ?3",
                )?
                .execute(params![self.import_id, self.event_id, person_id])?;
        }
        self.pending.attendance.push(Attend {
            person_id,
            role: row.role.map(Role::as_str),
            status: Status::as_str(row.status),
            minutes,
            join: iso(row.join),
            leave: iso(row.leave),
        });
        if self.pending.attendance.len() >= BATCH || self.pending.people.len() >= BATCH {
            self.flush()?;
        }
        Ok(overlap_minutes)
    }

    /// A batch statement: full batches come from the statement cache; the odd sizes of a last batch are
    /// prepared once, so they do not push the run's other statements out of the cache.
    fn statement(&self, sql: &str, rows: usize) -> Result<Batch<'c>> {
        Ok(if rows == BATCH { Batch::Cached(self.tx.prepare_cached(sql)?) } else { Batch::Once(self.tx.prepare(sql)?) })
    }

    /// Writes the pending people, then the pending attendance rows, with multi-row statements.
    pub(super) fn flush(&mut self) -> Result<()> {
        self.decide()?;
        let people = std::mem::take(&mut self.pending.people);
        self.pending.emails.clear();
        self.pending.names.clear();
        for chunk in people.chunks(BATCH) {
            let sql = format!("{INSERT_PEOPLE}{}", values(PERSON_VALUES, chunk.len()));
            let mut stmt = self.statement(&sql, chunk.len())?;
            // Parameters are bound one by one: collecting them as boxed values first costs an allocation each.
            let mut i = 0;
            let mut bind = |value: &dyn rusqlite::ToSql| -> rusqlite::Result<()> {
                i += 1;
                stmt.bind(i, value)
            };
            for p in chunk {
                let (email_key, _, search_key) = people::keys(&p.valid.full_name, p.valid.email.as_deref());
                let v = &p.valid;
                bind(&p.id)?;
                bind(&p.uid)?;
                bind(&v.full_name)?;
                bind(&v.email)?;
                bind(&p.organisation_id)?;
                bind(&v.country)?;
                bind(&v.gender)?;
                bind(&email_key)?;
                bind(&p.name_key)?;
                bind(&search_key)?;
                bind(&self.now)?;
                bind(&self.now)?;
                bind(&v.gender_text)?;
                bind(&v.birth_year)?;
                bind(&v.age_band)?;
                bind(&v.participant_type)?;
            }
            stmt.run()?;
        }
        let attendance = std::mem::take(&mut self.pending.attendance);
        self.wrote_attendance |= !attendance.is_empty();
        for chunk in attendance.chunks(BATCH) {
            let sql = format!("{INSERT_ATTENDANCE}{}{}", values(ATTENDANCE_VALUES, chunk.len()), upsert());
            let mut stmt = self.statement(&sql, chunk.len())?;
            let mut i = 0;
            let mut bind = |value: &dyn rusqlite::ToSql| -> rusqlite::Result<()> {
                i += 1;
                stmt.bind(i, value)
            };
            for a in chunk {
                bind(&db::new_uid())?;
                bind(&self.event_id)?;
                bind(&a.person_id)?;
                bind(&a.role)?;
                bind(&a.status)?;
                bind(&a.minutes)?;
                bind(&a.join)?;
                bind(&a.leave)?;
                bind(&self.source)?;
                bind(&self.import_id)?;
                bind(&self.now)?;
                bind(&self.now)?;
            }
            stmt.run()?;
            // A registration list names people who may already be recorded as attended: their status
            // stays (it only moves up), and the registration is recorded beside it. New records written
            // as registered get theirs from the trigger of migration 7; this adds nothing then.
            let mut register = self.tx.prepare_cached(
                "INSERT OR IGNORE INTO registrations (event_id, person_id, import_id, created_at) VALUES (?1, ?2, ?3, ?4)",
            )?;
            for a in chunk.iter().filter(|a| a.status == "registered") {
                register.execute(rusqlite::params![self.event_id, a.person_id, self.import_id, self.now])?;
            }
        }
        Ok(())
    }

    /// Settles the journal, counts what changed into `out` and fills in the import's record.
    pub fn settle(&mut self, out: &mut Outcome) -> Result<()> {
        self.resume()?;
        let imp = self.import_id;
        // Records that the import touched but left as they were go back to their previous state.
        let unchanged = self.tx.execute(
            "UPDATE attendance SET import_id = c.prev_import_id, updated_at = c.updated_at
               FROM import_changes c
              WHERE c.import_id = ?1 AND c.attendance_id = attendance.id
                AND attendance.role IS c.role AND attendance.status IS c.status AND attendance.minutes IS c.minutes
                AND attendance.first_join IS c.first_join AND attendance.last_leave IS c.last_leave",
            [imp],
        )?;
        self.tx.execute(
            "DELETE FROM import_changes WHERE import_id = ?1
                AND EXISTS (SELECT 1 FROM attendance a WHERE a.id = import_changes.attendance_id AND a.import_id IS NOT ?1)",
            [imp],
        )?;
        let count = |sql: &str, p: &[&dyn rusqlite::ToSql]| -> Result<u64> {
            Ok(self.tx.query_row(sql, p, |r| r.get::<_, i64>(0))? as u64)
        };
        out.attendances_unchanged = unchanged as u64;
        out.attendances_created =
            count("SELECT count(*) FROM attendance WHERE import_id = ?1 AND id > ?2", &[&imp, &self.max_attendance])?;
        out.attendances_updated = count("SELECT count(*) FROM import_changes WHERE import_id = ?1", &[&imp])?;
        out.people_matched = self.matched.len() as u64;
        self.tx.execute(
            "INSERT INTO import_people (person_id, import_id) SELECT id, ?1 FROM people WHERE id > ?2",
            params![imp, self.max_person],
        )?;
        self.tx.execute(
            "INSERT INTO import_organisations (organisation_id, import_id) SELECT id, ?1 FROM organisations WHERE id > ?2",
            params![imp, self.max_organisation],
        )?;
        let o = &*out;
        self.tx.execute(
            "UPDATE imports SET rows_read = ?2, people_created = ?3, people_matched = ?4, attendances_created = ?5,
                    attendances_updated = ?6, updated_at = ?7 WHERE id = ?1",
            params![
                imp,
                o.rows as i64,
                o.people_created as i64,
                o.people_matched as i64,
                o.attendances_created as i64,
                o.attendances_updated as i64,
                self.now
            ],
        )?;
        Ok(())
    }
}
