//! rollcall-bench: measures Rollcall at real and stress scale, each figure with its median and spread
//! over several runs, next to reference points measured in the same run (raw CSV parsing, raw SQLite
//! inserts, a Python csv+sqlite3 script, naive SQL). Ratios are what count: the machine is noisy.
//!
//! `make bench` runs it; the table it prints goes into README.md ("Performance").

mod bundles;
mod display;
mod gen;
mod measure;
mod suite;
mod window;

use std::path::PathBuf;

use clap::Parser;

#[derive(Parser)]
#[command(name = "rollcall-bench", about = "Rollcall's benchmarks with their reference points")]
pub struct Args {
    /// Where generated data and databases are kept between runs
    #[arg(long, default_value = "target/bench")]
    pub dir: PathBuf,
    /// Runs per figure (the median and the spread are printed)
    #[arg(long, default_value_t = 5)]
    pub runs: usize,
    /// The rollcall-cli binary to time end to end (build it with --release first)
    #[arg(long, default_value = "target/release/rollcall-cli")]
    pub cli: PathBuf,
    /// The desktop app binary for the first-paint figure (skipped if missing or no display)
    #[arg(long, default_value = "target/release/rollcall")]
    pub app: PathBuf,
    /// Small sizes (10x smaller) for a quick check that the harness works
    #[arg(long)]
    pub quick: bool,
    /// Also write the table as Markdown to this file
    #[arg(long)]
    pub markdown: Option<PathBuf>,
    /// Measure only these groups of figures (comma-separated): import, memory, reports, search, export,
    /// lists, bundles, paint, window
    #[arg(long, value_name = "GROUP")]
    pub only: Option<String>,
    /// The Python of the end-to-end tests' environment (selenium), for the window figures
    #[arg(long, default_value = "target/e2e-venv/bin/python")]
    pub e2e_python: PathBuf,
}

fn main() {
    let raw: Vec<std::ffi::OsString> = std::env::args_os().collect();
    if raw.get(1).is_some_and(|a| a == measure::LAUNCH) {
        std::process::exit(measure::launch(&raw[2..]));
    }
    let args = Args::parse();
    if let Err(e) = suite::run(&args) {
        eprintln!("rollcall-bench: {e}");
        std::process::exit(1);
    }
}
