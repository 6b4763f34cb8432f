//! rollcall-cli: Rollcall's operations on the command line, over the same core as the desktop app, for
//! automation, tests and benchmarks. See docs/cli.md for the commands, flags and JSON keys.

mod cmd;
mod output;

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::output::Output;

#[derive(Parser)]
#[command(name = "rollcall-cli", version, about = "Rollcall: attendance and donor reports for NGO projects")]
struct Cli {
    /// Database file [default: the desktop app's database]
    #[arg(long, global = true, env = "ROLLCALL_DB", value_name = "PATH")]
    db: Option<PathBuf>,

    /// Print machine-readable JSON on stdout
    #[arg(long, global = true)]
    json: bool,

    /// Log what happens to stderr (-v: info, -vv: debug); people's names and emails are never logged
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    verbose: u8,

    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Projects: add, list, show, delete
    #[command(subcommand)]
    Project(cmd::projects::ProjectCmd),
    /// Organisations: add, list, show, delete
    #[command(subcommand)]
    Org(cmd::organisations::OrgCmd),
    /// Partners of a project: add, list, remove
    #[command(subcommand)]
    Partner(cmd::partners::PartnerCmd),
    /// Events: add, list, show, delete
    #[command(subcommand)]
    Event(cmd::events::EventCmd),
    /// People: add, list (with search), show, delete
    #[command(subcommand)]
    Person(cmd::people::PersonCmd),
    /// Attendance of an event: list, set, remove
    #[command(subcommand)]
    Attendance(cmd::attendance::AttendanceCmd),
    /// Import an attendance report into an event (or preview it with --dry-run); list, undo, paste
    Import(cmd::import::ImportCmd),
    /// Load the sample project ("In Search of Solidarity") into the database
    SampleData,
    /// Reports: event, project summary, donor table, registration, indicators, person, organisation, partners
    #[command(subcommand)]
    Report(cmd::report::ReportCmd),
    /// A project's indicators: add, list, remove (figures: `report indicators`)
    #[command(subcommand)]
    Indicator(cmd::indicators::IndicatorCmd),
    /// CSV exports: attendance, people, project reports
    #[command(subcommand)]
    Export(cmd::export::ExportCmd),
    /// Generate seeded stress data and time the reports over it
    #[command(hide = true)]
    Stress(cmd::stress::StressArgs),
    /// Check the database for damage (integrity and foreign keys); one line, exit 1 unless all is well
    Check,
    /// Write a verified backup (to --out FILE, or into the backups folder); `backup list` lists them
    Backup(cmd::safety::BackupCmd),
    /// Replace the database with a backup (verified first; the current database is kept in the backups folder)
    Restore { file: PathBuf },
    /// Encrypt the database and its backups with the passphrase in ROLLCALL_PASSPHRASE
    Encrypt,
    /// Store the database and its backups unencrypted again (passphrase in ROLLCALL_PASSPHRASE)
    Decrypt,
    /// Change the passphrase from ROLLCALL_PASSPHRASE to ROLLCALL_NEW_PASSPHRASE
    Passphrase,
    /// People not seen at any event since a date; --erase --yes erases them
    Retention(cmd::privacy::RetentionArgs),
    /// This installation's partner card and keys: show, card
    #[command(subcommand)]
    Identity(cmd::consortium::IdentityCmd),
    /// Trusted partner installations: add (a card), list, remove
    #[command(subcommand)]
    Contact(cmd::consortium::ContactCmd),
    /// The consortium key for pseudonymous bundles
    #[command(subcommand)]
    Consortium(cmd::consortium::ConsortiumCmd),
    /// Bundles exchanged with partners: export, apply, list
    #[command(subcommand)]
    Bundle(cmd::consortium::BundleCmd),
}

/// The environment variable holding the passphrase of an encrypted database. A flag would show the
/// passphrase to every user of the machine in `ps`; the environment of a process is private to its owner.
pub const PASSPHRASE_ENV: &str = "ROLLCALL_PASSPHRASE";

/// What every command needs: where the database is, and its passphrase if it is encrypted.
pub struct Ctx {
    pub db_path: PathBuf,
    pub passphrase: Option<String>,
}

impl Ctx {
    pub fn open(&self) -> rollcall_core::Result<rollcall_core::db::Connection> {
        log::info!("opening database {}", self.db_path.display());
        rollcall_core::open::open_with(&self.db_path, &self.options())
    }

    pub fn options(&self) -> rollcall_core::open::OpenOptions {
        cmd::safety::options(self.passphrase.clone())
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    env_logger::Builder::new()
        .filter_level(match cli.verbose {
            0 => log::LevelFilter::Warn,
            1 => log::LevelFilter::Info,
            _ => log::LevelFilter::Debug,
        })
        .format_target(false)
        .init();
    let passphrase = std::env::var(PASSPHRASE_ENV).ok().filter(|p| !p.is_empty());
    let ctx = Ctx { db_path: cli.db.unwrap_or_else(rollcall_core::db::default_path), passphrase };
    let result = if uses_database(&cli.command) && !may_create_database(&cli.command) && !ctx.db_path.exists() {
        // Opening creates a database; a command that only reads, checks or copies would then report
        // on an empty one (a mistyped --db path printing "ok") and leave a stray file behind.
        Err(rollcall_core::Error::invalid(
            "db",
            format!(
                "no database at {}; commands that add data (sample-data, add, import) create one",
                ctx.db_path.display()
            ),
        ))
    } else {
        dispatch(&ctx, cli.command)
    };
    match result {
        Ok(out) => {
            let text = if cli.json { serde_json::to_string_pretty(&out.json).unwrap_or_default() } else { out.text };
            if text.is_empty() {
                return ExitCode::SUCCESS;
            }
            match print_line(&text) {
                Ok(()) => ExitCode::SUCCESS,
                // The reader went away (`| head`): what it wanted it has; stop quietly, like other
                // command-line tools killed by SIGPIPE, whose shells report 128 + 13.
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::from(141),
                Err(e) => {
                    let _ = writeln!(std::io::stderr(), "rollcall-cli: standard output: {e}");
                    ExitCode::from(1)
                }
            }
        }
        Err(e) => {
            let _ = writeln!(std::io::stderr(), "rollcall-cli: {}", e.to_string().replace('\n', " "));
            ExitCode::from(1)
        }
    }
}

/// Writes the output and a newline to standard output. Unlike `println!`, it returns a failed write (a
/// closed pipe) instead of panicking.
fn print_line(text: &str) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())?;
    out.write_all(b"\n")?;
    out.flush()
}

/// Whether the command reads or writes the database at all: listing a workbook's sheets reads the file only.
fn uses_database(command: &Command) -> bool {
    match command {
        Command::Import(c) => c.uses_database(),
        _ => true,
    }
}

/// Whether the command may create the database when the file does not exist: only commands that add
/// data do. `restore` may too: it puts a backup where the database is missing (its source must exist).
fn may_create_database(command: &Command) -> bool {
    match command {
        Command::SampleData | Command::Stress(_) | Command::Restore { .. } => true,
        Command::Import(c) => c.adds_data(),
        Command::Project(c) => matches!(c, cmd::projects::ProjectCmd::Add { .. }),
        Command::Org(c) => matches!(c, cmd::organisations::OrgCmd::Add { .. }),
        Command::Partner(c) => matches!(c, cmd::partners::PartnerCmd::Add { .. }),
        Command::Event(c) => matches!(c, cmd::events::EventCmd::Add { .. }),
        Command::Person(c) => matches!(c, cmd::people::PersonCmd::Add { .. }),
        _ => false,
    }
}

fn dispatch(ctx: &Ctx, command: Command) -> CmdResult {
    match command {
        Command::Project(c) => cmd::projects::run(ctx, c),
        Command::Org(c) => cmd::organisations::run(ctx, c),
        Command::Partner(c) => cmd::partners::run(ctx, c),
        Command::Event(c) => cmd::events::run(ctx, c),
        Command::Person(c) => cmd::people::run(ctx, c),
        Command::Attendance(c) => cmd::attendance::run(ctx, c),
        Command::Import(c) => cmd::import::run(ctx, c),
        Command::SampleData => cmd::sample::run(ctx),
        Command::Report(c) => cmd::report::run(ctx, c),
        Command::Indicator(c) => cmd::indicators::run(ctx, c),
        Command::Export(c) => cmd::export::run(ctx, c),
        Command::Stress(a) => cmd::stress::run(ctx, a),
        Command::Check => cmd::safety::check(ctx),
        Command::Backup(c) => cmd::safety::backup(ctx, c),
        Command::Restore { file } => cmd::safety::restore(ctx, file),
        Command::Encrypt => cmd::safety::encrypt(ctx),
        Command::Decrypt => cmd::safety::decrypt(ctx),
        Command::Passphrase => cmd::safety::change_passphrase(ctx),
        Command::Retention(a) => cmd::privacy::retention(ctx, a),
        Command::Identity(c) => cmd::consortium::identity(ctx, c),
        Command::Contact(c) => cmd::consortium::contact(ctx, c),
        Command::Consortium(c) => cmd::consortium::consortium(ctx, c),
        Command::Bundle(c) => cmd::consortium::bundle(ctx, c),
    }
}

/// Shorthand used by the command modules.
pub type CmdResult = rollcall_core::Result<Output>;
