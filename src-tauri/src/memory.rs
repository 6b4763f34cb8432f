//! Memory handed back when the window is idle (issue 19's memory target): a second after the last
//! command or job, the window's connection drops its page cache (`db::release_memory`) and, on Linux
//! with glibc, the freed heap is returned to the system (`malloc_trim`).
//!
//! Why: after every screen of the full stress database (348 MB) the app process held 302 MB RSS, of
//! which SQLite's page cache was up to 64 MB (the cache size the imports need, `db::configure`) and
//! about 50 MB was memory already freed (the sorts of the "expected regulars" query over a million
//! records, the 17,000-row attendance list turned into JSON, the jobs' own connections) that glibc
//! keeps in its per-thread arenas and does not give back by itself (a `malloc_trim` from a debugger took
//! that process from 257 to 204 MB). With this module, `make bench BENCH_ARGS="--only window"`: the app
//! process 189 MB after every screen (302 MB before); with `--quick`, 184 to 190 MB (224 to 233 MB).
//!
//! Releasing only when idle keeps the cache warm while the coordinator works (paging a list, typing a
//! search, an import's preview then its commit): the next command after a pause reads its pages again
//! from the system's file cache. Measured on the full stress database (machine busy, load 5): a people
//! search 10 ms warm, 23 to 43 ms after a pause; the project report 24 to 47 ms warm, 36 to 53 ms after;
//! the 17,000 attendance records 117 to 201 ms warm, 157 to 308 ms after; the expected regulars (1 s)
//! no different. A command that is running when the second is up is not waited for: it marks the
//! window busy again when it ends.

use std::sync::{Condvar, Mutex};
use std::time::{Duration, Instant};

use tauri::{AppHandle, Manager, Runtime};

use crate::AppState;

/// How long the window must be idle before its memory is handed back: longer than the pauses inside
/// one action (an import's preview and commit, pages of a list), shorter than a look at a screen.
const IDLE: Duration = Duration::from_secs(1);

/// When the last command or job ended; `None` once its memory was handed back.
static LAST_BUSY: Mutex<Option<Instant>> = Mutex::new(None);
static WAKE: Condvar = Condvar::new();

/// Called when a command or job has used the database: the memory is handed back after `IDLE`.
pub fn busy() {
    *LAST_BUSY.lock().unwrap_or_else(|p| p.into_inner()) = Some(Instant::now());
    WAKE.notify_one();
}

/// Starts the thread that hands memory back; it sleeps until a command has run.
pub fn start<R: Runtime>(app: AppHandle<R>) {
    let spawned = std::thread::Builder::new().name("idle-memory".into()).spawn(move || loop {
        let mut last = LAST_BUSY.lock().unwrap_or_else(|p| p.into_inner());
        let since = *last;
        match since {
            None => drop(WAKE.wait(last).unwrap_or_else(|p| p.into_inner())),
            Some(at) if at.elapsed() < IDLE => {
                let wait = IDLE.saturating_sub(at.elapsed());
                drop(WAKE.wait_timeout(last, wait).unwrap_or_else(|p| p.into_inner()));
            }
            Some(_) => {
                *last = None;
                drop(last);
                app.state::<AppState>().release_memory();
                return_freed_heap();
            }
        }
    });
    if let Err(e) = spawned {
        log::warn!("the idle memory thread did not start: {e}");
    }
}

/// Gives the heap's free pages back to the system. glibc keeps freed memory in the arena of the thread
/// that freed it (commands run on several threads) and returns it only from the top of the main heap;
/// `malloc_trim` releases the free pages of every arena. Other allocators (macOS, Windows, musl) return
/// memory by themselves.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[allow(unsafe_code)] // malloc_trim has no safe wrapper; it takes a size and only returns free pages.
fn return_freed_heap() {
    // SAFETY: malloc_trim(0) locks each arena and returns its free pages to the system; it touches no
    // memory in use and may be called from any thread at any time.
    unsafe {
        libc::malloc_trim(0);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn return_freed_heap() {}
