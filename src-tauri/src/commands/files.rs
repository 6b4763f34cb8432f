//! "Open" and "Show in folder" for a file Rollcall has just written (an export, a person's data, a
//! partners' bundle): the system's program for the file, or its file manager with the file selected.

use std::path::{Path, PathBuf};

use tauri::State;

use rollcall_core::{Error, Result};

use super::check_path;
use crate::AppState;

/// Opens a file this session wrote in the program the system chooses for it (Excel, a text editor).
#[tauri::command]
pub async fn file_open(state: State<'_, AppState>, path: String) -> Result<()> {
    let path = written(&state, &path)?;
    log::info!("opening an exported file in the system's program for it");
    blocking(move || tauri_plugin_opener::open_path(&path, None::<&str>).map_err(|e| not_opened(&path, e))).await
}

/// Shows a file this session wrote in the system's file manager, selected. A desktop without a file
/// manager that can select a file (a bare window manager, some Linux desktops) gets its folder opened.
#[tauri::command]
pub async fn file_reveal(state: State<'_, AppState>, path: String) -> Result<()> {
    let path = written(&state, &path)?;
    log::info!("showing an exported file in its folder");
    blocking(move || {
        tauri_plugin_opener::reveal_item_in_dir(&path).or_else(|e| {
            log::info!("the file manager could not select the file ({e}); opening its folder instead");
            let folder = path.parent().unwrap_or(&path);
            tauri_plugin_opener::open_path(folder, None::<&str>).map_err(|e| not_opened(folder, e))
        })
    })
    .await
}

/// Runs `f` on the blocking pool: handing a file to the system waits for each launcher it tries (a
/// quarter of a second each on Linux) and for the desktop's bus, which must not hold an async worker.
async fn blocking(f: impl FnOnce() -> Result<()> + Send + 'static) -> Result<()> {
    tauri::async_runtime::spawn_blocking(f)
        .await
        .map_err(|e| Error::conflict(format!("the background task failed: {e}")))?
}

/// The path, if it is a file this session wrote at the user's request and it is still there. Anything
/// else is refused: the window never has the system open a file it names on its own.
fn written(state: &AppState, path: &str) -> Result<PathBuf> {
    let path = check_path("path", path, true)?;
    if !state.was_written(&path) {
        return Err(Error::invalid("path", "only a file Rollcall wrote since it started can be opened from here"));
    }
    Ok(path)
}

/// No program could open it: the system has none for this kind of file, or none at all.
fn not_opened(path: &Path, e: tauri_plugin_opener::Error) -> Error {
    Error::Io { path: path.display().to_string(), source: std::io::Error::other(format!("could not be opened ({e})")) }
}
