//! Google Meet attendance CSV (Workspace editions with attendance tracking): `First name, Last name,
//! Email, Duration, Time joined, Time exited`, durations like `56 min` or `1 hr 5 min`, and times like
//! `3:00 PM` (with a narrow no-break space before PM) that are taken on the event's day.

use csv::StringRecord;

use super::report_format::{Context, ReportFormat};
use crate::error::{Error, Result};
use crate::import::columns::{self, Columns, Field};
use crate::import::options::Format;
use crate::import::row::{self, from_cells, Item, Parser, Spec, Status};
use crate::import::sniff::Rec;
use crate::import::when::Clock;

/// This format's name, as recorded and as `--format` takes it.
pub(crate) const FORMAT: Format = Format::named("meet");

pub(crate) struct Meet;

impl ReportFormat for Meet {
    fn format(&self) -> Format {
        FORMAT
    }

    /// Google Meet's header in any language: first and last name, duration, join and leave columns
    /// ("Ім'я, Прізвище, Електронна адреса, Тривалість, Час приєднання, Час виходу").
    fn sniff(&self, recs: &[Rec]) -> bool {
        recs.iter().any(|(_, cells)| {
            let c = Columns::from_header(cells.iter().map(String::as_str));
            c.has(Field::FirstName)
                && c.has(Field::LastName)
                && c.has(Field::Minutes)
                && (cells.iter().any(|h| columns::header_has(h, "time joined"))
                    || (c.has(Field::Join) && c.has(Field::Leave)))
        })
    }

    fn parser(&self, cx: &Context) -> Box<dyn Parser> {
        Box::new(MeetParser::new(cx.file, cx.clock))
    }
}

struct MeetParser {
    file: String,
    clock: Clock,
    columns: Option<Columns>,
}

impl MeetParser {
    fn new(file: &str, clock: Clock) -> MeetParser {
        MeetParser { file: file.to_string(), clock, columns: None }
    }
}

const SPEC: Spec = Spec { original_names: false, status: Status::Attended, role: None };

impl Parser for MeetParser {
    fn record(&mut self, line: u64, record: &StringRecord, out: &mut Vec<Item>) -> Result<()> {
        if row::is_blank(record) {
            return Ok(());
        }
        match &self.columns {
            Some(columns) => {
                if let Some(r) = from_cells(line, record, columns, &self.clock, &SPEC, out) {
                    out.push(Item::Row(r));
                }
                Ok(())
            }
            None => {
                let columns = Columns::from_header(record.iter());
                if !(columns.identifies_people() && (columns.has(Field::Minutes) || columns.has(Field::Join))) {
                    return Err(Error::parse(
                        &self.file,
                        Some(line),
                        None,
                        "expected the header of a Google Meet attendance report (First name, Last name, Email, Duration, Time joined, Time exited)",
                    ));
                }
                row::header_items(line, &record.iter().collect::<Vec<_>>(), &columns, &[], out);
                self.columns = Some(columns);
                Ok(())
            }
        }
    }

    fn finish(&mut self, _out: &mut Vec<Item>) -> Result<()> {
        if self.columns.is_none() {
            return Err(Error::parse(
                &self.file,
                None,
                None,
                "no header was found; this is not a Google Meet attendance report",
            ));
        }
        Ok(())
    }
}
