//! Commands for people's rights: a copy of everything about a person, erasure, and retention.

use tauri::State;

use rollcall_core::privacy::{self, DataFormat, EraseSummary, PersonDataFile, PersonSummary};
use rollcall_core::{validate, Error, Result};

use super::{check_id, check_path};
use crate::AppState;

/// Retention erases at most this many people per call; the window sends the ids it listed.
const MAX_ERASE: usize = 100_000;

/// Writes everything Rollcall holds about the person (right of access) as JSON or CSV.
#[tauri::command]
pub async fn person_export(
    state: State<'_, AppState>,
    id: i64,
    path: String,
    format: DataFormat,
) -> Result<PersonDataFile> {
    let id = check_id("id", id)?;
    let out = check_path("path", &path, false)?;
    let written = state.with(|c| privacy::write_person_data(c, id, &out, format))?;
    state.note_written(&out);
    Ok(written)
}

/// Erases the person everywhere; their attendance is kept only as anonymous counts.
#[tauri::command]
pub async fn person_erase(state: State<'_, AppState>, id: i64) -> Result<EraseSummary> {
    let id = check_id("id", id)?;
    state.with(|c| privacy::erase_person(c, id))
}

/// People with no attendance since `before` (YYYY-MM-DD).
#[tauri::command]
pub async fn retention_candidates(state: State<'_, AppState>, before: String) -> Result<Vec<PersonSummary>> {
    let before = validate::date("before", Some(&before))?.ok_or_else(|| Error::invalid("before", "choose a date"))?;
    state.with(|c| privacy::retention_candidates(c, &before))
}

#[tauri::command]
pub async fn retention_erase(state: State<'_, AppState>, ids: Vec<i64>) -> Result<EraseSummary> {
    if ids.is_empty() || ids.len() > MAX_ERASE {
        return Err(Error::invalid("ids", "choose the people to erase"));
    }
    let ids = ids.into_iter().map(|id| check_id("ids", id)).collect::<Result<Vec<_>>>()?;
    state.with(|c| privacy::erase_people(c, &ids))
}

/// A person's disability answers (special-category data), if any are held.
#[tauri::command]
pub async fn disability_get(
    state: State<'_, AppState>,
    person_id: i64,
) -> Result<Option<rollcall_core::disability::Disability>> {
    let id = check_id("person_id", person_id)?;
    state.with(|c| rollcall_core::disability::get(c, id))
}

/// Records a person's disability answers; refused unless they have an open "disability data" consent.
#[tauri::command]
pub async fn disability_set(
    state: State<'_, AppState>,
    person_id: i64,
    input: rollcall_core::disability::DisabilityInput,
) -> Result<rollcall_core::disability::Disability> {
    let id = check_id("person_id", person_id)?;
    state.with(|c| rollcall_core::disability::set(c, id, &input))
}

/// Deletes a person's disability answers.
#[tauri::command]
pub async fn disability_clear(state: State<'_, AppState>, person_id: i64) -> Result<bool> {
    let id = check_id("person_id", person_id)?;
    state.with(|c| rollcall_core::disability::clear(c, id))
}
