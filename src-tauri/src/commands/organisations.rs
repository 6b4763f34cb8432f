//! Commands for organisations.

use tauri::State;

use rollcall_core::organisations::{self, Organisation, OrganisationInput};
use rollcall_core::partners::{self, Partner};
use rollcall_core::Result;
use serde::Serialize;

use super::check_id;
use crate::AppState;

#[tauri::command]
pub async fn organisation_list(state: State<'_, AppState>, search: Option<String>) -> Result<Vec<Organisation>> {
    state.with(|c| organisations::list(c, search.as_deref()))
}

/// An organisation with the projects it takes part in.
#[derive(Serialize)]
pub struct OrganisationDetail {
    #[serde(flatten)]
    pub organisation: Organisation,
    pub partnerships: Vec<Partner>,
}

#[tauri::command]
pub async fn organisation_get(state: State<'_, AppState>, id: i64) -> Result<OrganisationDetail> {
    let id = check_id("id", id)?;
    state.with(|c| {
        Ok(OrganisationDetail {
            organisation: organisations::get(c, id)?,
            partnerships: partners::for_organisation(c, id)?,
        })
    })
}

#[tauri::command]
pub async fn organisation_create(state: State<'_, AppState>, input: OrganisationInput) -> Result<Organisation> {
    state.with(|c| organisations::create(c, &input))
}

#[tauri::command]
pub async fn organisation_update(
    state: State<'_, AppState>,
    id: i64,
    input: OrganisationInput,
) -> Result<Organisation> {
    let id = check_id("id", id)?;
    state.with(|c| organisations::update(c, id, &input))
}

#[tauri::command]
pub async fn organisation_delete(state: State<'_, AppState>, id: i64, cascade: bool) -> Result<()> {
    let id = check_id("id", id)?;
    state.with(|c| organisations::delete(c, id, cascade))
}
