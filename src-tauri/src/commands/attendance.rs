//! Commands for an event's attendance list.

use tauri::State;

use rollcall_core::attendance::{self, Attendance, AttendanceInput};
use rollcall_core::Result;

use super::check_id;
use crate::AppState;

#[tauri::command]
pub async fn attendance_list(state: State<'_, AppState>, event_id: i64) -> Result<Vec<Attendance>> {
    let event_id = check_id("event_id", event_id)?;
    state.with(|c| attendance::for_event(c, event_id))
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

#[tauri::command]
pub async fn attendance_expected(state: State<'_, AppState>, event_id: i64) -> Result<Vec<attendance::Expected>> {
    let event_id = check_id("event_id", event_id)?;
    state.with(|c| attendance::expected(c, event_id))
}
