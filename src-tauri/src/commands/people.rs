//! Commands for people and their consent records.

use tauri::State;

use rollcall_core::attendance::{self, HistoryEntry};
use rollcall_core::people::{
    self, BulkSummary, BulkUpdate, Consent, ConsentInput, PeoplePage, PeopleQuery, Person, PersonInput, Suggestion,
    SuggestionQuery,
};
use rollcall_core::Result;

use super::check_id;
use crate::AppState;

#[tauri::command]
pub async fn person_list(state: State<'_, AppState>, query: PeopleQuery) -> Result<PeoplePage> {
    state.with(|c| people::list(c, &query))
}

/// Country, gender and/or organisation for many people at once (`input.ids`), all or none.
#[tauri::command]
pub async fn person_bulk_update(state: State<'_, AppState>, input: BulkUpdate) -> Result<BulkSummary> {
    for id in &input.ids {
        check_id("ids", *id)?;
    }
    if let Some(o) = input.organisation_id {
        check_id("organisation_id", o)?;
    }
    state.with(|c| people::bulk_update(c, &input))
}

/// Suggested countries and organisations for people missing them; never applied here.
#[tauri::command]
pub async fn person_suggestions(state: State<'_, AppState>, query: SuggestionQuery) -> Result<Vec<Suggestion>> {
    for id in query.ids.iter().flatten() {
        check_id("ids", *id)?;
    }
    state.with(|c| people::suggestions(c, &query))
}

/// A person's other email addresses (kept from import decisions and merges).
#[tauri::command]
pub async fn person_other_emails(state: State<'_, AppState>, id: i64) -> Result<Vec<people::OtherEmail>> {
    let id = check_id("id", id)?;
    state.with(|c| people::other_emails(c, id))
}

#[tauri::command]
pub async fn person_get(state: State<'_, AppState>, id: i64) -> Result<Person> {
    let id = check_id("id", id)?;
    state.with(|c| people::get(c, id))
}

#[tauri::command]
pub async fn person_create(state: State<'_, AppState>, input: PersonInput) -> Result<Person> {
    state.with(|c| people::create(c, &input))
}

#[tauri::command]
pub async fn person_update(state: State<'_, AppState>, id: i64, input: PersonInput) -> Result<Person> {
    let id = check_id("id", id)?;
    state.with(|c| people::update(c, id, &input))
}

#[tauri::command]
pub async fn person_delete(state: State<'_, AppState>, id: i64, cascade: bool) -> Result<()> {
    let id = check_id("id", id)?;
    state.with(|c| people::delete(c, id, cascade))
}

#[tauri::command]
pub async fn person_history(state: State<'_, AppState>, id: i64) -> Result<Vec<HistoryEntry>> {
    let id = check_id("id", id)?;
    state.with(|c| attendance::history(c, id))
}

#[tauri::command]
pub async fn person_consents(state: State<'_, AppState>, id: i64) -> Result<Vec<Consent>> {
    let id = check_id("id", id)?;
    state.with(|c| people::consents(c, id))
}

#[tauri::command]
pub async fn person_consent_add(state: State<'_, AppState>, id: i64, input: ConsentInput) -> Result<Consent> {
    let id = check_id("id", id)?;
    state.with(|c| people::add_consent(c, id, &input))
}

#[tauri::command]
pub async fn person_consent_withdraw(state: State<'_, AppState>, id: i64, purpose: Option<String>) -> Result<usize> {
    let id = check_id("id", id)?;
    state.with(|c| people::withdraw_consent(c, id, purpose.as_deref()))
}

/// The gender words that no category matched ("needs review"), each with how many people use them.
#[tauri::command]
pub async fn gender_review(state: State<'_, AppState>) -> Result<Vec<rollcall_core::gender::ReviewSpelling>> {
    state.with(|c| rollcall_core::gender::review(c))
}

/// Maps a spelling to a category for everyone at once, and remembers it for later imports and forms.
#[tauri::command]
pub async fn gender_map(
    state: State<'_, AppState>,
    spelling: String,
    category: String,
) -> Result<rollcall_core::gender::MapOutcome> {
    state.with(|c| rollcall_core::gender::map_spelling(c, &spelling, &category))
}
