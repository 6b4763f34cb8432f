//! Microsoft Teams attendance reports. The current one (UTF-16 LE, tab-separated, a .csv name) has
//! sections "1. Summary", "2. Participants" (one row per person: First Join, Last Leave, In-Meeting
//! Duration, Email, Participant ID (UPN), Role) and "3. In-Meeting Activities" (one row per join, read
//! only when there is no Participants section). The older one is a flat `Full Name / User Action /
//! Timestamp` list of Joined and Left events, turned here into one row per person.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use csv::StringRecord;

use super::columns::{self, Columns, Field};
use super::detect;
use super::row::{self, clean_email, clean_name, from_cells, Item, Parser, Row, Spec, Status};
use super::when::Clock;
use crate::error::{Error, Result};
use crate::text;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Start,
    Summary,
    Participants,
    Activities,
    Old,
}

/// One person of the old format: their joins and leaves so far.
struct OldPerson {
    line: u64,
    name: String,
    first: Option<NaiveDateTime>,
    last: Option<NaiveDateTime>,
    open: Option<NaiveDateTime>,
    seconds: i64,
}

pub(crate) struct Teams {
    file: String,
    clock: Clock,
    mode: Mode,
    awaiting_header: bool,
    columns: Option<Columns>,
    upn: Option<usize>,
    participant_rows: u64,
    /// Old format: columns of name, action and time, and the people by folded name.
    old_columns: (Option<usize>, Option<usize>, Option<usize>),
    old: HashMap<String, OldPerson>,
}

impl Teams {
    pub fn new(file: &str, clock: Clock) -> Teams {
        Teams {
            file: file.to_string(),
            clock,
            mode: Mode::Start,
            awaiting_header: false,
            columns: None,
            upn: None,
            participant_rows: 0,
            old_columns: (None, None, None),
            old: HashMap::new(),
        }
    }

    fn header(&mut self, line: u64, record: &StringRecord) -> Result<()> {
        let columns = Columns::from_header(record.iter());
        if !columns.identifies_people() {
            return Err(Error::parse(
                &self.file,
                Some(line),
                None,
                "the participants section has no Name or Email column",
            ));
        }
        self.upn = record.iter().position(|h| columns::header_has(h, "upn"));
        self.columns = Some(columns);
        Ok(())
    }

    fn old_row(&mut self, line: u64, record: &StringRecord, out: &mut Vec<Item>) {
        let (name_col, action_col, time_col) = self.old_columns;
        let (name, _) = clean_name(row::cell(record, name_col), false);
        if name.is_empty() {
            out.push(row::skip(line, "no name"));
            return;
        }
        let action = text::fold(row::cell(record, action_col));
        let Some(at) = self.clock.parse(row::cell(record, time_col)) else {
            out.push(row::skip(line, "the timestamp could not be read"));
            return;
        };
        out.push(Item::Seen);
        let person = self.old.entry(text::fold(&name)).or_insert_with(|| OldPerson {
            line,
            name,
            first: None,
            last: None,
            open: None,
            seconds: 0,
        });
        if action.starts_with("join") {
            person.first = Some(person.first.map_or(at, |f| f.min(at)));
            person.open.get_or_insert(at);
        } else if action.starts_with("left") || action.starts_with("leave") {
            if let Some(open) = person.open.take() {
                person.seconds += (at - open).num_seconds().max(0);
            }
            person.last = Some(person.last.map_or(at, |l| l.max(at)));
        } else {
            out.push(row::warn(line, "the user action is neither Joined nor Left"));
        }
    }
}

impl Parser for Teams {
    fn record(&mut self, line: u64, record: &StringRecord, out: &mut Vec<Item>) -> Result<()> {
        if row::is_blank(record) {
            return Ok(());
        }
        if record.iter().filter(|c| !c.trim().is_empty()).count() == 1 {
            let cells: Vec<String> = record.iter().map(str::to_string).collect();
            if let Some(section) = detect::teams_section(&cells) {
                self.mode = match section {
                    "summary" => Mode::Summary,
                    "participants" => Mode::Participants,
                    _ => Mode::Activities,
                };
                self.awaiting_header = self.mode != Mode::Summary;
                self.columns = None;
                return Ok(());
            }
        }
        match self.mode {
            Mode::Summary => Ok(()),
            Mode::Start => {
                let cells: Vec<&str> = record.iter().collect();
                let action = cells.iter().position(|h| columns::header_has(h, "user action"));
                let time = cells.iter().position(|h| columns::header_has(h, "timestamp"));
                if action.is_some() && time.is_some() {
                    let name = cells.iter().position(|h| columns::classify(h) == Some(Field::Name));
                    self.old_columns = (name.or(Some(0)), action, time);
                    self.mode = Mode::Old;
                    return Ok(());
                }
                // A participants table without section titles.
                let columns = Columns::from_header(cells.iter().copied());
                if columns.identifies_people() && (columns.has(Field::Join) || columns.has(Field::Minutes)) {
                    self.mode = Mode::Participants;
                    return self.header(line, record);
                }
                Err(Error::parse(
                    &self.file,
                    Some(line),
                    None,
                    "expected a Teams attendance report (sections Summary, Participants, In-Meeting Activities, or Full Name / User Action / Timestamp)",
                ))
            }
            Mode::Old => {
                self.old_row(line, record, out);
                Ok(())
            }
            Mode::Participants | Mode::Activities => {
                if self.awaiting_header {
                    self.awaiting_header = false;
                    return self.header(line, record);
                }
                if self.mode == Mode::Activities && self.participant_rows > 0 {
                    // The same people again, join by join: the Participants section has their totals.
                    return Ok(());
                }
                let Some(columns) = &self.columns else { return Ok(()) };
                let spec = Spec { original_names: false, status: Status::Attended, role: None };
                if let Some(mut r) = from_cells(line, record, columns, &self.clock, &spec, out) {
                    if r.email.is_none() {
                        // Guests from other organisations have a UPN like "name_domain#EXT#@tenant": not an email.
                        let upn = row::cell(record, self.upn);
                        if !upn.to_lowercase().contains("#ext#") {
                            r.email = clean_email(upn).ok().flatten();
                        }
                    }
                    if self.mode == Mode::Participants {
                        self.participant_rows += 1;
                    }
                    out.push(Item::Row(r));
                }
                Ok(())
            }
        }
    }

    fn finish(&mut self, out: &mut Vec<Item>) -> Result<()> {
        match self.mode {
            Mode::Old => {
                let mut people: Vec<OldPerson> = self.old.drain().map(|(_, p)| p).collect();
                people.sort_by_key(|p| p.line);
                for p in people {
                    let mut r = Row::new(p.line, p.name, None, Status::Attended);
                    r.join = p.first;
                    r.leave = p.last;
                    r.minutes = (p.seconds > 0).then_some((p.seconds + 30) / 60);
                    out.push(Item::Merged(r));
                }
                Ok(())
            }
            Mode::Start | Mode::Summary if self.columns.is_none() => Err(Error::parse(
                &self.file,
                None,
                None,
                "no Participants section was found; this is not a Teams attendance report",
            )),
            _ => Ok(()),
        }
    }
}
