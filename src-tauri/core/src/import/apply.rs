//! Matching rows to people and writing attendance, inside the caller's transaction. Both the preview
//! (rolled back) and the commit run this, so they agree.
//!
//! Matching, row by row:
//! - A row with an email takes the person with that email key. With none, it looks at people of the same
//!   folded name who were in the database before the import: none gives a new person (or the person this
//!   file already created from a row without email, which then gets the email); exactly one without an
//!   email is that person; one with a different email, or several, is ambiguous.
//! - A row without email takes the one person of that folded name (created by this file or not); none
//!   gives a new person; several is ambiguous. Rows of the same name keep the first decision.
//! - Ambiguous rows take the caller's resolution for their key, else the policy.
//!
//! Writing: one attendance per person per event, upserted row by row. Within the import, joins add up
//! (minutes summed, earliest join, latest leave, highest role and status); an attendance that existed
//! before is journaled on first touch and then takes the report's minutes and times. At the end, touched
//! records that ended up unchanged are given back their journal state, so importing the same content
//! twice changes nothing.

use std::collections::{HashMap, HashSet};

use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::{params, Connection, OptionalExtension};

use super::row::{Item, Row};
use super::{Action, Ambiguous, AmbiguousPolicy, Format, Resolution, Skipped};
use crate::db;
use crate::error::{Error, Result};
use crate::organisations::{self, OrganisationInput};
use crate::people::{self, Person, Valid};
use crate::text;
use crate::validate;

/// At most this many skipped rows and warnings are listed (all are counted).
const LIST_LIMIT: usize = 1000;
/// At most this many ambiguous people are listed with their candidates (all are counted): more than a
/// coordinator decides one by one, and each carries up to 20 candidates to the window.
const AMBIGUOUS_LIMIT: usize = 500;
/// At most this many candidates are offered for an ambiguous row.
const CANDIDATES: usize = 20;

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
}

/// The decision for an email or a name, kept so every row of the same person gets the same one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Decision {
    Person(i64),
    Skip,
    /// Ambiguous and undecided: the rows are left out (and a commit under the "ask" policy fails).
    Pending,
}

impl Decision {
    fn person(self) -> Option<i64> {
        match self {
            Decision::Person(id) => Some(id),
            _ => None,
        }
    }
}

/// The local date of an event, for times reports give without a date.
pub(crate) fn event_date(conn: &Connection, event_id: i64) -> Result<Option<NaiveDate>> {
    let starts: Option<String> =
        conn.query_row("SELECT starts_at FROM events WHERE id = ?1", [event_id], |r| r.get(0)).optional()?;
    Ok(starts.and_then(|s| NaiveDate::parse_from_str(s.get(..10)?, "%Y-%m-%d").ok()))
}

/// The planned length of an event in minutes, when it has one.
pub(crate) fn event_minutes(conn: &Connection, event_id: i64) -> Result<Option<i64>> {
    Ok(conn
        .query_row("SELECT duration_minutes FROM events WHERE id = ?1", [event_id], |r| r.get(0))
        .optional()?
        .flatten())
}

/// `YYYY-MM-DDTHH:MM:SS`, written out by hand: chrono's format strings are parsed on every call.
fn iso(t: Option<NaiveDateTime>) -> Option<String> {
    use chrono::{Datelike, Timelike};
    t.map(|t| {
        format!("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}", t.year(), t.month(), t.day(), t.hour(), t.minute(), t.second())
    })
}

pub(crate) struct Run<'c> {
    tx: &'c Connection,
    event_id: i64,
    import_id: i64,
    /// `attendance.source` of records this run creates.
    source: &'static str,
    now: String,
    /// Largest row ids before the run: anything above was created by it.
    max_person: i64,
    max_attendance: i64,
    max_organisation: i64,
    /// People who had an attendance at the event before the run and have not been journaled yet.
    pre_existing: HashSet<i64>,
    matched: HashSet<i64>,
    emails: HashMap<String, Decision>,
    names: HashMap<String, Decision>,
    /// People this run created without an email, by folded name: a later row of the same name with an
    /// email is the same person.
    guests: HashMap<String, Vec<i64>>,
    resolutions: HashMap<&'c str, &'c Resolution>,
    policy: AmbiguousPolicy,
    /// Whether undecided ambiguous rows make `finish` fail (commit) or are only reported (preview, paste).
    refuse_pending: bool,
    organisations: HashMap<String, Option<i64>>,
    /// Candidates from before the run already listed: a common name is offered for many ambiguous rows,
    /// always with the same first 20 people, and reading a person (with their count of events attended)
    /// costs dozens of page reads. People from before the run are never changed by it, so the copy stays
    /// right, except that their count of events attended is as of their first listing.
    candidates: HashMap<i64, Person>,
    pending: Pending,
    out: Outcome,
}

/// People created and attendance rows written by a run but not yet in the database: they are inserted
/// a batch at a time with multi-row statements. That is several times faster than a statement per row,
/// mostly because the people FTS index flushes its pending terms at every statement (savepoint), so one
/// statement per person would write one index segment per person.
#[derive(Default)]
struct Pending {
    /// The id the next new person gets: the run holds the write lock, so ids after the largest are free.
    next_id: i64,
    people: Vec<NewPerson>,
    /// Email key and folded name of the people above, to find them before they are written.
    emails: HashMap<String, i64>,
    names: HashMap<String, Vec<i64>>,
    attendance: Vec<Attend>,
}

impl Pending {
    fn person(&self, id: i64) -> Option<&NewPerson> {
        let first = self.people.first()?.id;
        self.people.get(usize::try_from(id - first).ok()?)
    }

    /// A pending person by id: their ids are consecutive, so the id gives the place.
    fn person_mut(&mut self, id: i64) -> Option<&mut NewPerson> {
        let first = self.people.first()?.id;
        self.people.get_mut(usize::try_from(id - first).ok()?)
    }
}

struct NewPerson {
    id: i64,
    uid: String,
    valid: Valid,
    organisation_id: Option<i64>,
    name_key: String,
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
const UPSERT: &str = " ON CONFLICT (event_id, person_id) DO UPDATE SET
    role = CASE WHEN (CASE excluded.role WHEN 'organiser' THEN 3 WHEN 'moderator' THEN 2 WHEN 'speaker' THEN 1 ELSE 0 END)
                   > (CASE role WHEN 'organiser' THEN 3 WHEN 'moderator' THEN 2 WHEN 'speaker' THEN 1 ELSE 0 END)
                THEN excluded.role ELSE role END,
    status = CASE WHEN (CASE excluded.status WHEN 'attended' THEN 3 WHEN 'absent' THEN 2 WHEN 'cancelled' THEN 1 ELSE 0 END)
                     > (CASE status WHEN 'attended' THEN 3 WHEN 'absent' THEN 2 WHEN 'cancelled' THEN 1 ELSE 0 END)
                  THEN excluded.status ELSE status END,
    minutes = CASE WHEN import_id IS excluded.import_id
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

impl<'c> Run<'c> {
    /// Records the import in `imports` (its counts are filled in by `finish`) and loads what matching needs.
    pub fn start(
        tx: &'c Connection,
        event_id: i64,
        source: Source,
        policy: AmbiguousPolicy,
        resolutions: &'c [Resolution],
        refuse_pending: bool,
    ) -> Result<Run<'c>> {
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
        let mut by_key = HashMap::new();
        for r in resolutions {
            if r.action == Action::Person && r.person_id.is_none() {
                return Err(Error::invalid("resolutions", "a resolution with action \"person\" needs a person_id"));
            }
            by_key.insert(r.key.as_str(), r);
        }
        Ok(Run {
            tx,
            event_id,
            import_id,
            source: attendance_source,
            now,
            max_person: max("people")?,
            max_attendance: max("attendance")?,
            max_organisation: max("organisations")?,
            pre_existing,
            matched: HashSet::new(),
            emails: HashMap::new(),
            names: HashMap::new(),
            guests: HashMap::new(),
            resolutions: by_key,
            policy,
            refuse_pending,
            organisations: HashMap::new(),
            candidates: HashMap::new(),
            pending: Pending { next_id: max("people")? + 1, ..Pending::default() },
            out: Outcome { import_id, ..Outcome::default() },
        })
    }

    pub fn item(&mut self, item: Item) -> Result<()> {
        match item {
            Item::Row(row) => {
                self.out.rows += 1;
                self.row(row)
            }
            Item::Seen => {
                self.out.rows += 1;
                Ok(())
            }
            Item::Merged(row) => self.row(row),
            Item::Skip(s) => {
                self.out.rows += 1;
                self.skip(s);
                Ok(())
            }
            Item::Warn(w) => {
                self.warn(w);
                Ok(())
            }
        }
    }

    fn warn(&mut self, w: Skipped) {
        self.out.warnings_total += 1;
        if self.out.warnings.len() < LIST_LIMIT {
            self.out.warnings.push(w);
        }
    }

    fn skip(&mut self, s: Skipped) {
        self.out.skipped_total += 1;
        if self.out.skipped.len() < LIST_LIMIT {
            self.out.skipped.push(s);
        }
    }

    fn row(&mut self, mut row: Row) -> Result<()> {
        // A name of zero-width spaces, joiners or direction marks alone shows as blank and folds to
        // nothing, so every such name would match every other: it is no name. Every parser's rows come
        // through here, so this holds for all formats and pasted lists.
        if text::fold(&row.name).is_empty() {
            match &row.email {
                Some(email) => {
                    self.warn(Skipped {
                        line: row.line,
                        reason: "the name is made only of invisible characters (zero-width spaces or the like); \
                                 the email stands for the name"
                            .into(),
                    });
                    row.name = email.clone();
                }
                None => {
                    self.skip(Skipped {
                        line: row.line,
                        reason: "the name is made only of invisible characters (zero-width spaces or the like) \
                                 and there is no email"
                            .into(),
                    });
                    return Ok(());
                }
            }
        }
        let person = match row.email.clone() {
            Some(email) => self.by_email(&row, &email)?,
            None => self.by_name(&row)?,
        };
        match person {
            Some(id) => self.attend(id, &row),
            None => Ok(()),
        }
    }

    fn by_email(&mut self, row: &Row, email: &str) -> Result<Option<i64>> {
        if let Some(d) = self.emails.get(email) {
            return Ok(d.person());
        }
        if let Some(&id) = self.pending.emails.get(email) {
            return Ok(Some(id));
        }
        let ids: Vec<i64> = self
            .tx
            .prepare_cached("SELECT id FROM people WHERE email_key = ?1 ORDER BY id LIMIT 21")?
            .query_map([email], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        // Only ambiguity outcomes are remembered per email: anything else is found again by the lookups,
        // and remembering every email of a million-row report would cost memory for nothing.
        let key = || format!("email:{email}");
        let decision = match ids.as_slice() {
            [id] => Decision::Person(*id),
            [] => {
                let name_key = text::fold(&row.name);
                let existing = self.named(&name_key, false)?;
                match existing.as_slice() {
                    [] => {
                        // A row of this file without email, of the same name, already made this person.
                        match self.guests_created(&name_key)?.as_slice() {
                            [guest] => {
                                self.give_email(*guest, email, &name_key)?;
                                Decision::Person(*guest)
                            }
                            _ => self.create(row, name_key)?,
                        }
                    }
                    [id] => {
                        let other: Option<String> = self
                            .tx
                            .prepare_cached("SELECT email_key FROM people WHERE id = ?1")?
                            .query_row([id], |r| r.get(0))?;
                        match other {
                            None => Decision::Person(*id),
                            Some(_) => self.ambiguous_email(key(), email, row, vec![*id], "other_email")?,
                        }
                    }
                    many => self.ambiguous_email(key(), email, row, many.to_vec(), "several_people")?,
                }
            }
            many => self.ambiguous_email(key(), email, row, many.to_vec(), "several_people")?,
        };
        Ok(decision.person())
    }

    fn by_name(&mut self, row: &Row) -> Result<Option<i64>> {
        let name_key = text::fold(&row.name);
        if let Some(d) = self.names.get(&name_key) {
            return Ok(d.person());
        }
        let same_name = self.named(&name_key, true)?;
        let decision = match same_name.as_slice() {
            [] => self.create(row, name_key.clone())?,
            [id] => Decision::Person(*id),
            many => self.ambiguous(format!("name:{name_key}"), row, many.to_vec(), "several_people")?,
        };
        self.names.insert(name_key, decision);
        Ok(decision.person())
    }

    /// Ids of the people with this folded name: only those from before the run, or (`all`) those the run
    /// created too. The name index alone answers, without reading the people rows.
    fn named(&self, name_key: &str, all: bool) -> Result<Vec<i64>> {
        let limit = if all { i64::MAX } else { self.max_person };
        let mut ids: Vec<i64> = self
            .tx
            .prepare_cached("SELECT id FROM people WHERE name_key = ?1 AND id <= ?2 ORDER BY id LIMIT 21")?
            .query_map(params![name_key, limit], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        if all {
            ids.extend(self.pending.names.get(name_key).into_iter().flatten());
        }
        Ok(ids)
    }

    /// People this run created without an email, with this folded name.
    fn guests_created(&self, name_key: &str) -> Result<Vec<i64>> {
        Ok(self.guests.get(name_key).cloned().unwrap_or_default())
    }

    /// Gives a person this run created without an email the email of a later row of the same name.
    fn give_email(&mut self, person_id: i64, email: &str, name_key: &str) -> Result<()> {
        if let Some(ids) = self.guests.get_mut(name_key) {
            ids.retain(|id| *id != person_id);
        }
        if let Some(p) = self.pending.person_mut(person_id) {
            p.valid.email = Some(email.to_string());
            self.pending.emails.insert(email.to_string(), person_id);
            return Ok(());
        }
        let name: String =
            self.tx.query_row("SELECT full_name FROM people WHERE id = ?1", [person_id], |r| r.get(0))?;
        let (email_key, _, search_key) = people::keys(&name, Some(email));
        self.tx.execute(
            "UPDATE people SET email = ?2, email_key = ?3, search_key = ?4 WHERE id = ?1",
            params![person_id, email, email_key, search_key],
        )?;
        Ok(())
    }

    /// An ambiguous email row. The decision is remembered for the email's later rows, except "new": the
    /// person created then has the email, so the lookup finds them.
    fn ambiguous_email(
        &mut self,
        key: String,
        email: &str,
        row: &Row,
        ids: Vec<i64>,
        reason: &str,
    ) -> Result<Decision> {
        let action = self.resolutions.get(key.as_str()).map(|r| r.action);
        let made_new = action == Some(Action::New) || (action.is_none() && self.policy == AmbiguousPolicy::New);
        let decision = self.ambiguous(key, row, ids, reason)?;
        if !made_new {
            self.emails.insert(email.to_string(), decision);
        }
        Ok(decision)
    }

    /// Applies the resolution (or the policy) to an ambiguous row and lists it.
    fn ambiguous(&mut self, key: String, row: &Row, mut ids: Vec<i64>, reason: &str) -> Result<Decision> {
        ids.truncate(CANDIDATES);
        let resolution = self.resolutions.get(key.as_str()).copied();
        let action = resolution.map(|r| r.action).or(match self.policy {
            AmbiguousPolicy::Ask => None,
            AmbiguousPolicy::New => Some(Action::New),
            AmbiguousPolicy::Skip => Some(Action::Skip),
        });
        let decision = match action {
            None => Decision::Pending,
            Some(Action::Skip) => Decision::Skip,
            Some(Action::New) => self.create(row, text::fold(&row.name))?,
            Some(Action::Person) => {
                let id = resolution.and_then(|r| r.person_id).unwrap_or_default();
                let name_key: Option<String> = match self.pending.person(id) {
                    Some(p) => Some(p.name_key.clone()),
                    None => {
                        self.tx.query_row("SELECT name_key FROM people WHERE id = ?1", [id], |r| r.get(0)).optional()?
                    }
                };
                // A person this run created only exists for this run: accept its id only if it is the
                // same person again (same name), or the database changed since the preview.
                match name_key {
                    Some(k) if id <= self.max_person || k == text::fold(&row.name) => Decision::Person(id),
                    _ => {
                        return Err(Error::invalid(
                            "resolutions",
                            format!(
                            "the decision for line {} names person {id}, who does not exist; preview the file again",
                            row.line
                        ),
                        ))
                    }
                }
            }
        };
        self.out.ambiguous_total += 1;
        if decision == Decision::Pending {
            self.out.undecided += 1;
            if self.out.undecided_lines.len() < 20 {
                self.out.undecided_lines.push(row.line);
            }
        }
        if self.out.ambiguous.len() >= AMBIGUOUS_LIMIT {
            return Ok(decision);
        }
        let mut candidates = Vec::with_capacity(ids.len());
        for &id in &ids {
            candidates.push(self.candidate(id)?);
        }
        self.out.ambiguous.push(Ambiguous {
            key,
            line: row.line,
            name: row.name.clone(),
            email: row.email.clone(),
            reason: reason.to_string(),
            candidates,
            decision: match decision {
                Decision::Pending => None,
                _ => action,
            },
            person_id: decision.person(),
        });
        Ok(decision)
    }

    /// A candidate for an ambiguous row, from the database or, if this run created them and they are not
    /// written yet, from the pending batch.
    fn candidate(&mut self, id: i64) -> Result<Person> {
        let Some(p) = self.pending.person(id) else {
            if id > self.max_person {
                return people::get(self.tx, id);
            }
            if let Some(known) = self.candidates.get(&id) {
                return Ok(known.clone());
            }
            let person = people::get(self.tx, id)?;
            self.candidates.insert(id, person.clone());
            return Ok(person);
        };
        let organisation_name = match p.organisation_id {
            Some(o) => Some(self.tx.query_row("SELECT name FROM organisations WHERE id = ?1", [o], |r| r.get(0))?),
            None => None,
        };
        Ok(Person {
            id,
            uid: p.uid.clone(),
            full_name: p.valid.full_name.clone(),
            email: p.valid.email.clone(),
            organisation_id: p.organisation_id,
            organisation_name,
            country: p.valid.country.clone(),
            gender: p.valid.gender.clone(),
            gender_text: p.valid.gender_text.clone(),
            birth_year: p.valid.birth_year,
            age_band: p.valid.age_band.clone(),
            participant_type: p.valid.participant_type.clone(),
            notes: String::new(),
            created_at: self.now.clone(),
            updated_at: self.now.clone(),
            events_attended: 0,
        })
    }

    /// Creates the person of a row (written with the next batch); a row whose name cannot be stored is
    /// skipped instead.
    fn create(&mut self, row: &Row, name_key: String) -> Result<Decision> {
        let full_name = match validate::required("full_name", &row.name) {
            Ok(n) => n,
            Err(e) => {
                self.skip(Skipped { line: row.line, reason: e.to_string() });
                return Ok(Decision::Skip);
            }
        };
        // Gender words are mapped to a category (the words kept); a year of birth, age band or participant
        // type that cannot be read is left out with a warning, the person is still created.
        let gender = match crate::gender::parse(self.tx, row.gender.as_deref()) {
            Ok(g) => g,
            Err(e) => {
                self.warn(Skipped { line: row.line, reason: e.to_string() });
                crate::gender::Gender::default()
            }
        };
        let birth_year = match people::birth_year(row.birth_year) {
            Ok(y) => y,
            Err(e) => {
                self.warn(Skipped { line: row.line, reason: e.to_string() });
                None
            }
        };
        let age_band = match crate::projects::age_band_label("age_band", row.age_band.as_deref()) {
            Ok(b) => b,
            Err(e) => {
                self.warn(Skipped { line: row.line, reason: e.to_string() });
                None
            }
        };
        let participant_type =
            crate::projects::participant_type_key("participant_type", row.participant_type.as_deref()).unwrap_or(None);
        let organisation_id = match &row.organisation {
            Some(name) => self.organisation(name, row.line)?,
            None => None,
        };
        let id = self.pending.next_id;
        self.pending.next_id += 1;
        let valid = Valid {
            full_name,
            email: row.email.clone(),
            country: row.country.clone(),
            gender: gender.category,
            gender_text: gender.text,
            birth_year,
            age_band,
            participant_type,
            notes: String::new(),
        };
        match &valid.email {
            Some(e) => {
                self.pending.emails.insert(e.clone(), id);
            }
            None => self.guests.entry(name_key.clone()).or_default().push(id),
        }
        self.pending.names.entry(name_key.clone()).or_default().push(id);
        self.pending.people.push(NewPerson { id, uid: db::new_uid(), valid, organisation_id, name_key });
        self.out.people_created += 1;
        Ok(Decision::Person(id))
    }

    /// The organisation of that name, created if there is none.
    fn organisation(&mut self, name: &str, line: u64) -> Result<Option<i64>> {
        let key = text::fold(name);
        if let Some(id) = self.organisations.get(&key) {
            return Ok(*id);
        }
        let id = match organisations::find_by_name(self.tx, name)? {
            Some(id) => Some(id),
            None => match organisations::create(
                self.tx,
                &OrganisationInput { name: name.to_string(), ..Default::default() },
            ) {
                Ok(o) => Some(o.id),
                Err(Error::Invalid { message, .. }) => {
                    self.warn(Skipped { line, reason: format!("the organisation was not recorded: {message}") });
                    None
                }
                Err(e) => return Err(e),
            },
        };
        self.organisations.insert(key, id);
        Ok(id)
    }

    /// Adds one row to the person's attendance at the event (written with the next batch).
    fn attend(&mut self, person_id: i64, row: &Row) -> Result<()> {
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
            role: row.role.map(|r| r.as_str()),
            status: row.status.as_str(),
            minutes: row.minutes,
            join: iso(row.join),
            leave: iso(row.leave),
        });
        if self.pending.attendance.len() >= BATCH || self.pending.people.len() >= BATCH {
            self.flush()?;
        }
        Ok(())
    }

    /// A batch statement: full batches come from the statement cache; the odd sizes of a last batch are
    /// prepared once, so they do not push the run's other statements out of the cache.
    fn statement(&self, sql: &str, rows: usize) -> Result<Batch<'c>> {
        Ok(if rows == BATCH { Batch::Cached(self.tx.prepare_cached(sql)?) } else { Batch::Once(self.tx.prepare(sql)?) })
    }

    /// Writes the pending people, then the pending attendance rows, with multi-row statements.
    fn flush(&mut self) -> Result<()> {
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
        for chunk in attendance.chunks(BATCH) {
            let sql = format!("{INSERT_ATTENDANCE}{}{UPSERT}", values(ATTENDANCE_VALUES, chunk.len()));
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
            // as registered get theirs from the trigger of migration 6; this adds nothing then.
            let mut register = self.tx.prepare_cached(
                "INSERT OR IGNORE INTO registrations (event_id, person_id, import_id, created_at) VALUES (?1, ?2, ?3, ?4)",
            )?;
            for a in chunk.iter().filter(|a| a.status == "registered") {
                register.execute(params![self.event_id, a.person_id, self.import_id, self.now])?;
            }
        }
        Ok(())
    }

    /// Settles the journal, counts what changed and fills in the import's record.
    pub fn finish(mut self) -> Result<Outcome> {
        self.flush()?;

        if self.refuse_pending && self.out.undecided > 0 {
            let shown: Vec<String> = self.out.undecided_lines.iter().map(u64::to_string).collect();
            let more = self.out.undecided - shown.len() as u64;
            let more = if more > 0 { format!(" and {more} more") } else { String::new() };
            return Err(Error::invalid(
                "resolutions",
                format!(
                    "{} people in the file could be more than one person, or match a person with another email, and need a decision \
                     (or a default: new or skip): line {}{more}",
                    self.out.undecided,
                    shown.join(", ")
                ),
            ));
        }
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
        self.out.attendances_unchanged = unchanged as u64;
        self.out.attendances_created =
            count("SELECT count(*) FROM attendance WHERE import_id = ?1 AND id > ?2", &[&imp, &self.max_attendance])?;
        self.out.attendances_updated = count("SELECT count(*) FROM import_changes WHERE import_id = ?1", &[&imp])?;
        self.out.people_matched = self.matched.len() as u64;
        self.tx.execute(
            "INSERT INTO import_people (person_id, import_id) SELECT id, ?1 FROM people WHERE id > ?2",
            params![imp, self.max_person],
        )?;
        self.tx.execute(
            "INSERT INTO import_organisations (organisation_id, import_id) SELECT id, ?1 FROM organisations WHERE id > ?2",
            params![imp, self.max_organisation],
        )?;
        let o = &self.out;
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
        Ok(self.out)
    }
}
