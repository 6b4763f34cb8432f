//! Progress reporting and cancellation for long operations (import, export, backup), shared by the
//! desktop app (which turns reports into events for the progress bar) and the CLI.

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::time::Duration;

use crate::{Error, Result};

/// How often `Progress::watch_file` reads the size of the growing file.
const WATCH_EVERY: Duration = Duration::from_millis(200);

/// What a long operation is told by its caller: where to report progress and whether to stop.
///
/// Reports are throttled by the operation itself (every few thousand rows), so the callback may be
/// arbitrarily slow without slowing the work down noticeably.
pub struct Progress<'a> {
    report: &'a (dyn Fn(u64, u64) + Sync),
    cancel: Option<&'a AtomicBool>,
}

impl<'a> Progress<'a> {
    /// A sink that reports nothing and never cancels, for tests and the CLI.
    pub fn none() -> Progress<'static> {
        Progress { report: &|_, _| {}, cancel: None }
    }

    /// Reports `(done, total)` to `report`; `total` is 0 when unknown. Stops when `cancel` becomes true.
    pub fn new(report: &'a (dyn Fn(u64, u64) + Sync), cancel: Option<&'a AtomicBool>) -> Self {
        Progress { report, cancel }
    }

    /// Tells the caller how far the work has got.
    pub fn report(&self, done: u64, total: u64) {
        (self.report)(done, total);
    }

    /// Runs `work`, one SQLite statement that writes a whole file (`VACUUM INTO`, `sqlcipher_export`) and
    /// has no progress of its own, while a second thread reports how far the file at `growing` has got:
    /// its size, at most `total`, every 200 ms until `work` ends.
    pub fn watch_file<T>(&self, growing: &Path, total: u64, work: impl FnOnce() -> T) -> T {
        std::thread::scope(|scope| {
            let (stop, stopped) = mpsc::channel::<()>();
            scope.spawn(move || {
                while let Err(mpsc::RecvTimeoutError::Timeout) = stopped.recv_timeout(WATCH_EVERY) {
                    let written = std::fs::metadata(growing).map(|m| m.len()).unwrap_or(0);
                    self.report(written.min(total), total);
                }
            });
            let out = work();
            drop(stop);
            out
        })
    }

    /// Returns `Err(Error::Cancelled)` once the caller asked to stop; operations call this between
    /// batches and then roll back, so a cancelled operation leaves nothing behind.
    pub fn check(&self) -> Result<()> {
        match self.cancel {
            Some(flag) if flag.load(Ordering::Relaxed) => Err(Error::Cancelled),
            _ => Ok(()),
        }
    }
}
