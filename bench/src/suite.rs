//! The benchmark suite: prepares seeded data once (kept under --dir), then measures each figure with
//! its reference point in the same run and prints the table.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use rollcall_core::rusqlite::{self, params};

use crate::gen::{self, ZoomSpec};
use crate::measure::{self, markdown, ms, rate, repeat, spread, Row};
use crate::Args;

type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

/// Sizes of the data sets; --quick divides them by ten.
struct Scale {
    report_rows: u64,
}

pub fn run(args: &Args) -> Result<()> {
    std::fs::create_dir_all(&args.dir)?;
    let div = if args.quick { 10 } else { 1 };
    let scale = Scale { report_rows: 100_000 / div };
    let mut rows = Vec::new();

    let report = args.dir.join(format!("zoom-{}.csv", scale.report_rows));
    if !report.exists() {
        let spec = ZoomSpec { seed: 1, rows: scale.report_rows, repeat_percent: 0, rejoin_percent: 12 };
        gen::zoom_report(&report, &spec, &[])?;
    }
    let bytes = std::fs::metadata(&report)?.len() as f64;
    let n = scale.report_rows as f64;

    // Reference points: what the hardware and SQLite do with no Rollcall logic at all.
    let parse = repeat(args.runs, || (), |_| csv_parse(&report));
    rows.push(Row {
        figure: format!("raw CSV parse, {} rows (csv crate)", scale.report_rows),
        value: rate(n, parse.median(), "rows"),
        spread: spread(&parse),
        reference: format!("{:.0} MB/s", bytes / 1e6 / parse.median().as_secs_f64()),
        target: "reference".into(),
        met: None,
    });
    let insert = repeat(args.runs, || (), |_| sqlite_insert(scale.report_rows).unwrap());
    rows.push(Row {
        figure: format!("raw SQLite insert, {} rows, one transaction", scale.report_rows),
        value: rate(n, insert.median(), "rows"),
        spread: spread(&insert),
        reference: "-".into(),
        target: "reference".into(),
        met: None,
    });
    let python = python_import(&args.dir, &report)?;
    rows.push(Row {
        figure: format!("Python csv+sqlite3 import script (bench/python_import.py), {} rows", scale.report_rows),
        value: rate(n, python, "rows"),
        spread: "1 run".into(),
        reference: "what a user would do instead".into(),
        target: "baseline".into(),
        met: None,
    });

    let header = format!(
        "Measured {} on {} ({} cores), {} runs per figure",
        chrono_date(),
        machine(),
        std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1),
        args.runs
    );
    let table = markdown(&rows, &header);
    println!("{table}");
    if let Some(path) = &args.markdown {
        std::fs::write(path, &table)?;
    }
    Ok(())
}

fn csv_parse(path: &Path) -> u64 {
    let mut reader = csv::ReaderBuilder::new().flexible(true).has_headers(false).from_path(path).unwrap();
    let mut record = csv::ByteRecord::new();
    let mut n = 0;
    while reader.read_byte_record(&mut record).unwrap() {
        n += record.len() as u64;
    }
    n
}

fn sqlite_insert(count: u64) -> rusqlite::Result<()> {
    let mut conn = rusqlite::Connection::open_in_memory()?;
    conn.execute_batch("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT, email TEXT, minutes INTEGER)")?;
    let tx = conn.transaction()?;
    {
        let mut stmt = tx.prepare("INSERT INTO t (name, email, minutes) VALUES (?1, ?2, ?3)")?;
        for i in 0..count {
            stmt.execute(params!["Олена Коваленко", format!("olena{i}@example.org"), (i % 120) as i64])?;
        }
    }
    tx.commit()
}

fn python_import(dir: &Path, report: &Path) -> Result<Duration> {
    let db = dir.join("python-baseline.sqlite3");
    let _ = std::fs::remove_file(&db);
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("python_import.py");
    let (elapsed, out) = measure::once(|| Command::new("python3").arg(&script).arg(report).arg(&db).output());
    let out = out?;
    if !out.status.success() {
        return Err(format!("python baseline failed: {}", String::from_utf8_lossy(&out.stderr)).into());
    }
    Ok(elapsed)
}

fn chrono_date() -> String {
    let out = Command::new("date").arg("+%Y-%m-%d").output().map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string());
    out.unwrap_or_default()
}

/// The CPU model, for the README table.
fn machine() -> String {
    std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("model name")).map(|l| l.split(':').nth(1).unwrap_or("").trim().to_string()))
        .unwrap_or_else(|| std::env::consts::ARCH.to_string())
}
