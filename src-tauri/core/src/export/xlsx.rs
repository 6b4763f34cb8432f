//! Writing .xlsx workbooks with `rust_xlsxwriter`: the one place the core writes Excel files. Each sheet
//! has a bold title row (what the table is: project and period), a bold header row under it with an
//! autofilter, panes frozen below the header, numbers as numbers, dates and times as dates with a date
//! format, and column widths from the header and the first rows.
//!
//! Architecture invariant: text is only ever written with `write_string`, so a cell that starts like a
//! formula (`=HYPERLINK(...)`, `+1`, `@SUM(...)`) is stored as a string and never runs; this writer has no
//! code path that writes a formula.
//!
//! Sheets are written in `rust_xlsxwriter`'s constant-memory mode: each finished row goes to a scratch
//! file, so a million-row export keeps only one row in memory. The scratch files are anonymous (deleted
//! as they are created) and kept in the destination's folder rather than the system's temporary folder,
//! which may be a RAM disk. The workbook is then assembled into the `Staged` file and renamed into place,
//! like every other file the core writes.

use std::path::Path;

use chrono::{Datelike, NaiveDate};
use rust_xlsxwriter::{Format, Workbook, XlsxError};

use crate::error::{Error, Result};
use crate::files::{self, Staged};

/// Excel's last row (1,048,576 rows, counted from 0); a longer table goes on in a sheet of its own.
const LAST_ROW: u32 = 1_048_575;
/// Excel's longest text in a cell.
const MAX_TEXT: usize = 32_767;
/// Column widths are measured over the header and this many rows: enough to see the shape of the data,
/// and no cost per row in a large export.
const MEASURED_ROWS: u64 = 1_000;
const MIN_WIDTH: usize = 6;
const MAX_WIDTH: usize = 60;

/// A cell of the row being written. Text lives in the row's arena (`XlsxFile::text`), so a row allocates
/// nothing of its own.
#[derive(Clone, Copy)]
enum XCell {
    Text(u32, u32),
    Number(f64),
    /// An Excel serial date; `time`: it has a time of day.
    Date {
        serial: f64,
        time: bool,
    },
    Empty,
}

/// An .xlsx file being written. Dropping it unfinished deletes the temporary file.
pub struct XlsxFile {
    staged: Staged,
    book: Workbook,
    /// The worksheet being written (index in the workbook).
    sheet: usize,
    /// Its name, title and header, repeated on a continuation sheet past Excel's last row.
    name: String,
    title: String,
    header: Vec<String>,
    continuation: u32,
    /// The next row to write in the sheet, and the header's row.
    next_row: u32,
    header_row: u32,
    /// Data rows in this sheet, and in the whole file.
    sheet_rows: u64,
    rows: u64,
    cells: Vec<XCell>,
    text: String,
    widths: Vec<usize>,
    bold: Format,
    title_format: Format,
    date: Format,
    datetime: Format,
}

fn xlsx_error(path: &Path, e: XlsxError) -> Error {
    match e {
        XlsxError::IoError(io) => Error::io(path, io),
        other => Error::internal(format!("the .xlsx file could not be written: {other}")),
    }
}

impl XlsxFile {
    /// Opens a temporary file beside `path` and starts the first sheet: `sheet` its name, `title` its
    /// first row, `header` its second. `db` is the database the data comes from (see `files::Staged`).
    pub fn create(path: &Path, sheet: &str, title: &str, header: &[&str], db: Option<&Path>) -> Result<XlsxFile> {
        let staged = Staged::create(path, "export", db, "path")?;
        let mut book = Workbook::new();
        let folder = files::folder(staged.temp_path()).to_path_buf();
        book.set_tempdir(&folder).map_err(|e| xlsx_error(path, e))?;
        // Compressing the sheet's XML was 40% of a million-row export at the library's default level 6
        // (measured with perf); level 3 is what Excel itself uses, for files a few percent larger.
        book.set_zip_compression_level(3);
        let mut file = XlsxFile {
            staged,
            book,
            sheet: 0,
            name: String::new(),
            title: String::new(),
            header: Vec::new(),
            continuation: 1,
            next_row: 0,
            header_row: 0,
            sheet_rows: 0,
            rows: 0,
            cells: Vec::new(),
            text: String::new(),
            widths: Vec::new(),
            bold: Format::new().set_bold(),
            title_format: Format::new().set_bold().set_font_size(14),
            date: Format::new().set_num_format("yyyy-mm-dd"),
            datetime: Format::new().set_num_format("yyyy-mm-dd hh:mm:ss"),
        };
        file.start_sheet(sheet, title, header)?;
        Ok(file)
    }

    /// Ends the current sheet and starts another, for a report of several tables.
    pub fn sheet(&mut self, name: &str, title: &str, header: &[&str]) -> Result<()> {
        self.end_sheet()?;
        self.continuation = 1;
        self.start_sheet(name, title, header)
    }

    fn start_sheet(&mut self, name: &str, title: &str, header: &[&str]) -> Result<()> {
        let path = self.staged.dest().to_path_buf();
        let sheet_name =
            if self.continuation > 1 { format!("{name} ({})", self.continuation) } else { name.to_string() };
        let ws = self.book.add_worksheet_with_constant_memory().map_err(|e| xlsx_error(&path, e))?;
        ws.set_name(sheet_name).map_err(|e| xlsx_error(&path, e))?;
        self.sheet = self.book.worksheets_mut().len() - 1;
        self.name = name.to_string();
        self.title = title.to_string();
        self.header = header.iter().map(|h| h.to_string()).collect();
        self.widths = header.iter().map(|h| h.chars().count()).collect();
        self.sheet_rows = 0;
        let (title_format, bold) = (self.title_format.clone(), self.bold.clone());
        let ws = self.worksheet()?;
        ws.write_string_with_format(0, 0, truncated(title), &title_format).map_err(|e| xlsx_error(&path, e))?;
        for (col, h) in header.iter().enumerate() {
            ws.write_string_with_format(1, col as u16, truncated(h), &bold).map_err(|e| xlsx_error(&path, e))?;
        }
        ws.set_freeze_panes(2, 0).map_err(|e| xlsx_error(&path, e))?;
        self.header_row = 1;
        self.next_row = 2;
        Ok(())
    }

    /// Sets the autofilter over the header and the data, and the column widths.
    fn end_sheet(&mut self) -> Result<()> {
        let path = self.staged.dest().to_path_buf();
        let columns = self.header.len().max(1) as u16;
        let (header_row, last) = (self.header_row, self.next_row.saturating_sub(1).max(self.header_row));
        let widths = self.widths.clone();
        let ws = self.worksheet()?;
        ws.autofilter(header_row, 0, last, columns - 1).map_err(|e| xlsx_error(&path, e))?;
        for (col, w) in widths.iter().enumerate() {
            let width = (*w + 2).clamp(MIN_WIDTH, MAX_WIDTH);
            ws.set_column_width(col as u16, width as f64).map_err(|e| xlsx_error(&path, e))?;
        }
        Ok(())
    }

    fn worksheet(&mut self) -> Result<&mut rust_xlsxwriter::Worksheet> {
        self.book.worksheet_from_index(self.sheet).map_err(|e| Error::internal(format!("xlsx: {e}")))
    }

    fn push_text(&mut self, cell: &str) {
        let cell = truncated(cell);
        let start = self.text.len() as u32;
        self.text.push_str(cell);
        self.cells.push(XCell::Text(start, self.text.len() as u32));
    }

    /// A text cell, written as a string whatever it starts with.
    pub fn field(&mut self, cell: &str) {
        if cell.is_empty() {
            self.cells.push(XCell::Empty);
        } else {
            self.push_text(cell);
        }
    }

    pub fn number(&mut self, value: f64) {
        self.cells.push(XCell::Number(value));
    }

    pub fn empty(&mut self) {
        self.cells.push(XCell::Empty);
    }

    /// An ISO date (`2024-03-05`) or date and time (`2024-03-05T09:30`, `2024-03-05 09:30:00`) as an
    /// Excel date; other text stays text.
    pub fn date(&mut self, cell: &str) {
        match serial(cell) {
            Some((serial, time)) => self.cells.push(XCell::Date { serial, time }),
            None => self.field(cell),
        }
    }

    /// Ends the current row: writes its cells to the sheet (going on in a new sheet past Excel's last
    /// row).
    pub fn end_row(&mut self) -> Result<()> {
        if self.next_row > LAST_ROW {
            self.end_sheet()?;
            self.continuation += 1;
            let (name, title, header) = (self.name.clone(), self.title.clone(), self.header.clone());
            let header: Vec<&str> = header.iter().map(String::as_str).collect();
            self.start_sheet(&name, &title, &header)?;
        }
        let path = self.staged.dest().to_path_buf();
        let row = self.next_row;
        let measure = self.sheet_rows < MEASURED_ROWS;
        let cells = std::mem::take(&mut self.cells);
        let text = std::mem::take(&mut self.text);
        let (date, datetime) = (self.date.clone(), self.datetime.clone());
        let mut widths = std::mem::take(&mut self.widths);
        let ws = self.worksheet()?;
        for (col, cell) in cells.iter().enumerate() {
            let col16 = col as u16;
            let width = match *cell {
                XCell::Text(start, end) => {
                    let s = &text[start as usize..end as usize];
                    ws.write_string(row, col16, s).map_err(|e| xlsx_error(&path, e))?;
                    if measure {
                        s.chars().count()
                    } else {
                        0
                    }
                }
                XCell::Number(n) => {
                    ws.write_number(row, col16, n).map_err(|e| xlsx_error(&path, e))?;
                    if measure {
                        format!("{n}").len()
                    } else {
                        0
                    }
                }
                XCell::Date { serial, time } => {
                    let format = if time { &datetime } else { &date };
                    ws.write_number_with_format(row, col16, serial, format).map_err(|e| xlsx_error(&path, e))?;
                    if time {
                        19
                    } else {
                        10
                    }
                }
                XCell::Empty => 0,
            };
            if measure {
                if widths.len() <= col {
                    widths.resize(col + 1, 0);
                }
                widths[col] = widths[col].max(width);
            }
        }
        self.widths = widths;
        self.cells = cells;
        self.cells.clear();
        self.text = text;
        self.text.clear();
        self.next_row += 1;
        self.sheet_rows += 1;
        self.rows += 1;
        Ok(())
    }

    /// Data rows written so far (titles and headers not counted).
    pub fn rows(&self) -> u64 {
        self.rows
    }

    /// Assembles the workbook into the temporary file, fsyncs it and renames it over the destination;
    /// returns the data rows written.
    pub fn finish(mut self) -> Result<u64> {
        if !self.cells.is_empty() {
            self.end_row()?;
        }
        self.end_sheet()?;
        let temp = self.staged.temp_path().to_path_buf();
        self.book.save_to_writer(self.staged.file()).map_err(|e| xlsx_error(&temp, e))?;
        let rows = self.rows;
        self.staged.commit()?;
        log::info!("xlsx export written: {rows} rows");
        Ok(rows)
    }
}

/// Text cut to Excel's limit (at a character boundary).
fn truncated(s: &str) -> &str {
    if s.len() <= MAX_TEXT {
        return s;
    }
    let mut end = MAX_TEXT;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// The Excel serial (days since 1899-12-30, the 1900 date system) of an ISO date or date-time, and whether
/// it has a time. `YYYY-MM-DD`, then optionally `T` or a space and `HH:MM` or `HH:MM:SS`; nothing else
/// (a time zone, a second fraction) is a date here, so such text stays exactly as stored.
pub fn serial(s: &str) -> Option<(f64, bool)> {
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| -> Option<u32> {
        let part = b.get(r)?;
        part.iter().all(u8::is_ascii_digit).then(|| part.iter().fold(0, |n, &d| n * 10 + u32::from(d - b'0')))
    };
    if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let date = NaiveDate::from_ymd_opt(digits(0..4)? as i32, digits(5..7)?, digits(8..10)?)?;
    // Excel's dates start in 1900; earlier ones are text.
    if date.year_ce().1 < 1900 {
        return None;
    }
    let days = (date - NaiveDate::from_ymd_opt(1899, 12, 30)?).num_days() as f64;
    if b.len() == 10 {
        return Some((days, false));
    }
    if !matches!(b[10], b'T' | b' ') || b.get(13) != Some(&b':') {
        return None;
    }
    let (h, m) = (digits(11..13)?, digits(14..16)?);
    let sec = match b.len() {
        16 => 0,
        19 if b[16] == b':' => digits(17..19)?,
        _ => return None,
    };
    if h > 23 || m > 59 || sec > 59 {
        return None;
    }
    Some((days + f64::from(h * 3600 + m * 60 + sec) / 86_400.0, true))
}

#[cfg(test)]
mod tests {
    use super::serial;

    #[test]
    fn iso_dates_become_excel_serials_and_other_text_does_not() {
        assert_eq!(serial("2024-03-05"), Some((45356.0, false)));
        assert_eq!(serial("2024-03-05T12:00"), Some((45356.5, true)));
        assert_eq!(serial("2024-03-05 18:00:00"), Some((45356.75, true)));
        for text in
            ["", "2024-3-5", "2024-02-30", "2024-03-05T25:00", "2024-03-05T10:00:00+02:00", "=1+1", "1899-12-31"]
        {
            assert_eq!(serial(text), None, "{text}");
        }
    }
}
