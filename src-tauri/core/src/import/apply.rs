//! One run of an import over its rows, inside the caller's transaction: each item a parser produces is
//! counted, listed (skipped rows, warnings) or matched (`match.rs`) and written (`write.rs`). Both the
//! preview (rolled back) and the commit run this, so they agree.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension};

use super::options::{Action, AmbiguousPolicy, Resolution};
use super::report::{MatchRule, ReviewRow, Skipped};
use super::row::Item;
use super::write::Writer;
pub(crate) use super::write::{Outcome, Source};
use crate::error::{Error, Result};
use crate::people::Person;

/// At most this many skipped rows and warnings are listed (all are counted).
const LIST_LIMIT: usize = 1000;
/// At most this many ambiguous people are listed with their candidates (all are counted): more than a
/// coordinator decides one by one, and each carries up to 20 candidates to the window.
pub(super) const AMBIGUOUS_LIMIT: usize = 500;
/// At most this many candidates are offered for an ambiguous row.
pub(super) const CANDIDATES: usize = 20;

/// The decision for an email or a name, kept so every row of the same person gets the same one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Decision {
    Person(i64),
    Skip,
    /// Ambiguous and undecided: the rows are left out (and a commit under the "ask" policy fails).
    Pending,
}

impl Decision {
    pub(super) fn person(self) -> Option<i64> {
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

pub(crate) struct Run<'c> {
    pub(super) w: Writer<'c>,
    pub(super) emails: HashMap<String, Decision>,
    pub(super) names: HashMap<String, Decision>,
    /// People this run created without an email, by folded name: a later row of the same name with an
    /// email is the same person.
    pub(super) guests: HashMap<String, Vec<i64>>,
    pub(super) resolutions: HashMap<&'c str, &'c Resolution>,
    /// Per-row decisions (`line:N`) by line, and by the identity (email or folded name) of the person
    /// of their line once met, for that person's later rows.
    pub(super) lines: HashMap<u64, &'c Resolution>,
    pub(super) line_people: HashMap<String, &'c Resolution>,
    pub(super) review: Review,
    pub(super) policy: AmbiguousPolicy,
    /// Whether undecided ambiguous rows make `finish` fail (commit) or are only reported (preview, paste).
    pub(super) refuse_pending: bool,
    pub(super) organisations: HashMap<String, Option<i64>>,
    /// Candidates from before the run already listed: a common name is offered for many ambiguous rows,
    /// always with the same first 20 people, and reading a person (with their count of events attended)
    /// costs dozens of page reads. People from before the run are never changed by it, so the copy stays
    /// right, except that their count of events attended is as of their first listing.
    pub(super) candidates: HashMap<i64, Person>,
    pub(super) out: Outcome,
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
        let mut by_key = HashMap::new();
        let mut lines = HashMap::new();
        for r in resolutions {
            if r.action == Action::Person && r.person_id.is_none() {
                return Err(Error::invalid("resolutions", "a resolution with action \"person\" needs a person_id"));
            }
            if r.key.starts_with("line:") {
                let line = r.line().filter(|l| *l > 0).ok_or_else(|| {
                    Error::invalid("resolutions", format!("'{}' is not a row decision key (line:N)", r.key))
                })?;
                match r.action {
                    Action::Skip => {}
                    Action::Rename => {
                        crate::validate::required("name", r.name.as_deref().unwrap_or_default()).map_err(|_| {
                            Error::invalid("resolutions", format!("the new name for line {line} is empty"))
                        })?;
                    }
                    _ => {
                        return Err(Error::invalid(
                            "resolutions",
                            format!("the decision for line {line} must be skip or rename"),
                        ))
                    }
                }
                lines.insert(line, r);
                continue;
            }
            if r.action == Action::Rename {
                return Err(Error::invalid(
                    "resolutions",
                    format!("'{}': only a row (line:N) can be renamed; decide person, new or skip", r.key),
                ));
            }
            by_key.insert(r.key.as_str(), r);
        }
        let w = Writer::start(tx, event_id, source)?;
        let import_id = w.import_id;
        Ok(Run {
            w,
            emails: HashMap::new(),
            names: HashMap::new(),
            guests: HashMap::new(),
            resolutions: by_key,
            lines,
            line_people: HashMap::new(),
            review: Review::default(),
            policy,
            refuse_pending,
            organisations: HashMap::new(),
            candidates: HashMap::new(),
            out: Outcome { import_id, ..Outcome::default() },
        })
    }

    pub fn item(&mut self, item: Item) -> Result<()> {
        match item {
            Item::Row(row) => {
                self.out.rows += 1;
                self.row(row)
            }
            Item::Read => {
                self.out.rows += 1;
                Ok(())
            }
            Item::Gathered(row) => self.row(row),
            Item::Ignored(header) => {
                if !self.out.ignored_columns.contains(&header) {
                    self.out.ignored_columns.push(header);
                }
                Ok(())
            }
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

    pub(super) fn warn(&mut self, w: Skipped) {
        self.out.warnings_total += 1;
        if self.out.warnings.len() < LIST_LIMIT {
            self.out.warnings.push(w);
        }
    }

    pub(super) fn skip(&mut self, s: Skipped) {
        self.out.skipped_total += 1;
        if self.out.skipped.len() < LIST_LIMIT {
            self.out.skipped.push(s);
        }
    }

    pub fn finish(mut self) -> Result<Outcome> {
        self.w.flush()?;

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
        self.w.settle(&mut self.out)?;
        self.out.people = std::mem::take(&mut self.review.people);
        self.out.people_total = self.review.total;
        Ok(self.out)
    }
}

/// What matching found for the row being matched, for its review entry (set by `match.rs`).
#[derive(Debug, Default)]
pub(super) struct Hint {
    pub rule: Option<MatchRule>,
    /// The ambiguity key, when the row was ambiguous.
    pub key: Option<String>,
    /// Ambiguous and undecided.
    pub pending: bool,
    /// The skip code, when the row was left out.
    pub code: Option<&'static str>,
}

/// The review's state during a run (kept here with the run, filled by `review.rs` and `match.rs`).
#[derive(Default)]
pub(super) struct Review {
    /// Listed people by identity, to their place in `people`.
    pub listed: HashMap<String, usize>,
    /// Hashes of every identity met (for `people_total`).
    pub seen: HashSet<u64>,
    pub people: Vec<ReviewRow>,
    pub total: u64,
    pub hint: Hint,
}
