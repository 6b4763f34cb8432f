//! CSV exports: attendance lists, people and the project reports, streamed to a file that replaces the
//! destination only when complete, optionally pseudonymous (a stable code instead of name and email).
//!
//! Every export returns the number of data rows written (without the header), reports progress every
//! [`BATCH`] rows, and stops with `Error::Cancelled` between batches when asked, leaving any previous file
//! at the destination untouched.

pub mod csv;
mod lists;
pub mod pseudonym;
mod reports;

use serde::{Deserialize, Serialize};

pub use self::csv::{check_table_extension, CsvFile, CsvOptions, Delimiter, TABLE_EXTENSIONS};
pub use lists::{event_attendance, organisation_participation, people, person_history, project_attendance};
pub use pseudonym::Pseudonyms;
pub use reports::{donor_table, indicators, project_summary, registration};

/// Rows between two progress reports and cancellation checks.
pub const BATCH: u64 = 8192;

/// How an export is written.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ExportOptions {
    pub delimiter: Delimiter,
    /// Start the file with a UTF-8 byte order mark (Excel needs it to read UTF-8).
    pub bom: bool,
    /// People appear as a stable code ("P-K3QZ7M2XAB") instead of their name and email, and rows are
    /// ordered by that code, never by name.
    pub pseudonymous: bool,
}

impl Default for ExportOptions {
    fn default() -> Self {
        ExportOptions { delimiter: Delimiter::Comma, bom: true, pseudonymous: false }
    }
}

impl ExportOptions {
    pub fn csv(&self) -> CsvOptions {
        CsvOptions { delimiter: self.delimiter, bom: self.bom }
    }
}
