//! Zoom webinar attendee report: a CSV in sections, each a title line (`Host Details,`), a header and
//! rows. The host is the organiser, panelists are speakers, attendees and "Other Attended" are
//! participants; registrants with `Attended` = No are recorded as registered (they signed up but did not
//! come). The report's own summary lines (`Attendee Report`, `Report Generated`, the topic block) are
//! skipped. Newer versions add `User Name (Original Name)`, `Is Guest`, phone, registration questions
//! (an "Organization" question fills the organisation) and trailing commas; all read the same way.
//!
//! Zoom translates the section titles and headers into the account's language. Titles Rollcall knows
//! (English, German) are read directly; any other line alone on its row that is followed by a header of
//! people is a section too, its kind told by its words (`webinar_kind`: host, panelists, others,
//! else attendees).

use csv::StringRecord;

use super::report_format::{Context, ReportFormat};
use crate::error::{Error, Result};
use crate::import::columns::{self, Columns, Field};
use crate::import::options::Format;
use crate::import::row::{self, from_cells, Item, Parser, Role, Spec, Status};
use crate::import::sniff::{self, first_cell, non_empty, Rec};
use crate::import::when::Clock;
use crate::import::words;

/// This format's name, as recorded and as `--format` takes it.
pub(crate) const FORMAT: Format = Format::named("zoom-webinar");

pub(crate) struct ZoomWebinar;

impl ReportFormat for ZoomWebinar {
    fn format(&self) -> Format {
        FORMAT
    }

    fn sniff(&self, recs: &[Rec]) -> bool {
        recs.iter().any(|(_, c)| webinar_section(c).is_some()) || is_webinar_structure(recs)
    }

    fn parser(&self, cx: &Context) -> Box<dyn Parser> {
        Box::new(Webinar::new(cx.file, cx.clock))
    }
}

/// A section title of a Zoom webinar report, in English or German (other languages are recognised by
/// their place: a title line followed by a table, see `webinar_kind`).
fn webinar_section(cells: &[String]) -> Option<&'static str> {
    if non_empty(cells) != 1 {
        return None;
    }
    match first_cell(cells).replace('-', " ").as_str() {
        "host details" | "gastgeber details" => Some("host"),
        "panelist details" | "panelists details" | "diskussionsteilnehmer details" => Some("panelist"),
        "attendee details" | "attendees details" | "teilnehmerdetails" | "teilnehmer details" => Some("attendee"),
        "other attended" | "andere teilnehmer" | "sonstige teilnehmer" => Some("other"),
        "teilnehmerbericht" => Some("report"),
        "attendee report"
        | "webinar attendee report"
        | "panelist report"
        | "performance report"
        | "registration report" => Some("report"),
        _ => None,
    }
}

/// What a Zoom webinar section holds, from the words of a title in any language Zoom translates to
/// ("Сведения об организаторе", "Diskussionsteilnehmer-Details", "Inni uczestnicy"...): the summary
/// ("report"), the host, panelists, others who attended, else attendees (`words::WEBINAR_SECTIONS`).
pub(crate) fn webinar_kind(title: &str) -> &'static str {
    let t = crate::text::fold(title);
    words::WEBINAR_SECTIONS
        .iter()
        .find(|(_, list)| list.iter().any(|w| t.contains(&crate::text::fold(w))))
        .map_or("attendee", |(kind, _)| *kind)
}

/// A webinar report whatever its language: at least two title lines each followed by a people table,
/// one of which has Zoom's "Attended" (status) column.
fn is_webinar_structure(recs: &[Rec]) -> bool {
    let mut sections = 0;
    let mut attended = false;
    for (i, (_, c)) in recs.iter().enumerate() {
        if non_empty(c) != 1 {
            continue;
        }
        if let Some(next) = recs.get(i + 1).map(|(_, n)| n).filter(|n| sniff::is_people_header(n)) {
            sections += 1;
            attended |= Columns::from_header(next.iter().map(String::as_str)).has(Field::Status);
        }
    }
    sections >= 2 && attended
}

struct Webinar {
    file: String,
    clock: Clock,
    section: Option<&'static str>,
    awaiting_header: bool,
    columns: Option<Columns>,
    attended: Option<usize>,
    sections_seen: u32,
    /// A line alone on its row whose meaning the next record tells: a section title when a header
    /// follows, else a row of the current section.
    pending: Option<(u64, StringRecord)>,
}

impl Webinar {
    fn new(file: &str, clock: Clock) -> Webinar {
        Webinar {
            file: file.to_string(),
            clock,
            section: None,
            awaiting_header: false,
            columns: None,
            attended: None,
            sections_seen: 0,
            pending: None,
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

impl Webinar {
    fn start_section(&mut self, section: &'static str) {
        self.section = Some(section);
        self.awaiting_header = section != "report";
        self.columns = None;
    }
}

impl Parser for Webinar {
    fn record(&mut self, line: u64, record: &StringRecord, out: &mut Vec<Item>) -> Result<()> {
        if row::is_blank(record) {
            return Ok(());
        }
        let cells: Vec<String> = record.iter().map(str::to_string).collect();
        if let Some((pending_line, pending)) = self.pending.take() {
            if sniff::is_people_header(&cells) {
                let title = row::cell(&pending, pending.iter().position(|c| !c.trim().is_empty()));
                self.start_section(webinar_kind(title));
            } else {
                self.data(pending_line, &pending, out)?;
            }
        }
        if record.iter().filter(|c| !c.trim().is_empty()).count() == 1 {
            if let Some(section) = webinar_section(&cells) {
                self.start_section(section);
                return Ok(());
            }
            if !self.awaiting_header {
                self.pending = Some((line, record.clone()));
                return Ok(());
            }
        }
        self.data(line, record, out)
    }

    fn finish(&mut self, out: &mut Vec<Item>) -> Result<()> {
        if let Some((line, pending)) = self.pending.take() {
            self.data(line, &pending, out)?;
        }
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

impl Webinar {
    /// A header or data record of the current section.
    fn data(&mut self, line: u64, record: &StringRecord, out: &mut Vec<Item>) -> Result<()> {
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
            let status = columns.index.remove(&Field::Status);
            self.attended = record.iter().position(|h| columns::header_has(h, "attended")).or(status);
            let used: Vec<usize> = self.attended.into_iter().collect();
            row::header_items(line, &record.iter().collect::<Vec<_>>(), &columns, &used, out);
            self.columns = Some(columns);
            self.sections_seen += 1;
            return Ok(());
        }
        let Some(columns) = &self.columns else { return Ok(()) };
        let answer = row::cell(record, self.attended);
        let attended = !(matches!(crate::text::fold(answer).as_str(), "no" | "false")
            || row::status(answer) == Some(Status::Absent));
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
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn section_titles_in_other_languages_say_their_kind() {
        assert_eq!(webinar_kind("Сведения об участнике дискуссии"), "panelist");
        assert_eq!(webinar_kind("Сведения об организаторе"), "host");
        assert_eq!(webinar_kind("Другие участники"), "other");
        assert_eq!(webinar_kind("Szczegóły uczestnika"), "attendee");
    }
}
