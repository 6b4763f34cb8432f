//! Zoom meeting participants report: an optional meeting block (`Meeting ID,Topic,...,User Email,...`,
//! one data line, a blank line), then `Name (Original Name),User Email,Join Time,Leave Time,Duration
//! (Minutes),Guest[,Recording Consent][,In Waiting Room]` with one row per join. The meeting block's
//! User Email is the host, who is recorded as organiser. The "unique users" export (one row per person,
//! `Total Duration (Minutes)`) reads the same way.

use csv::StringRecord;

use super::{Context, ReportFormat};
use crate::error::{Error, Result};
use crate::import::columns::{self, Columns, Field};
use crate::import::row::{self, clean_email, from_cells, Item, Parser, Role, Spec, Status};
use crate::import::sniff::{first_cell, Rec};
use crate::import::when::Clock;
use crate::import::Format;

pub(crate) struct Zoom;

impl ReportFormat for Zoom {
    fn format(&self) -> Format {
        Format::Zoom
    }

    fn sniff(&self, recs: &[Rec]) -> bool {
        recs.iter().any(|(_, c)| is_meeting_header(c) || is_participants_header(c))
    }

    fn parser(&self, cx: &Context) -> Box<dyn Parser> {
        Box::new(ZoomParser::new(cx.file, cx.clock))
    }
}

/// The meeting block's header (`Meeting ID,Topic,...`).
fn is_meeting_header(cells: &[String]) -> bool {
    first_cell(cells) == "meeting id" && cells.iter().any(|c| columns::header_has(c, "topic"))
}

/// A Zoom participants header: a name column in Zoom's "Name (Original Name)" form (in any language
/// Zoom translates to) or a "User Email" column, next to join, leave or duration columns.
fn is_participants_header(cells: &[String]) -> bool {
    let c = Columns::from_header(cells.iter().map(String::as_str));
    let zoomish = cells.iter().any(|h| {
        let name = columns::classify(h) == Some(Field::Name) && h.contains('(');
        name || columns::header_has(h, "user email")
    });
    zoomish && (c.has(Field::Join) || c.has(Field::Leave) || c.has(Field::Minutes))
}

struct ZoomParser {
    file: String,
    clock: Clock,
    columns: Option<Columns>,
    /// Set after the meeting block's header: the column of the host's email in its data line.
    meeting_data: Option<Option<usize>>,
    host: Option<String>,
}

impl ZoomParser {
    fn new(file: &str, clock: Clock) -> ZoomParser {
        ZoomParser { file: file.to_string(), clock, columns: None, meeting_data: None, host: None }
    }
}

const SPEC: Spec = Spec { original_names: true, status: Status::Attended, role: None };

impl Parser for ZoomParser {
    fn record(&mut self, line: u64, record: &StringRecord, out: &mut Vec<Item>) -> Result<()> {
        if row::is_blank(record) {
            return Ok(());
        }
        if let Some(columns) = &self.columns {
            if let Some(mut r) = from_cells(line, record, columns, &self.clock, &SPEC, out) {
                if r.email.is_some() && r.email == self.host {
                    r.role = r.role.max(Some(Role::Organiser));
                }
                out.push(Item::Row(r));
            }
            return Ok(());
        }
        if let Some(host_column) = self.meeting_data.take() {
            self.host = clean_email(row::cell(record, host_column)).ok().flatten();
            return Ok(());
        }
        let cells: Vec<String> = record.iter().map(|c| c.trim().trim_start_matches('\u{FEFF}').to_string()).collect();
        if is_meeting_header(&cells) {
            self.meeting_data = Some(Columns::from_header(cells.iter().map(String::as_str)).get(Field::Email));
            return Ok(());
        }
        let columns = Columns::from_header(cells.iter().map(String::as_str));
        if columns.identifies_people()
            && (columns.has(Field::Join) || columns.has(Field::Leave) || columns.has(Field::Minutes))
        {
            self.columns = Some(columns);
            return Ok(());
        }
        Err(Error::parse(
            &self.file,
            Some(line),
            None,
            "expected the header of a Zoom participants report (Name (Original Name), User Email, Join Time, Leave Time, Duration (Minutes))",
        ))
    }

    fn finish(&mut self, _out: &mut Vec<Item>) -> Result<()> {
        if self.columns.is_none() {
            return Err(Error::parse(
                &self.file,
                None,
                None,
                "no participants header was found; this is not a Zoom participants report",
            ));
        }
        Ok(())
    }
}
