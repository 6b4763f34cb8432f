//! Generic sheets (sign-in sheets, registration forms, any other CSV/TSV): rows after the header row,
//! read through the column mapping. Rows without a status column get the import's default status
//! (attended for sign-in sheets, or registered for registration forms).

use csv::StringRecord;

use super::columns::{self, Columns, Field};
use super::row::{self, from_cells, Item, Parser, Spec, Status};
use super::when::Clock;
use super::Mapping;
use crate::error::Result;
use crate::validate;

/// The status for rows without one, from `ImportOptions::status`.
pub(crate) fn default_status(value: Option<&str>) -> Result<Status> {
    match value.map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(Status::Attended),
        Some(v) => {
            let v = validate::one_of("status", v, crate::attendance::STATUSES)?;
            Ok(Status::parse(&v).unwrap_or(Status::Attended))
        }
    }
}

pub(crate) struct Generic {
    columns: Columns,
    header_line: u64,
    spec: Spec,
    clock: Clock,
}

impl Generic {
    pub fn new(mapping: &Mapping, header_line: u64, status: Status, clock: Clock) -> Generic {
        Generic {
            columns: Columns { index: mapping.fields.clone() },
            header_line,
            spec: Spec { original_names: false, status, role: None },
            clock,
        }
    }
}

impl Generic {
    fn repeats_header(&self, record: &StringRecord) -> bool {
        let who = [Field::Name, Field::FirstName, Field::LastName, Field::Email];
        let says_who = who
            .iter()
            .filter_map(|f| self.columns.get(*f))
            .any(|i| record.get(i).and_then(columns::classify).is_some_and(|f| who.contains(&f)));
        says_who && Columns::from_header(record.iter()).index.len() >= 2
    }
}

impl Parser for Generic {
    fn record(&mut self, line: u64, record: &StringRecord, out: &mut Vec<Item>) -> Result<()> {
        if line <= self.header_line {
            return Ok(());
        }
        // A report exported as one sheet can repeat its header (Teams' second table, a page break in a
        // printed list): a row whose name or email cell reads as a name or email header, beside another
        // header word, is not a person.
        if self.repeats_header(record) {
            out.push(row::skip(line, "a header row, not a person"));
            return Ok(());
        }
        if let Some(r) = from_cells(line, record, &self.columns, &self.clock, &self.spec, out) {
            out.push(Item::Row(r));
        }
        Ok(())
    }
}
