//! Webex meeting and webinar attendance reports: one table (UTF-16 LE, tab-separated, like every Webex
//! export) with a row per join: `Display Name, First Name, Last Name, Email, Join Time, Leave Time,
//! Duration, Participant Type, ...`; webinar reports add registration columns and `Attended` (No:
//! registered, not attended), possibly under a title line. The
//! participant type gives the role: Host (organiser), Cohost (moderator), Presenter or Panelist
//! (speaker), Attendee (participant).
//!
//! A Webex report has the name, email, time and duration columns of a Google Meet one; what tells it is
//! its participant type column, so it is tried before Meet.

use csv::StringRecord;

use super::report_format::{Context, ReportFormat};
use crate::error::{Error, Result};
use crate::import::columns::{self, Columns, Field};
use crate::import::options::Format;
use crate::import::row::{self, from_cells, Item, Parser, Spec, Status};
use crate::import::sniff::Rec;
use crate::import::when::Clock;

/// This format's name, as recorded and as `--format` takes it.
pub(crate) const FORMAT: Format = Format::named("webex");

/// The participant type column, in the languages Webex exports (folded header phrases).
const TYPE_HEADERS: &[&str] = &[
    "participant type",
    "attendee type",
    "user type",
    "teilnehmertyp",
    "tipo de participante",
    "type de participant",
    "tipo di partecipante",
    "typ uczestnika",
    "тип участника",
    "тип учасника",
];

fn type_column(cells: &[&str]) -> Option<usize> {
    cells.iter().position(|h| TYPE_HEADERS.iter().any(|p| columns::header_has(h, p)))
}

/// The columns of a Webex header, the participant type read as the role.
fn header_columns(cells: &[&str]) -> Option<Columns> {
    let kind = type_column(cells)?;
    let mut columns = Columns::from_header(cells.iter().copied());
    // "Participant Type" has a word that reads as a name header elsewhere: it is the role here.
    columns.index.retain(|_, i| *i != kind);
    if columns.get(Field::Name).is_none() {
        if let Some(i) = cells.iter().position(|h| columns::classify(h) == Some(Field::Name)).filter(|i| *i != kind) {
            columns.index.insert(Field::Name, i);
        }
    }
    columns.index.insert(Field::Role, kind);
    (columns.identifies_people() && (columns.has(Field::Join) || columns.has(Field::Minutes))).then_some(columns)
}

pub(crate) struct Webex;

impl ReportFormat for Webex {
    fn format(&self) -> Format {
        FORMAT
    }

    fn sniff(&self, recs: &[Rec]) -> bool {
        recs.iter().take(20).any(|(_, c)| header_columns(&c.iter().map(String::as_str).collect::<Vec<_>>()).is_some())
    }

    fn parser(&self, cx: &Context) -> Box<dyn Parser> {
        Box::new(WebexParser { file: cx.file.to_string(), clock: cx.clock, columns: None })
    }
}

struct WebexParser {
    file: String,
    clock: Clock,
    columns: Option<Columns>,
}

const SPEC: Spec = Spec { original_names: false, status: Status::Attended, role: None };

impl Parser for WebexParser {
    fn record(&mut self, line: u64, record: &StringRecord, out: &mut Vec<Item>) -> Result<()> {
        if row::is_blank(record) {
            return Ok(());
        }
        if let Some(columns) = &self.columns {
            if let Some(mut r) = from_cells(line, record, columns, &self.clock, &SPEC, out) {
                if r.status == Status::Absent {
                    // A webinar's registrant with Attended = No signed up but did not come.
                    r.status = Status::Registered;
                    r.minutes = None;
                }
                out.push(Item::Row(r));
            }
            return Ok(());
        }
        let cells: Vec<&str> = record.iter().map(|c| c.trim_start_matches('\u{FEFF}')).collect();
        match header_columns(&cells) {
            Some(columns) => {
                row::header_items(line, &cells, &columns, &[], out);
                self.columns = Some(columns);
                Ok(())
            }
            // Lines above the table (a title, the meeting's name) are not people.
            None if cells.iter().filter(|c| !c.trim().is_empty()).count() <= 2 => Ok(()),
            None => Err(Error::parse(
                &self.file,
                Some(line),
                None,
                "expected the header of a Webex attendance report (Name, Email, Join Time, Leave Time, Duration, Participant Type)",
            )),
        }
    }

    fn finish(&mut self, _out: &mut Vec<Item>) -> Result<()> {
        if self.columns.is_none() {
            return Err(Error::parse(
                &self.file,
                None,
                None,
                "no participants header was found; this is not a Webex attendance report",
            ));
        }
        Ok(())
    }
}
