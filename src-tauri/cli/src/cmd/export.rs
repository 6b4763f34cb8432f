//! `rollcall-cli export ...`: CSV or .xlsx files of attendance, people and the project reports.

use std::path::PathBuf;

use clap::{Args, Subcommand, ValueEnum};
use rollcall_core::db::Table;
use rollcall_core::export::{self, Delimiter, ExportFormat, ExportOptions};
use rollcall_core::progress::Progress;
use rollcall_core::reports::SummaryOptions;

use crate::output::Output;
use crate::{CmdResult, Ctx};

/// How the file is written, shared by every export.
#[derive(Args)]
pub struct FileArgs {
    /// The file to write (replaced only once complete): .csv, .tsv, .txt or .xlsx
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
    /// csv or xlsx (default: xlsx when FILE ends in .xlsx, else csv); must agree with FILE's extension
    #[arg(long, value_parser = |s: &str| s.parse::<ExportFormat>().map_err(|e| e.to_string()))]
    format: Option<ExportFormat>,
    /// CSV: field separator: comma, semicolon or tab
    #[arg(long, default_value = "comma", value_parser = |s: &str| s.parse::<Delimiter>().map_err(|e| e.to_string()))]
    delimiter: Delimiter,
    /// CSV: leave out the UTF-8 byte order mark (Excel needs it to read Cyrillic and Georgian correctly)
    #[arg(long)]
    no_bom: bool,
    /// A stable code per person instead of name and email
    #[arg(long)]
    pseudonymous: bool,
}

impl FileArgs {
    fn options(&self) -> ExportOptions {
        ExportOptions {
            format: self.format,
            delimiter: self.delimiter,
            bom: !self.no_bom,
            pseudonymous: self.pseudonymous,
            // The CLI writes the core's own names: its CSV columns are a stable interface.
            labels: Default::default(),
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
pub enum ReportKind {
    /// The project summary
    Project,
    /// The donor table (any two dimensions: --rows, --cols)
    Donor,
    /// The indicator table: baseline, target, actual and percent of target per indicator
    Indicators,
    /// Registration against attendance per event: registered, attended, no-shows, walk-ins, rates
    Registration,
}

#[derive(Subcommand)]
pub enum ExportCmd {
    /// Attendance of one event (--event) or of every event of a project (--project)
    Attendance {
        #[arg(long, conflicts_with = "project", required_unless_present = "project")]
        event: Option<String>,
        #[arg(long)]
        project: Option<String>,
        #[command(flatten)]
        file: FileArgs,
    },
    /// Everyone in the database, with the number of events attended
    People {
        #[command(flatten)]
        file: FileArgs,
    },
    /// A project report: the summary or the donor table
    Report {
        kind: ReportKind,
        #[command(flatten)]
        range: super::report::DonorArgs,
        #[command(flatten)]
        file: FileArgs,
    },
    /// A person's history
    Person {
        id: String,
        #[command(flatten)]
        file: FileArgs,
    },
    /// An organisation's participation
    Org {
        id: String,
        #[command(flatten)]
        file: FileArgs,
    },
}

pub fn run(ctx: &Ctx, cmd: ExportCmd) -> CmdResult {
    let mut conn = ctx.open()?;
    let progress = Progress::none();
    let (rows, file) = match cmd {
        ExportCmd::Attendance { event, project, file } => {
            let opts = file.options();
            let rows = match (event, project) {
                (Some(e), _) => {
                    let id = super::id(&conn, Table::Events, &e)?;
                    export::event_attendance(&conn, id, &file.out, &opts, &progress)?
                }
                (None, Some(p)) => {
                    let id = super::id(&conn, Table::Projects, &p)?;
                    export::project_attendance(&conn, id, &file.out, &opts, &progress)?
                }
                (None, None) => return Err(rollcall_core::Error::invalid("event", "give --event or --project")),
            };
            (rows, file)
        }
        ExportCmd::People { file } => (export::people(&conn, &file.out, &file.options(), &progress)?, file),
        ExportCmd::Report { kind, range, file } => {
            let id = super::id(&conn, Table::Projects, &range.project)?;
            let opts = file.options();
            let rows = match kind {
                ReportKind::Project => {
                    let period = SummaryOptions { from: range.from.clone(), to: range.to.clone() };
                    export::project_summary(&mut conn, id, &period, &file.out, &opts, &progress)?
                }
                ReportKind::Donor => {
                    export::donor_table(&mut conn, id, &range.options()?, &file.out, &opts, &progress)?
                }
                ReportKind::Indicators => {
                    let period =
                        rollcall_core::indicators::IndicatorOptions { from: range.from.clone(), to: range.to.clone() };
                    export::indicators(&mut conn, id, &period, &file.out, &opts, &progress)?
                }
                ReportKind::Registration => {
                    let period = rollcall_core::reports::RegistrationOptions {
                        event_id: None,
                        from: range.from.clone(),
                        to: range.to.clone(),
                    };
                    export::registration(&mut conn, id, &period, &file.out, &opts, &progress)?
                }
            };
            (rows, file)
        }
        ExportCmd::Person { id, file } => {
            let id = super::id(&conn, Table::People, &id)?;
            (export::person_history(&conn, id, &file.out, &file.options(), &progress)?, file)
        }
        ExportCmd::Org { id, file } => {
            let id = super::id(&conn, Table::Organisations, &id)?;
            (export::organisation_participation(&conn, id, &file.out, &file.options(), &progress)?, file)
        }
    };
    let path = file.out.display().to_string();
    // The export succeeded, so the format is known.
    let format = file.options().format_for(&file.out)?;
    Output::new(&serde_json::json!({ "path": path, "rows": rows, "format": format }), || {
        format!("wrote {rows} rows to {path} ({})", format.as_str())
    })
}
