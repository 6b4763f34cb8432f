//! One table, written as CSV or as an .xlsx workbook: every export produces its rows once, as typed cells
//! (text, whole numbers, decimals, dates), and `Table` hands them to the writer of the chosen format
//! (`csv::CsvFile` or `xlsx::XlsxFile`). CSV writes every cell as text, exactly as before .xlsx existed;
//! the workbook keeps the types, and also gets a title row and, for reports of several tables, one sheet
//! per table.

use std::path::Path;

use super::csv::{self, CsvFile};
use super::xlsx::XlsxFile;
use super::{ExportFormat, ExportOptions};
use crate::error::Result;

/// A typed cell, for cells encoded once and repeated on many rows (`Table::encode`).
#[derive(Clone, Debug)]
pub(crate) enum Cell {
    Text(String),
    Int(i64),
    /// An ISO date or date-time: a date in a workbook, the same text in CSV.
    Date(String),
}

/// Cells encoded once for the chosen writer.
pub(crate) enum Encoded {
    Csv(csv::Encoded),
    Xlsx(Vec<Cell>),
}

/// What a table is, for the title and the sheet of a workbook (CSV has neither).
pub(crate) struct Sheet<'a> {
    /// The sheet's name (at most 31 characters, none of `[]:*?/\`).
    pub name: &'a str,
    /// The first row of the sheet: what the table is, for which project and period.
    pub title: &'a str,
    pub header: &'a [&'a str],
}

/// A table file being written in either format.
pub(crate) enum Table {
    // Both boxed: the writers differ much in size, and a table is created once per export.
    Csv(Box<CsvFile>),
    Xlsx(Box<XlsxFile>),
}

impl Table {
    /// Creates the file at `path` in the format `opts` and the path ask for (see
    /// `ExportOptions::format_for`) and starts its first table.
    pub fn create(path: &Path, opts: &ExportOptions, sheet: &Sheet<'_>, db: Option<&Path>) -> Result<Table> {
        // The database is refused as a destination before anything else is said about the path.
        if let Some(db) = db {
            crate::files::check_destination(db, path, "path")?;
        }
        Ok(match opts.format_for(path)? {
            ExportFormat::Csv => Table::Csv(Box::new(CsvFile::create(path, &opts.csv(), sheet.header, db)?)),
            ExportFormat::Xlsx => {
                Table::Xlsx(Box::new(XlsxFile::create(path, sheet.name, sheet.title, sheet.header, db)?))
            }
        })
    }

    /// Starts the next table of a report of several: a new sheet in a workbook; in CSV the rows go on in
    /// the same table (every table of such a report has the same columns).
    pub fn next_sheet(&mut self, sheet: &Sheet<'_>) -> Result<()> {
        match self {
            Table::Csv(_) => Ok(()),
            Table::Xlsx(x) => x.sheet(sheet.name, sheet.title, sheet.header),
        }
    }

    pub fn field(&mut self, cell: &str) -> Result<()> {
        match self {
            Table::Csv(c) => c.field(cell),
            Table::Xlsx(x) => {
                x.field(cell);
                Ok(())
            }
        }
    }

    pub fn field_i64(&mut self, value: i64) -> Result<()> {
        match self {
            Table::Csv(c) => c.field_i64(value),
            Table::Xlsx(x) => {
                x.number(value as f64);
                Ok(())
            }
        }
    }

    pub fn field_opt_i64(&mut self, value: Option<i64>) -> Result<()> {
        match value {
            Some(v) => self.field_i64(v),
            None => self.field(""),
        }
    }

    /// A decimal: in CSV as Rust prints it (`12.5`, `40`), in a workbook a number.
    pub fn field_opt_f64(&mut self, value: Option<f64>) -> Result<()> {
        match (self, value) {
            (Table::Csv(c), Some(v)) => c.field(&v.to_string()),
            (Table::Xlsx(x), Some(v)) => {
                x.number(v);
                Ok(())
            }
            (Table::Csv(c), None) => c.field(""),
            (Table::Xlsx(x), None) => {
                x.empty();
                Ok(())
            }
        }
    }

    /// An ISO date or date-time as stored (`2024-03-05`, `2024-03-05T09:30`): a date in a workbook.
    pub fn field_date(&mut self, cell: &str) -> Result<()> {
        match self {
            Table::Csv(c) => c.field(cell),
            Table::Xlsx(x) => {
                x.date(cell);
                Ok(())
            }
        }
    }

    pub fn end_row(&mut self) -> Result<()> {
        match self {
            Table::Csv(c) => c.end_row(),
            Table::Xlsx(x) => x.end_row(),
        }
    }

    /// Encodes cells once for appending to many rows.
    pub fn encode(&self, cells: &[Cell]) -> Encoded {
        match self {
            Table::Csv(c) => {
                let text: Vec<String> = cells
                    .iter()
                    .map(|cell| match cell {
                        Cell::Text(s) | Cell::Date(s) => s.clone(),
                        Cell::Int(n) => n.to_string(),
                    })
                    .collect();
                Encoded::Csv(c.encode_cells(&text))
            }
            Table::Xlsx(_) => Encoded::Xlsx(cells.to_vec()),
        }
    }

    /// Encodes text cells once.
    pub fn encode_text<S: AsRef<str>>(&self, cells: &[S]) -> Encoded {
        match self {
            Table::Csv(c) => Encoded::Csv(c.encode_cells(cells)),
            Table::Xlsx(_) => Encoded::Xlsx(cells.iter().map(|s| Cell::Text(s.as_ref().to_string())).collect()),
        }
    }

    /// Appends encoded cells to the current row.
    pub fn encoded(&mut self, cells: &Encoded) -> Result<()> {
        match (self, cells) {
            (Table::Csv(c), Encoded::Csv(e)) => {
                c.encoded(e);
                Ok(())
            }
            (Table::Xlsx(x), Encoded::Xlsx(cells)) => {
                for cell in cells {
                    match cell {
                        Cell::Text(s) => x.field(s),
                        Cell::Int(n) => x.number(*n as f64),
                        Cell::Date(s) => x.date(s),
                    }
                }
                Ok(())
            }
            _ => Err(crate::Error::internal("cells encoded for another format")),
        }
    }

    /// Finishes the file and moves it into place; returns the data rows written.
    pub fn finish(self) -> Result<u64> {
        match self {
            Table::Csv(c) => (*c).finish(),
            Table::Xlsx(x) => (*x).finish(),
        }
    }
}
