//! Generic sheets (sign-in sheets, registration forms, any other CSV/TSV): rows after the header row,
//! read through the column mapping. Rows without a status column get the import's default status
//! (attended for sign-in sheets, or registered for registration forms).

use csv::StringRecord;

use super::report_format::Context;
use crate::error::Result;
use crate::import::columns::Mapping;
use crate::import::columns::{self, Columns, Field};
use crate::import::report::Reason;
use crate::import::row::{self, from_cells, Item, Parser, Spec, Status};
use crate::import::sniff::{non_empty, Rec};
use crate::import::when::Clock;
use crate::validate;

/// The header row of a sheet: the first row (of the first 20 with content) that names a name or email
/// column, or with `first_if_none` the first row. A sign-in sheet may start with a title row or two; a
/// title row ("Реєстрація учасників ...") has one cell where the table has several, so a header needs at
/// least two cells unless the sheet has a single column.
pub(crate) fn header(recs: &[Rec], first_if_none: bool) -> Option<(u64, Vec<String>)> {
    let rows: Vec<&Rec> = recs.iter().filter(|(_, c)| non_empty(c) > 0).take(20).collect();
    let widest = rows.iter().map(|(_, c)| non_empty(c)).max().unwrap_or(0);
    let header = rows.iter().find(|(_, c)| {
        non_empty(c) >= widest.min(2) && Columns::from_header(c.iter().map(String::as_str)).identifies_people()
    });
    header
        .or(if first_if_none { rows.first() } else { None })
        .map(|(line, cells)| (*line, cells.iter().map(|c| c.trim().to_string()).collect()))
}

/// The parser of a generic sheet, through its mapping.
pub(crate) fn parser(cx: &Context) -> Box<dyn Parser> {
    let fields = cx.mapping.map(|m| m.fields.clone()).unwrap_or_default();
    Box::new(Generic::new(&Mapping { headers: Vec::new(), fields }, cx.header_line, cx.status, cx.clock))
}

/// The status for rows without one, from `ImportOptions::status`.
pub(crate) fn default_status(value: Option<&str>) -> Result<Status> {
    match value.map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(Status::Attended),
        Some(v) => {
            let v = validate::one_of("status", v, crate::attendance::STATUSES)?;
            Ok(row::status(&v).unwrap_or(Status::Attended))
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
            out.push(row::skip(line, Reason::HeaderRow));
            return Ok(());
        }
        if let Some(r) = from_cells(line, record, &self.columns, &self.clock, &self.spec, out) {
            out.push(Item::Row(r));
        }
        Ok(())
    }
}
