//! Long work (imports, exports, backups) off the UI thread: each job runs on Tauri's blocking pool with
//! its own database connection, reports progress to the window as `job-progress` events, and can be
//! cancelled by the window through `job_cancel`.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use serde::Serialize;
use tauri::{AppHandle, Emitter, Manager, Runtime};

use rollcall_core::db::Connection;
use rollcall_core::progress::Progress;
use rollcall_core::{Error, Result};

use crate::AppState;

/// Cancel flags of the jobs that are running, by the id the window gave them.
#[derive(Default)]
pub struct Jobs {
    running: Mutex<HashMap<u64, Arc<AtomicBool>>>,
}

impl Jobs {
    /// Asks a running job to stop; returns false if no such job is running (it may have just finished).
    pub fn cancel(&self, job: u64) -> bool {
        match self.running.lock().unwrap_or_else(|p| p.into_inner()).get(&job) {
            Some(flag) => {
                flag.store(true, Ordering::Relaxed);
                true
            }
            None => false,
        }
    }

    fn start(&self, job: u64) -> Result<Arc<AtomicBool>> {
        let mut running = self.running.lock().unwrap_or_else(|p| p.into_inner());
        if running.contains_key(&job) {
            return Err(Error::conflict(format!("job {job} is already running")));
        }
        let flag = Arc::new(AtomicBool::new(false));
        running.insert(job, flag.clone());
        Ok(flag)
    }

    fn finish(&self, job: u64) {
        self.running.lock().unwrap_or_else(|p| p.into_inner()).remove(&job);
    }
}

/// The payload of a `job-progress` event.
#[derive(Clone, Serialize)]
pub struct JobProgress {
    pub job: u64,
    pub done: u64,
    /// 0 when the total is not known in advance.
    pub total: u64,
}

/// Progress events are sent at most this often, so a fast job does not flood the window.
const EMIT_EVERY: Duration = Duration::from_millis(100);

/// Runs `work` on the blocking pool with a fresh connection to the app's database, while the UI thread
/// stays free. The window passes its own `job` id so it can cancel before the result arrives.
pub async fn run<R, T, F>(app: AppHandle<R>, job: u64, work: F) -> Result<T>
where
    R: Runtime,
    T: Send + 'static,
    F: FnOnce(&mut Connection, &Progress) -> Result<T> + Send + 'static,
{
    run_with_state(app, job, move |state, progress| work(&mut state.open_another()?, progress)).await
}

/// `run` for work that needs the app's state rather than a connection of its own (encryption, which
/// closes the window's connection, replaces the file and opens it again).
pub async fn run_with_state<R, T, F>(app: AppHandle<R>, job: u64, work: F) -> Result<T>
where
    R: Runtime,
    T: Send + 'static,
    F: FnOnce(&AppState, &Progress) -> Result<T> + Send + 'static,
{
    let cancel = app.state::<Jobs>().start(job)?;
    let handle = app.clone();
    let result = tauri::async_runtime::spawn_blocking(move || {
        let state = handle.state::<AppState>();
        let last = Mutex::new(Instant::now() - EMIT_EVERY);
        let report = |done: u64, total: u64| {
            let mut last = last.lock().unwrap_or_else(|p| p.into_inner());
            if last.elapsed() >= EMIT_EVERY || (total > 0 && done >= total) {
                *last = Instant::now();
                let _ = handle.emit("job-progress", JobProgress { job, done, total });
            }
        };
        let progress = Progress::new(&report, Some(&cancel));
        let started = Instant::now();
        let result = work(&state, &progress);
        log::info!("job {job} finished in {:?}: {}", started.elapsed(), if result.is_ok() { "ok" } else { "failed" });
        result
    })
    .await
    .map_err(|e| Error::conflict(format!("the background task failed: {e}")));
    app.state::<Jobs>().finish(job);
    // The job's connection is closed: what it held goes back to the system once the window is idle.
    crate::memory::busy();
    result?
}

/// How far the day's backup has got, in bytes of the copy.
#[derive(Clone, Serialize)]
struct Copied {
    done: u64,
    total: u64,
}

/// Slow reads run one at a time on one thread of their own: each takes a core, its connection's cache
/// and its sort (about 110 MB on the full stress database, freed when it ends). Run side by side, or
/// one after the other on the blocking pool's threads, the reads asked for in a burst (an event opened
/// then redrawn after each import) kept that much in each thread's heap: 1.3 GB after the window
/// benchmark's commands, the commits four times slower. On one thread the heap is reused.
type SlowRead = Box<dyn FnOnce() + Send>;
static SLOW_READS: OnceLock<Option<Mutex<mpsc::Sender<SlowRead>>>> = OnceLock::new();

fn slow_reads() -> Option<mpsc::Sender<SlowRead>> {
    let sender = SLOW_READS.get_or_init(|| {
        let (sender, reads) = mpsc::channel::<SlowRead>();
        let started = std::thread::Builder::new().name("slow-reads".into()).spawn(move || {
            for read in reads {
                read();
            }
        });
        match started {
            Ok(_) => Some(Mutex::new(sender)),
            Err(e) => {
                log::warn!("the slow-read thread did not start: {e}");
                None
            }
        }
    });
    sender.as_ref().map(|s| s.lock().unwrap_or_else(|p| p.into_inner()).clone())
}

/// A slow read (up to a second on a large database) on the slow-read thread with a connection of its
/// own: neither the window's connection nor an async worker is held meanwhile, so the window's other
/// commands go on (an async command that blocks its worker can hold up the next command queued on that
/// worker). Unlike `run`, it has no progress and no cancel.
pub async fn read<R, T, F>(app: AppHandle<R>, work: F) -> Result<T>
where
    R: Runtime,
    T: Send + 'static,
    F: FnOnce(&mut Connection) -> Result<T> + Send + 'static,
{
    let stopped = || Error::conflict("the background task failed: the slow-read thread has stopped");
    let (answer, answered) = tokio::sync::oneshot::channel();
    let read: SlowRead = Box::new(move || {
        let _ = answer.send(app.state::<AppState>().with_another(work));
    });
    slow_reads().ok_or_else(stopped)?.send(read).map_err(|_| stopped())?;
    answered.await.map_err(|_| stopped())?
}

/// Today's deferred work, started once the window is usable (first paint, or unlock): the full check
/// of a large database and the day's backup, on their own connection off the UI thread. The window is
/// told by `maintenance-progress` events while the backup is made (`{done, total}` in bytes of the copy)
/// and by the `maintenance` event at the end (with the damage found, if any, so it can show the
/// read-only banner).
pub fn daily_maintenance<R: Runtime>(app: AppHandle<R>) {
    if !app.state::<AppState>().begin_maintenance() {
        return;
    }
    tauri::async_runtime::spawn_blocking(move || {
        let state = app.state::<AppState>();
        let started = Instant::now();
        // The window shows how far the day's backup has got (bytes of the copy) in its status area.
        let report = |done: u64, total: u64| {
            let _ = app.emit("maintenance-progress", Copied { done, total });
        };
        let progress = Progress::new(&report, None);
        let result = state.open_another().and_then(|conn| {
            rollcall_core::open::daily_maintenance_with(
                &conn,
                &state.path,
                rollcall_core::safety::KEEP_BACKUPS,
                Some(&progress),
            )
        });
        log::info!(
            "daily work done in {:?}: {}",
            started.elapsed(),
            match &result {
                Ok(m) if m.problem.is_some() => "damage found",
                Ok(m) if m.backup.is_some() => "backup made",
                Ok(_) => "nothing due",
                Err(_) => "failed",
            }
        );
        state.maintenance_done(&result);
        crate::memory::busy();
        let _ = app.emit("maintenance", result.as_ref().ok());
    });
}
