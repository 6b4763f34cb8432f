//! rollcall-cli: Rollcall's operations on the command line, over the same core as the desktop app, for
//! automation, tests and benchmarks. See docs/cli.md for the commands, flags and JSON keys.

mod cmd;
mod output;

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
    /// Load the sample project ("In Search of Solidarity") into the database
    SampleData,
}

/// What every command needs: where the database is.
pub struct Ctx {
    pub db_path: PathBuf,
}

impl Ctx {
    pub fn open(&self) -> rollcall_core::Result<rollcall_core::db::Connection> {
        log::info!("opening database {}", self.db_path.display());
        rollcall_core::db::open(&self.db_path)
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
    let ctx = Ctx { db_path: cli.db.unwrap_or_else(rollcall_core::db::default_path) };
    let result = match cli.command {
        Command::Project(c) => cmd::projects::run(&ctx, c),
        Command::Org(c) => cmd::organisations::run(&ctx, c),
        Command::Partner(c) => cmd::partners::run(&ctx, c),
        Command::Event(c) => cmd::events::run(&ctx, c),
        Command::Person(c) => cmd::people::run(&ctx, c),
        Command::Attendance(c) => cmd::attendance::run(&ctx, c),
        Command::SampleData => cmd::sample::run(&ctx),
    };
    match result {
        Ok(out) => {
            if cli.json {
                println!("{}", serde_json::to_string_pretty(&out.json).unwrap_or_default());
            } else if !out.text.is_empty() {
                println!("{}", out.text);
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("rollcall-cli: {}", e.to_string().replace('\n', " "));
            ExitCode::from(1)
        }
    }
}

/// Shorthand used by the command modules.
pub type CmdResult = rollcall_core::Result<Output>;
