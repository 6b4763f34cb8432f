//! `rollcall-cli import ...`: import an attendance report into an event (or preview it with --dry-run),
//! list imports, undo one, or paste a list of people from standard input.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::PathBuf;

use clap::{Args, Subcommand};
use rollcall_core::db::Table;
use rollcall_core::import::{
    self, Action, Ambiguous, AmbiguousPolicy, Field, Format, ImportOptions, Mapping, Resolution, Skipped,
};
use rollcall_core::progress::Progress;
use rollcall_core::{Error, Result};

use crate::output::{fields, opt, table, Output};
use crate::{CmdResult, Ctx};

/// `import FILE --event ID`, or one of the subcommands. A file literally named like a subcommand can be
/// given as `./list`.
#[derive(Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct ImportCmd {
    #[command(subcommand)]
    action: Option<ImportAction>,
    #[command(flatten)]
    file: FileArgs,
}

#[derive(Args)]
struct FileArgs {
    /// The report: Zoom, Zoom webinar, Teams, Google Meet, Webex, or any CSV/TSV sheet
    #[arg(required = true, value_name = "FILE")]
    file: Option<PathBuf>,
    /// The event to import into (id or uid)
    #[arg(long, required = true)]
    event: Option<String>,
    /// auto, zoom, zoom-webinar, teams, meet, webex or generic
    #[arg(long, default_value = "auto")]
    format: String,
    /// Show what the import would do; change nothing
    #[arg(long)]
    dry_run: bool,
    /// Generic sheets: which column holds what, e.g. `name=ПІБ,email=3` (a header or a 1-based column
    /// number; fields: name, first_name, last_name, email, organisation, country, gender, role, status,
    /// minutes, join, leave)
    #[arg(long, value_name = "FIELD=COL,...")]
    map: Option<String>,
    /// Undecided ambiguous people: ask (refuse to import, the default), new or skip
    #[arg(long, default_value = "ask")]
    ambiguous: String,
    /// Decide one ambiguous person: KEY=PERSON_ID, KEY=new or KEY=skip (keys are shown by --dry-run);
    /// may be repeated
    #[arg(long = "resolve", value_name = "KEY=DECISION")]
    resolve: Vec<String>,
    /// Leave out the person whose first row is at line N (as listed in `people` of --dry-run --json);
    /// may be repeated
    #[arg(long = "skip-line", value_name = "N")]
    skip_line: Vec<u64>,
    /// Read the person whose first row is at line N with a corrected name: `N=NAME`, or
    /// `N=NAME|ORGANISATION` to give their organisation too; may be repeated
    #[arg(long = "rename-line", value_name = "N=NAME")]
    rename_line: Vec<String>,
    /// Status of rows of a generic sheet without a status column: attended (default) or registered
    #[arg(long)]
    status: Option<String>,
    /// Import even a file that gives no person or whose rows are mostly skipped (refused otherwise)
    #[arg(long)]
    allow_skips: bool,
    /// Workbooks (.xlsx, .xls, .ods): the sheet to read, by name or 1-based number (default: the first
    /// sheet that is not empty; `import sheets FILE` lists them)
    #[arg(long, value_name = "NAME|INDEX")]
    sheet: Option<String>,
}

#[derive(Subcommand)]
enum ImportAction {
    /// The imports, newest first
    List {
        #[arg(long)]
        event: Option<String>,
    },
    /// Undo an import: its attendance records and the people it created go, changed records come back
    Undo { import_id: String },
    /// Mark the people of lines read from standard input (copied from a spreadsheet, `Name <email>`,
    /// `name, email`, an email or a name per line) as attended
    Paste {
        #[arg(long)]
        event: String,
        #[arg(long)]
        dry_run: bool,
    },
    /// The sheets of a workbook (.xlsx, .xls, .ods): number, name, rows, empty or not, hidden or not
    Sheets { file: PathBuf },
}

impl ImportCmd {
    /// Whether this imports (a file or a paste), so it may create the database; listing and undoing
    /// imports need one that exists.
    pub fn adds_data(&self) -> bool {
        matches!(self.action, None | Some(ImportAction::Paste { .. }))
    }

    /// Whether this needs a database: `import sheets FILE` reads the file only.
    pub fn uses_database(&self) -> bool {
        !matches!(self.action, Some(ImportAction::Sheets { .. }))
    }
}

pub fn run(ctx: &Ctx, cmd: ImportCmd) -> CmdResult {
    // Listing a workbook's sheets reads only the file: no database is needed.
    if let Some(ImportAction::Sheets { file }) = &cmd.action {
        return sheets(file);
    }
    let mut conn = ctx.open()?;
    match cmd.action {
        Some(ImportAction::Sheets { .. }) => Err(Error::internal("handled above")),
        Some(ImportAction::List { event }) => {
            let event_id = event.map(|e| super::id(&conn, Table::Events, &e)).transpose()?;
            let list = import::list(&conn, event_id)?;
            Output::new(&list, || {
                table(
                    &[
                        "ID",
                        "EVENT",
                        "FORMAT",
                        "ROWS",
                        "NEW",
                        "MATCHED",
                        "ATT.NEW",
                        "ATT.CHANGED",
                        "IMPORTED",
                        "UNDONE",
                        "FILE",
                    ],
                    list.iter()
                        .map(|i| {
                            vec![
                                i.id.to_string(),
                                i.event_id.to_string(),
                                i.format.clone(),
                                i.rows_read.to_string(),
                                i.people_created.to_string(),
                                i.people_matched.to_string(),
                                i.attendances_created.to_string(),
                                i.attendances_updated.to_string(),
                                i.created_at.clone(),
                                opt(&i.undone_at),
                                i.file_name.clone(),
                            ]
                        })
                        .collect(),
                )
            })
        }
        Some(ImportAction::Undo { import_id }) => {
            let id = super::id(&conn, Table::Imports, &import_id)?;
            let u = import::undo(&mut conn, id)?;
            Output::new(&u, || {
                let kept = if u.people_kept > 0 {
                    format!(", {} kept because other records refer to them", u.people_kept)
                } else {
                    String::new()
                };
                format!(
                    "undid import {}: {} attendance records deleted, {} restored; {} people deleted{kept}; {} organisations deleted",
                    u.import_id, u.attendances_deleted, u.attendances_restored, u.people_deleted, u.organisations_deleted
                )
            })
        }
        Some(ImportAction::Paste { event, dry_run }) => {
            let event_id = super::id(&conn, Table::Events, &event)?;
            let mut text = String::new();
            std::io::stdin().read_to_string(&mut text).map_err(|e| Error::io("standard input", e))?;
            let s = import::paste(&mut conn, event_id, &text, dry_run)?;
            Output::new(&s, || {
                let mut out = format!(
                    "{}{} lines: {} people created, {} matched; {} attendance records created, {} changed",
                    if s.dry_run { "dry run, nothing changed: " } else { "" },
                    s.lines,
                    s.people_created,
                    s.people_matched,
                    s.attendances_created,
                    s.attendances_updated
                );
                out.push_str(&details(&s.ambiguous, &s.skipped, s.skipped.len() as u64, &s.warnings, s.warnings_total));
                out
            })
        }
        None => {
            let f = cmd.file;
            let (Some(path), Some(event)) = (f.file, f.event) else {
                return Err(Error::invalid("file", "give the report file and --event"));
            };
            let event_id = super::id(&conn, Table::Events, &event)?;
            let format: Format = f.format.parse()?;
            let mapping = f.map.as_deref().map(|m| parse_map(m, &path, f.sheet.as_deref())).transpose()?;
            let options = ImportOptions {
                format: if mapping.is_some() && format == Format::AUTO { Format::GENERIC } else { format },
                mapping,
                ambiguous: f.ambiguous.parse::<AmbiguousPolicy>()?,
                status: f.status,
                allow_skips: f.allow_skips,
                sheet: f.sheet,
                ..Default::default()
            };
            let mut resolutions = f.resolve.iter().map(|r| parse_resolution(r)).collect::<Result<Vec<_>>>()?;
            resolutions.extend(f.skip_line.iter().map(|&n| Resolution::skip_line(n)));
            for r in &f.rename_line {
                resolutions.push(parse_rename(r)?);
            }
            if f.dry_run {
                // The decisions given count in the dry run too, so its figures are the commit's.
                let p = import::preview_with(&conn, event_id, &path, &options, &resolutions, &Progress::none())?;
                // One shape (`ImportReport`) for a dry run and a real import, so scripts can read either.
                let json = serde_json::to_value(&p).map_err(|e| Error::conflict(e.to_string()))?;
                let text = format!(
                    "dry run, nothing changed: {} ({}), {} rows: {} new people, {} matched, {} ambiguous; {} attendance records to create, {} to change{}{}",
                    p.format,
                    read_as(&p),
                    p.rows,
                    p.people_created,
                    p.people_matched,
                    p.ambiguous.len(),
                    p.attendances_created,
                    p.attendances_updated,
                    if p.already_imported { "; this file was imported already" } else { "" },
                    details(&p.ambiguous, &p.skipped, p.skipped_total, &p.warnings, p.warnings_total)
                ) + &flagged_text(&p.people)
                    + &ignored_text(&p.ignored_columns)
                    + &mapping_text(p.mapping.as_ref())
                    + &p.needs_confirmation
                        .as_ref()
                        .map(|why| format!("\nto import it, confirm with --allow-skips: {why}"))
                        .unwrap_or_default();
                Ok(Output { json, text })
            } else {
                let s = import::commit(&mut conn, event_id, &path, &options, &resolutions, &Progress::none())?;
                let json = serde_json::to_value(&s).map_err(|e| Error::conflict(e.to_string()))?;
                let text = if s.already_imported {
                    format!(
                        "this file was already imported into event {event_id} as import {}; nothing changed",
                        opt(&s.import_id)
                    )
                } else {
                    format!(
                        "import {}: {} ({}), {} rows: {} people created, {} matched; {} attendance records created, {} changed{}",
                        opt(&s.import_id),
                        s.format,
                        read_as(&s),
                        s.rows,
                        s.people_created,
                        s.people_matched,
                        s.attendances_created,
                        s.attendances_updated,
                        details(&s.ambiguous, &s.skipped, s.skipped_total, &s.warnings, s.warnings_total)
                    ) + &ignored_text(&s.ignored_columns)
                };
                Ok(Output { json, text })
            }
        }
    }
}

/// How the rows were read: a workbook's sheet, or a text file's encoding and delimiter.
fn read_as(r: &import::ImportReport) -> String {
    match &r.sheet {
        Some(sheet) => format!("sheet \"{sheet}\""),
        None => format!("{}, {}", r.encoding, r.delimiter),
    }
}

/// `import sheets FILE`: a workbook's sheets (none for a CSV file).
fn sheets(file: &std::path::Path) -> CmdResult {
    let list = import::sheets(file)?;
    Output::new(&list, || {
        if list.is_empty() {
            return format!("{} is not a workbook: it has no sheets (it is read as one CSV table)", file.display());
        }
        table(
            &["NO", "NAME", "ROWS", "EMPTY", "HIDDEN"],
            list.iter()
                .map(|s| {
                    vec![
                        s.index.to_string(),
                        s.name.clone(),
                        s.rows.to_string(),
                        if s.empty { "yes" } else { "" }.to_string(),
                        if s.visible { "" } else { "yes" }.to_string(),
                    ]
                })
                .collect(),
        )
    })
}

/// `name=ПІБ,email=3`: fields to columns given by header (folded comparison) or 1-based number.
fn parse_map(spec: &str, path: &std::path::Path, sheet: Option<&str>) -> Result<Mapping> {
    let headers = import::sheet_headers(path, sheet)?;
    let fold = |s: &str| rollcall_core::text::fold(s);
    let mut fields = BTreeMap::new();
    for part in spec.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let (field, column) =
            part.split_once('=').ok_or_else(|| Error::invalid("map", format!("'{part}' is not FIELD=COLUMN")))?;
        let field = Field::parse(field)
            .ok_or_else(|| Error::invalid("map", format!("'{}' is not a field name", field.trim())))?;
        let column = column.trim();
        let index = match column.parse::<usize>() {
            Ok(n) if n >= 1 => n - 1,
            _ => headers
                .iter()
                .position(|h| fold(h) == fold(column))
                .ok_or_else(|| Error::invalid("map", format!("the sheet has no column '{column}'")))?,
        };
        fields.insert(field, index);
    }
    Ok(Mapping { headers, fields })
}

/// `KEY=12`, `KEY=new` or `KEY=skip` (the key may itself contain '=' only before the last one).
pub fn parse_resolution(spec: &str) -> Result<Resolution> {
    let (key, decision) = spec
        .rsplit_once('=')
        .ok_or_else(|| Error::invalid("resolve", format!("'{spec}' is not KEY=PERSON_ID, KEY=new or KEY=skip")))?;
    let key = key.trim().to_string();
    match decision.trim().to_ascii_lowercase().as_str() {
        "new" => Ok(Resolution::new(key, Action::New, None)),
        "skip" => Ok(Resolution::new(key, Action::Skip, None)),
        other => match other.parse::<i64>() {
            Ok(id) => Ok(Resolution::new(key, Action::Person, Some(id))),
            Err(_) => Err(Error::invalid("resolve", format!("'{other}' is not a person id, new or skip"))),
        },
    }
}

/// `12=Iryna Marchenko` or `12=Iryna Marchenko|Krok` (a name and an organisation).
fn parse_rename(spec: &str) -> Result<Resolution> {
    let bad = || Error::invalid("rename_line", format!("'{spec}' is not N=NAME or N=NAME|ORGANISATION"));
    let (line, rest) = spec.split_once('=').ok_or_else(bad)?;
    let line: u64 = line.trim().parse().map_err(|_| bad())?;
    let (name, organisation) = match rest.split_once('|') {
        Some((n, o)) => (n.trim(), Some(o.trim().to_string()).filter(|o| !o.is_empty())),
        None => (rest.trim(), None),
    };
    if name.is_empty() {
        return Err(bad());
    }
    Ok(Resolution::rename_line(line, name, organisation))
}

/// Ambiguous people, skipped rows and warnings (values left out or doubted), one per line, for the text
/// output.
fn details(
    ambiguous: &[Ambiguous],
    skipped: &[Skipped],
    skipped_total: u64,
    warnings: &[Skipped],
    warnings_total: u64,
) -> String {
    let mut out = String::new();
    for a in ambiguous {
        let decided = match (a.decision, a.person_id) {
            (Some(Action::Person), Some(id)) => format!("person {id}"),
            (Some(Action::New), Some(id)) => format!("new person {id}"),
            (Some(Action::Skip), _) => "skipped".into(),
            _ => "undecided".into(),
        };
        let candidates: Vec<String> = a
            .candidates
            .iter()
            .map(|c| {
                format!("{} {}{}", c.id, c.full_name, c.email.as_deref().map(|e| format!(" <{e}>")).unwrap_or_default())
            })
            .collect();
        out.push_str(&format!(
            "\nline {}: {}{} could be: {} ({}; key {}): {decided}",
            a.line,
            a.name,
            a.email.as_deref().map(|e| format!(" <{e}>")).unwrap_or_default(),
            candidates.join("; "),
            a.reason.as_str().replace('_', " "),
            a.key
        ));
    }
    for s in skipped {
        out.push_str(&format!("\nline {}: skipped: {}", s.line, s.reason));
    }
    if skipped_total > skipped.len() as u64 {
        out.push_str(&format!("\n... and {} more skipped", skipped_total - skipped.len() as u64));
    }
    for w in warnings {
        out.push_str(&format!("\nline {}: warning: {}", w.line, w.reason));
    }
    if warnings_total > warnings.len() as u64 {
        out.push_str(&format!("\n... and {} more warnings", warnings_total - warnings.len() as u64));
    }
    out
}

/// The people of the review whose row may not be a person, with the decisions that fix them.
fn flagged_text(people: &[import::ReviewRow]) -> String {
    let mut out = String::new();
    for p in people.iter().filter(|p| !p.flags.is_empty()) {
        let flags: Vec<String> = p
            .flags
            .iter()
            .map(|f| {
                serde_json::to_value(f).ok().and_then(|v| v.as_str().map(|s| s.replace('_', " "))).unwrap_or_default()
            })
            .collect();
        let rename = match &p.suggested {
            Some(h) => format!(
                "--rename-line {}={}{}",
                p.line,
                h.name,
                h.organisation.as_deref().map(|o| format!("|{o}")).unwrap_or_default()
            ),
            None => format!("--rename-line {}=NAME", p.line),
        };
        out.push_str(&format!(
            "\nline {}: {}: flagged ({}); to fix: --skip-line {} or {rename}",
            p.line,
            p.name,
            flags.join(", "),
            p.line
        ));
    }
    out
}

/// The columns no field was read from, so nothing in the file is left out unseen.
fn ignored_text(ignored: &[String]) -> String {
    if ignored.is_empty() {
        return String::new();
    }
    format!("\ncolumns not read: {}", ignored.join(", "))
}

fn mapping_text(mapping: Option<&Mapping>) -> String {
    match mapping {
        None => String::new(),
        Some(m) => {
            let pairs: Vec<(&str, String)> = m
                .fields
                .iter()
                .map(|(f, &i)| {
                    (f.as_str(), format!("column {} ({})", i + 1, m.headers.get(i).map(String::as_str).unwrap_or("")))
                })
                .collect();
            format!("\ncolumns:\n{}", fields(&pairs))
        }
    }
}
