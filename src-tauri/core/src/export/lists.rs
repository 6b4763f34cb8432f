//! The people-level exports: attendance of an event or a whole project, people, a person's history and
//! an organisation's participation, as CSV or .xlsx (`table`). Each can be pseudonymous (see `pseudonym`).
//!
//! The project export streams a million joined rows: the people are read once into memory, the
//! attendance rows come from one prepared statement in event order, each event's and each person's cells
//! are encoded once, and a writing thread sorts and writes each event's rows while the next are read.

use std::collections::HashMap;
use std::path::Path;

use rusqlite::types::ValueRef;
use rusqlite::Connection;

use super::pseudonym::Pseudonyms;
use super::table::{Cell, Encoded, Sheet, Table};
use super::{ExportOptions, BATCH};
use crate::attendance::{ROLES, STATUSES};
use crate::db::{self, Table as DbTable};
use crate::error::{Error, Result};
use crate::progress::Progress;
use crate::reports;

/// One person's cells. Name, email and folded name are left empty in a pseudonymous export, and the uid
/// in a named one: each export reads only what it writes.
struct PersonCells {
    id: i64,
    uid: String,
    name: String,
    email: String,
    organisation: Option<i64>,
    country: String,
    gender: String,
    name_key: String,
}

/// Person ids mapped to positions: a vector indexed by id when ids are dense enough (they are row ids),
/// a hash map otherwise. A million lookups in a large export stay cheap either way.
enum IdIndex {
    Dense(Vec<u32>),
    Sparse(HashMap<i64, u32>),
}

impl IdIndex {
    fn new(ids: impl Iterator<Item = i64> + Clone) -> IdIndex {
        let max = ids.clone().max().unwrap_or(0);
        if (0..=4_000_000).contains(&max) {
            let mut v = vec![u32::MAX; max as usize + 1];
            for (i, id) in ids.enumerate() {
                v[id as usize] = i as u32;
            }
            IdIndex::Dense(v)
        } else {
            IdIndex::Sparse(ids.enumerate().map(|(i, id)| (id, i as u32)).collect())
        }
    }

    fn get(&self, id: i64) -> Option<usize> {
        let i = match self {
            IdIndex::Dense(v) => usize::try_from(id).ok().and_then(|i| v.get(i)).copied()?,
            IdIndex::Sparse(m) => m.get(&id).copied()?,
        };
        (i != u32::MAX).then_some(i as usize)
    }
}

/// The people an export may need, as read from the database.
struct PeopleCells {
    index: IdIndex,
    cells: Vec<PersonCells>,
    organisations: HashMap<i64, String>,
    pseudonymous: bool,
}

/// What is worked out from the people before writing: their codes (when pseudonymous) and their rank in
/// the export's order: by name, or by code when pseudonymous, so the order of a pseudonymous file tells
/// nothing about names. The large export does this on its writing thread, while rows are being read.
struct Order {
    codes: Option<Vec<String>>,
    rank: Vec<u32>,
}

impl PeopleCells {
    /// Reads the people matching `filter` (a condition on `people p`, with parameter ?1 when it has one).
    fn load(conn: &Connection, filter: &str, param: Option<i64>, pseudonymous: bool) -> Result<PeopleCells> {
        // Names and emails are not even read for a pseudonymous export, nor the words of a self-described
        // gender (they could point at the person): its category is. Other exports show those words.
        let columns = if pseudonymous {
            "p.id, p.uid, NULL, NULL, p.organisation_id, p.country, p.gender, NULL"
        } else {
            "p.id, NULL, p.full_name, p.email, p.organisation_id, p.country, CASE WHEN p.gender = 'self_described' THEN coalesce(p.gender_text, p.gender) ELSE p.gender END, p.name_key"
        };
        let mut stmt = conn.prepare(&format!("SELECT {columns} FROM people p WHERE {filter}"))?;
        let mut rows = match param {
            Some(p) => stmt.query([p])?,
            None => stmt.query([])?,
        };
        let mut cells = Vec::new();
        let text = |v: ValueRef<'_>| match v {
            ValueRef::Text(t) => String::from_utf8_lossy(t).into_owned(),
            _ => String::new(),
        };
        while let Some(r) = rows.next()? {
            cells.push(PersonCells {
                id: r.get(0)?,
                uid: text(r.get_ref(1)?),
                name: text(r.get_ref(2)?),
                email: text(r.get_ref(3)?),
                organisation: r.get_ref(4)?.as_i64_or_null().ok().flatten(),
                country: text(r.get_ref(5)?),
                gender: text(r.get_ref(6)?),
                name_key: text(r.get_ref(7)?),
            });
        }
        let mut organisations = HashMap::new();
        let mut stmt = conn.prepare("SELECT id, name FROM organisations")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            organisations.insert(r.get(0)?, r.get(1)?);
        }
        let index = IdIndex::new(cells.iter().map(|p| p.id));
        Ok(PeopleCells { index, cells, organisations, pseudonymous })
    }

    /// Codes and ranks (see `Order`).
    fn order(&self, pseudonyms: Option<&Pseudonyms>) -> Order {
        let codes = pseudonyms.map(|ps| self.cells.iter().map(|p| ps.code(&p.uid)).collect::<Vec<_>>());
        let mut order: Vec<usize> = (0..self.cells.len()).collect();
        match &codes {
            Some(codes) => order.sort_unstable_by(|&a, &b| codes[a].cmp(&codes[b])),
            None => order.sort_unstable_by(|&a, &b| {
                (&self.cells[a].name_key, self.cells[a].id).cmp(&(&self.cells[b].name_key, self.cells[b].id))
            }),
        }
        let mut rank = vec![0u32; self.cells.len()];
        for (r, &i) in order.iter().enumerate() {
            rank[i] = r as u32;
        }
        Order { codes, rank }
    }

    /// The secret for codes, when pseudonymous.
    fn pseudonyms(&self, conn: &Connection) -> Result<Option<Pseudonyms>> {
        if self.pseudonymous {
            Ok(Some(Pseudonyms::load_or_create(conn)?))
        } else {
            Ok(None)
        }
    }

    fn slot(&self, person_id: i64) -> Option<usize> {
        self.index.get(person_id)
    }

    fn organisation(&self, slot: usize) -> &str {
        self.cells[slot].organisation.and_then(|id| self.organisations.get(&id)).map_or("", String::as_str)
    }

    /// The header cells that identify a person.
    fn header(&self) -> &'static [&'static str] {
        if self.pseudonymous {
            &["person_code"]
        } else {
            &["person_id", "name", "email"]
        }
    }

    /// The identifying cells of a person: the code, or id, name and email.
    fn identity(&self, order: &Order, slot: usize) -> Vec<Cell> {
        match &order.codes {
            Some(codes) => vec![Cell::Text(codes[slot].clone())],
            None => {
                let p = &self.cells[slot];
                vec![Cell::Int(p.id), Cell::Text(p.name.clone()), Cell::Text(p.email.clone())]
            }
        }
    }

    /// Who a person is in a title: their code when pseudonymous, else their name.
    fn label(&self, order: &Order, slot: usize) -> String {
        match &order.codes {
            Some(codes) => codes[slot].clone(),
            None => self.cells[slot].name.clone(),
        }
    }

    /// Writes the identifying cells of a person.
    fn write_identity(&self, order: &Order, table: &mut Table, slot: usize) -> Result<()> {
        match &order.codes {
            Some(codes) => table.field(&codes[slot]),
            None => {
                let p = &self.cells[slot];
                table.field_i64(p.id)?;
                table.field(&p.name)?;
                table.field(&p.email)
            }
        }
    }
}

/// An event's cells, ready to write.
struct EventCells {
    project_id: i64,
    project: String,
    id: i64,
    title: String,
    kind: String,
    date: String,
    starts_at: String,
    timezone: String,
}

/// One attendance row of an event, waiting to be sorted and written. Its join and leave times are byte
/// ranges in the batch's arena, so reading a row allocates nothing.
struct Row {
    slot: u32,
    role: u8,
    status: u8,
    minutes: Option<i64>,
    first_join: Option<(u32, u32)>,
    last_leave: Option<(u32, u32)>,
}

/// One event's rows, passed from the reading thread to the writing thread.
struct Batch {
    event: usize,
    rows: Vec<Row>,
    arena: Vec<u8>,
}

impl Batch {
    fn text(&self, range: Option<(u32, u32)>) -> &str {
        range.and_then(|(start, end)| std::str::from_utf8(&self.arena[start as usize..end as usize]).ok()).unwrap_or("")
    }

    fn keep(&mut self, v: ValueRef<'_>) -> Option<(u32, u32)> {
        match v {
            ValueRef::Text(t) => {
                let start = self.arena.len() as u32;
                self.arena.extend_from_slice(t);
                Some((start, self.arena.len() as u32))
            }
            _ => None,
        }
    }
}

/// The order of roles on a list: organisers, moderators, speakers, then participants.
fn role_rank(role: u8) -> u8 {
    match ROLES.get(role as usize).copied() {
        Some("organiser") => 0,
        Some("moderator") => 1,
        Some("speaker") => 2,
        _ => 3,
    }
}

fn position(list: &[&str], value: ValueRef<'_>) -> u8 {
    match value {
        ValueRef::Text(t) => list.iter().position(|x| x.as_bytes() == t).unwrap_or(0) as u8,
        _ => 0,
    }
}

const ATTENDANCE_HEADER_BEFORE: &[&str] =
    &["project_id", "project", "event_id", "event", "event_kind", "event_date", "starts_at", "timezone"];
const ATTENDANCE_HEADER_AFTER: &[&str] =
    &["organisation", "country", "gender", "role", "status", "minutes", "first_join", "last_leave"];

/// Writes the attendance of the events selected by `filter` (a condition on `events e` with parameter ?1);
/// `title` heads the sheet of a workbook.
///
/// Each event's and each person's cells are encoded once, so a row costs a few copies and five cells.
/// Reading and writing overlap: this thread steps SQLite and passes each event's rows to a writing thread,
/// which sorts, encodes and writes them; a million rows take about as long as the slower of the two.
#[allow(clippy::too_many_arguments)]
fn attendance(
    conn: &Connection,
    filter: &str,
    param: i64,
    people_filter: (&str, Option<i64>),
    title: &str,
    path: &Path,
    opts: &ExportOptions,
    progress: &Progress,
) -> Result<u64> {
    progress.check()?;
    let total: i64 = conn.query_row(
        &format!("SELECT count(*) FROM events e JOIN attendance a ON a.event_id = e.id WHERE {filter}"),
        [param],
        |r| r.get(0),
    )?;
    let people = PeopleCells::load(conn, people_filter.0, people_filter.1, opts.pseudonymous)?;
    let mut event_index: HashMap<i64, usize> = HashMap::new();
    let events: Vec<EventCells> = {
        let mut stmt = conn.prepare(&format!(
            "SELECT e.id, e.project_id, p.name, e.title, e.kind, e.starts_at, e.timezone
               FROM events e JOIN projects p ON p.id = e.project_id WHERE {filter}"
        ))?;
        let rows = stmt.query_map([param], |r| {
            let starts_at: String = r.get(5)?;
            Ok(EventCells {
                id: r.get(0)?,
                project_id: r.get(1)?,
                project: r.get(2)?,
                title: r.get(3)?,
                kind: r.get(4)?,
                date: reports::local_date(&starts_at),
                starts_at,
                timezone: r.get(6)?,
            })
        })?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    for (i, e) in events.iter().enumerate() {
        event_index.insert(e.id, i);
    }

    let mut header: Vec<&str> = ATTENDANCE_HEADER_BEFORE.to_vec();
    header.extend_from_slice(people.header());
    header.extend_from_slice(ATTENDANCE_HEADER_AFTER);
    let sheet = Sheet { name: "Attendance", title, header: &header };
    let mut csv = Table::create(path, opts, &sheet, crate::db::file_of(conn).as_deref())?;
    let event_cells: Vec<Encoded> = events
        .iter()
        .map(|e| {
            csv.encode(&[
                Cell::Int(e.project_id),
                Cell::Text(e.project.clone()),
                Cell::Int(e.id),
                Cell::Text(e.title.clone()),
                Cell::Text(e.kind.clone()),
                Cell::Date(e.date.clone()),
                Cell::Date(e.starts_at.clone()),
                Cell::Text(e.timezone.clone()),
            ])
        })
        .collect();
    let roles: Vec<Encoded> = ROLES.iter().map(|r| csv.encode_text(&[r])).collect();
    let statuses: Vec<Encoded> = STATUSES.iter().map(|s| csv.encode_text(&[s])).collect();

    let pseudonyms = people.pseudonyms(conn)?;
    let people = &people;
    let (csv, read) = std::thread::scope(|scope| -> Result<(Table, Result<u64>)> {
        // Room for a few hundred events' rows, so reading goes on while the writer ranks the people.
        let (sender, receiver) = std::sync::mpsc::sync_channel::<Batch>(256);
        let writer = scope.spawn(move || -> Result<Table> {
            let ranks = people.order(pseudonyms.as_ref());
            // Persons' cells are encoded the first time they appear.
            let mut person_cells: Vec<Option<Encoded>> = (0..people.cells.len()).map(|_| None).collect();
            let mut order: Vec<(u8, u32, u32)> = Vec::new();
            for batch in receiver {
                order.clear();
                order.extend(
                    batch
                        .rows
                        .iter()
                        .enumerate()
                        .map(|(i, r)| (role_rank(r.role), ranks.rank[r.slot as usize], i as u32)),
                );
                order.sort_unstable();
                let event = &event_cells[batch.event];
                for &(_, _, i) in &order {
                    let r = &batch.rows[i as usize];
                    let slot = r.slot as usize;
                    csv.encoded(event)?;
                    let person = person_cells[slot].get_or_insert_with(|| {
                        let p = &people.cells[slot];
                        let mut cells = people.identity(&ranks, slot);
                        cells.extend([
                            Cell::Text(people.organisation(slot).to_string()),
                            Cell::Text(p.country.clone()),
                            Cell::Text(p.gender.clone()),
                        ]);
                        csv.encode(&cells)
                    });
                    csv.encoded(person)?;
                    csv.encoded(&roles[r.role as usize])?;
                    csv.encoded(&statuses[r.status as usize])?;
                    csv.field_opt_i64(r.minutes)?;
                    csv.field_date(batch.text(r.first_join))?;
                    csv.field_date(batch.text(r.last_leave))?;
                    csv.end_row()?;
                }
            }
            Ok(csv)
        });

        // Rows arrive grouped by event, in event order.
        let read = (|| -> Result<u64> {
            let mut stmt = conn.prepare(&format!(
                "SELECT e.id, a.person_id, a.role, a.status, a.minutes, a.first_join, a.last_leave
                   FROM events e JOIN attendance a ON a.event_id = e.id
                  WHERE {filter} ORDER BY e.starts_utc, e.id"
            ))?;
            let mut rows = stmt.query([param])?;
            let mut batch: Option<Batch> = None;
            let mut read = 0u64;
            let mut next_report = BATCH;
            while let Some(r) = rows.next()? {
                let Some(&event) = event_index.get(&r.get(0)?) else { continue };
                // A batch holds one event; a send fails only when the writer stopped on an error, which it
                // reports.
                if batch.as_ref().is_some_and(|b| b.event != event)
                    && sender.send(batch.take().expect("checked")).is_err()
                {
                    return Ok(read);
                }
                let b = batch.get_or_insert_with(|| Batch { event, rows: Vec::new(), arena: Vec::new() });
                let Some(slot) = people.slot(r.get(1)?) else { continue };
                let first_join = b.keep(r.get_ref(5)?);
                let last_leave = b.keep(r.get_ref(6)?);
                b.rows.push(Row {
                    slot: slot as u32,
                    role: position(ROLES, r.get_ref(2)?),
                    status: position(STATUSES, r.get_ref(3)?),
                    minutes: r.get_ref(4)?.as_i64_or_null().ok().flatten(),
                    first_join,
                    last_leave,
                });
                read += 1;
                if read >= next_report {
                    next_report += BATCH;
                    progress.check()?;
                    progress.report(read, total as u64);
                }
            }
            if let Some(b) = batch {
                let _ = sender.send(b);
            }
            Ok(read)
        })();
        // Closing the channel lets the writer finish; its error, if any, is the one that counts.
        drop(sender);
        let csv = writer.join().unwrap_or_else(|_| Err(Error::internal("the export's writing thread failed")))?;
        Ok((csv, read))
    })?;
    read?;
    progress.check()?;
    let n = csv.finish()?;
    progress.report(n, total as u64);
    Ok(n)
}

/// Exports the attendance list of one event (everyone on it, with their status).
pub fn event_attendance(
    conn: &Connection,
    event_id: i64,
    path: &Path,
    opts: &ExportOptions,
    progress: &Progress,
) -> Result<u64> {
    db::ensure_exists(conn, DbTable::Events, event_id)?;
    let (project, event, starts_at): (String, String, String) = conn.query_row(
        "SELECT p.name, e.title, e.starts_at FROM events e JOIN projects p ON p.id = e.project_id WHERE e.id = ?1",
        [event_id],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    let title = format!("{project}: attendance of {event}, {}", reports::local_date(&starts_at));
    let n = attendance(
        conn,
        "e.id = ?1",
        event_id,
        ("p.id IN (SELECT person_id FROM attendance WHERE event_id = ?1)", Some(event_id)),
        &title,
        path,
        opts,
        progress,
    )?;
    log::info!("exported the attendance of event {event_id}: {n} rows (pseudonymous: {})", opts.pseudonymous);
    Ok(n)
}

/// Exports all attendance records of a project, event by event in date order.
pub fn project_attendance(
    conn: &Connection,
    project_id: i64,
    path: &Path,
    opts: &ExportOptions,
    progress: &Progress,
) -> Result<u64> {
    db::ensure_exists(conn, DbTable::Projects, project_id)?;
    let (project, first, last): (String, Option<String>, Option<String>) = conn.query_row(
        "SELECT p.name, min(e.starts_at), max(e.starts_at) FROM projects p LEFT JOIN events e ON e.project_id = p.id
          WHERE p.id = ?1 GROUP BY p.id",
        [project_id],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    let title = match (first, last) {
        (Some(f), Some(l)) => {
            format!("{project}: attendance, {} to {}", reports::local_date(&f), reports::local_date(&l))
        }
        _ => format!("{project}: attendance"),
    };
    // All people are read: for a large project that is cheaper than working out which of them it has.
    let n = attendance(conn, "e.project_id = ?1", project_id, ("1", None), &title, path, opts, progress)?;
    log::info!("exported the attendance of project {project_id}: {n} rows (pseudonymous: {})", opts.pseudonymous);
    Ok(n)
}

/// Exports everyone in the database with the number of events they attended.
pub fn people(conn: &Connection, path: &Path, opts: &ExportOptions, progress: &Progress) -> Result<u64> {
    progress.check()?;
    let people = PeopleCells::load(conn, "1", None, opts.pseudonymous)?;
    let order = people.order(people.pseudonyms(conn)?.as_ref());
    let total = people.cells.len() as u64;
    // Events attended per person, in one pass over the covering index of attended records.
    let mut attended: HashMap<i64, i64> = HashMap::new();
    {
        let mut stmt = conn.prepare("SELECT person_id FROM attendance WHERE status = 'attended'")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            *attended.entry(r.get(0)?).or_default() += 1;
        }
    }

    let mut header: Vec<&str> = people.header().to_vec();
    header.extend_from_slice(&["organisation", "country", "gender", "events_attended"]);
    let title = format!("People in Rollcall, {}", chrono::Local::now().format("%Y-%m-%d"));
    let sheet = Sheet { name: "People", title: &title, header: &header };
    let mut csv = Table::create(path, opts, &sheet, crate::db::file_of(conn).as_deref())?;
    let mut in_order: Vec<usize> = (0..people.cells.len()).collect();
    in_order.sort_unstable_by_key(|&i| order.rank[i]);
    for (i, slot) in in_order.into_iter().enumerate() {
        if (i as u64).is_multiple_of(BATCH) && i > 0 {
            progress.check()?;
            progress.report(i as u64, total);
        }
        people.write_identity(&order, &mut csv, slot)?;
        let p = &people.cells[slot];
        csv.field(people.organisation(slot))?;
        csv.field(&p.country)?;
        csv.field(&p.gender)?;
        csv.field_i64(attended.get(&p.id).copied().unwrap_or(0))?;
        csv.end_row()?;
    }
    progress.check()?;
    let n = csv.finish()?;
    progress.report(n, total);
    log::info!("exported {n} people (pseudonymous: {})", opts.pseudonymous);
    Ok(n)
}

/// Exports a person's history: every event they are recorded at, newest first.
pub fn person_history(
    conn: &Connection,
    person_id: i64,
    path: &Path,
    opts: &ExportOptions,
    progress: &Progress,
) -> Result<u64> {
    progress.check()?;
    let history = reports::person_history(conn, person_id)?;
    let people = PeopleCells::load(conn, "p.id = ?1", Some(person_id), opts.pseudonymous)?;
    let order = people.order(people.pseudonyms(conn)?.as_ref());
    let slot = people.slot(person_id).ok_or_else(|| crate::Error::not_found("person", person_id))?;
    let mut header: Vec<&str> = people.header().to_vec();
    header.extend_from_slice(&[
        "event_id",
        "event",
        "event_kind",
        "project_id",
        "project",
        "event_date",
        "starts_at",
        "timezone",
        "role",
        "status",
        "minutes",
    ]);
    let title = format!("{}: history of events", people.label(&order, slot));
    let sheet = Sheet { name: "History", title: &title, header: &header };
    let mut csv = Table::create(path, opts, &sheet, crate::db::file_of(conn).as_deref())?;
    for (i, e) in history.entries.iter().enumerate() {
        if (i as u64).is_multiple_of(BATCH) && i > 0 {
            progress.check()?;
            progress.report(i as u64, history.entries.len() as u64);
        }
        people.write_identity(&order, &mut csv, slot)?;
        csv.field_i64(e.event_id)?;
        csv.field(&e.event_title)?;
        csv.field(&e.event_kind)?;
        csv.field_i64(e.project_id)?;
        csv.field(&e.project_name)?;
        csv.field_date(&reports::local_date(&e.starts_at))?;
        csv.field_date(&e.starts_at)?;
        csv.field(&e.timezone)?;
        csv.field(&e.role)?;
        csv.field(&e.status)?;
        csv.field_opt_i64(e.minutes)?;
        csv.end_row()?;
    }
    progress.check()?;
    let n = csv.finish()?;
    log::info!("exported the history of person {person_id}: {n} rows (pseudonymous: {})", opts.pseudonymous);
    Ok(n)
}

/// Exports an organisation's participation: its people at every event, newest event first.
pub fn organisation_participation(
    conn: &Connection,
    organisation_id: i64,
    path: &Path,
    opts: &ExportOptions,
    progress: &Progress,
) -> Result<u64> {
    progress.check()?;
    let report = reports::organisation_participation(conn, organisation_id)?;
    let people = PeopleCells::load(conn, "p.organisation_id = ?1", Some(organisation_id), opts.pseudonymous)?;
    let ranks = people.order(people.pseudonyms(conn)?.as_ref());
    // Events keep the report's order (newest first); within an event, people are ordered by name, or by
    // code when pseudonymous.
    let mut event_rank: HashMap<i64, usize> = HashMap::new();
    let mut order: Vec<(usize, u32, usize)> = Vec::with_capacity(report.rows.len());
    for (i, r) in report.rows.iter().enumerate() {
        let next = event_rank.len();
        let rank = *event_rank.entry(r.event_id).or_insert(next);
        let person = people.slot(r.person_id).map_or(u32::MAX, |s| ranks.rank[s]);
        order.push((rank, person, i));
    }
    order.sort();

    let mut header: Vec<&str> = vec!["organisation_id", "organisation"];
    header.extend_from_slice(people.header());
    header.extend_from_slice(&[
        "event_id",
        "event",
        "event_kind",
        "event_date",
        "project_id",
        "project",
        "role",
        "status",
        "minutes",
    ]);
    let title = format!("{}: participation in events", report.organisation_name);
    let sheet = Sheet { name: "Participation", title: &title, header: &header };
    let mut csv = Table::create(path, opts, &sheet, crate::db::file_of(conn).as_deref())?;
    for (n, (_, _, i)) in order.into_iter().enumerate() {
        if (n as u64).is_multiple_of(BATCH) && n > 0 {
            progress.check()?;
            progress.report(n as u64, report.rows.len() as u64);
        }
        let r = &report.rows[i];
        let Some(slot) = people.slot(r.person_id) else { continue };
        csv.field_i64(organisation_id)?;
        csv.field(&report.organisation_name)?;
        people.write_identity(&ranks, &mut csv, slot)?;
        csv.field_i64(r.event_id)?;
        csv.field(&r.event_title)?;
        csv.field(&r.event_kind)?;
        csv.field_date(&r.date)?;
        csv.field_i64(r.project_id)?;
        csv.field(&r.project_name)?;
        csv.field(&r.role)?;
        csv.field(&r.status)?;
        csv.field_opt_i64(r.minutes)?;
        csv.end_row()?;
    }
    progress.check()?;
    let n = csv.finish()?;
    log::info!(
        "exported the participation of organisation {organisation_id}: {n} rows (pseudonymous: {})",
        opts.pseudonymous
    );
    Ok(n)
}
