//! Exports as CSV or .xlsx: attendance lists, people and the project reports, streamed to a file that
//! replaces the destination only when complete, optionally pseudonymous (a stable code instead of name
//! and email). Each export produces its rows once, as typed cells, through `table::Table`, which writes
//! them with `csv::CsvFile` or `xlsx::XlsxFile`.
//!
//! Every export returns the number of data rows written (without the header), reports progress every
//! [`BATCH`] rows, and stops with `Error::Cancelled` between batches when asked, leaving any previous file
//! at the destination untouched.

pub mod csv;
mod lists;
pub mod pseudonym;
mod reports;
mod table;
pub mod xlsx;

use std::path::Path;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result, Rule};

pub use self::csv::{check_table_extension, CsvFile, CsvOptions, Delimiter, CSV_EXTENSIONS, TABLE_EXTENSIONS};
pub use lists::{event_attendance, organisation_participation, people, person_history, project_attendance};
pub use pseudonym::Pseudonyms;
pub use reports::{donor_table, indicators, project_summary, registration};

/// Rows between two progress reports and cancellation checks.
pub const BATCH: u64 = 8192;

/// The kind of file an export writes. In JSON `"csv"` or `"xlsx"`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ExportFormat {
    /// Comma- (or semicolon-, tab-) separated text: `.csv`, `.tsv` or `.txt`.
    Csv,
    /// An Excel workbook: `.xlsx`.
    Xlsx,
}

impl ExportFormat {
    /// The format a path's extension names: `.xlsx` a workbook, `.csv`, `.tsv` and `.txt` CSV.
    pub fn of_path(path: &Path) -> Option<ExportFormat> {
        match self::csv::extension(path)?.as_str() {
            "xlsx" => Some(ExportFormat::Xlsx),
            e if CSV_EXTENSIONS.contains(&e) => Some(ExportFormat::Csv),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ExportFormat::Csv => "csv",
            ExportFormat::Xlsx => "xlsx",
        }
    }
}

impl FromStr for ExportFormat {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "csv" => Ok(ExportFormat::Csv),
            "xlsx" => Ok(ExportFormat::Xlsx),
            other => Err(Error::invalid("format", format!("the format must be csv or xlsx, not '{other}'"))),
        }
    }
}

/// How an export is written.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ExportOptions {
    /// CSV or .xlsx; None: the destination's extension decides (`.xlsx` a workbook, else CSV).
    pub format: Option<ExportFormat>,
    /// CSV only: the field separator.
    pub delimiter: Delimiter,
    /// Start the file with a UTF-8 byte order mark (Excel needs it to read UTF-8).
    pub bom: bool,
    /// People appear as a stable code ("P-K3QZ7M2XAB") instead of their name and email, and rows are
    /// ordered by that code, never by name.
    pub pseudonymous: bool,
    /// The words a table's headings and categories are written in, by key: the donor table takes
    /// `dimension` (its first heading), `column:KEY` and `row:KEY` (a value's label, KEY `""` for "not
    /// stated"), and `total`. The window sends the labels it shows (in English, or in its language when
    /// asked); without them the core's own names are written, as the CLI always does.
    pub labels: std::collections::BTreeMap<String, String>,
}

impl Default for ExportOptions {
    fn default() -> Self {
        ExportOptions {
            format: None,
            delimiter: Delimiter::Comma,
            bom: true,
            pseudonymous: false,
            labels: Default::default(),
        }
    }
}

impl ExportOptions {
    /// The label for `key` the window gave, else `fallback`.
    pub fn label<'a>(&'a self, key: &str, fallback: &'a str) -> &'a str {
        self.labels.get(key).map_or(fallback, String::as_str)
    }

    pub fn csv(&self) -> CsvOptions {
        CsvOptions { delimiter: self.delimiter, bom: self.bom }
    }

    /// The format to write at `path`: the one asked for, which the extension must agree with (a
    /// workbook in a file named .csv, or CSV text named .xlsx, would not open), or the extension's.
    pub fn format_for(&self, path: &Path) -> Result<ExportFormat> {
        check_table_extension(path)?;
        let named = ExportFormat::of_path(path);
        match (self.format, named) {
            (Some(asked), Some(named)) if asked != named => Err(Error::rule(
                "path",
                Rule::FileKindMismatch,
                match asked {
                    ExportFormat::Xlsx => {
                        format!("an .xlsx export must go to a file ending in .xlsx: {}", path.display())
                    }
                    ExportFormat::Csv => {
                        format!("a CSV export must go to a file ending in .csv, .tsv or .txt: {}", path.display())
                    }
                },
            )),
            (Some(asked), _) => Ok(asked),
            (None, Some(named)) => Ok(named),
            (None, None) => Ok(ExportFormat::Csv),
        }
    }
}
