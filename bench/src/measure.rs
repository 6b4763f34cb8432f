//! Timing helpers: repeated runs, median and spread, and the table the harness prints.

use std::time::{Duration, Instant};

/// The runs of one figure.
pub struct Stats {
    pub times: Vec<Duration>,
}

impl Stats {
    pub fn median(&self) -> Duration {
        let mut t = self.times.clone();
        t.sort();
        t[t.len() / 2]
    }
    pub fn min(&self) -> Duration {
        *self.times.iter().min().unwrap()
    }
    pub fn max(&self) -> Duration {
        *self.times.iter().max().unwrap()
    }
    /// (max - min) / median, in percent: how noisy this figure was.
    pub fn spread_percent(&self) -> f64 {
        let m = self.median().as_secs_f64();
        if m == 0.0 {
            0.0
        } else {
            100.0 * (self.max() - self.min()).as_secs_f64() / m
        }
    }
}

/// Runs `f` `runs` times after one warm-up run and times each run. `setup` runs before each (untimed).
pub fn repeat<S, T>(runs: usize, mut setup: impl FnMut() -> S, mut f: impl FnMut(S) -> T) -> Stats {
    let s = setup();
    std::hint::black_box(f(s));
    let times = (0..runs.max(1))
        .map(|_| {
            let s = setup();
            let started = Instant::now();
            std::hint::black_box(f(s));
            started.elapsed()
        })
        .collect();
    Stats { times }
}

/// Times a single run (for figures too slow to repeat, e.g. the Python baseline).
pub fn once<T>(f: impl FnOnce() -> T) -> (Duration, T) {
    let started = Instant::now();
    let value = f();
    (started.elapsed(), value)
}

/// One line of the result table.
pub struct Row {
    pub figure: String,
    pub value: String,
    pub spread: String,
    pub reference: String,
    pub target: String,
    pub met: Option<bool>,
}

pub fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

pub fn rate(count: f64, d: Duration, unit: &str) -> String {
    let per_s = count / d.as_secs_f64();
    if per_s >= 1e6 {
        format!("{:.2} M {unit}/s", per_s / 1e6)
    } else {
        format!("{:.0} k {unit}/s", per_s / 1e3)
    }
}

pub fn spread(s: &Stats) -> String {
    format!("±{:.0}% ({} runs)", s.spread_percent() / 2.0, s.times.len())
}

/// The table as Markdown (printed and, if asked, written for the README).
pub fn markdown(rows: &[Row], header: &str) -> String {
    let mut out = format!("{header}\n\n| Figure | Median | Spread | Reference point (same run) | Target | Met |\n|---|---|---|---|---|---|\n");
    for r in rows {
        let met = match r.met {
            Some(true) => "yes",
            Some(false) => "NO",
            None => "-",
        };
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} |\n",
            r.figure, r.value, r.spread, r.reference, r.target, met
        ));
    }
    out
}

/// The first argument that makes the harness a launcher: `rollcall-bench __launch RESULT PROGRAM ARGS...`
/// runs PROGRAM with the launcher's stdio, waits for it with `wait4`, writes "CPU-microseconds
/// max-RSS-kilobytes" of that child alone to RESULT and exits with its exit code.
pub const LAUNCH: &str = "__launch";

// A child's own peak memory is only reported by wait4 (libc).
#[cfg(unix)]
#[allow(unsafe_code)]
pub fn launch(args: &[std::ffi::OsString]) -> i32 {
    let [result, program, rest @ ..] = args else {
        eprintln!("usage: rollcall-bench {LAUNCH} RESULT PROGRAM [ARGS...]");
        return 2;
    };
    let child = match std::process::Command::new(program).args(rest).spawn() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("rollcall-bench: {}: {e}", program.to_string_lossy());
            return 127;
        }
    };
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: `rusage` is plain old data that wait4 fills in; we wait for our own child only.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    loop {
        // SAFETY: pointers are to live locals.
        let r = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
        if r == pid {
            break;
        }
        if std::io::Error::last_os_error().kind() != std::io::ErrorKind::Interrupted {
            eprintln!("rollcall-bench: wait4: {}", std::io::Error::last_os_error());
            return 1;
        }
    }
    // time_t and suseconds_t are i64 here but narrower on other platforms, hence the casts.
    #[allow(clippy::unnecessary_cast)]
    let micros = |t: libc::timeval| t.tv_sec as i64 * 1_000_000 + t.tv_usec as i64;
    let cpu = micros(usage.ru_utime) + micros(usage.ru_stime);
    if let Err(e) = std::fs::write(result, format!("{cpu} {}\n", usage.ru_maxrss)) {
        eprintln!("rollcall-bench: {}: {e}", result.to_string_lossy());
        return 1;
    }
    if libc::WIFEXITED(status) {
        libc::WEXITSTATUS(status)
    } else {
        1
    }
}

/// Without wait4 (Windows) the child's CPU time and peak memory are not known: they are written as 0,
/// which the tables show as not measured, and the wall times stay right.
#[cfg(not(unix))]
pub fn launch(args: &[std::ffi::OsString]) -> i32 {
    let [result, program, rest @ ..] = args else {
        eprintln!("usage: rollcall-bench {LAUNCH} RESULT PROGRAM [ARGS...]");
        return 2;
    };
    let status = match std::process::Command::new(program).args(rest).status() {
        Ok(s) => s,
        Err(e) => {
            eprintln!("rollcall-bench: {}: {e}", program.to_string_lossy());
            return 127;
        }
    };
    if let Err(e) = std::fs::write(result, "0 0\n") {
        eprintln!("rollcall-bench: {}: {e}", result.to_string_lossy());
        return 1;
    }
    status.code().unwrap_or(1)
}
