//! The older Microsoft Teams attendance list: a flat `Full Name / User Action / Timestamp` table of
//! Joined and Left events (UTF-16, tab-separated), turned here into one row per person: first join, last
//! leave, and the time between each join and its leave. Teams writes it in the user's interface language
//! ("Beigetreten", "Приєднався"), so it is recognised by its shape (three columns, an action word, a
//! time) and read in Teams' column order where the header words are not known.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use csv::StringRecord;

use super::report_format::{Context, ReportFormat};
use crate::error::{Error, Result};
use crate::import::columns::{self, Field};
use crate::import::options::Format;
use crate::import::report::Reason;
use crate::import::row::{self, clean_name, Item, Parser, Row, Status};
use crate::import::sniff::{non_empty, Rec};
use crate::import::when::{self, Clock};
use crate::import::words;
use crate::text;

pub(crate) struct TeamsLegacy;

impl ReportFormat for TeamsLegacy {
    fn format(&self) -> Format {
        // Recorded as Teams: it is Teams' report, from older versions. The name is written here rather than
        // taken from teams.rs, which already uses this file (no import circle).
        Format::named("teams")
    }

    /// The English header, or the shape whatever the language: a three-column header followed by a row
    /// whose second cell is a join or leave action and whose third is a time.
    fn sniff(&self, recs: &[Rec]) -> bool {
        let clock = Clock::new(None, None);
        recs.iter().any(|(_, c)| {
            c.iter().any(|h| columns::header_has(h, "user action"))
                && c.iter().any(|h| columns::header_has(h, "timestamp"))
        }) || recs.windows(2).take(20).any(|w| {
            let (header, row) = (&w[0].1, &w[1].1);
            non_empty(header) == 3
                && non_empty(row) == 3
                && row.len() >= 3
                && action_of(&row[1]).is_some()
                && clock.parse(&row[2]).is_some()
        })
    }

    fn parser(&self, cx: &Context) -> Box<dyn Parser> {
        Box::new(Legacy::new(cx.file, cx.clock))
    }
}

/// One person of the list: their joins and leaves so far.
struct OldPerson {
    line: u64,
    name: String,
    first: Option<NaiveDateTime>,
    last: Option<NaiveDateTime>,
    /// The join not yet followed by a leave, and its line.
    open: Option<(NaiveDateTime, u64)>,
    seconds: i64,
}

/// The list's reader. Its first record with content is the header.
pub(crate) struct Legacy {
    file: String,
    clock: Clock,
    /// Columns of name, action and time, once the header is read.
    columns: Option<(Option<usize>, Option<usize>, Option<usize>)>,
    /// The people by folded name.
    people: HashMap<String, OldPerson>,
}

impl Legacy {
    pub(crate) fn new(file: &str, clock: Clock) -> Legacy {
        Legacy { file: file.to_string(), clock, columns: None, people: HashMap::new() }
    }

    /// The columns of name, action and time of a header of the list: "Full Name / User Action /
    /// Timestamp" in the languages of `words`, or any three-column header (its words translated), read in
    /// Teams' order where the words are not known.
    pub(crate) fn columns(cells: &[&str]) -> Option<(Option<usize>, Option<usize>, Option<usize>)> {
        let action = cells.iter().position(|h| is_action_header(h));
        let time = cells.iter().position(|h| is_timestamp_header(h));
        let filled: Vec<usize> = (0..cells.len()).filter(|&i| !cells[i].trim().is_empty()).collect();
        if !((action.is_some() && time.is_some()) || filled.len() == 3) {
            return None;
        }
        let name = cells.iter().position(|h| columns::classify(h) == Some(Field::Name));
        let at = |k: usize| filled.get(k).copied();
        Some((name.or(at(0)), action.or(at(1)), time.or(at(2))))
    }

    /// Starts with a header already read (the Teams parser hands the list over).
    pub(crate) fn with_columns(mut self, columns: (Option<usize>, Option<usize>, Option<usize>)) -> Legacy {
        self.columns = Some(columns);
        self
    }

    fn row(&mut self, line: u64, record: &StringRecord, out: &mut Vec<Item>) {
        let (name_col, action_col, time_col) = self.columns.unwrap_or_default();
        let (name, _) = clean_name(row::cell(record, name_col), false);
        if name.is_empty() {
            out.push(row::skip(line, Reason::NoName));
            return;
        }
        let action = action_of(row::cell(record, action_col));
        let Some(at) = self.clock.parse(row::cell(record, time_col)) else {
            out.push(row::skip(line, Reason::TimestampUnreadable));
            return;
        };
        if !when::plausible(at) {
            out.push(row::skip(line, Reason::TimestampImplausible));
            return;
        }
        out.push(Item::Read);
        let person = self.people.entry(text::fold(&name)).or_insert_with(|| OldPerson {
            line,
            name,
            first: None,
            last: None,
            open: None,
            seconds: 0,
        });
        match action {
            Some(Action::Join) => {
                person.first = Some(person.first.map_or(at, |f| f.min(at)));
                person.open.get_or_insert((at, line));
            }
            Some(Action::Leave) => {
                if let Some((open, _)) = person.open.take() {
                    person.seconds += (at - open).num_seconds().max(0);
                }
                person.last = Some(person.last.map_or(at, |l| l.max(at)));
            }
            None => out.push(row::warn(line, Reason::ActionUnknown)),
        }
    }
}

impl Parser for Legacy {
    fn record(&mut self, line: u64, record: &StringRecord, out: &mut Vec<Item>) -> Result<()> {
        if row::is_blank(record) {
            return Ok(());
        }
        if self.columns.is_some() {
            self.row(line, record, out);
            return Ok(());
        }
        let cells: Vec<&str> = record.iter().collect();
        match Legacy::columns(&cells) {
            Some(c) => {
                self.columns = Some(c);
                Ok(())
            }
            None => Err(Error::parse(
                &self.file,
                Some(line),
                None,
                "expected the header of a Teams attendance list (Full Name / User Action / Timestamp)",
            )),
        }
    }

    fn finish(&mut self, out: &mut Vec<Item>) -> Result<()> {
        let mut people: Vec<OldPerson> = self.people.drain().map(|(_, p)| p).collect();
        people.sort_by_key(|p| p.line);
        for p in people {
            if let Some((_, line)) = p.open {
                // The join's time until the meeting's end is not known: the minutes count only the time
                // between joins and leaves, and the coordinator is told why they may be short.
                out.push(row::warn(line, Reason::JoinWithoutLeave));
            }
            let mut r = Row::new(p.line, p.name, None, Status::Attended);
            r.join = p.first;
            r.leave = p.last;
            let stated = (p.seconds > 0).then_some((p.seconds + 30) / 60);
            r.minutes = row::check_minutes(p.line, stated, None, Status::Attended, &self.clock, out);
            out.push(Item::Gathered(r));
        }
        Ok(())
    }
}

/// A join or a leave in the list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Action {
    Join,
    Leave,
}

/// The action of a row in the languages of `words::ACTIONS_JOIN` and `words::ACTIONS_LEAVE` ("Joined",
/// "Joined before", "Beigetreten", "A quitté", "Приєднався"...): folded prefixes of the cell's words.
pub(crate) fn action_of(value: &str) -> Option<Action> {
    use std::sync::OnceLock;
    static WORDS: OnceLock<(Vec<String>, Vec<String>)> = OnceLock::new();
    let (join, leave) = WORDS.get_or_init(|| {
        let fold = |list: &[&str]| list.iter().map(|w| text::fold(w)).collect::<Vec<_>>();
        (fold(words::ACTIONS_JOIN), fold(words::ACTIONS_LEAVE))
    });
    let v = text::fold(value);
    let words: Vec<&str> = v.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect();
    let any = |list: &[String]| words.iter().any(|w| list.iter().any(|p| w.starts_with(p.as_str())));
    if any(leave) {
        Some(Action::Leave)
    } else if any(join) {
        Some(Action::Join)
    } else {
        None
    }
}

fn is_action_header(header: &str) -> bool {
    words::ACTION_HEADERS.iter().any(|p| columns::header_has(header, p))
}

fn is_timestamp_header(header: &str) -> bool {
    words::TIMESTAMP_HEADERS.iter().any(|p| columns::header_has(header, p))
}
