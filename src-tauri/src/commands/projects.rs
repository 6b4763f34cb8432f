//! Commands for projects and their partners.

use tauri::State;

use rollcall_core::partners::{self, Partner, PartnerInput};
use rollcall_core::projects::{self, Project, ProjectInput};
use rollcall_core::Result;

use super::check_id;
use crate::AppState;

#[tauri::command]
pub async fn project_list(state: State<'_, AppState>) -> Result<Vec<Project>> {
    state.with(|c| projects::list(c))
}

#[tauri::command]
pub async fn project_get(state: State<'_, AppState>, id: i64) -> Result<Project> {
    let id = check_id("id", id)?;
    state.with(|c| projects::get(c, id))
}

#[tauri::command]
pub async fn project_create(state: State<'_, AppState>, input: ProjectInput) -> Result<Project> {
    state.with(|c| projects::create(c, &input))
}

#[tauri::command]
pub async fn project_update(state: State<'_, AppState>, id: i64, input: ProjectInput) -> Result<Project> {
    let id = check_id("id", id)?;
    state.with(|c| projects::update(c, id, &input))
}

/// Deletes a project; `cascade` confirms that its events and attendance may go too.
#[tauri::command]
pub async fn project_delete(state: State<'_, AppState>, id: i64, cascade: bool) -> Result<()> {
    let id = check_id("id", id)?;
    state.with(|c| projects::delete(c, id, cascade))
}

#[tauri::command]
pub async fn partner_list(state: State<'_, AppState>, project_id: i64) -> Result<Vec<Partner>> {
    let project_id = check_id("project_id", project_id)?;
    state.with(|c| partners::for_project(c, project_id))
}

#[tauri::command]
pub async fn partner_add(state: State<'_, AppState>, input: PartnerInput) -> Result<Partner> {
    check_id("project_id", input.project_id)?;
    check_id("organisation_id", input.organisation_id)?;
    state.with(|c| partners::add(c, &input))
}

#[tauri::command]
pub async fn partner_set_role(state: State<'_, AppState>, id: i64, role: String) -> Result<Partner> {
    let id = check_id("id", id)?;
    state.with(|c| partners::set_role(c, id, &role))
}

#[tauri::command]
pub async fn partner_remove(state: State<'_, AppState>, id: i64) -> Result<()> {
    let id = check_id("id", id)?;
    state.with(|c| partners::remove(c, id))
}
