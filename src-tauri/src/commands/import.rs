//! Commands for importing participant reports: preview and commit run as background jobs (progress,
//! cancel); the list of imports, undo and pasted lists are quick and run directly.

use tauri::{AppHandle, Runtime, State};

use rollcall_core::import::{
    self, ImportOptions, ImportPreview, ImportRecord, ImportSummary, PasteSummary, Resolution, UndoSummary,
};
use rollcall_core::Result;

use super::{check_id, check_path};
use crate::{jobs, AppState};

#[tauri::command]
pub async fn import_preview<R: Runtime>(
    app: AppHandle<R>,
    job: u64,
    event_id: i64,
    path: String,
    options: ImportOptions,
    resolutions: Option<Vec<Resolution>>,
) -> Result<ImportPreview> {
    let event_id = check_id("event_id", event_id)?;
    let path = check_path("path", &path, true)?;
    // The decisions made so far (ambiguities, per-row skips and renames), so the counts are the commit's.
    let resolutions = check_resolutions(resolutions.unwrap_or_default())?;
    jobs::run(app, job, move |conn, progress| {
        import::preview_with(conn, event_id, &path, &options, &resolutions, progress)
    })
    .await
}

fn check_resolutions(resolutions: Vec<Resolution>) -> Result<Vec<Resolution>> {
    for r in &resolutions {
        if let Some(id) = r.person_id {
            check_id("person_id", id)?;
        }
    }
    Ok(resolutions)
}

#[tauri::command]
pub async fn import_commit<R: Runtime>(
    app: AppHandle<R>,
    job: u64,
    event_id: i64,
    path: String,
    options: ImportOptions,
    resolutions: Vec<Resolution>,
) -> Result<ImportSummary> {
    let event_id = check_id("event_id", event_id)?;
    let path = check_path("path", &path, true)?;
    let resolutions = check_resolutions(resolutions)?;
    jobs::run(app, job, move |conn, progress| import::commit(conn, event_id, &path, &options, &resolutions, progress))
        .await
}

/// The columns of a sheet, for mapping one that nothing was recognised in.
#[tauri::command]
pub async fn import_headers(path: String, sheet: Option<String>) -> Result<Vec<String>> {
    let path = check_path("path", &path, true)?;
    import::sheet_headers(&path, sheet.as_deref())
}

/// A workbook's sheets (name, rows, empty, visible), so the window can ask which one to read when more
/// than one holds data; a CSV file has none.
#[tauri::command]
pub async fn import_sheets(path: String) -> Result<Vec<import::SheetInfo>> {
    let path = check_path("path", &path, true)?;
    import::sheets(&path)
}

#[tauri::command]
pub async fn import_list(state: State<'_, AppState>, event_id: Option<i64>) -> Result<Vec<ImportRecord>> {
    let event_id = event_id.map(|e| check_id("event_id", e)).transpose()?;
    state.with(|c| import::list(c, event_id))
}

#[tauri::command]
pub async fn import_undo(state: State<'_, AppState>, id: i64) -> Result<UndoSummary> {
    let id = check_id("id", id)?;
    state.with(|c| import::undo(c, id))
}

#[tauri::command]
pub async fn import_paste(
    state: State<'_, AppState>,
    event_id: i64,
    text: String,
    dry_run: bool,
) -> Result<PasteSummary> {
    let event_id = check_id("event_id", event_id)?;
    state.with(|c| import::paste(c, event_id, &text, dry_run))
}

/// The formats the window offers: `auto`, each report format of the core's registry, `generic`.
#[tauri::command]
pub async fn import_formats() -> Result<Vec<rollcall_core::import::Format>> {
    Ok(import::format_names())
}
