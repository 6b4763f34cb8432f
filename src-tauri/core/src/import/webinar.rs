//! Zoom webinar attendee report: a CSV in sections, each a title line (`Host Details,`), a header and
//! rows. The host is the organiser, panelists are speakers, attendees and "Other Attended" are
//! participants; registrants with `Attended` = No are recorded as registered (they signed up but did not
//! come). The report's own summary lines (`Attendee Report`, `Report Generated`, the topic block) are
//! skipped. Newer versions add `User Name (Original Name)`, `Is Guest`, phone, registration questions
//! (an "Organization" question fills the organisation) and trailing commas; all read the same way.

use csv::StringRecord;

use super::columns::{self, Columns, Field};
use super::detect;
use super::row::{self, from_cells, Item, Parser, Role, Spec, Status};
use super::when::Clock;
use crate::error::{Error, Result};

pub(crate) struct Webinar {
    file: String,
    clock: Clock,
    section: Option<&'static str>,
    awaiting_header: bool,
    columns: Option<Columns>,
    attended: Option<usize>,
    sections_seen: u32,
}

impl Webinar {
    pub fn new(file: &str, clock: Clock) -> Webinar {
        Webinar {
            file: file.to_string(),
            clock,
            section: None,
            awaiting_header: false,
            columns: None,
            attended: None,
            sections_seen: 0,
        }
    }
}

fn role_of(section: &str) -> Role {
    match section {
        "host" => Role::Organiser,
        "panelist" => Role::Speaker,
        _ => Role::Participant,
    }
}

impl Parser for Webinar {
    fn record(&mut self, line: u64, record: &StringRecord, out: &mut Vec<Item>) -> Result<()> {
        if row::is_blank(record) {
            return Ok(());
        }
        if record.iter().filter(|c| !c.trim().is_empty()).count() == 1 {
            let cells: Vec<String> = record.iter().map(str::to_string).collect();
            if let Some(section) = detect::webinar_section(&cells) {
                self.section = Some(section);
                self.awaiting_header = section != "report";
                self.columns = None;
                return Ok(());
            }
        }
        let Some(section) = self.section.filter(|s| *s != "report") else {
            // The report's summary block.
            return Ok(());
        };
        if self.awaiting_header {
            self.awaiting_header = false;
            let mut columns = Columns::from_header(record.iter());
            if !columns.identifies_people() {
                return Err(Error::parse(
                    &self.file,
                    Some(line),
                    None,
                    format!("the {section} section has no name or email column"),
                ));
            }
            // "Attended" is read here (No means registered), not as a generic status column.
            columns.index.remove(&Field::Status);
            self.attended = record.iter().position(|h| columns::header_has(h, "attended"));
            self.columns = Some(columns);
            self.sections_seen += 1;
            return Ok(());
        }
        let Some(columns) = &self.columns else { return Ok(()) };
        let attended = !matches!(crate::text::fold(row::cell(record, self.attended)).as_str(), "no" | "false");
        let spec = Spec {
            original_names: true,
            status: if attended { Status::Attended } else { Status::Registered },
            role: Some(role_of(section)),
        };
        if let Some(mut r) = from_cells(line, record, columns, &self.clock, &spec, out) {
            if !attended {
                // Registrants who did not come have "--" for times; Zoom may still print a 0 duration.
                r.minutes = None;
            }
            out.push(Item::Row(r));
        }
        Ok(())
    }

    fn finish(&mut self, _out: &mut Vec<Item>) -> Result<()> {
        if self.sections_seen == 0 {
            return Err(Error::parse(
                &self.file,
                None,
                None,
                "no Host, Panelist or Attendee Details section was found; this is not a Zoom webinar attendee report",
            ));
        }
        Ok(())
    }
}
