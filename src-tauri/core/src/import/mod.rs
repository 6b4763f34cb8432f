//! Importing attendance reports (Zoom meetings and webinars, Microsoft Teams, Google Meet, Webex, any
//! other CSV/TSV sheet through a column mapping) into an event: preview, commit, list and undo, plus
//! pasted lists. Each format lives in `formats/` behind the `ReportFormat` trait; see ARCHITECTURE.md.
//! Workbooks (.xlsx, .xlsm, .xlsb, .xls, .ods) take the same path: `workbook` turns the chosen sheet into
//! CSV text first (`ImportOptions::sheet`, `sheets`), and from there on nothing tells them apart.
//!
//! How an import works:
//!
//! 1. The first 64 KiB are sniffed for the encoding (`decode`), the delimiter (`sniff`) and the format
//!    (`formats::detect`, asking each format of `formats::REGISTRY` in turn);
//!    a generic sheet gets its column mapping (given, remembered for the same headers, or guessed). The
//!    whole file is read once to hash it, and scanned as UTF-8 then, so a stray byte anywhere settles
//!    the encoding (`decode::settle`). Only regular files are read, and records are held to the limits
//!    of `shape` (cells, bytes, closed quotes), or the file is refused with its line and column.
//!    Platforms write reports in the user's interface language, so formats are recognised by their
//!    structure as well as their words (Teams' numbered sections and fixed column order, a webinar's
//!    title lines followed by tables, Zoom's meeting block: a header, a data line, a blank line), and
//!    headers, roles, durations and month names are read in the languages of Rollcall's users (`words`).
//!    Where words are not enough, values decide (`guess`): a repeated column is the one whose values
//!    fit and vary, and a header in an unknown language is read by the shapes of its values.
//! 2. The file is streamed (never read whole) through the decoder into the CSV reader and a parser per
//!    format, which turns records into cleaned rows (`row::Row`).
//! 3. Each row is matched to a person (`match`): by email key, then by folded name; a name that fits
//!    several people, a person with another email, or (rows without email) a person with the same
//!    words in another order, is *ambiguous* and never merged silently.
//! 4. Rows of one person are merged into one attendance at the event (`write`): minutes summed, except
//!    that time on two devices at once counts once (the union of the join-to-leave intervals), earliest
//!    join, latest leave. Attendance records that existed before are journaled first, so `undo` can put
//!    them back. New people and attendance rows are written in batches of multi-row statements.
//!
//! Memory hardly grows with the file: a run keeps a batch of pending rows, the decisions for ambiguous
//! people, the names of guests (rows without email) and each person's intervals (16 bytes per row with
//! times), and looks everything else up in the indexes.
//! Progress is reported as `(bytes of the file read, file size)` every 4,096 records, and cancellation
//! is checked at the same points.
//!
//! `preview` runs exactly the same code as `commit` inside a transaction that is always rolled back, so
//! the figures it shows are the figures the commit will produce. The rows a preview read from a small
//! file are kept for the commit (`reuse`): the commit parses the file again only if its hash, or what
//! the parser is given from the options and the database, changed since. `commit` runs it in one transaction
//! (`db::write`): all or nothing, and a cancelled import leaves nothing behind.
//!
//! Decisions (documented here because the UI and the CLI rely on them):
//! - Existing people are never modified by an import: a matched person keeps their name, email and
//!   organisation. Organisation, country and gender from the report are used for new people only.
//! - An existing attendance takes the report's minutes, first join and last leave (when the report has
//!   them); its role and status only move up (organiser > moderator > speaker > participant;
//!   attended > absent > cancelled > registered), so a report never demotes what a coordinator set.
//! - Importing a file whose SHA-256 matches an import of the same event that was not undone writes
//!   nothing and returns `already_imported: true` with the earlier import's id. A different file with the
//!   same content changes nothing either (values are replaced, not added) and is recorded with zero
//!   changes.
//! - Ambiguous rows need a decision: `Resolution`s keyed by `Ambiguous::key`, or a default policy in
//!   `ImportOptions::ambiguous` ("new" or "skip"). Under the default policy "ask", a commit that still
//!   has undecided rows fails with `Error::Invalid { field: "resolutions" }` naming their line numbers.
//!   Previews and summaries list the first 500 ambiguous people with up to 20 candidates each;
//!   `ambiguous_total` counts them all.
//! - Undo restores attendance records the import changed, deletes those it created, and deletes the
//!   people and organisations it created unless something else now refers to them. The remembered column
//!   mapping is a preference and stays. An import whose records a later import changed again cannot be
//!   undone before that later import (Conflict).
//! - Times are stored as shown in the report (local wall-clock time, `YYYY-MM-DDTHH:MM:SS`).
//! - Nothing is lost unseen: every skipped row and every warning is listed with its line and a `Reason`
//!   code, every column not read is named (`ignored_columns`), and a file that gives no person or skips
//!   more than half of its rows is refused by `commit` (`Error::Invalid { field: "allow_skips" }`)
//!   unless `ImportOptions::allow_skips`; the preview says why in `needs_confirmation`.

mod apply;
mod columns;
mod decode;
mod formats;
mod guess;
mod r#match;
mod options;
mod report;
mod reuse;
mod review;
mod row;
mod shape;
mod sniff;
mod undo;
mod when;
mod words;
mod workbook;
mod write;

use std::io::Read;
use std::path::Path;

use rusqlite::{params, Connection, OptionalExtension};
use sha2::{Digest, Sha256};

use apply::{Outcome, Source};
use row::Item;

use crate::db::{self, Table};
use crate::error::{Error, Result};
use crate::progress::Progress;
use crate::text::hex;

pub use columns::{Field, Mapping, MappingSource};
pub use formats::names as format_names;
pub use options::{Action, AmbiguousPolicy, Format, ImportOptions, Resolution, Resolutions};
pub use report::{
    AmbiguityReason, Ambiguous, Delimiter, Encoding, Flag, ImportPreview, ImportReport, ImportSummary, MatchRule,
    PasteSummary, Reason, RenameHint, ReviewOutcome, ReviewRow, Skipped,
};
pub use reuse::files_read;
pub use review::flags as review_flags;
pub use undo::{list, undo, ImportRecord, UndoSummary};
pub use workbook::SheetInfo;

/// Reads the file and works out what importing it into the event would do before any decision, without
/// changing the database. Parse errors (not a report, missing columns, binary or empty file) are
/// `Error::Parse`. Once decisions are made, preview with them (`preview_with`): the counts then are the
/// commit's.
pub fn preview(
    conn: &Connection,
    event_id: i64,
    path: &Path,
    options: &ImportOptions,
    progress: &Progress,
) -> Result<ImportReport> {
    preview_with(conn, event_id, path, options, &[], progress)
}

/// Like `preview`, with the decisions made so far (ambiguities and per-row `line:N` skips and renames):
/// its counts are exactly what `commit` with the same `resolutions` writes.
pub fn preview_with(
    conn: &Connection,
    event_id: i64,
    path: &Path,
    options: &ImportOptions,
    resolutions: &Resolutions,
    progress: &Progress,
) -> Result<ImportReport> {
    db::ensure_exists(conn, Table::Events, event_id)?;
    let plan = plan(conn, path, options)?;
    let previous = previous_import(conn, event_id, &plan.sha256)?;
    // The preview runs the import for real, with the decisions made so far, and rolls it back (the
    // transaction is dropped unfinished), so its figures are exactly the commit's (issue #19: without the
    // decisions, the button said 40 and the commit wrote 41).
    let tx = conn.unchecked_transaction()?;
    let mut parsed = Some(Vec::new());
    let outcome =
        run_file(&tx, event_id, &plan, path, options, resolutions, false, progress, Rows::File { keep: &mut parsed })?;
    drop(tx);
    // The rows read are kept for the commit that usually follows (one cached file at a time), keyed by
    // what they depend on; taken after the rollback, so the key is the database the commit will see.
    let key = reuse::Key::of(conn, event_id, &plan, options)?;
    match parsed {
        Some(items) => reuse::keep(key, items),
        None => reuse::forget(&key),
    }
    log::info!(
        "import preview for event {event_id}: format {}, encoding {}, {} rows, {} new, {} matched, {} ambiguous, {} skipped",
        plan.format,
        plan.encoding.name(),
        outcome.rows,
        outcome.people_created,
        outcome.people_matched,
        outcome.ambiguous_total,
        outcome.skipped_total
    );
    let mut report = file_report(&plan, None, outcome, true);
    report.already_imported = previous.is_some();
    report.previous_import_id = previous;
    Ok(report)
}

/// The report of a file's run.
fn file_report(plan: &Plan, import_id: Option<i64>, o: Outcome, dry_run: bool) -> ImportReport {
    let mut r = report(o, import_id, dry_run, plan.format);
    r.file_name = plan.file_name.clone();
    r.sheet = plan.sheet.as_ref().map(|s| s.name.clone());
    r.file_sha256 = plan.sha256.clone();
    r.encoding = plan.encoding;
    r.delimiter = Delimiter::of(plan.delimiter);
    for h in &plan.ignored_columns {
        if !r.ignored_columns.contains(h) {
            r.ignored_columns.push(h.clone());
        }
    }
    r.mapping = plan.mapping.as_ref().map(|(m, _)| m.clone());
    r.mapping_source = plan.mapping.as_ref().map(|(_, s)| *s);
    r
}

/// The report of a run, before the file's particulars are filled in.
fn report(o: Outcome, import_id: Option<i64>, dry_run: bool, format: Format) -> ImportReport {
    let needs_confirmation = refusal(&o);
    ImportReport {
        import_id,
        dry_run,
        file_name: String::new(),
        sheet: None,
        file_sha256: String::new(),
        format,
        encoding: Encoding::Utf8,
        delimiter: Delimiter::Tab,
        rows: o.rows,
        lines: o.rows,
        people_created: o.people_created,
        people_matched: o.people_matched,
        attendances: o.attendances_created + o.attendances_updated,
        attendances_created: o.attendances_created,
        attendances_updated: o.attendances_updated,
        attendances_unchanged: o.attendances_unchanged,
        ambiguous: o.ambiguous,
        ambiguous_total: o.ambiguous_total,
        skipped: o.skipped,
        skipped_total: o.skipped_total,
        warnings: o.warnings,
        warnings_total: o.warnings_total,
        ignored_columns: o.ignored_columns,
        people: o.people,
        people_total: o.people_total,
        mapping: None,
        mapping_source: None,
        already_imported: false,
        previous_import_id: None,
        needs_confirmation,
        people_new: o.people_created,
        attendances_new: o.attendances_created,
    }
}

/// Why an import must be confirmed before it is committed: a file that yields no person at all, or
/// whose rows are mostly skipped, is more likely the wrong file, or a format read wrongly, than a good
/// report; committing it silently would lose the people in it.
fn refusal(o: &Outcome) -> Option<String> {
    // Rows the coordinator chose to leave out say nothing about the file.
    let (rows, skipped) =
        (o.rows - o.skipped_by_decision.min(o.rows), o.skipped_total - o.skipped_by_decision.min(o.skipped_total));
    if rows == 0 {
        return None;
    }
    if o.people_created + o.people_matched + o.ambiguous_total == 0 {
        return Some(format!("none of the {} rows of the file gave a person", o.rows));
    }
    (skipped * 2 > rows).then(|| format!("{skipped} of the {rows} rows of the file would be skipped"))
}

/// Imports the file into the event in one transaction and records it in `imports`. Ambiguous rows take
/// the `resolutions` (or `options.ambiguous`); see the module documentation for the rules. A file that
/// gives no person, or whose rows are mostly skipped, is refused (`Error::Invalid` on `allow_skips`)
/// unless `options.allow_skips`.
pub fn commit(
    conn: &mut Connection,
    event_id: i64,
    path: &Path,
    options: &ImportOptions,
    resolutions: &Resolutions,
    progress: &Progress,
) -> Result<ImportReport> {
    db::ensure_exists(conn, Table::Events, event_id)?;
    let plan = plan(conn, path, options)?;
    // The rows the preview read, if the file (by its hash), the options and the database are unchanged
    // since; else the file is read again. Taken either way: a cached file is used once.
    let reused = reuse::take(&reuse::Key::of(conn, event_id, &plan, options)?);
    if let Some(previous) = previous_import(conn, event_id, &plan.sha256)? {
        log::info!("import into event {event_id}: the same file is import {previous}; nothing to do");
        let mut r = file_report(&plan, Some(previous), Outcome::default(), false);
        r.already_imported = true;
        r.previous_import_id = Some(previous);
        return Ok(r);
    }
    let (import_id, outcome) = db::write(conn, |tx| {
        let read = match reused {
            Some(items) => Rows::Kept(items),
            None => Rows::File { keep: &mut None },
        };
        let outcome = run_file(tx, event_id, &plan, path, options, resolutions, true, progress, read)?;
        if let Some(why) = refusal(&outcome).filter(|_| !options.allow_skips) {
            return Err(Error::invalid(
                "allow_skips",
                format!("{why}; nothing was imported. Check the file and its format, or confirm to import it anyway (--allow-skips)"),
            ));
        }
        if let Some((mapping, _)) = &plan.mapping {
            columns::remember(tx, mapping)?;
        }
        Ok((outcome.import_id, outcome))
    })?;
    log::info!(
        "import {import_id} into event {event_id}: format {}, encoding {}, {} rows, {} people created, {} matched, {} attendances created, {} updated, {} skipped",
        plan.format,
        plan.encoding.name(),
        outcome.rows,
        outcome.people_created,
        outcome.people_matched,
        outcome.attendances_created,
        outcome.attendances_updated,
        outcome.skipped_total
    );
    Ok(file_report(&plan, Some(import_id), outcome, false))
}

/// Marks the people of the pasted lines as attended at the event (nothing is written with `dry_run`).
/// Text with no lines to read (empty, blank lines, or a header row alone) is refused: recording it would
/// leave an empty import in the list.
/// A pasted list is a few thousand lines at most; anything larger belongs in a file import (which
/// streams it), and the window and the CLI both obey this.
pub const MAX_PASTE_BYTES: usize = 5 << 20;

pub fn paste(conn: &mut Connection, event_id: i64, text: &str, dry_run: bool) -> Result<ImportReport> {
    if text.len() > MAX_PASTE_BYTES {
        return Err(Error::invalid("text", "the pasted list is too long; import it as a file instead"));
    }
    db::ensure_exists(conn, Table::Events, event_id)?;
    let (lines, items) = formats::parse_paste(text);
    if items.is_empty() {
        return Err(Error::invalid("text", "nothing to import: the pasted text has no lines naming people"));
    }
    let sha256 = hex(&Sha256::digest(text.as_bytes()));
    let run = {
        let sha256 = sha256.clone();
        move |tx: &Connection| -> Result<Outcome> {
            let mut run = apply::Run::start(tx, event_id, Source::Paste { sha256 }, AmbiguousPolicy::Ask, &[], false)?;
            for item in items {
                run.item(item)?;
            }
            run.finish()
        }
    };
    let outcome = if dry_run {
        // Dropped unfinished: rolled back.
        let tx = conn.unchecked_transaction()?;
        run(&tx)?
    } else {
        db::write(conn, |tx| run(tx))?
    };
    log::info!(
        "paste into event {event_id}{}: {lines} lines, {} people created, {} matched, {} ambiguous",
        if dry_run { " (dry run)" } else { "" },
        outcome.people_created,
        outcome.people_matched,
        outcome.ambiguous_total
    );
    let import_id = (!dry_run).then_some(outcome.import_id);
    let mut r = report(outcome, import_id, dry_run, Format::PASTE);
    r.file_name = "pasted list".into();
    r.file_sha256 = sha256;
    r.lines = lines;
    // Pasted lists are not refused: the coordinator sees every line they pasted.
    r.needs_confirmation = None;
    Ok(r)
}

/// The header row of a file read as a generic sheet (the row that names a name or email column, else the
/// first row), for choosing a mapping by column name when the guess is not right. A workbook's default
/// sheet is read; `sheet_headers` reads another.
pub fn headers(path: &Path) -> Result<Vec<String>> {
    sheet_headers(path, None)
}

/// `headers` of a workbook's sheet (a name or 1-based number, as `ImportOptions::sheet`); a CSV file
/// ignores `sheet`.
pub fn sheet_headers(path: &Path, sheet: Option<&str>) -> Result<Vec<String>> {
    let start = start(path, sheet)?;
    let delimiter = start.delimiter();
    start.located(|| {
        sniff::check_shape(&start.name, &start.sniffed.text, delimiter, start.complete)?;
        Ok(formats::detect(&start.name, &start.sniffed.text, delimiter, Format::GENERIC)?.headers)
    })
}

/// The worksheets of a workbook (.xlsx, .xlsm, .xlsb, .xls, .ods), for asking which one to import when
/// there are several; an empty list for a CSV file. A password-protected or damaged workbook, or a file
/// named like a workbook that is not one, is refused with `Error::Parse`.
pub fn sheets(path: &Path) -> Result<Vec<SheetInfo>> {
    let name = file_name(path);
    let (mut file, _) = decode::open_file(&name, path)?;
    // The start tells a workbook; a CSV file is not read further.
    let mut bytes = Vec::new();
    (&mut file).take(decode::SNIFF as u64).read_to_end(&mut bytes).map_err(|e| Error::io(path, e))?;
    match workbook::kind(&name, path, &bytes)? {
        Some(kind) => {
            file.read_to_end(&mut bytes).map_err(|e| Error::io(path, e))?;
            workbook::sheets(&name, kind, bytes)
        }
        None => Ok(Vec::new()),
    }
}

/// What is known about a file before its rows are read.
pub(crate) struct Plan {
    pub file_name: String,
    pub size: u64,
    pub sha256: String,
    pub encoding: decode::Encoding,
    pub delimiter: u8,
    pub format: Format,
    /// Header row of a generic sheet (1-based line) and the mapping with its source.
    pub header_line: u64,
    pub mapping: Option<(Mapping, MappingSource)>,
    pub day_order: Option<when::DayOrder>,
    /// Headers of columns no field is read from.
    pub ignored_columns: Vec<String>,
    /// A workbook's sheet, read as CSV text (`workbook`); None for a text file, which is streamed.
    pub sheet: Option<workbook::SheetText>,
}

fn file_name(path: &Path) -> String {
    path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| path.display().to_string())
}

/// A file's start and what one reading of all of it tells.
struct Start {
    name: String,
    size: u64,
    sha256: String,
    /// The sniffed start is the whole file.
    complete: bool,
    sniffed: decode::Sniffed,
    /// A workbook's sheet as CSV text.
    sheet: Option<workbook::SheetText>,
}

impl Start {
    /// The delimiter: a workbook's text is written with commas; a file's is sniffed.
    fn delimiter(&self) -> u8 {
        if self.sheet.is_some() {
            b','
        } else {
            sniff::delimiter(&self.sniffed.text)
        }
    }

    /// Runs `f`, placing its parse errors in the workbook's sheet (rows and column letters), if any.
    fn located<T>(&self, f: impl FnOnce() -> Result<T>) -> Result<T> {
        in_sheet(self.sheet.as_ref(), f())
    }
}

/// A result whose parse error is placed in the workbook's sheet, when the file is a workbook. When the
/// sheet was the default one and the workbook has others, the error names them: the report may be there.
fn in_sheet<T>(sheet: Option<&workbook::SheetText>, r: Result<T>) -> Result<T> {
    let Some(s) = sheet else { return r };
    r.map_err(|e| match e.in_sheet(&s.name) {
        Error::Parse { file, sheet, line, column, message } if !s.others.is_empty() => {
            let message = format!(
                "{message}. The workbook has other sheets: {}; choose the one with the report",
                s.others.join(", ")
            );
            Error::Parse { file, sheet, line, column, message }
        }
        e => e,
    })
}

/// Opens the file (regular files only), sniffs its start and streams all of it once, without holding it:
/// the SHA-256 for the "already imported" check, and the UTF-8 scan that settles the encoding (the start
/// alone can make a UTF-8 file with one stray byte look like a legacy code page).
fn start(path: &Path, sheet: Option<&str>) -> Result<Start> {
    let name = file_name(path);
    let (mut file, size) = decode::open_file(&name, path)?;
    let mut head = Vec::with_capacity(decode::SNIFF.min(size as usize));
    (&mut file).take(decode::SNIFF as u64).read_to_end(&mut head).map_err(|e| Error::io(path, e))?;
    // A workbook is known by its first bytes, whatever its name says.
    if let Some(kind) = workbook::kind(&name, path, &head)? {
        let mut bytes = head;
        file.read_to_end(&mut bytes).map_err(|e| Error::io(path, e))?;
        return workbook_start(name, kind, bytes, sheet);
    }
    let complete = (head.len() as u64) >= size;
    let guess = decode::detect(&name, &head)?;
    let mut hasher = Sha256::new();
    let mut scan = decode::Utf8Scan::default();
    let scanning = guess.may_be_utf8();
    hasher.update(&head);
    if scanning {
        scan.feed(&head[guess.bom_len()..], false);
    }
    let mut buffer = vec![0; 1 << 16];
    loop {
        let n = match file.read(&mut buffer) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(Error::io(path, e)),
        };
        hasher.update(&buffer[..n]);
        if scanning {
            scan.feed(&buffer[..n], false);
        }
    }
    scan.feed(&[], true);
    let encoding = decode::settle(&name, guess, &scan)?;
    let sniffed = decode::sniff(&name, &head, encoding, complete)?;
    Ok(Start { name, size, sha256: hex(&hasher.finalize()), complete, sniffed, sheet: None })
}

/// A workbook's start: its chosen sheet as CSV text, sniffed like a file. The SHA-256 that tells an
/// import already made is that of the file's bytes followed by a NUL and the sheet's name, so two sheets
/// of one workbook are two imports, and the same sheet again is the same import.
fn workbook_start(name: String, kind: workbook::Kind, bytes: Vec<u8>, sheet: Option<&str>) -> Result<Start> {
    let mut hasher = Sha256::new();
    hasher.update(&bytes);
    let text = workbook::read(&name, kind, bytes, sheet)?;
    hasher.update([0]);
    hasher.update(text.name.as_bytes());
    let size = text.csv.len() as u64;
    let complete = text.csv.len() <= decode::SNIFF;
    let head = &text.csv[..text.csv.len().min(decode::SNIFF)];
    let sniffed = in_sheet(Some(&text), decode::sniff(&name, head, decode::Encoding::Utf8, complete))?;
    Ok(Start { name, size, sha256: hex(&hasher.finalize()), complete, sniffed, sheet: Some(text) })
}

/// Sniffs the start of the file: encoding, delimiter, format and (generic) mapping, and refuses records
/// there that break the limits of `shape`. Also hashes the whole file, streaming, for the "already
/// imported" check.
fn plan(conn: &Connection, path: &Path, options: &ImportOptions) -> Result<Plan> {
    let start = start(path, options.sheet.as_deref())?;
    let delimiter = start.delimiter();
    let (detected, mapping) = start.located(|| {
        sniff::check_shape(&start.name, &start.sniffed.text, delimiter, start.complete)?;
        let detected = formats::detect(&start.name, &start.sniffed.text, delimiter, options.format)?;
        let mapping = match detected.format {
            Format::GENERIC => Some(columns::mapping_for(
                conn,
                &start.name,
                &detected.headers,
                detected.header_line,
                options.mapping.as_ref(),
            )?),
            _ => None,
        };
        Ok((detected, mapping))
    })?;
    let Start { name, size, sha256, sniffed, sheet, .. } = start;
    let day_order = when::sniff_order(&sniffed.text);
    Ok(Plan {
        file_name: name,
        size,
        sha256,
        encoding: sniffed.encoding,
        delimiter,
        format: detected.format,
        header_line: detected.header_line,
        ignored_columns: ignored(&mapping),
        mapping,
        day_order,
        sheet,
    })
}

/// The headers of a generic sheet's columns that its mapping does not read.
fn ignored(mapping: &Option<(Mapping, MappingSource)>) -> Vec<String> {
    let Some((m, _)) = mapping else { return Vec::new() };
    m.headers
        .iter()
        .enumerate()
        .filter(|(i, h)| !h.trim().is_empty() && !m.fields.values().any(|v| v == i))
        .map(|(_, h)| h.clone())
        .collect()
}

/// The import of the same file into the same event that is still in force, if any.
fn previous_import(conn: &Connection, event_id: i64, sha256: &str) -> Result<Option<i64>> {
    Ok(conn
        .query_row(
            "SELECT id FROM imports WHERE event_id = ?1 AND file_sha256 = ?2 AND undone_at IS NULL AND format <> 'paste'
              ORDER BY id DESC LIMIT 1",
            params![event_id, sha256],
            |r| r.get(0),
        )
        .optional()?)
}

/// Where a run's rows come from: the file, streamed through its parser (and kept in `keep` while they
/// are few enough, see `reuse`), or the rows a preview kept.
enum Rows<'k> {
    File { keep: &'k mut Option<Vec<Item>> },
    Kept(Vec<Item>),
}

/// Streams the file through its parser into an `apply::Run` on `tx`; the caller commits or rolls back.
/// `refuse_pending` makes undecided ambiguous rows an error (commit) rather than a finding (preview).
/// A workbook's parse errors name its sheet, row and column.
#[allow(clippy::too_many_arguments)]
fn run_file(
    tx: &Connection,
    event_id: i64,
    plan: &Plan,
    path: &Path,
    options: &ImportOptions,
    resolutions: &Resolutions,
    refuse_pending: bool,
    progress: &Progress,
    read: Rows,
) -> Result<Outcome> {
    in_sheet(
        plan.sheet.as_ref(),
        run_records(tx, event_id, plan, path, options, resolutions, refuse_pending, progress, read),
    )
}

#[allow(clippy::too_many_arguments)]
fn run_records(
    tx: &Connection,
    event_id: i64,
    plan: &Plan,
    path: &Path,
    options: &ImportOptions,
    resolutions: &Resolutions,
    refuse_pending: bool,
    progress: &Progress,
    read: Rows,
) -> Result<Outcome> {
    let source = Source::File { name: &plan.file_name, sha256: &plan.sha256, format: plan.format };
    let mut run = apply::Run::start(tx, event_id, source, options.ambiguous, resolutions, refuse_pending)?;
    run.w.set_bulk_threshold(options.bulk_threshold);
    let keep = match read {
        Rows::Kept(items) => {
            for item in items {
                run.item(item)?;
            }
            progress.check()?;
            progress.report(plan.size, plan.size);
            return run.finish();
        }
        Rows::File { keep } => keep,
    };
    reuse::count_read();
    let event_date = apply::event_date(tx, event_id)?;
    let clock = when::Clock::new(plan.day_order, event_date).with_event_minutes(apply::event_minutes(tx, event_id)?);
    let status = formats::default_status(options.status.as_deref())?;
    if let Some((mapping, _)) = &plan.mapping {
        for header in mapping.headers.iter().filter(|h| row::damaged(h)) {
            let item = row::warn(plan.header_line, Reason::DamagedHeader { header: header.clone() });
            reuse::add(keep, std::slice::from_ref(&item));
            run.item(item)?;
        }
    }
    if let Some(sheet) = &plan.sheet {
        for (line, column, error) in &sheet.errors {
            let column = crate::error::column_letters(*column);
            // Kept like the header's warnings, so a commit from the preview's rows warns as the preview did.
            let item = row::warn(*line, Reason::CellError { column, error: error.clone() });
            reuse::add(keep, std::slice::from_ref(&item));
            run.item(item)?;
        }
    }
    // The file is read and parsed on a thread of its own while this one matches and writes the rows
    // before it: the two halves take about the same time on a large report, so on two cores the import
    // takes about as long as the longer of them. A bounded channel keeps the memory flat.
    std::thread::scope(|scope| {
        let (send, receive) = std::sync::mpsc::sync_channel::<Vec<Item>>(CHUNKS_IN_FLIGHT);
        let reader = scope.spawn(move || read_items(plan, path, clock, status, progress, send));
        let written = write_items(receive, &mut run, keep);
        // A failed write stops the reader at its next chunk (the channel is closed); its own error, if
        // any, is then only a consequence.
        let read = reader.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        written.and(read)
    })?;
    progress.check()?;
    progress.report(plan.size, plan.size);
    run.finish()
}

/// Items per chunk sent from the reading thread, and chunks that may wait: enough to keep both threads
/// busy, few enough that the rows in flight stay a few hundred kilobytes.
const CHUNK_ITEMS: usize = 512;
const CHUNKS_IN_FLIGHT: usize = 4;

/// Matches and writes the items the reading thread sends, keeping them for the commit when asked.
/// Takes the receiver so that returning (on an error too) closes the channel and stops the reader.
fn write_items(
    receive: std::sync::mpsc::Receiver<Vec<Item>>,
    run: &mut apply::Run<'_>,
    keep: &mut Option<Vec<Item>>,
) -> Result<()> {
    for chunk in receive {
        reuse::add(keep, &chunk);
        for item in chunk {
            run.item(item)?;
        }
    }
    Ok(())
}

/// Reads and parses the file (or the workbook sheet's CSV text) into items, sent a chunk at a time;
/// stops early, without error, when the receiving side has gone.
fn read_items(
    plan: &Plan,
    path: &Path,
    clock: when::Clock,
    status: crate::vocab::Status,
    progress: &Progress,
    send: std::sync::mpsc::SyncSender<Vec<Item>>,
) -> Result<()> {
    let cx = formats::Context {
        file: &plan.file_name,
        clock,
        mapping: plan.mapping.as_ref().map(|(m, _)| m),
        header_line: plan.header_line,
        status,
    };
    let mut parser = formats::parser(plan.format, &cx);
    let (reader, counter): (Box<dyn Read + '_>, decode::ByteCount) = match &plan.sheet {
        Some(sheet) => {
            let count = decode::ByteCount::default();
            (Box::new(decode::Counting { inner: &sheet.csv[..], count: count.clone() }), count)
        }
        None => decode::open(&plan.file_name, path, plan.encoding)?,
    };
    let (reader, lines) = decode::Tracking::new(reader, plan.delimiter);
    let mut csv = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(plan.delimiter)
        .buffer_capacity(1 << 16)
        .from_reader(reader);
    let mut record = csv::StringRecord::new();
    let mut items = Vec::with_capacity(CHUNK_ITEMS);
    let mut records: u64 = 0;
    loop {
        match csv.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => {
                // The csv crate ends a quoted cell at the end of the file without a word.
                lines.borrow().shape.finish().map_err(|p| shape::error(&plan.file_name, p))?;
                break;
            }
            Err(e) => return Err(csv_error(&plan.file_name, e, &mut lines.borrow_mut())),
        }
        let line = lines.borrow_mut().line_at(record.position().map(|p| p.byte()).unwrap_or(0));
        parser.record(line, &record, &mut items)?;
        if items.len() >= CHUNK_ITEMS
            && send.send(std::mem::replace(&mut items, Vec::with_capacity(CHUNK_ITEMS))).is_err()
        {
            return Ok(());
        }
        records += 1;
        if records.is_multiple_of(4096) {
            progress.check()?;
            progress.report(counter.get(), plan.size);
        }
    }
    parser.finish(&mut items)?;
    let _ = send.send(items);
    Ok(())
}

/// A CSV reading error as a Parse error at its line: a record that breaks the limits of `shape` (the
/// stream under the reader stopped it), or invalid UTF-8 (a file changed since it was sniffed).
fn csv_error(file: &str, e: csv::Error, lines: &mut decode::Lines) -> Error {
    if let Some(p) = lines.problem {
        return shape::error(file, p);
    }
    let line = e.position().map(|p| lines.line_at(p.byte()));
    match e.into_kind() {
        csv::ErrorKind::Utf8 { pos, err } => Error::parse(
            file,
            pos.map(|p| lines.line_at(p.byte())).or(line),
            Some(err.field() as u64 + 1),
            "this line is not valid UTF-8 text although the start of the file is; save the file again as UTF-8 and retry",
        ),
        csv::ErrorKind::Io(err) => Error::parse(file, line, None, format!("the file could not be read: {err}")),
        other => Error::parse(file, line, None, format!("the file could not be read as CSV: {other:?}")),
    }
}
