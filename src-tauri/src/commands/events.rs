//! Commands for events.

use tauri::State;

use rollcall_core::events::{self, Event, EventInput};
use rollcall_core::Result;

use super::check_id;
use crate::AppState;

#[tauri::command]
pub async fn event_list(state: State<'_, AppState>, project_id: Option<i64>) -> Result<Vec<Event>> {
    let project_id = project_id.map(|p| check_id("project_id", p)).transpose()?;
    state.with(|c| events::list(c, project_id))
}

#[tauri::command]
pub async fn event_get(state: State<'_, AppState>, id: i64) -> Result<Event> {
    let id = check_id("id", id)?;
    state.with(|c| events::get(c, id))
}

#[tauri::command]
pub async fn event_create(state: State<'_, AppState>, input: EventInput) -> Result<Event> {
    state.with(|c| events::create(c, &input))
}

#[tauri::command]
pub async fn event_update(state: State<'_, AppState>, id: i64, input: EventInput) -> Result<Event> {
    let id = check_id("id", id)?;
    state.with(|c| events::update(c, id, &input))
}

#[tauri::command]
pub async fn event_delete(state: State<'_, AppState>, id: i64, cascade: bool) -> Result<()> {
    let id = check_id("id", id)?;
    state.with(|c| events::delete(c, id, cascade))
}
