//! Google Meet attendance CSV (Workspace editions with attendance tracking): `First name, Last name,
//! Email, Duration, Time joined, Time exited`, durations like `56 min` or `1 hr 5 min`, and times like
//! `3:00 PM` (with a narrow no-break space before PM) that are taken on the event's day.

use csv::StringRecord;

use super::columns::{Columns, Field};
use super::row::{self, from_cells, Item, Parser, Spec, Status};
use super::when::Clock;
use crate::error::{Error, Result};

pub(crate) struct Meet {
    file: String,
    clock: Clock,
    columns: Option<Columns>,
}

impl Meet {
    pub fn new(file: &str, clock: Clock) -> Meet {
        Meet { file: file.to_string(), clock, columns: None }
    }
}

const SPEC: Spec = Spec { original_names: false, status: Status::Attended, role: None };

impl Parser for Meet {
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
