//! The aggregate reports of a project: the summary (events, attendances, unique people and their
//! breakdowns, attendance per event) and the donor indicator table (unique participants by gender and
//! country). Both make one pass over the project's attended records (see `roster`), aggregating per person
//! in memory, then one pass over the people's organisation, country and gender (see `attributes`).
//!
//! Erased people are counted too, as anonymous numbers (see `privacy`): their attendance records per
//! event (`event_anonymous_counts`) add to the attendances, minutes and per-event counts, and the erased
//! people who attended the project (`project_anonymous_people`) add to the unique people, so a report keeps
//! its totals after an erasure. Their country, gender, organisation and roles are gone: every breakdown of
//! people shows them on one line of their own, [`ERASED`], after "not stated". These are two small queries
//! per report, whatever the number of records.

use std::collections::HashMap;

use rusqlite::Connection;
use serde::{Deserialize, Serialize};

use super::attributes::{self, PersonAttributes};
use super::roster::{self, Record, Scope};
use super::{date_range, local_date};
use crate::attendance::ROLES;
use crate::db::{self, Table};
use crate::error::Result;
use crate::gender;

/// The label of people whose country or gender is not recorded (and of the gender "not stated").
pub const NOT_STATED: &str = "not stated";
/// The label of people with no organisation recorded.
pub const NO_ORGANISATION: &str = "no organisation";
/// The key of the breakdown line (and donor table row and column) of erased people, who are counted
/// anonymously: what they were is no longer known. Always the last line.
pub const ERASED: &str = "erased";
/// The label of that line.
pub const ERASED_LABEL: &str = "Erased (anonymous)";

/// One line of a breakdown: how many unique people (or events) share a value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Breakdown {
    /// Stable key: the country code, the gender folded to lower case, the organisation id, the role or the
    /// event kind; empty for "not stated" / "no organisation"; [`ERASED`] for erased people.
    pub key: String,
    /// What to show.
    pub label: String,
    pub count: i64,
}

/// Attendance at one event, for the bar chart of a project.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventCount {
    pub event_id: i64,
    pub title: String,
    pub kind: String,
    /// Local start date, `YYYY-MM-DD`.
    pub date: String,
    /// People recorded as attended.
    pub attended: i64,
}

/// Options of the project summary.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SummaryOptions {
    /// Only events whose local start date is on or after this date (`YYYY-MM-DD`).
    pub from: Option<String>,
    /// Only events whose local start date is on or before this date (`YYYY-MM-DD`).
    pub to: Option<String>,
}

/// What a project reached, over all its events or those in a date range.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProjectSummary {
    pub project_id: i64,
    pub project_name: String,
    pub from: Option<String>,
    pub to: Option<String>,
    /// Events in the range, whether or not anyone attended.
    pub events: i64,
    pub events_by_kind: Vec<Breakdown>,
    /// Attendance records with status attended (those of erased people included).
    pub attendances: i64,
    /// People who attended at least one event, erased people included.
    pub unique_people: i64,
    /// Distinct organisations of those people (people without one, and erased people, are not counted).
    pub unique_organisations: i64,
    /// Sum of the recorded minutes of the attendances.
    pub total_minutes: i64,
    /// Mean minutes per attendance, over attendances whose minutes are recorded, to one decimal.
    pub average_minutes: Option<f64>,
    /// Unique people by country; unknown is "not stated" (key ""); erased people are the last line (key
    /// [`ERASED`]). Every breakdown of people adds up to `unique_people`, except by role (one person can
    /// have several roles).
    pub people_by_country: Vec<Breakdown>,
    /// Unique people by gender, grouped case-insensitively and shown with the most common spelling;
    /// blank, unknown and "not stated" together are "not stated" (key "").
    pub people_by_gender: Vec<Breakdown>,
    /// Unique people by organisation (key: organisation id; "" for none).
    pub people_by_organisation: Vec<Breakdown>,
    /// Unique people by role: someone who was a speaker once and a participant twice counts once in each.
    pub people_by_role: Vec<Breakdown>,
    /// Every event in the range, oldest first, with its number of attendees.
    pub attendance_by_event: Vec<EventCount>,
}

/// Who counts in the donor table.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DonorOptions {
    pub from: Option<String>,
    pub to: Option<String>,
    /// An attendance qualifies only if it lasted at least this many minutes (unknown minutes do not
    /// qualify then). Without `min_events`, a person counts if they attended at least one event for at
    /// least this long.
    pub min_minutes: Option<i64>,
    /// A person counts only with at least this many qualifying attendances (events attended, each for at
    /// least `min_minutes` when that is set).
    pub min_events: Option<i64>,
    /// The dimension of the rows (default: gender).
    pub rows: Option<Dimension>,
    /// The dimension of the columns (default: country).
    pub cols: Option<Dimension>,
}

/// A column of the donor table: one value of the column dimension (a country by default).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Column {
    /// The value's stable key (see [`Dimension`]); "" for not stated; [`ERASED`] for erased people.
    pub key: String,
    pub label: String,
}

/// A row of the donor table: one value of the row dimension (a gender by default), with one count per
/// column.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DonorRow {
    /// The value's stable key (see [`Dimension`]); "" for not stated; [`ERASED`] for erased people.
    pub key: String,
    pub label: String,
    /// Unique people per column, in the order of `DonorTable::columns`.
    pub counts: Vec<i64>,
    pub total: i64,
}

/// Unique participants of a project disaggregated by two dimensions (gender rows and country columns by
/// default), each person counted once in a cell and once in each total.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DonorTable {
    pub project_id: i64,
    pub project_name: String,
    pub options: DonorOptions,
    /// The dimension of the rows and of the columns.
    pub rows_dimension: Dimension,
    pub columns_dimension: Dimension,
    /// The values of the column dimension held by people counted, in the dimension's order (see
    /// [`Dimension`]), then "not stated", then erased people (key [`ERASED`]).
    pub columns: Vec<Column>,
    /// The values of the row dimension, ordered the same way; erased people are counted only in the
    /// erased column.
    pub rows: Vec<DonorRow>,
    /// The totals row: unique people per column value. For a per-person dimension it is the sum of the
    /// column; for `event` and `organiser` a person who attended several events counts in several cells,
    /// so cells may add up to more than the total, which is always of unique people.
    pub column_totals: Vec<i64>,
    /// Unique people in all.
    pub total: i64,
}

pub use super::donor::Dimension;

/// What erased people left in the scope of a report.
#[derive(Default)]
pub(super) struct Anonymous {
    /// Erased people who attended events in the scope (a lower bound when the scope is a date range
    /// that leaves out some of their records: see `anonymous`).
    pub people: i64,
}

/// An event in the scope of a report.
pub(super) struct EventInfo {
    pub id: i64,
    pub title: String,
    pub kind: String,
    pub starts_at: String,
    pub organiser_id: Option<i64>,
}

/// What one person did in the scope, with their attributes.
#[derive(Clone)]
pub(super) struct PersonAgg {
    pub qualifying: u32,
    /// Bit i set when the person attended in role `ROLES[i]`.
    pub roles: u8,
    /// The index (in `Collected::events`) of their first qualifying event in the scope (u32::MAX: none).
    pub first_event: u32,
    pub attributes: PersonAttributes,
}

/// Per-person counters during the pass over attendance, packed in one u32 (qualifying attendances << 8 |
/// role bits) so the counters of 100,000 people fit in the processor's cache: the pass makes one random
/// memory access per record. Indexed by person id when ids are dense enough (they are row ids, so they
/// usually are), hashed otherwise. A person who attended has at least one role bit set.
enum Counters {
    Dense(Vec<u32>),
    Sparse(HashMap<i64, u32>),
}

/// Largest person id for which the dense vector (4 bytes per id) is used.
const DENSE_LIMIT: i64 = 4_000_000;

impl Counters {
    fn new(max_id: i64) -> Counters {
        if (0..=DENSE_LIMIT).contains(&max_id) {
            Counters::Dense(vec![0; max_id as usize + 1])
        } else {
            Counters::Sparse(HashMap::new())
        }
    }

    fn add(&mut self, id: i64, role: u8, qualifies: bool) {
        let counter = match self {
            Counters::Dense(v) => match usize::try_from(id).ok().and_then(|i| v.get_mut(i)) {
                Some(c) => c,
                None => return,
            },
            Counters::Sparse(m) => m.entry(id).or_insert(0),
        };
        *counter = counter.saturating_add(if qualifies { 1 << 8 } else { 0 }) | 1 << role.min(7);
    }

    fn get(&self, id: i64) -> u32 {
        match self {
            Counters::Dense(v) => usize::try_from(id).ok().and_then(|i| v.get(i)).copied().unwrap_or(0),
            Counters::Sparse(m) => m.get(&id).copied().unwrap_or(0),
        }
    }
}

pub(super) struct Collected {
    pub project_name: String,
    pub events: Vec<EventInfo>,
    pub attended_per_event: Vec<i64>,
    pub attendances: i64,
    pub total_minutes: i64,
    pub minutes_known: i64,
    pub people: Vec<PersonAgg>,
    pub anonymous: Anonymous,
    pub countries: Vec<String>,
    /// Age bands as stored for people without a year of birth, each once.
    pub age_bands: Vec<String>,
    /// Participant type keys, each once.
    pub participant_types: Vec<String>,
    /// With `Needs::records`: the qualifying attended records, as (event index, person id).
    pub records: Vec<(u32, i64)>,
}

/// What a report needs beyond the per-person counters, so the common reports pay nothing for it.
#[derive(Default, Clone, Copy)]
pub(super) struct Needs {
    /// Each person's first qualifying event (for their age).
    pub first_event: bool,
    /// The qualifying records themselves (for per-event dimensions: event, organiser).
    pub records: bool,
}

/// Reads the scope's events, makes the one pass over their attended records, then reads the attributes
/// of the people found. An attendance qualifies when its minutes reach `min_minutes` (all do when None).
pub(super) fn collect(
    conn: &mut Connection,
    scope: &Scope,
    min_minutes: Option<i64>,
    needs: Needs,
) -> Result<Collected> {
    let project_name: String =
        conn.query_row("SELECT name FROM projects WHERE id = ?1", [scope.project_id], |r| r.get(0))?;
    let events: Vec<EventInfo> = {
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT e.id, e.title, e.kind, e.starts_at, e.organiser_id FROM events e WHERE {} ORDER BY e.starts_utc, e.id",
            Scope::WHERE
        ))?;
        let rows = stmt.query_map(scope.params(), |r| {
            Ok(EventInfo {
                id: r.get(0)?,
                title: r.get(1)?,
                kind: r.get(2)?,
                starts_at: r.get(3)?,
                organiser_id: r.get(4)?,
            })
        })?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    let event_ids: Vec<i64> = events.iter().map(|e| e.id).collect();
    let max_id: i64 = conn.query_row("SELECT coalesce(max(id), 0) FROM people", [], |r| r.get(0))?;

    let mut counters = Counters::new(max_id);
    let mut attended_per_event = vec![0i64; events.len()];
    let (mut attendances, mut total_minutes, mut minutes_known) = (0i64, 0i64, 0i64);
    let threshold = min_minutes.filter(|&m| m > 0);
    // Events are in date order, so the first event of a person is the lowest index seen.
    let mut first_event: Vec<u32> = if needs.first_event && (0..=DENSE_LIMIT).contains(&max_id) {
        vec![u32::MAX; max_id as usize + 1]
    } else {
        Vec::new()
    };
    let mut first_sparse: HashMap<i64, u32> = HashMap::new();
    let mut records: Vec<(u32, i64)> = Vec::new();
    let stats = roster::scan(conn, scope, &event_ids, |event, rec: Record| {
        attended_per_event[event] += 1;
        attendances += 1;
        if let Some(m) = rec.minutes {
            total_minutes += i64::from(m);
            minutes_known += 1;
        }
        let qualifies = match threshold {
            None => true,
            Some(t) => rec.minutes.is_some_and(|m| i64::from(m) >= t),
        };
        counters.add(rec.person_id, rec.role, qualifies);
        if qualifies {
            if needs.first_event {
                match usize::try_from(rec.person_id).ok().and_then(|i| first_event.get_mut(i)) {
                    Some(f) => *f = (*f).min(event as u32),
                    None => {
                        let f = first_sparse.entry(rec.person_id).or_insert(u32::MAX);
                        *f = (*f).min(event as u32);
                    }
                }
            }
            if needs.records {
                records.push((event as u32, rec.person_id));
            }
        }
    })?;
    log::debug!("report scan: {} events, {} rosters rebuilt, {} attendances", stats.events, stats.rebuilt, attendances);

    // The people found, with their attributes (cached, see `attributes`).
    let mut people: Vec<PersonAgg> = Vec::new();
    let (mut countries, mut age_bands, mut participant_types) = (Vec::new(), Vec::new(), Vec::new());
    let found_people = attendances > 0;
    let anonymous = anonymous(conn, scope, &event_ids, |event, count, minutes| {
        attended_per_event[event] += count;
        attendances += count;
        total_minutes += minutes;
        // Only the sum of the erased records' minutes was kept, not how many had minutes: a group with
        // minutes counts as all timed (exact when all or none of them had minutes, as an import records).
        if minutes > 0 {
            minutes_known += count;
        }
    })?;
    if found_people {
        let all = attributes::load(conn)?;
        for p in all.people() {
            let counter = counters.get(p.id);
            if counter == 0 {
                continue;
            }
            let first = match usize::try_from(p.id).ok().and_then(|i| first_event.get(i)) {
                Some(&f) => f,
                None => first_sparse.get(&p.id).copied().unwrap_or(u32::MAX),
            };
            people.push(PersonAgg {
                qualifying: counter >> 8,
                roles: (counter & 0xff) as u8,
                first_event: first,
                attributes: p,
            });
        }
        countries = all.countries;
        age_bands = all.age_bands;
        participant_types = all.participant_types;
    }
    Ok(Collected {
        project_name,
        events,
        attended_per_event,
        attendances,
        total_minutes,
        minutes_known,
        people,
        anonymous,
        countries,
        age_bands,
        participant_types,
        records,
    })
}

/// Reads the anonymous attended records of erased people at the project's events, calls
/// `f(event_index, records, minutes)` for those of events in the scope (`event_ids`), and works out how
/// many erased people they were. The project keeps only its number of erased attendees P, so when the
/// scope leaves out R of their records, the count is the least it can be: at least the most at any one
/// event in the scope, and at least P - R (each record left out accounts for at most one person); never
/// more than P or than the records in the scope. Without a date range (R = 0) this is P.
pub(super) fn anonymous(
    conn: &Connection,
    scope: &Scope,
    event_ids: &[i64],
    mut f: impl FnMut(usize, i64, i64),
) -> Result<Anonymous> {
    let position: HashMap<i64, usize> = event_ids.iter().enumerate().map(|(i, &e)| (e, i)).collect();
    let mut stmt = conn.prepare_cached(
        "SELECT c.event_id, sum(c.count), sum(c.minutes) FROM event_anonymous_counts c JOIN events e ON e.id = c.event_id
          WHERE e.project_id = ?1 AND c.status = 'attended' GROUP BY c.event_id",
    )?;
    let mut rows = stmt.query([scope.project_id])?;
    let (mut inside, mut outside, mut most) = (0i64, 0i64, 0i64);
    while let Some(r) = rows.next()? {
        let (event_id, count, minutes): (i64, i64, i64) = (r.get(0)?, r.get(1)?, r.get(2)?);
        match position.get(&event_id) {
            Some(&i) => {
                f(i, count, minutes);
                inside += count;
                most = most.max(count);
            }
            None => outside += count,
        }
    }
    if inside == 0 {
        return Ok(Anonymous::default());
    }
    let project_people = super::anonymous::anonymous_people(conn, scope.project_id)?;
    let people = most.max(project_people - outside).min(project_people).min(inside).max(0);
    Ok(Anonymous { people })
}

/// Adds the line of erased people to a sorted breakdown, last.
pub(super) fn with_erased(mut lines: Vec<Breakdown>, anonymous: &Anonymous) -> Vec<Breakdown> {
    if anonymous.people > 0 {
        lines.push(Breakdown { key: ERASED.into(), label: ERASED_LABEL.into(), count: anonymous.people });
    }
    lines
}

/// Sorts a breakdown: most first, then by label; the "not stated" / "none" line (key "") last.
fn sorted(mut lines: Vec<Breakdown>) -> Vec<Breakdown> {
    lines.sort_by(|a, b| {
        (a.key.is_empty(), -a.count, &a.label, &a.key).cmp(&(b.key.is_empty(), -b.count, &b.label, &b.key))
    });
    lines
}

fn counted(counts: HashMap<String, i64>, label: impl Fn(&str) -> String) -> Vec<Breakdown> {
    sorted(counts.into_iter().map(|(key, count)| Breakdown { label: label(&key), key, count }).collect())
}

pub(super) fn scope(conn: &Connection, project_id: i64, from: Option<&str>, to: Option<&str>) -> Result<Scope> {
    db::ensure_exists(conn, Table::Projects, project_id)?;
    let (from, to) = date_range(from, to)?;
    Ok(Scope { project_id, from, to })
}

/// The summary of a project, over all its events or those whose local start date is in the range.
pub fn project_summary(conn: &mut Connection, project_id: i64, opts: &SummaryOptions) -> Result<ProjectSummary> {
    let scope = scope(conn, project_id, opts.from.as_deref(), opts.to.as_deref())?;
    let c = collect(conn, &scope, None, Needs::default())?;

    let mut kinds: HashMap<String, i64> = HashMap::new();
    for e in &c.events {
        *kinds.entry(e.kind.clone()).or_default() += 1;
    }

    let mut by_country = vec![0i64; c.countries.len()];
    let mut country_unknown = 0i64;
    let mut by_gender = [0i64; gender::CATEGORIES.len()];
    let mut by_org: HashMap<Option<i64>, i64> = HashMap::new();
    let mut by_role = [0i64; 8];
    for p in &c.people {
        match p.attributes.country {
            Some(i) => by_country[i as usize] += 1,
            None => country_unknown += 1,
        }
        by_gender[usize::from(p.attributes.gender)] += 1;
        *by_org.entry(p.attributes.organisation).or_default() += 1;
        for (bit, n) in by_role.iter_mut().enumerate() {
            if p.roles & (1 << bit) != 0 {
                *n += 1;
            }
        }
    }

    // The lists hold everyone's values; only those of the people counted make lines.
    let mut countries: HashMap<String, i64> =
        c.countries.iter().cloned().zip(by_country).filter(|(_, n)| *n > 0).collect();
    if country_unknown > 0 {
        countries.insert(String::new(), country_unknown);
    }
    // Genders in the order of the categories, not stated (key "") last.
    let people_by_gender: Vec<Breakdown> = gender::CATEGORIES
        .iter()
        .zip(by_gender)
        .filter(|(_, n)| *n > 0)
        .map(|(code, count)| Breakdown {
            key: if *code == gender::NOT_STATED { String::new() } else { code.to_string() },
            label: gender::label(code).to_string(),
            count,
        })
        .collect();

    let org_names = organisation_names(conn, by_org.keys().flatten().copied())?;
    let people_by_organisation = sorted(
        by_org
            .into_iter()
            .map(|(id, count)| match id {
                Some(id) => Breakdown {
                    key: id.to_string(),
                    label: org_names.get(&id).cloned().unwrap_or_else(|| format!("organisation {id}")),
                    count,
                },
                None => Breakdown { key: String::new(), label: NO_ORGANISATION.into(), count },
            })
            .collect(),
    );
    let people_by_role = sorted(
        ROLES
            .iter()
            .zip(by_role)
            .filter(|(_, n)| *n > 0)
            .map(|(role, count)| Breakdown { key: role.to_string(), label: role.to_string(), count })
            .collect(),
    );
    let unique_organisations = people_by_organisation.iter().filter(|b| !b.key.is_empty()).count() as i64;
    let erased = &c.anonymous;

    let summary = ProjectSummary {
        project_id,
        project_name: c.project_name,
        from: scope.from.clone(),
        to: scope.to.clone(),
        events: c.events.len() as i64,
        events_by_kind: counted(kinds, str::to_string),
        attendances: c.attendances,
        unique_people: c.people.len() as i64 + erased.people,
        unique_organisations,
        total_minutes: c.total_minutes,
        average_minutes: (c.minutes_known > 0)
            .then(|| (c.total_minutes as f64 / c.minutes_known as f64 * 10.0).round() / 10.0),
        people_by_country: with_erased(
            counted(countries, |k| if k.is_empty() { NOT_STATED.into() } else { k.to_string() }),
            erased,
        ),
        people_by_gender: with_erased(people_by_gender, erased),
        people_by_organisation: with_erased(people_by_organisation, erased),
        people_by_role: with_erased(people_by_role, erased),
        attendance_by_event: c
            .events
            .iter()
            .zip(&c.attended_per_event)
            .map(|(e, &attended)| EventCount {
                event_id: e.id,
                title: e.title.clone(),
                kind: e.kind.clone(),
                date: local_date(&e.starts_at),
                attended,
            })
            .collect(),
    };
    log::info!(
        "project summary of project {project_id}: {} events, {} attendances, {} people",
        summary.events,
        summary.attendances,
        summary.unique_people
    );
    Ok(summary)
}

pub(super) fn organisation_names(conn: &Connection, ids: impl Iterator<Item = i64>) -> Result<HashMap<i64, String>> {
    let wanted: std::collections::HashSet<i64> = ids.collect();
    if wanted.is_empty() {
        return Ok(HashMap::new());
    }
    let mut stmt = conn.prepare_cached("SELECT id, name FROM organisations")?;
    let mut names = HashMap::with_capacity(wanted.len());
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let id: i64 = r.get(0)?;
        if wanted.contains(&id) {
            names.insert(id, r.get(1)?);
        }
    }
    Ok(names)
}
