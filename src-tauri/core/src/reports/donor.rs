//! The donor table of any two dimensions: unique participants of a project by gender, age band,
//! disability, country, organisation, organisation kind, participant type, organiser or event.
//!
//! It makes the same one pass over the project's attended records as the summary (see `aggregate`), then
//! counts each person once per cell and once in each total, so totals are always unique people:
//! - Per-person dimensions (all but `organiser` and `event`) give one value per person. Age is taken at the
//!   date of the person's first qualifying event in the period (the moment the project first reached
//!   them), from their year of birth (event year minus birth year), else the age band recorded for them;
//!   so a person who has a birthday between two events still counts in one band.
//! - Per-event dimensions (`organiser`, `event`) give a value per attended event: a person counts in the
//!   cell of every event (or organiser) they attended, once each. With both dimensions per-event, the
//!   pair comes from the same attendance.
//!
//! Cost: the per-event dimensions keep the qualifying records of the pass (16 bytes each) and, for
//! `organiser`, one bit per person and organiser to count each person once per organiser; everything else
//! works on the per-person counters the summary already has.

use std::collections::HashMap;

use rusqlite::Connection;
use serde::{Deserialize, Serialize};

use super::aggregate::{
    collect, organisation_names, scope, Collected, Column, DonorOptions, DonorRow, DonorTable, EventInfo, Needs,
    PersonAgg, ERASED, ERASED_LABEL, NOT_STATED, NO_ORGANISATION,
};
use super::attributes::DISABILITY;
use crate::error::{Error, Result};
use crate::gender;
use crate::projects::{self, AgeBand};

/// What the rows or columns of a donor table break people down by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Dimension {
    /// Keys: the category codes (`woman`, `man`, `non_binary`, `self_described`, `prefers_not_to_say`),
    /// "" for not stated; in that order.
    Gender,
    /// Keys: the project's bands ("18-24", "65+"), in order, then other bands recorded for people, "".
    AgeBand,
    /// Keys: `yes`, `no`, `prefers_not_to_say`, "" (not stated or no consent).
    Disability,
    /// Keys: country codes, alphabetically, "".
    Country,
    /// Keys: organisation ids, by name, "" for no organisation.
    Organisation,
    /// Keys: organisation kinds (`ngo`, `media`...), in the order of `organisations::KINDS`, "".
    OrganisationKind,
    /// Keys: the project's participant types, in order, then other types recorded for people, "".
    ParticipantType,
    /// The partner that ran the event. Keys: organisation ids, by name, "" for not recorded.
    Organiser,
    /// Keys: event ids, in date order; labels "YYYY-MM-DD title".
    Event,
}

impl Dimension {
    pub const ALL: &'static [Dimension] = &[
        Dimension::Gender,
        Dimension::AgeBand,
        Dimension::Disability,
        Dimension::Country,
        Dimension::Organisation,
        Dimension::OrganisationKind,
        Dimension::ParticipantType,
        Dimension::Organiser,
        Dimension::Event,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Dimension::Gender => "gender",
            Dimension::AgeBand => "age_band",
            Dimension::Disability => "disability",
            Dimension::Country => "country",
            Dimension::Organisation => "organisation",
            Dimension::OrganisationKind => "organisation_kind",
            Dimension::ParticipantType => "participant_type",
            Dimension::Organiser => "organiser",
            Dimension::Event => "event",
        }
    }

    /// Whether a person can have several values of it (one per attended event).
    pub fn per_event(self) -> bool {
        matches!(self, Dimension::Organiser | Dimension::Event)
    }
}

impl std::str::FromStr for Dimension {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self> {
        let v = s.trim().to_ascii_lowercase().replace('-', "_");
        let v = match v.as_str() {
            "age" => "age_band",
            "organization" | "org" => "organisation",
            "organization_kind" | "org_kind" => "organisation_kind",
            "type" => "participant_type",
            "organizer" | "partner" => "organiser",
            other => other,
        };
        Dimension::ALL.iter().copied().find(|d| d.as_str() == v).ok_or_else(|| {
            let names: Vec<&str> = Dimension::ALL.iter().map(|d| d.as_str()).collect();
            Error::invalid("dimension", format!("'{}' is not a dimension ({})", s.trim(), names.join(", ")))
        })
    }
}

impl std::fmt::Display for Dimension {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One value a dimension can take, for the window's filter pickers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DimensionValue {
    pub key: String,
    pub label: String,
}

/// The values of one dimension in a project (all of them for the fixed lists; those in use for
/// countries, organisations, organisers and events), in table order, "not stated" last.
pub fn dimension_values(conn: &mut Connection, project_id: i64, dimension: Dimension) -> Result<Vec<DimensionValue>> {
    let opts = DonorOptions { rows: Some(dimension), cols: Some(Dimension::Gender), ..Default::default() };
    let scope = scope(conn, project_id, None, None)?;
    let c = collect(conn, &scope, None, needs(&opts))?;
    let values = Values::build(conn, project_id, dimension, &c)?;
    Ok(values.list.into_iter().map(|(key, label)| DimensionValue { key, label }).collect())
}

fn needs(opts: &DonorOptions) -> Needs {
    let dims = [opts.rows.unwrap_or(Dimension::Gender), opts.cols.unwrap_or(Dimension::Country)];
    Needs { first_event: dims.contains(&Dimension::AgeBand), records: dims.iter().any(|d| d.per_event()) }
}

/// The values of a dimension, in table order with "not stated" (key "") last, and how to find the value
/// of a person or an event.
struct Values {
    list: Vec<(String, String)>,
    /// Person dimensions: value index by the attribute's own index (country, age band, type lists).
    by_attribute: Vec<u32>,
    /// Organisation, organisation kind, organiser: value index by organisation id.
    by_organisation: HashMap<i64, u32>,
    /// Age bands of the project, by their index in `list`.
    bands: Vec<AgeBand>,
    /// Year of each event in scope (for ages).
    event_years: Vec<i64>,
    /// Event dimensions: value index by event index.
    by_event: Vec<u32>,
    dimension: Dimension,
}

impl Values {
    fn none(&self) -> u32 {
        (self.list.len() - 1) as u32
    }

    fn build(conn: &Connection, project_id: i64, dimension: Dimension, c: &Collected) -> Result<Values> {
        let mut v = Values {
            list: Vec::new(),
            by_attribute: Vec::new(),
            by_organisation: HashMap::new(),
            bands: Vec::new(),
            event_years: c
                .events
                .iter()
                .map(|e| e.starts_at.get(..4).and_then(|y| y.parse().ok()).unwrap_or(0))
                .collect(),
            by_event: Vec::new(),
            dimension,
        };
        let not_stated = || (String::new(), NOT_STATED.to_string());
        match dimension {
            Dimension::Gender => {
                v.list = gender::CATEGORIES
                    .iter()
                    .map(|code| {
                        let key = if *code == gender::NOT_STATED { String::new() } else { code.to_string() };
                        (key, gender::label(code).to_string())
                    })
                    .collect();
            }
            Dimension::Disability => {
                v.list = DISABILITY
                    .iter()
                    .map(|k| {
                        let label = match *k {
                            "yes" => "with disability",
                            "no" => "without disability",
                            "prefers_not_to_say" => "prefers not to say",
                            _ => NOT_STATED,
                        };
                        (k.to_string(), label.to_string())
                    })
                    .collect();
            }
            Dimension::Country => {
                let mut order: Vec<usize> = (0..c.countries.len()).collect();
                order.sort_by(|a, b| c.countries[*a].cmp(&c.countries[*b]));
                v.by_attribute = vec![0; c.countries.len()];
                for (pos, i) in order.into_iter().enumerate() {
                    v.by_attribute[i] = pos as u32;
                    v.list.push((c.countries[i].clone(), c.countries[i].clone()));
                }
                v.list.push(not_stated());
            }
            Dimension::AgeBand => {
                v.bands = projects::age_bands(conn, project_id)?;
                v.list = v.bands.iter().map(|b| (b.label(), b.label())).collect();
                for stored in &c.age_bands {
                    let label = AgeBand::parse(stored).map_or_else(|| stored.clone(), |b| b.label());
                    let at = match v.list.iter().position(|(k, _)| *k == label) {
                        Some(i) => i,
                        None => {
                            v.list.push((label.clone(), label));
                            v.list.len() - 1
                        }
                    };
                    v.by_attribute.push(at as u32);
                }
                v.list.push(not_stated());
            }
            Dimension::ParticipantType => {
                v.list = projects::participant_types(conn, project_id)?.into_iter().map(|t| (t.key, t.label)).collect();
                for stored in &c.participant_types {
                    let at = match v.list.iter().position(|(k, _)| k == stored) {
                        Some(i) => i,
                        None => {
                            v.list.push((stored.clone(), stored.replace('_', " ")));
                            v.list.len() - 1
                        }
                    };
                    v.by_attribute.push(at as u32);
                }
                v.list.push(not_stated());
            }
            Dimension::Organisation | Dimension::Organiser => {
                let ids: Vec<i64> = if dimension == Dimension::Organisation {
                    c.people.iter().filter_map(|p| p.attributes.organisation).collect()
                } else {
                    c.events.iter().filter_map(|e| e.organiser_id).collect()
                };
                let names = organisation_names(conn, ids.into_iter())?;
                let mut named: Vec<(&String, i64)> = names.iter().map(|(id, n)| (n, *id)).collect();
                named.sort();
                for (i, (name, id)) in named.into_iter().enumerate() {
                    v.by_organisation.insert(id, i as u32);
                    v.list.push((id.to_string(), name.clone()));
                }
                let none = if dimension == Dimension::Organisation { NO_ORGANISATION } else { NOT_STATED };
                v.list.push((String::new(), none.to_string()));
            }
            Dimension::OrganisationKind => {
                v.list = crate::organisations::KINDS.iter().map(|k| (k.to_string(), k.replace('_', " "))).collect();
                let mut stmt = conn.prepare_cached("SELECT id, kind FROM organisations")?;
                let mut rows = stmt.query([])?;
                while let Some(r) = rows.next()? {
                    let (id, kind): (i64, String) = (r.get(0)?, r.get(1)?);
                    if let Some(i) = v.list.iter().position(|(k, _)| *k == kind) {
                        v.by_organisation.insert(id, i as u32);
                    }
                }
                v.list.push((String::new(), NO_ORGANISATION.to_string()));
            }
            Dimension::Event => {
                v.list = c
                    .events
                    .iter()
                    .map(|e| (e.id.to_string(), format!("{} {}", super::local_date(&e.starts_at), e.title)))
                    .collect();
                v.by_event = (0..c.events.len() as u32).collect();
                v.list.push(not_stated());
            }
        }
        if dimension == Dimension::Organiser {
            let none = v.none();
            v.by_event = c
                .events
                .iter()
                .map(|e: &EventInfo| e.organiser_id.and_then(|o| v.by_organisation.get(&o).copied()).unwrap_or(none))
                .collect();
        }
        Ok(v)
    }

    /// The value of a person (per-person dimensions).
    fn of_person(&self, p: &PersonAgg) -> u32 {
        let a = &p.attributes;
        let none = self.none();
        match self.dimension {
            Dimension::Gender => u32::from(a.gender),
            Dimension::Disability => u32::from(a.disability.min(3)),
            Dimension::Country | Dimension::ParticipantType => {
                let index = if self.dimension == Dimension::Country { a.country } else { a.participant_type };
                index.and_then(|i| self.by_attribute.get(i as usize).copied()).unwrap_or(none)
            }
            Dimension::AgeBand => {
                let year = self.event_years.get(p.first_event as usize).copied().filter(|y| *y > 0);
                if let (Some(born), Some(year)) = (a.birth_year, year) {
                    let age = year - i64::from(born);
                    return self.bands.iter().position(|b| b.contains(age)).map_or(none, |i| i as u32);
                }
                a.age_band.and_then(|i| self.by_attribute.get(i as usize).copied()).unwrap_or(none)
            }
            Dimension::Organisation | Dimension::OrganisationKind => {
                a.organisation.and_then(|o| self.by_organisation.get(&o).copied()).unwrap_or(none)
            }
            Dimension::Organiser | Dimension::Event => none,
        }
    }
}

/// Remembers which (person, value) pairs were counted for a per-event dimension, so a person counts once
/// per organiser: one bit per person slot and value when the values are few (a project has a handful of
/// partners), a hash set otherwise.
enum Seen {
    Bits(Vec<u64>),
    Set(std::collections::HashSet<(u32, u32)>),
}

impl Seen {
    fn new(people: usize, values: usize) -> Seen {
        if values <= 64 {
            Seen::Bits(vec![0; people])
        } else {
            Seen::Set(Default::default())
        }
    }

    /// True the first time (slot, value) is seen.
    fn insert(&mut self, slot: u32, value: u32) -> bool {
        match self {
            Seen::Bits(bits) => {
                let b = &mut bits[slot as usize];
                let mask = 1u64 << value;
                let new = *b & mask == 0;
                *b |= mask;
                new
            }
            Seen::Set(set) => set.insert((slot, value)),
        }
    }
}

/// The donor table of a project: unique people by `opts.rows` (default gender) and `opts.cols` (default
/// country), with the period and thresholds of `opts`.
pub fn donor_table(conn: &mut Connection, project_id: i64, opts: &DonorOptions) -> Result<DonorTable> {
    for (field, value) in [("min_minutes", opts.min_minutes), ("min_events", opts.min_events)] {
        if value.is_some_and(|v| v < 0) {
            return Err(Error::invalid(field, format!("{field} cannot be negative")));
        }
    }
    let row_dim = opts.rows.unwrap_or(Dimension::Gender);
    let col_dim = opts.cols.unwrap_or(Dimension::Country);
    let scope = scope(conn, project_id, opts.from.as_deref(), opts.to.as_deref())?;
    let c = collect(conn, &scope, opts.min_minutes, needs(opts))?;
    let min_events = opts.min_events.unwrap_or(1).max(1);
    let counted: Vec<&PersonAgg> = c.people.iter().filter(|p| i64::from(p.qualifying) >= min_events).collect();
    // Erased people count only without thresholds: neither their minutes per attendance nor their
    // number of events were kept, so whether they would qualify is unknown.
    let thresholds = min_events > 1 || opts.min_minutes.is_some_and(|m| m > 0);
    let erased = if thresholds { 0 } else { c.anonymous.people };

    let rv = Values::build(conn, project_id, row_dim, &c)?;
    let cv = Values::build(conn, project_id, col_dim, &c)?;
    let (nr, nc) = (rv.list.len(), cv.list.len());
    let mut cells = vec![0i64; nr * nc];
    let mut row_totals = vec![0i64; nr];
    let mut col_totals = vec![0i64; nc];

    if !row_dim.per_event() && !col_dim.per_event() {
        for p in &counted {
            let (r, col) = (rv.of_person(p) as usize, cv.of_person(p) as usize);
            cells[r * nc + col] += 1;
            row_totals[r] += 1;
            col_totals[col] += 1;
        }
    } else {
        // Person slots for the counted people, by id: dense when ids are (they are row ids).
        let max_id = counted.iter().map(|p| p.attributes.id).max().unwrap_or(0);
        let dense = (0..=4_000_000).contains(&max_id);
        let mut slot_dense = if dense { vec![u32::MAX; max_id as usize + 1] } else { Vec::new() };
        let mut slot_sparse: HashMap<i64, u32> = HashMap::new();
        let mut person_values = Vec::with_capacity(counted.len());
        for (i, p) in counted.iter().enumerate() {
            if dense {
                slot_dense[p.attributes.id as usize] = i as u32;
            } else {
                slot_sparse.insert(p.attributes.id, i as u32);
            }
            // The per-person side's value and total, once per person.
            let (r, col) = (rv.of_person(p), cv.of_person(p));
            if !row_dim.per_event() {
                row_totals[r as usize] += 1;
            }
            if !col_dim.per_event() {
                col_totals[col as usize] += 1;
            }
            person_values.push((r, col));
        }
        let has_event = row_dim == Dimension::Event || col_dim == Dimension::Event;
        let organiser_values = if row_dim == Dimension::Organiser { nr } else { nc };
        let mut seen = Seen::new(counted.len(), organiser_values);
        for &(event, person) in &c.records {
            let slot = if dense {
                usize::try_from(person).ok().and_then(|i| slot_dense.get(i)).copied().unwrap_or(u32::MAX)
            } else {
                slot_sparse.get(&person).copied().unwrap_or(u32::MAX)
            };
            if slot == u32::MAX {
                continue;
            }
            let (mut r, mut col) = person_values[slot as usize];
            if row_dim.per_event() {
                r = rv.by_event[event as usize];
            }
            if col_dim.per_event() {
                col = cv.by_event[event as usize];
            }
            // A person attends an event once (one record per event and person); an organiser may run
            // several of their events, so it is counted once per person.
            let organiser_value = if row_dim == Dimension::Organiser { r } else { col };
            let first_with_organiser = !(row_dim == Dimension::Organiser || col_dim == Dimension::Organiser)
                || seen.insert(slot, organiser_value);
            if has_event || first_with_organiser {
                cells[r as usize * nc + col as usize] += 1;
            }
            if row_dim.per_event() && (row_dim == Dimension::Event || first_with_organiser) {
                row_totals[r as usize] += 1;
            }
            if col_dim.per_event() && (col_dim == Dimension::Event || first_with_organiser) {
                col_totals[col as usize] += 1;
            }
        }
    }

    let shown_cols: Vec<usize> = (0..nc).filter(|&i| col_totals[i] > 0).collect();
    let mut columns: Vec<Column> =
        shown_cols.iter().map(|&i| Column { key: cv.list[i].0.clone(), label: cv.list[i].1.clone() }).collect();
    let mut column_totals: Vec<i64> = shown_cols.iter().map(|&i| col_totals[i]).collect();
    let mut rows: Vec<DonorRow> = (0..nr)
        .filter(|&r| row_totals[r] > 0)
        .map(|r| DonorRow {
            key: rv.list[r].0.clone(),
            label: rv.list[r].1.clone(),
            counts: shown_cols.iter().map(|&col| cells[r * nc + col]).collect(),
            total: row_totals[r],
        })
        .collect();
    if erased > 0 {
        // Erased people: their own row and column, last, meeting in one cell.
        columns.push(Column { key: ERASED.into(), label: ERASED_LABEL.into() });
        column_totals.push(erased);
        for row in &mut rows {
            row.counts.push(0);
        }
        let mut counts = vec![0; columns.len()];
        counts[columns.len() - 1] = erased;
        rows.push(DonorRow { key: ERASED.into(), label: ERASED_LABEL.into(), counts, total: erased });
    }

    let table = DonorTable {
        project_id,
        project_name: c.project_name.clone(),
        options: DonorOptions {
            from: scope.from,
            to: scope.to,
            rows: Some(row_dim),
            cols: Some(col_dim),
            ..opts.clone()
        },
        rows_dimension: row_dim,
        columns_dimension: col_dim,
        columns,
        rows,
        column_totals,
        total: counted.len() as i64 + erased,
    };
    log::info!("donor table of project {project_id} by {row_dim} and {col_dim}: {} people counted", table.total);
    Ok(table)
}

/// One value of a donor-table cell: a dimension and its key (as in `DonorRow::key` / `Column::key`: ""
/// for not stated, [`ERASED`] for erased people).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CellValue {
    pub dimension: Dimension,
    pub key: String,
    /// The value's label, as the table shows it (empty when the project has no such value).
    #[serde(default)]
    pub label: String,
}

/// The people behind a donor-table cell, row total or column total: exactly those the table counts there.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CellPeople {
    pub project_id: i64,
    pub options: DonorOptions,
    pub cell: Vec<CellValue>,
    /// Every person counted there, by id (sorted).
    pub person_ids: Vec<i64>,
    /// The page of them asked for (`offset`, `limit`), sorted by name.
    pub people: Vec<crate::people::Person>,
    /// Erased people counted there: numbers only, they cannot be listed (the "erased" row and column).
    pub erased: i64,
    /// `person_ids.len() + erased`: the table's figure for the cell.
    pub total: i64,
}

/// The people a donor table of the project counts in the cell of `cell` (one value: a row or column
/// total; two values: a cell), with the period and thresholds of `opts` (its `rows` and `cols` are not
/// used). It makes the table's own pass (`scope`, `collect`, `Values`), so the list matches the count.
pub fn cell_people(
    conn: &mut Connection,
    project_id: i64,
    opts: &DonorOptions,
    cell: &[CellValue],
    offset: i64,
    limit: i64,
) -> Result<CellPeople> {
    if cell.is_empty() || cell.len() > 2 {
        return Err(Error::invalid("cell", "give one or two dimension values"));
    }
    for (field, value) in [("min_minutes", opts.min_minutes), ("min_events", opts.min_events)] {
        if value.is_some_and(|v| v < 0) {
            return Err(Error::invalid(field, format!("{field} cannot be negative")));
        }
    }
    let scope = scope(conn, project_id, opts.from.as_deref(), opts.to.as_deref())?;
    let dims: Vec<Dimension> = cell.iter().map(|c| c.dimension).collect();
    let needs = Needs { first_event: dims.contains(&Dimension::AgeBand), records: dims.iter().any(|d| d.per_event()) };
    let c = collect(conn, &scope, opts.min_minutes, needs)?;
    let min_events = opts.min_events.unwrap_or(1).max(1);
    let thresholds = min_events > 1 || opts.min_minutes.is_some_and(|m| m > 0);
    let mut out_cell = Vec::new();
    // Each value's index in its dimension (None: no one has it in this scope).
    let mut wanted: Vec<(Dimension, Values, Option<u32>)> = Vec::new();
    let mut erased_cell = false;
    for v in cell {
        if v.key == ERASED {
            erased_cell = true;
            out_cell.push(CellValue { dimension: v.dimension, key: v.key.clone(), label: ERASED_LABEL.into() });
            continue;
        }
        let values = Values::build(conn, project_id, v.dimension, &c)?;
        let at = values.list.iter().position(|(k, _)| *k == v.key);
        let label = at.map(|i| values.list[i].1.clone()).unwrap_or_default();
        out_cell.push(CellValue { dimension: v.dimension, key: v.key.clone(), label });
        wanted.push((v.dimension, values, at.map(|i| i as u32)));
    }
    let mut person_ids = Vec::new();
    let mut erased = 0;
    if erased_cell {
        // Erased people have their own row and column, meeting in one cell: they are counted only there.
        if wanted.is_empty() && !thresholds {
            erased = c.anonymous.people;
        }
    } else if wanted.iter().all(|(_, _, at)| at.is_some()) {
        let counted = c.people.iter().filter(|p| i64::from(p.qualifying) >= min_events);
        let per_person = |p: &PersonAgg| {
            wanted.iter().filter(|(d, _, _)| !d.per_event()).all(|(_, v, at)| Some(v.of_person(p)) == *at)
        };
        if dims.iter().any(|d| d.per_event()) {
            let mut candidates: std::collections::HashSet<i64> =
                counted.filter(|p| per_person(p)).map(|p| p.attributes.id).collect();
            let mut found = std::collections::HashSet::new();
            for &(event, person) in &c.records {
                if !candidates.contains(&person) {
                    continue;
                }
                // With two per-event dimensions, both values come from the same attendance.
                let fits = wanted
                    .iter()
                    .filter(|(d, _, _)| d.per_event())
                    .all(|(_, v, at)| v.by_event.get(event as usize).copied() == *at);
                if fits {
                    candidates.remove(&person);
                    found.insert(person);
                }
            }
            person_ids = found.into_iter().collect();
        } else {
            person_ids = counted.filter(|p| per_person(p)).map(|p| p.attributes.id).collect();
        }
    }
    person_ids.sort_unstable();
    let people = crate::people::by_ids(conn, &person_ids, offset, if limit <= 0 { 200 } else { limit.min(10_000) })?;
    let total = person_ids.len() as i64 + erased;
    log::info!("donor cell of project {project_id}: {} people listed, {erased} erased", person_ids.len());
    Ok(CellPeople {
        project_id,
        options: DonorOptions { from: scope.from, to: scope.to, rows: None, cols: None, ..opts.clone() },
        cell: out_cell,
        person_ids,
        people,
        erased,
        total,
    })
}
