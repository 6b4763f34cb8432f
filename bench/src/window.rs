//! The window's figures (issues 18 and 19): runs tests/e2e/bench_window.py, which drives the release app
//! through tauri-driver on a copy of the stress database and writes its figures as JSON, then turns that
//! JSON into rows of the table.
//!
//! Why the harness runs the script (rather than `make bench` running it beside the harness): the script
//! needs the stress database, which the harness generates on the first run, and its rows belong in the
//! same table with their targets. A missing piece (no release app, no display, no E2E environment, a
//! script that fails) gives "skipped" rows with the reason, as the first-paint figure does, and never
//! fails the rest of the benchmark.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::display::{app_binary, Display, Result};
use crate::measure::{ms, spread, Row, Stats};
use crate::Args;

/// Targets from issues 18 and 19.
const IMPORT_CLICK_TO_LIST_MS: f64 = 250.0;
const EVENT_FIRST_ROWS_MS: f64 = 1000.0;
const MEMORY_MB: f64 = 500.0;

/// The whole script on the full stress database takes about a minute on an idle machine; a hung window
/// must not hang the benchmark.
const SCRIPT_TIMEOUT: Duration = Duration::from_secs(20 * 60);

const FIGURES: [(&str, &str); 3] = [
    ("**import** of a 60-row Zoom report in the window: click on Import to the updated attendance list", "< 250 ms"),
    ("**event with the most records**: click to its first rows in the window", "< 1000 ms"),
    ("**memory** of the running app after every screen (RSS, app + WebKit processes)", "< 500 MB"),
];

pub fn figures(args: &Args, stress_db: &Path, rows: &mut Vec<Row>) -> Result<()> {
    let skipped = |rows: &mut Vec<Row>, reason: &str| {
        for (figure, target) in FIGURES {
            rows.push(Row {
                figure: figure.into(),
                value: format!("skipped ({reason})"),
                spread: "-".into(),
                reference: "-".into(),
                target: target.into(),
                met: None,
            });
        }
    };
    let app = app_binary(args);
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/e2e/bench_window.py");
    let missing = if !app.is_file() {
        Some("no release app".to_string())
    } else if !args.e2e_python.is_file() {
        Some(format!("no E2E environment at {} (`make test-deps`)", args.e2e_python.display()))
    } else if !on_path("tauri-driver") || !on_path("WebKitWebDriver") {
        Some("tauri-driver or WebKitWebDriver not on PATH (`make test-deps`)".to_string())
    } else {
        None
    };
    if let Some(reason) = missing {
        skipped(rows, &reason);
        return Ok(());
    }
    let xvfb = match Display::get() {
        Ok(d) => d,
        Err(e) => {
            skipped(rows, &format!("no display: {e}"));
            return Ok(());
        }
    };
    let out = args.dir.join("window.json");
    let _ = std::fs::remove_file(&out);
    let log = args.dir.join("window.log");
    let mut child = Command::new(&args.e2e_python)
        .arg(&script)
        .arg("--app")
        .arg(&app)
        .arg("--cli")
        .arg(&args.cli)
        .arg("--db")
        .arg(stress_db)
        .arg("--out")
        .arg(&out)
        .arg("--runs")
        .arg(args.runs.to_string())
        .env("DISPLAY", &xvfb.name)
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&log)?)
        .stderr(std::fs::File::create(args.dir.join("window.err"))?)
        .spawn()?;
    let until = Instant::now() + SCRIPT_TIMEOUT;
    let status = loop {
        if let Some(status) = child.try_wait()? {
            break Some(status);
        }
        if Instant::now() > until {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(200));
    };
    drop(xvfb);
    let failed = match status {
        None => Some(format!("no result within {} min", SCRIPT_TIMEOUT.as_secs() / 60)),
        Some(s) if !s.success() => {
            let err = std::fs::read_to_string(args.dir.join("window.err")).unwrap_or_default();
            // The exception's own line (a message may run over several lines after it).
            let lines: Vec<&str> = err.lines().filter(|l| !l.trim().is_empty()).collect();
            let last = lines.iter().rev().find(|l| l.contains("Error")).or(lines.last()).unwrap_or(&"").trim();
            Some(format!("the window script failed: {}", last.chars().take(200).collect::<String>()))
        }
        Some(_) => None,
    };
    if let Some(reason) = failed {
        skipped(rows, &reason);
        return Ok(());
    }
    let json: Value = serde_json::from_str(&std::fs::read_to_string(&out)?)?;
    push_rows(&json, rows).ok_or_else(|| format!("{} lacks a figure", out.display()))?;
    Ok(())
}

/// Runs in milliseconds as the harness's own statistics (median and spread as every other row).
fn stats(runs: &Value) -> Option<Stats> {
    let times: Vec<Duration> =
        runs.as_array()?.iter().filter_map(|v| v.as_f64()).map(|ms| Duration::from_secs_f64(ms / 1e3)).collect();
    (!times.is_empty()).then_some(Stats { times })
}

fn median_ms(runs: &Value) -> Option<f64> {
    Some(stats(runs)?.median().as_secs_f64() * 1e3)
}

fn push_rows(j: &Value, rows: &mut Vec<Row>) -> Option<()> {
    let db = format!("{}, {} MB", j["database"].as_str()?, j["database_mb"].as_u64()?);

    let import = &j["import"];
    let commit = stats(&import["commit_runs_ms"])?;
    let commit_ms = commit.median().as_secs_f64() * 1e3;
    rows.push(Row {
        figure: format!(
            "{} (new event each run; {} known people by email, the rest new; {db})",
            FIGURES[0].0, import["known_people"]
        ),
        value: ms(commit.median()),
        spread: spread(&commit),
        reference: format!(
            "the core's commit answered after {:.0} ms (the rest is the page's redraw); before it, click on \
             \"Import report…\" to the preview drawn: {:.0} ms",
            median_ms(&import["commit_answered_runs_ms"])?,
            median_ms(&import["preview_runs_ms"])?
        ),
        target: FIGURES[0].1.into(),
        met: Some(commit_ms < IMPORT_CLICK_TO_LIST_MS),
    });

    for (key, what) in [
        ("big_event", "a 17,000-row report imported into one event of the copy"),
        ("stress_event", "the stress data set's own largest"),
    ] {
        let e = &j[key];
        let s = stats(&e["runs_ms"])?;
        let c = &e["commands_ms"];
        rows.push(Row {
            figure: format!("{} ({} records: {what}; {db})", FIGURES[1].0, e["records"].as_u64()?),
            value: ms(s.median()),
            spread: spread(&s),
            reference: format!(
                "the page's commands alone: attendance list (its first 100) {:.0} ms, expected regulars {:.0} ms",
                c["attendance_page"].as_f64()?,
                c["attendance_expected"].as_f64()?
            ),
            target: FIGURES[1].1.into(),
            met: Some(s.median().as_secs_f64() * 1e3 < EVENT_FIRST_ROWS_MS),
        });
    }

    let m = &j["memory"];
    let total = m["total_rss_mb"].as_f64()?;
    let per_process = m["processes"]
        .as_array()?
        .iter()
        .filter_map(|p| Some(format!("{} {:.0} MB", p["name"].as_str()?, p["rss_mb"].as_f64()?)))
        .collect::<Vec<_>>()
        .join(", ");
    rows.push(Row {
        figure: format!("{} ({db}, the two events above included)", FIGURES[2].0),
        value: format!("{total:.0} MB"),
        spread: "1 run".into(),
        reference: format!(
            "{per_process}; PSS (shared pages once) {:.0} MB; at start {:.0} MB; after the imports {:.0} MB",
            m["total_pss_mb"].as_f64()?,
            j["memory_at_start"]["total_rss_mb"].as_f64()?,
            j["memory_after_imports"]["total_rss_mb"].as_f64()?
        ),
        target: FIGURES[2].1.into(),
        met: Some(total < MEMORY_MB),
    });
    Some(())
}

fn on_path(name: &str) -> bool {
    std::env::var_os("PATH").is_some_and(|p| std::env::split_paths(&p).any(|d| d.join(name).is_file()))
}
