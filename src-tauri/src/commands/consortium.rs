//! Commands for the partners' exchange (the "Partners' data" screen): this installation's identity and
//! partner card, trusted partners, sending a bundle of changes and applying one (preview, decisions,
//! apply), the history of bundles, and merging two people. Bundles are written and read as background
//! jobs; all the rules are the core's (`rollcall_core::consortium`, `rollcall_core::merge`).

use serde::Deserialize;
use tauri::{AppHandle, Manager, Runtime, State};

use rollcall_core::consortium::bundle::{
    self, ApplyOptions, BundleApplied, BundleExported, BundleRecord, ExportOptions,
};
use rollcall_core::consortium::contacts::{self, Contact};
use rollcall_core::consortium::identity::{self, IdentityInfo};
use rollcall_core::import::{AmbiguousPolicy, Resolution};
use rollcall_core::merge::{self, MergeSummary};
use rollcall_core::{Error, Result};

use super::{check_id, check_path};
use crate::{jobs, AppState};

/// This installation's identity and partner card (keys are made on first use).
#[tauri::command]
pub async fn identity_show(state: State<'_, AppState>) -> Result<IdentityInfo> {
    state.with(|c| identity::show(c))
}

/// Which of the database's organisations this installation speaks for.
#[tauri::command]
pub async fn identity_set_organisation(state: State<'_, AppState>, organisation_id: i64) -> Result<IdentityInfo> {
    let id = check_id("organisation_id", organisation_id)?;
    state.with(|c| identity::set_organisation(c, id))
}

#[tauri::command]
pub async fn contact_list(state: State<'_, AppState>) -> Result<Vec<Contact>> {
    state.with(|c| contacts::list(c, false))
}

/// Trusts a partner's card, linked to one of the database's organisations.
#[tauri::command]
pub async fn contact_add(state: State<'_, AppState>, card: String, organisation_id: i64) -> Result<Contact> {
    if card.trim().is_empty() || card.len() > 4096 {
        return Err(Error::invalid("card", "paste the partner's card: one line starting with rollcall-card-1"));
    }
    let org = check_id("organisation_id", organisation_id)?;
    state.with(|c| contacts::add(c, &card, org))
}

#[tauri::command]
pub async fn contact_remove(state: State<'_, AppState>, id: i64) -> Result<Contact> {
    let id = check_id("id", id)?;
    state.with(|c| contacts::remove(c, id))
}

/// Writes the project's changes since the last bundle (or everything with `full`) for the partners
/// with these fingerprints, as a background job.
#[allow(clippy::too_many_arguments)]
#[tauri::command]
pub async fn bundle_export<R: Runtime>(
    app: AppHandle<R>,
    job: u64,
    project_id: i64,
    to: Vec<String>,
    path: String,
    full: bool,
    pseudonymous: bool,
) -> Result<BundleExported> {
    let project_id = check_id("project_id", project_id)?;
    if to.is_empty() || to.iter().any(|f| f.trim().is_empty() || f.len() > 200) {
        return Err(Error::invalid("to", "choose at least one partner to send to"));
    }
    let out = check_path("path", &path, false)?;
    let options = ExportOptions { project_id, to, out: out.clone(), full, pseudonymous };
    let exported = jobs::run(app.clone(), job, move |conn, _| bundle::export(conn, &options)).await?;
    app.state::<AppState>().note_written(&out);
    Ok(exported)
}

/// How the window asks for a bundle to be applied.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApplyRequest {
    pub path: String,
    #[serde(default)]
    pub dry_run: bool,
    /// What to do with people still undecided: "ask" (the default), "new" or "skip".
    #[serde(default)]
    pub ambiguous: Option<AmbiguousPolicy>,
    #[serde(default)]
    pub resolutions: Vec<Resolution>,
}

/// Verifies and previews (`dry_run`) or applies a partner's bundle, as a background job.
#[tauri::command]
pub async fn bundle_apply<R: Runtime>(app: AppHandle<R>, job: u64, request: ApplyRequest) -> Result<BundleApplied> {
    let path = check_path("path", &request.path, true)?;
    for r in &request.resolutions {
        if let Some(id) = r.person_id {
            check_id("person_id", id)?;
        }
    }
    let options = ApplyOptions {
        dry_run: request.dry_run,
        ambiguous: request.ambiguous.unwrap_or_default(),
        resolutions: request.resolutions,
    };
    jobs::run(app, job, move |conn, _| bundle::apply(conn, &path, &options)).await
}

/// The bundles sent and applied, newest first.
#[tauri::command]
pub async fn bundle_list(state: State<'_, AppState>) -> Result<Vec<BundleRecord>> {
    state.with(|c| bundle::list(c))
}

/// Merges person `drop` into person `keep` (one transaction; `drop`'s uid stays an alias of `keep`).
#[tauri::command]
pub async fn person_merge(state: State<'_, AppState>, keep: i64, drop: i64) -> Result<MergeSummary> {
    let keep = check_id("keep", keep)?;
    let drop = check_id("drop", drop)?;
    state.with(|c| merge::merge_people(c, keep, drop))
}
