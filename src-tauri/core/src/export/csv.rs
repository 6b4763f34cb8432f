//! Writing CSV files that spreadsheets open correctly and safely: RFC 4180 quoting, CRLF line ends, UTF-8
//! with a byte order mark (so Excel reads Cyrillic and Georgian), formula cells made inert, and an atomic
//! replace so an interrupted export never leaves a half-written file over a good one.

use std::borrow::Cow;
use std::io::Write;
use std::path::Path;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result, Rule};
use crate::files::Staged;

/// The field separator. Excel in many European locales expects a semicolon; tab suits pasting.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Delimiter {
    #[default]
    Comma,
    Semicolon,
    Tab,
}

impl Delimiter {
    /// The byte written between fields.
    pub fn byte(self) -> u8 {
        match self {
            Delimiter::Comma => b',',
            Delimiter::Semicolon => b';',
            Delimiter::Tab => b'\t',
        }
    }
}

impl FromStr for Delimiter {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "comma" => Ok(Delimiter::Comma),
            "semicolon" => Ok(Delimiter::Semicolon),
            "tab" => Ok(Delimiter::Tab),
            other => {
                Err(Error::invalid("delimiter", format!("delimiter must be comma, semicolon or tab, not '{other}'")))
            }
        }
    }
}

/// How a CSV file is written. The defaults (comma, with BOM) open correctly in Excel and LibreOffice.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default)]
pub struct CsvOptions {
    pub delimiter: Delimiter,
    /// Start the file with the UTF-8 byte order mark, which Excel needs to read UTF-8.
    pub bom: bool,
}

impl Default for CsvOptions {
    fn default() -> Self {
        CsvOptions { delimiter: Delimiter::Comma, bom: true }
    }
}

/// Makes a cell inert for spreadsheets (OWASP "CSV injection"): a cell that starts with `=`, `+`, `-`,
/// `@`, a tab or a carriage return, also after leading spaces, would be read as a formula, so it gets a
/// leading single quote, which spreadsheets show as text. Plain numbers (`-12`, `-3.5`, `+7`) and phone
/// numbers (`+380 50 123 4567`) cannot call anything, so they are left as they are.
pub fn neutralise(cell: &str) -> Cow<'_, str> {
    let rest = cell.trim_start_matches(' ');
    let Some(&first) = rest.as_bytes().first() else {
        return Cow::Borrowed(cell);
    };
    if !matches!(first, b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r') {
        return Cow::Borrowed(cell);
    }
    if (first == b'-' || first == b'+') && (is_plain_number(rest) || (first == b'+' && is_phone(rest))) {
        return Cow::Borrowed(cell);
    }
    let mut out = String::with_capacity(cell.len() + 1);
    out.push('\'');
    out.push_str(cell);
    Cow::Owned(out)
}

/// A sign, digits, and optionally one decimal point or comma followed by digits: `-12`, `+7`, `-3.5`.
fn is_plain_number(s: &str) -> bool {
    let b = s.as_bytes();
    let digits = &b[1..];
    let (int, frac) = match digits.iter().position(|&c| c == b'.' || c == b',') {
        Some(i) => (&digits[..i], Some(&digits[i + 1..])),
        None => (digits, None),
    };
    !int.is_empty()
        && int.iter().all(u8::is_ascii_digit)
        && frac.is_none_or(|f| !f.is_empty() && f.iter().all(u8::is_ascii_digit))
}

/// An international phone number: `+`, then a digit or an opening parenthesis, then only digits, spaces,
/// hyphens, dots and parentheses, with at least six digits. Such a cell holds no name, reference or call.
fn is_phone(s: &str) -> bool {
    let b = &s.as_bytes()[1..];
    matches!(b.first(), Some(c) if c.is_ascii_digit() || *c == b'(')
        && b.iter().all(|c| c.is_ascii_digit() || matches!(c, b' ' | b'-' | b'.' | b'(' | b')'))
        && b.iter().filter(|c| c.is_ascii_digit()).count() >= 6
}

/// Cells encoded once and appended to many rows (an event's or a person's cells in a large export).
pub(crate) struct Encoded {
    bytes: Vec<u8>,
    fields: usize,
}

/// Output is handed to the file in chunks of about this size.
const FLUSH_AT: usize = 1 << 16;
/// A large file is synced every this many bytes as it is written, so the final sync in `finish` has
/// little left to do and an export of hundreds of megabytes does not end with a long pause.
const SYNC_EVERY: u64 = 32 << 20;

/// The kinds of file a table export may write: anything else (a database, a document, a program) is
/// refused, so a mistyped path cannot replace a file that is not a table. `.xlsx` is written as a workbook
/// (`export::xlsx`), the others as CSV.
pub const TABLE_EXTENSIONS: [&str; 4] = ["csv", "tsv", "txt", "xlsx"];

/// The extensions of CSV files among [`TABLE_EXTENSIONS`].
pub const CSV_EXTENSIONS: [&str; 3] = ["csv", "tsv", "txt"];

/// A path's extension in lower case.
pub(crate) fn extension(path: &Path) -> Option<String> {
    path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase)
}

/// Refuses a destination that does not end in one of [`TABLE_EXTENSIONS`].
pub fn check_table_extension(path: &Path) -> Result<()> {
    if extension(path).as_deref().is_some_and(|e| TABLE_EXTENSIONS.contains(&e)) {
        return Ok(());
    }
    Err(Error::rule(
        "path",
        Rule::TableFile,
        format!("the file must end in .csv, .tsv, .txt or .xlsx: {}", path.display()),
    ))
}

/// Refuses a CSV destination that does not end in one of [`CSV_EXTENSIONS`] (CSV text in a file named
/// .xlsx would not open in Excel).
fn check_csv_extension(path: &Path) -> Result<()> {
    if extension(path).as_deref().is_some_and(|e| CSV_EXTENSIONS.contains(&e)) {
        return Ok(());
    }
    Err(Error::rule(
        "path",
        Rule::FileKindMismatch,
        format!("a CSV file must end in .csv, .tsv or .txt: {}", path.display()),
    ))
}

/// A CSV file being written. Rows go to a temporary file beside the destination; `finish` moves it into
/// place, and dropping it unfinished (an error, a cancelled export) deletes it.
///
/// Quoting is the csv crate's (`csv_core`, RFC 4180, "quote when necessary"): a cell holding the
/// delimiter, a double quote, CR or LF is put in double quotes with its quotes doubled.
pub struct CsvFile {
    /// The temporary file; dropping it unfinished deletes it.
    staged: Staged,
    buf: Vec<u8>,
    /// The csv crate's writer, configured like the file; used for its quoting decision.
    quoting: ::csv_core::Writer,
    delimiter: u8,
    rows: u64,
    /// Fields written in the current row, and where the row starts in `buf`.
    fields_in_row: usize,
    row_start: usize,
    /// Bytes handed to the file since it was last synced.
    unsynced: u64,
}

impl CsvFile {
    /// Opens a temporary file beside `path` and writes the BOM (if asked) and the header row. `db` is
    /// the database the data comes from: `path` may not be that file or one of its own (see
    /// `files::check_destination`).
    pub fn create(path: &Path, opts: &CsvOptions, header: &[&str], db: Option<&Path>) -> Result<CsvFile> {
        let staged = Staged::create(path, "export", db, "path")?;
        check_csv_extension(path)?;
        let delimiter = opts.delimiter.byte();
        let mut csv = CsvFile {
            staged,
            buf: Vec::with_capacity(FLUSH_AT + 4096),
            quoting: ::csv_core::WriterBuilder::new()
                .delimiter(delimiter)
                .terminator(::csv_core::Terminator::CRLF)
                .quote_style(::csv_core::QuoteStyle::Necessary)
                .build(),
            delimiter,
            rows: 0,
            fields_in_row: 0,
            row_start: 0,
            unsynced: 0,
        };
        if opts.bom {
            csv.buf.extend_from_slice("\u{feff}".as_bytes());
        }
        csv.row(header)?;
        csv.rows = 0;
        Ok(csv)
    }

    /// Writes one row; every cell goes through `neutralise`.
    pub fn row<I, S>(&mut self, cells: I) -> Result<()>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        for cell in cells {
            self.field(cell.as_ref())?;
        }
        self.end_row()
    }

    /// Writes one cell of the current row (through `neutralise`); `end_row` ends the row. This is the
    /// allocation-free path used by the large exports.
    pub fn field(&mut self, cell: &str) -> Result<()> {
        self.separate();
        let cell = neutralise(cell);
        encode(&self.quoting, cell.as_bytes(), &mut self.buf);
        Ok(())
    }

    /// Writes an optional cell: empty when None.
    pub fn field_opt(&mut self, cell: Option<&str>) -> Result<()> {
        self.field(cell.unwrap_or(""))
    }

    /// Writes a whole number. Numbers need no neutralising: a minus sign followed by digits is inert.
    pub fn field_i64(&mut self, value: i64) -> Result<()> {
        self.separate();
        // Writing into a Vec cannot fail.
        let _ = write!(self.buf, "{value}");
        Ok(())
    }

    /// Writes an optional whole number: empty when None.
    pub fn field_opt_i64(&mut self, value: Option<i64>) -> Result<()> {
        match value {
            Some(v) => self.field_i64(v),
            None => self.field(""),
        }
    }

    /// Ends the current row.
    pub fn end_row(&mut self) -> Result<()> {
        // A row of one empty cell is written as "" so it is not read as a blank line.
        if self.fields_in_row == 1 && self.buf.len() == self.row_start {
            self.buf.extend_from_slice(b"\"\"");
        }
        self.buf.extend_from_slice(b"\r\n");
        self.fields_in_row = 0;
        self.rows += 1;
        if self.buf.len() >= FLUSH_AT {
            self.flush()?;
        }
        self.row_start = self.buf.len();
        Ok(())
    }

    /// Encodes cells once (neutralised and quoted like any other) for appending to many rows.
    pub(crate) fn encode_cells<S: AsRef<str>>(&self, cells: &[S]) -> Encoded {
        let mut bytes = Vec::new();
        for (i, cell) in cells.iter().enumerate() {
            if i > 0 {
                bytes.push(self.delimiter);
            }
            encode(&self.quoting, neutralise(cell.as_ref()).as_bytes(), &mut bytes);
        }
        Encoded { bytes, fields: cells.len() }
    }

    /// Appends cells encoded by `encode_cells` to the current row.
    pub(crate) fn encoded(&mut self, cells: &Encoded) {
        if cells.fields == 0 {
            return;
        }
        self.separate();
        self.buf.extend_from_slice(&cells.bytes);
        self.fields_in_row += cells.fields - 1;
    }

    /// Rows written so far, without the header.
    pub fn rows(&self) -> u64 {
        self.rows
    }

    /// Flushes, fsyncs and renames the temporary file over `path`; returns rows written (without header).
    pub fn finish(mut self) -> Result<u64> {
        if self.fields_in_row > 0 {
            self.end_row()?;
        }
        self.flush()?;
        let rows = self.rows;
        self.staged.commit()?;
        log::info!("CSV export written: {rows} rows");
        Ok(rows)
    }

    /// Starts a new cell: a delimiter unless it is the row's first.
    fn separate(&mut self) {
        if self.fields_in_row > 0 {
            self.buf.push(self.delimiter);
        }
        self.fields_in_row += 1;
    }

    fn flush(&mut self) -> Result<()> {
        let temp = self.staged.temp_path().to_path_buf();
        let file = self.staged.file();
        file.write_all(&self.buf).map_err(|e| Error::io(&temp, e))?;
        self.unsynced += self.buf.len() as u64;
        self.buf.clear();
        if self.unsynced >= SYNC_EVERY {
            file.sync_data().map_err(|e| Error::io(&temp, e))?;
            self.unsynced = 0;
        }
        Ok(())
    }
}

/// Appends one cell, quoted by the csv crate's rule when necessary, with its double quotes doubled.
fn encode(quoting: &::csv_core::Writer, cell: &[u8], out: &mut Vec<u8>) {
    if !quoting.should_quote(cell) {
        out.extend_from_slice(cell);
        return;
    }
    out.reserve(cell.len() + 2);
    out.push(b'"');
    for part in cell.split_inclusive(|&b| b == b'"') {
        out.extend_from_slice(part);
        if part.last() == Some(&b'"') {
            out.push(b'"');
        }
    }
    out.push(b'"');
}
