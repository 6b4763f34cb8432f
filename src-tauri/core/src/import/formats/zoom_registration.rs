//! Zoom registration report (webinars and meetings that take registrations): a summary block (`Registration
//! Report`, `Report Generated`, the topic line) above one table of registrants (`First Name, Last Name,
//! Email, ..., Registration Time, Approval Status`, then one column per registration question). Every
//! registrant is recorded as registered, as a participant; an approval status of cancelled or denied
//! records the registration as cancelled. Registration questions that ask for gender, year of birth or age
//! band, country, organisation or participant type fill the person's details like any other column.
//!
//! It differs from the webinar attendee report, which also lists registrants, by having no `Attended`
//! column and no join time: nobody in it has come yet.

use csv::StringRecord;

use super::report_format::{Context, ReportFormat};
use crate::error::{Error, Result};
use crate::import::columns::{self, Columns, Field};
use crate::import::options::Format;
use crate::import::row::{self, from_cells, Item, Parser, Role, Spec, Status};
use crate::import::sniff::{first_cell, non_empty, Rec};
use crate::import::when::Clock;

/// This format's name, as recorded and as `--format` takes it.
pub(crate) const FORMAT: Format = Format::named("zoom-registration");

pub(crate) struct ZoomRegistration;

impl ReportFormat for ZoomRegistration {
    fn format(&self) -> Format {
        FORMAT
    }

    fn sniff(&self, recs: &[Rec]) -> bool {
        recs.iter().any(|(_, c)| registrants_header(c).is_some())
    }

    fn parser(&self, cx: &Context) -> Box<dyn Parser> {
        Box::new(Registration { file: cx.file.to_string(), clock: cx.clock, columns: None, approval: None })
    }
}

/// The registrants' header: it names people and has Zoom's `Registration Time` and `Approval Status`,
/// and neither an `Attended` column nor a join time (which would make it an attendee report). Returns
/// the approval column.
fn registrants_header(cells: &[String]) -> Option<usize> {
    if non_empty(cells) < 3 {
        return None;
    }
    let columns = Columns::from_header(cells.iter().map(String::as_str));
    let has = |phrase: &str| cells.iter().position(|h| columns::header_has(h, phrase));
    let approval = has("approval status")?;
    has("registration time")?;
    let attended = has("attended").is_some() || columns.has(Field::Join) || columns.has(Field::Minutes);
    (columns.identifies_people() && !attended).then_some(approval)
}

/// True for the report's own title line.
fn is_title(cells: &[String]) -> bool {
    non_empty(cells) == 1 && crate::text::fold(&first_cell(cells)) == "registration report"
}

struct Registration {
    file: String,
    clock: Clock,
    columns: Option<Columns>,
    approval: Option<usize>,
}

impl Parser for Registration {
    fn record(&mut self, line: u64, record: &StringRecord, out: &mut Vec<Item>) -> Result<()> {
        if row::is_blank(record) {
            return Ok(());
        }
        let Some(columns) = &self.columns else {
            // The summary block above the table, then its header.
            let cells: Vec<String> = record.iter().map(str::to_string).collect();
            if is_title(&cells) {
                return Ok(());
            }
            if let Some(approval) = registrants_header(&cells) {
                let mut columns = Columns::from_header(record.iter());
                // The approval status is read here, never as an attendance status.
                columns.index.remove(&Field::Status);
                columns.index.remove(&Field::Join);
                row::header_items(line, &record.iter().collect::<Vec<_>>(), &columns, &[approval], out);
                self.columns = Some(columns);
                self.approval = Some(approval);
            }
            return Ok(());
        };
        let approval = crate::text::fold(row::cell(record, self.approval));
        let cancelled = ["cancel", "denied", "deny", "reject", "declined"].iter().any(|w| approval.contains(w));
        let spec = Spec {
            original_names: false,
            status: if cancelled { Status::Cancelled } else { Status::Registered },
            role: Some(Role::Participant),
        };
        if let Some(mut r) = from_cells(line, record, columns, &self.clock, &spec, out) {
            // A registration has no minutes, whatever a question column might look like.
            r.minutes = None;
            out.push(Item::Row(r));
        }
        Ok(())
    }

    fn finish(&mut self, _out: &mut Vec<Item>) -> Result<()> {
        if self.columns.is_none() {
            return Err(Error::parse(
                &self.file,
                None,
                None,
                "no table of registrants (with Registration Time and Approval Status) was found; this is not a Zoom registration report",
            ));
        }
        Ok(())
    }
}
