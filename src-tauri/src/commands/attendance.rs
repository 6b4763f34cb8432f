//! Commands for an event's attendance list.

use tauri::{AppHandle, Runtime, State};

use rollcall_core::attendance::{self, Attendance, AttendanceInput, AttendancePage, AttendanceQuery};
use rollcall_core::Result;

use super::check_id;
use crate::{jobs, AppState};

#[tauri::command]
pub async fn attendance_list(state: State<'_, AppState>, event_id: i64) -> Result<Vec<Attendance>> {
    let event_id = check_id("event_id", event_id)?;
    state.with(|c| attendance::for_event(c, event_id))
}

/// The page of an event's list the window shows (a 17,000-record event is never sent whole).
#[tauri::command]
pub async fn attendance_page(
    state: State<'_, AppState>,
    event_id: i64,
    query: AttendanceQuery,
) -> Result<AttendancePage> {
    let event_id = check_id("event_id", event_id)?;
    state.with(|c| attendance::page(c, event_id, &query))
}

#[tauri::command]
pub async fn attendance_set(state: State<'_, AppState>, input: AttendanceInput) -> Result<Attendance> {
    check_id("event_id", input.event_id)?;
    check_id("person_id", input.person_id)?;
    state.with(|c| attendance::set(c, &input))
}

#[tauri::command]
pub async fn attendance_remove(state: State<'_, AppState>, event_id: i64, person_id: i64) -> Result<()> {
    let event_id = check_id("event_id", event_id)?;
    let person_id = check_id("person_id", person_id)?;
    state.with(|c| attendance::remove(c, event_id, person_id))
}

/// The people expected at an event. It counts the attendance of every other event of the project (up to
/// a second on the full stress database), so it runs on the blocking pool with a connection of its own
/// (`jobs::read`): on the window's connection, every command after opening an event waited for it (an
/// import's preview clicked at once: 690 ms against 30 to 90), and an async command that blocks its
/// worker held up the next one queued there (1.4 s).
#[tauri::command]
pub async fn attendance_expected<R: Runtime>(app: AppHandle<R>, event_id: i64) -> Result<Vec<attendance::Expected>> {
    let event_id = check_id("event_id", event_id)?;
    jobs::read(app, move |c| attendance::expected(c, event_id)).await
}
