//! Workbooks (.xlsx, .xlsm, .xlsb, .xls, .ods) read as one sheet of text: the chosen sheet's cells become
//! the lines of an in-memory UTF-8 CSV, which the importer then reads exactly like a CSV file, so format
//! detection, column mapping, preview, decisions, commit and undo do not know a workbook from a CSV.
//!
//! Why text rather than a second record source: detection, the header search, the delimiter-free
//! structure clues and the day-order sniffing all work on the sniffed start of a file as text, and the
//! parsers on CSV records with their line numbers. Turning the sheet into that text once keeps a single
//! path through the importer (one set of tests covers both); a sheet is held in memory by calamine anyway,
//! so the text costs about as much again, for sheets that Excel limits to 1,048,576 rows.
//!
//! How cells are written, so that the importer's own parsing reads them as a person would:
//! - Line N of the text is row N of the sheet: rows above the used range are blank lines, columns left of
//!   it empty cells, and line breaks inside a cell become spaces, so a line and a cell index given by the
//!   importer are the sheet's row and column.
//! - Dates and times (serial numbers in the 1900 or the 1904 date system, or ISO text in .ods) become
//!   `YYYY-MM-DD`, `YYYY-MM-DD HH:MM:SS` or `HH:MM:SS`; durations `H:MM:SS`: forms `import::when` reads.
//! - Whole numbers stored as floats print without ".0"; numbers stored as text stay as written.
//! - Formulas give the value Excel saved with them; nothing is ever evaluated.
//! - A cell holding an error (`#N/A`, `#REF!`...) is read as empty and reported as a warning on its row,
//!   so a broken lookup column neither blocks the import nor becomes an organisation called "#N/A".
//!
//! Files are recognised by their first bytes, not their names: a zip archive (xlsx, xlsm, xlsb, ods) or
//! an OLE compound file (xls, or an encrypted xlsx: a password-protected workbook is an OLE file holding
//! an `EncryptedPackage`). A file named like a workbook whose bytes are not one is refused.

use std::io::Cursor;
use std::path::Path;

use calamine::{Data, Ods, Range, Reader, SheetType, SheetVisible, Sheets, Xls, XlsError, Xlsb, Xlsx, XlsxError};
use serde::Serialize;

use crate::error::{Error, Result};

/// A sheet of a workbook, as `import::sheets` lists it for the window to choose from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SheetInfo {
    /// 1-based position among the workbook's worksheets (what `--sheet 2` means).
    pub index: usize,
    pub name: String,
    /// Rows down to the last one used (0 for an empty sheet).
    pub rows: u64,
    /// Whether the sheet has no cell with a value.
    pub empty: bool,
    /// Hidden sheets are listed but never chosen by default.
    pub visible: bool,
}

/// The chosen sheet as CSV text, with what the importer needs to tell the coordinator where it came from.
pub(crate) struct SheetText {
    /// The sheet's name, as the workbook gives it.
    pub name: String,
    /// UTF-8 CSV, comma-separated, one line per row of the sheet (see the module documentation).
    pub csv: Vec<u8>,
    /// Cells holding an error value: (row, column, the error as Excel shows it), both 1-based.
    pub errors: Vec<(u64, u64, String)>,
    /// The workbook's other sheets with a value, as `2 "Attendance"`, when this one was chosen by default:
    /// named in an error, since the report may be on one of them.
    pub others: Vec<String>,
}

/// What the first bytes say a file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// A zip archive: xlsx, xlsm, xlsb or ods.
    Zip,
    /// An OLE compound file: xls, or a password-protected xlsx.
    Ole,
}

/// Extensions of files that must be workbooks. `.xls` is not among them: many web systems save
/// tab-separated text under that name, and such a file is read as the text it is.
const WORKBOOK_EXTENSIONS: [&str; 5] = ["xlsx", "xlsm", "xlsb", "xltx", "ods"];

/// Whether the start of a file is a workbook's (Some), or text to read as CSV (None). A file named
/// `.xlsx` (or `.ods`...) that is not a zip archive is refused here, with what it seems to be instead.
pub(crate) fn kind(file: &str, path: &Path, head: &[u8]) -> Result<Option<Kind>> {
    if head.starts_with(b"PK\x03\x04") {
        return Ok(Some(Kind::Zip));
    }
    if head.starts_with(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1") {
        return Ok(Some(Kind::Ole));
    }
    let ext = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
    if let Some(ext) = ext.filter(|e| WORKBOOK_EXTENSIONS.contains(&e.as_str())) {
        let what = if head.is_empty() {
            "it is empty"
        } else if head.starts_with(b"%PDF") {
            "it is a PDF document"
        } else if std::str::from_utf8(&head[..head.len().min(4096)]).is_ok_and(|t| !t.contains('\0')) {
            "it holds plain text; if it is a CSV report, rename it to .csv and import it again"
        } else {
            "its content is not a spreadsheet"
        };
        return Err(Error::parse(file, None, None, format!("this file is named .{ext} but is not a workbook: {what}")));
    }
    Ok(None)
}

/// A workbook opened from its bytes.
type Book = Sheets<Cursor<Vec<u8>>>;

const PASSWORD: &str =
    "this workbook is protected with a password, so its cells cannot be read; open it in Excel, remove the password (File > Info > Protect Workbook) or save a copy without it, and import that copy";

/// Opens a workbook from its bytes, telling a password-protected or damaged file from a good one.
fn open(file: &str, kind: Kind, bytes: Vec<u8>) -> Result<Book> {
    let damaged = |detail: String| {
        Error::parse(
            file,
            None,
            None,
            format!(
                "this workbook cannot be read: it is damaged or incomplete, or not a spreadsheet ({detail}); open it in Excel or LibreOffice and save it again"
            ),
        )
    };
    match kind {
        Kind::Zip => {
            // OpenDocument names itself in the archive's first entry ("mimetype", stored uncompressed).
            let ods = bytes.get(30..38) == Some(b"mimetype")
                && bytes
                    .get(38..38 + 46)
                    .is_some_and(|m| m.starts_with(b"application/vnd.oasis.opendocument.spreadsheet"));
            if ods {
                return match Ods::new(Cursor::new(bytes)) {
                    Ok(b) => Ok(Sheets::Ods(b)),
                    Err(calamine::OdsError::Password) => Err(Error::parse(file, None, None, PASSWORD)),
                    Err(e) => Err(damaged(e.to_string())),
                };
            }
            let xlsb = contains(&bytes, b"xl/workbook.bin");
            if xlsb {
                return Xlsb::new(Cursor::new(bytes)).map(Sheets::Xlsb).map_err(|e| damaged(e.to_string()));
            }
            match Xlsx::new(Cursor::new(bytes)) {
                Ok(b) => Ok(Sheets::Xlsx(b)),
                Err(XlsxError::Password) => Err(Error::parse(file, None, None, PASSWORD)),
                Err(e) => Err(damaged(e.to_string())),
            }
        }
        Kind::Ole => {
            // An encrypted xlsx is an OLE file with an "EncryptedPackage" stream, in UTF-16 in its directory.
            let encrypted: Vec<u8> = "EncryptedPackage".encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
            if contains(&bytes, &encrypted) {
                return Err(Error::parse(file, None, None, PASSWORD));
            }
            match Xls::new(Cursor::new(bytes)) {
                Ok(b) => Ok(Sheets::Xls(b)),
                Err(XlsError::Password) => Err(Error::parse(file, None, None, PASSWORD)),
                Err(e) => Err(Error::parse(
                    file,
                    None,
                    None,
                    format!(
                        "this old Office file is not a readable Excel workbook (a Word document, or a damaged .xls: {e}); open it and save it as .xlsx or CSV"
                    ),
                )),
            }
        }
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// The worksheets of a workbook (chart sheets and macro sheets hold no rows), with their ranges read.
fn worksheets(file: &str, book: &mut Book) -> Result<Vec<(SheetInfo, Range<Data>)>> {
    let metadata: Vec<_> = book.sheets_metadata().to_vec();
    let mut out = Vec::new();
    for sheet in metadata.into_iter().filter(|s| s.typ == SheetType::WorkSheet) {
        let range = book.worksheet_range(&sheet.name).map_err(|e| {
            Error::parse(file, None, None, format!("the sheet \"{}\" cannot be read ({e})", sheet.name))
        })?;
        let empty = range.cells().all(|(_, _, c)| is_blank(c));
        let rows = if empty { 0 } else { range.end().map_or(0, |(r, _)| u64::from(r) + 1) };
        let info = SheetInfo {
            index: out.len() + 1,
            name: sheet.name,
            rows,
            empty,
            visible: sheet.visible == SheetVisible::Visible,
        };
        out.push((info, range));
    }
    Ok(out)
}

fn is_blank(c: &Data) -> bool {
    match c {
        Data::Empty => true,
        Data::String(s) => s.trim().is_empty(),
        _ => false,
    }
}

/// Lists the worksheets of the workbook at `path`.
pub(crate) fn sheets(file: &str, kind: Kind, bytes: Vec<u8>) -> Result<Vec<SheetInfo>> {
    let mut book = open(file, kind, bytes)?;
    Ok(worksheets(file, &mut book)?.into_iter().map(|(info, _)| info).collect())
}

/// Reads the chosen sheet (`sheet`: a name, or a 1-based index; default: the first visible sheet with a
/// value) as CSV text.
pub(crate) fn read(file: &str, kind: Kind, bytes: Vec<u8>, sheet: Option<&str>) -> Result<SheetText> {
    let mut book = open(file, kind, bytes)?;
    let mut sheets = worksheets(file, &mut book)?;
    if sheets.is_empty() {
        return Err(Error::parse(file, None, None, "this workbook has no worksheet"));
    }
    let at = choose(file, &sheets, sheet)?;
    let others = match sheet {
        None => sheets
            .iter()
            .filter(|(s, _)| !s.empty && s.index != at + 1)
            .map(|(s, _)| format!("{} \"{}\"", s.index, s.name))
            .collect(),
        Some(_) => Vec::new(),
    };
    let (info, range) = sheets.swap_remove(at);
    if info.empty {
        return Err(Error::parse(file, None, None, format!("the sheet \"{}\" is empty", info.name)));
    }
    let (csv, errors) = to_csv(&range);
    log::info!("workbook sheet {} of {}: {} rows as text", info.index, sheets.len() + 1, info.rows);
    Ok(SheetText { name: info.name, csv, errors, others })
}

/// The position of the asked sheet in `sheets`.
fn choose(file: &str, sheets: &[(SheetInfo, Range<Data>)], asked: Option<&str>) -> Result<usize> {
    let Some(asked) = asked.map(str::trim).filter(|s| !s.is_empty()) else {
        return sheets.iter().position(|(s, _)| s.visible && !s.empty).ok_or_else(|| {
            Error::parse(file, None, None, "every sheet of this workbook is empty (or hidden); nothing to import")
        });
    };
    // A name first (a sheet may be called "2"), then the same name in other case, then an index.
    let by_name = sheets
        .iter()
        .position(|(s, _)| s.name == asked)
        .or_else(|| sheets.iter().position(|(s, _)| s.name.to_lowercase() == asked.to_lowercase()));
    if let Some(at) = by_name {
        return Ok(at);
    }
    if let Ok(n) = asked.parse::<usize>() {
        if (1..=sheets.len()).contains(&n) {
            return Ok(n - 1);
        }
    }
    let names: Vec<String> = sheets.iter().map(|(s, _)| format!("{} \"{}\"", s.index, s.name)).collect();
    Err(Error::invalid(
        "sheet",
        format!("{file} has no sheet \"{asked}\"; its sheets are: {} (give a name or a number)", names.join(", ")),
    ))
}

/// The sheet's cells as CSV lines, one per row of the sheet from row 1, and the cells holding errors.
fn to_csv(range: &Range<Data>) -> (Vec<u8>, Vec<(u64, u64, String)>) {
    let mut out = Vec::with_capacity(range.height() * range.width() * 8);
    let mut errors = Vec::new();
    let Some((top, left)) = range.start() else { return (out, errors) };
    for _ in 0..top {
        out.extend_from_slice(b"\n");
    }
    let mut cell = String::new();
    let mut quoting = csv_quoting();
    for (r, row) in range.rows().enumerate() {
        let sheet_row = u64::from(top) + r as u64 + 1;
        // Trailing empty cells are left out, as a CSV saved by a spreadsheet would, so an empty row is a
        // blank line (Zoom's blocks are told apart by them).
        let used = row.iter().rposition(|c| !is_blank(c)).map_or(0, |i| i + 1);
        for (c, value) in row[..used].iter().enumerate() {
            // The first cell comes after the empty cells left of the used range.
            let separators = if c == 0 { left as usize } else { 1 };
            out.extend(std::iter::repeat_n(b',', separators));
            cell.clear();
            if let Data::Error(e) = value {
                errors.push((sheet_row, u64::from(left) + c as u64 + 1, e.to_string()));
            } else {
                text(value, &mut cell);
            }
            write_cell(&mut quoting, &cell, &mut out);
        }
        out.extend_from_slice(b"\n");
    }
    (out, errors)
}

fn csv_quoting() -> csv_core::Writer {
    csv_core::WriterBuilder::new().delimiter(b',').quote_style(csv_core::QuoteStyle::Necessary).build()
}

/// Appends one cell, quoted when it holds a comma, a quote or a line break (which `text` has replaced).
fn write_cell(quoting: &mut csv_core::Writer, cell: &str, out: &mut Vec<u8>) {
    let bytes = cell.as_bytes();
    if !quoting.should_quote(bytes) {
        out.extend_from_slice(bytes);
        return;
    }
    out.push(b'"');
    for &b in bytes {
        if b == b'"' {
            out.push(b'"');
        }
        out.push(b);
    }
    out.push(b'"');
}

/// A cell's value as the text the importer reads (see the module documentation).
fn text(value: &Data, out: &mut String) {
    use std::fmt::Write;
    match value {
        Data::Empty | Data::Error(_) => {}
        Data::String(s) => {
            // One line per row: a line break inside a cell (an address, a wrapped name) is a space.
            out.extend(s.chars().map(|c| if c == '\r' || c == '\n' { ' ' } else { c }));
        }
        Data::Int(i) => {
            let _ = write!(out, "{i}");
        }
        Data::Float(f) => number(*f, out),
        Data::Bool(b) => out.push_str(if *b { "TRUE" } else { "FALSE" }),
        Data::DateTime(d) if d.is_duration() => duration(d.as_f64() * 86_400.0, out),
        Data::DateTime(d) => match d.as_datetime() {
            Some(t) => datetime(t, d.as_f64(), out),
            None => number(d.as_f64(), out),
        },
        Data::DateTimeIso(s) => {
            // OpenDocument: 2024-03-05, 2024-03-05T09:30:00, or a time alone.
            out.push_str(&s.replacen('T', " ", 1));
        }
        Data::DurationIso(s) => match iso_duration(s) {
            Some(secs) => duration(secs, out),
            None => out.push_str(s),
        },
    }
}

/// A number as a person writes it: `12`, not `12.0`; `1.5`.
fn number(f: f64, out: &mut String) {
    use std::fmt::Write;
    if f.fract() == 0.0 && f.abs() < 1e15 {
        let _ = write!(out, "{}", f as i64);
    } else {
        let _ = write!(out, "{f}");
    }
}

/// A date-time serial as ISO text: the date alone when it has no time, the time alone when it has no
/// date (a serial below 1: "09:30" typed in a cell), both otherwise. Seconds are rounded.
fn datetime(t: chrono::NaiveDateTime, serial: f64, out: &mut String) {
    use std::fmt::Write;
    let t = (t + chrono::Duration::milliseconds(500)).format("%Y-%m-%d %H:%M:%S").to_string();
    let (date, time) = t.split_once(' ').unwrap_or((&t, ""));
    if (0.0..1.0).contains(&serial) {
        out.push_str(time);
    } else if serial.fract() == 0.0 {
        out.push_str(date);
    } else {
        let _ = write!(out, "{date} {time}");
    }
}

/// Seconds as `H:MM:SS` (hours may pass 24), the form `when::duration_secs` reads.
fn duration(secs: f64, out: &mut String) {
    use std::fmt::Write;
    let total = secs.round().max(0.0) as u64;
    let _ = write!(out, "{}:{:02}:{:02}", total / 3600, total / 60 % 60, total % 60);
}

/// An ISO 8601 duration of hours, minutes and seconds (`PT1H30M0S`, as OpenDocument writes them).
fn iso_duration(s: &str) -> Option<f64> {
    let rest = s.strip_prefix("PT").or_else(|| s.strip_prefix("-PT"))?;
    let mut secs = 0.0;
    let mut number = String::new();
    for c in rest.chars() {
        match c {
            '0'..='9' | '.' => number.push(c),
            'H' | 'M' | 'S' => {
                let n: f64 = number.parse().ok()?;
                number.clear();
                secs += n * match c {
                    'H' => 3600.0,
                    'M' => 60.0,
                    _ => 1.0,
                };
            }
            _ => return None,
        }
    }
    number.is_empty().then_some(secs)
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::{ExcelDateTime, ExcelDateTimeType};

    fn cell(value: Data) -> String {
        let mut s = String::new();
        text(&value, &mut s);
        s
    }

    #[test]
    fn serials_of_both_date_systems_become_iso_text() {
        // 2024-03-05 is 45356 in the 1900 system and 43894 in the 1904 system.
        let d1900 = ExcelDateTime::new(45356.0, ExcelDateTimeType::DateTime, false);
        let d1904 = ExcelDateTime::new(43894.0, ExcelDateTimeType::DateTime, true);
        assert_eq!(cell(Data::DateTime(d1900)), "2024-03-05");
        assert_eq!(cell(Data::DateTime(d1904)), "2024-03-05");
        let dt = ExcelDateTime::new(45356.0 + 0.5 + 30.0 / 1440.0, ExcelDateTimeType::DateTime, false);
        assert_eq!(cell(Data::DateTime(dt)), "2024-03-05 12:30:00");
        let time = ExcelDateTime::new(9.5 / 24.0, ExcelDateTimeType::DateTime, false);
        assert_eq!(cell(Data::DateTime(time)), "09:30:00");
        let span = ExcelDateTime::new(1.0 + 1.5 / 24.0, ExcelDateTimeType::TimeDelta, false);
        assert_eq!(cell(Data::DateTime(span)), "25:30:00");
        assert_eq!(cell(Data::DurationIso("PT1H05M30S".into())), "1:05:30");
        assert_eq!(cell(Data::DateTimeIso("2024-03-05T09:00:00".into())), "2024-03-05 09:00:00");
    }

    #[test]
    fn numbers_print_as_written_and_text_stays_text() {
        assert_eq!(cell(Data::Float(42.0)), "42");
        assert_eq!(cell(Data::Float(1.5)), "1.5");
        assert_eq!(cell(Data::String("007".into())), "007");
        assert_eq!(cell(Data::String("line\nbreak".into())), "line break");
    }

    #[test]
    fn column_letters_follow_excel() {
        use crate::error::column_letters;
        assert_eq!(column_letters(1), "A");
        assert_eq!(column_letters(3), "C");
        assert_eq!(column_letters(26), "Z");
        assert_eq!(column_letters(27), "AA");
        assert_eq!(column_letters(703), "AAA");
    }
}
