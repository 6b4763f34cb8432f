//! Report commands for the Reports screen: an event's attendance, a project's summary and donor table, an
//! organisation's participation and a project's partners. The figures come from `rollcall_core::reports`
//! unchanged (their field names are stable); these commands only check what arrives from the window.

use tauri::State;

use rollcall_core::reports::{
    self, DonorOptions, DonorTable, EventAttendance, OrgParticipation, ProjectPartners, ProjectSummary, SummaryOptions,
};
use rollcall_core::{validate, Error, Result};

use super::check_id;
use crate::AppState;

/// An optional `YYYY-MM-DD` date from the window, normalised; blank means "no limit".
pub(crate) fn check_date(field: &str, value: Option<String>) -> Result<Option<String>> {
    validate::date(field, value.as_deref())
}

/// A threshold from the window: absent, or zero and more.
pub(crate) fn check_non_negative(field: &str, value: Option<i64>) -> Result<Option<i64>> {
    match value {
        Some(v) if v < 0 => Err(Error::invalid(field, format!("{field} cannot be negative"))),
        other => Ok(other),
    }
}

/// The summary's date range, checked; `from` after `to` is refused by the core with field "to".
pub(crate) fn summary_options(from: Option<String>, to: Option<String>) -> Result<SummaryOptions> {
    Ok(SummaryOptions { from: check_date("from", from)?, to: check_date("to", to)? })
}

/// The donor table's options, checked.
pub(crate) fn donor_options(
    from: Option<String>,
    to: Option<String>,
    min_minutes: Option<i64>,
    min_events: Option<i64>,
    rows: Option<String>,
    cols: Option<String>,
) -> Result<DonorOptions> {
    // The dimensions down and across (gender x country when not given); the core names a wrong one.
    let dimension = |field: &str, value: Option<String>| -> Result<Option<reports::Dimension>> {
        match value.filter(|v| !v.is_empty()) {
            None => Ok(None),
            Some(v) => v.parse::<reports::Dimension>().map(Some).map_err(|e| match e {
                rollcall_core::Error::Invalid { message, .. } => rollcall_core::Error::invalid(field, message),
                other => other,
            }),
        }
    };
    Ok(DonorOptions {
        from: check_date("from", from)?,
        to: check_date("to", to)?,
        min_minutes: check_non_negative("min_minutes", min_minutes)?,
        min_events: check_non_negative("min_events", min_events)?,
        rows: dimension("rows", rows)?,
        cols: dimension("cols", cols)?,
    })
}

#[tauri::command]
pub async fn report_event(state: State<'_, AppState>, event_id: i64) -> Result<EventAttendance> {
    let event_id = check_id("event_id", event_id)?;
    state.with(|c| reports::event_attendance(c, event_id))
}

#[tauri::command]
pub async fn report_project(
    state: State<'_, AppState>,
    project_id: i64,
    from: Option<String>,
    to: Option<String>,
) -> Result<ProjectSummary> {
    let project_id = check_id("project_id", project_id)?;
    let opts = summary_options(from, to)?;
    state.with(|c| reports::project_summary(c, project_id, &opts))
}

// Each report filter is its own argument, as the window sends them (see ui/api.js).
#[allow(clippy::too_many_arguments)]
#[tauri::command]
pub async fn report_donor(
    state: State<'_, AppState>,
    project_id: i64,
    from: Option<String>,
    to: Option<String>,
    min_minutes: Option<i64>,
    min_events: Option<i64>,
    rows: Option<String>,
    cols: Option<String>,
) -> Result<DonorTable> {
    let project_id = check_id("project_id", project_id)?;
    let opts = donor_options(from, to, min_minutes, min_events, rows, cols)?;
    state.with(|c| reports::donor_table(c, project_id, &opts))
}

/// The people behind a donor-table figure: a row or column total (`dim`, `value`), or a cell (with
/// `dim2`, `value2`); `value` "" is "not stated", "erased" the erased people (counted, never listed).
#[allow(clippy::too_many_arguments)]
#[tauri::command]
pub async fn report_cell_people(
    state: State<'_, AppState>,
    project_id: i64,
    from: Option<String>,
    to: Option<String>,
    min_minutes: Option<i64>,
    min_events: Option<i64>,
    dim: String,
    value: String,
    dim2: Option<String>,
    value2: Option<String>,
    offset: Option<i64>,
    limit: Option<i64>,
) -> Result<reports::CellPeople> {
    let project_id = check_id("project_id", project_id)?;
    let opts = donor_options(from, to, min_minutes, min_events, None, None)?;
    let dimension = |field: &str, v: &str| -> Result<reports::Dimension> {
        v.parse().map_err(|e| match e {
            rollcall_core::Error::Invalid { message, .. } => rollcall_core::Error::invalid(field, message),
            other => other,
        })
    };
    let mut cell = vec![reports::CellValue { dimension: dimension("dim", &dim)?, key: value, label: String::new() }];
    match (dim2.filter(|d| !d.is_empty()), value2) {
        (Some(d), Some(v)) => {
            cell.push(reports::CellValue { dimension: dimension("dim2", &d)?, key: v, label: String::new() })
        }
        (None, _) => {}
        (Some(_), None) => return Err(rollcall_core::Error::invalid("value2", "give the second value with dim2")),
    }
    let offset = check_non_negative("offset", offset)?.unwrap_or(0);
    let limit = check_non_negative("limit", limit)?.unwrap_or(0);
    state.with(|c| reports::cell_people(c, project_id, &opts, &cell, offset, limit))
}

#[tauri::command]
pub async fn report_organisation(state: State<'_, AppState>, org_id: i64) -> Result<OrgParticipation> {
    let org_id = check_id("org_id", org_id)?;
    state.with(|c| reports::organisation_participation(c, org_id))
}

#[tauri::command]
pub async fn report_partners(state: State<'_, AppState>, project_id: i64) -> Result<ProjectPartners> {
    let project_id = check_id("project_id", project_id)?;
    state.with(|c| reports::partners(c, project_id))
}

/// Registered, attended, no-shows and walk-ins per event of a project and in all.
#[tauri::command]
pub async fn report_registration(
    state: State<'_, AppState>,
    project_id: i64,
    from: Option<String>,
    to: Option<String>,
) -> Result<reports::RegistrationReport> {
    let project_id = check_id("project_id", project_id)?;
    let (from, to) = (check_date("from", from)?, check_date("to", to)?);
    let opts = reports::RegistrationOptions { event_id: None, from, to };
    state.with(|c| reports::registration_report(c, project_id, &opts))
}

/// The project's indicators with baseline, target, actual and percent of target, for the period.
#[tauri::command]
pub async fn report_indicators(
    state: State<'_, AppState>,
    project_id: i64,
    from: Option<String>,
    to: Option<String>,
) -> Result<rollcall_core::indicators::IndicatorReport> {
    let project_id = check_id("project_id", project_id)?;
    let (from, to) = (check_date("from", from)?, check_date("to", to)?);
    let opts = rollcall_core::indicators::IndicatorOptions { from, to };
    state.with(|c| rollcall_core::indicators::report(c, project_id, &opts))
}

#[tauri::command]
pub async fn indicator_add(
    state: State<'_, AppState>,
    project_id: i64,
    input: rollcall_core::indicators::IndicatorInput,
) -> Result<rollcall_core::indicators::Indicator> {
    let project_id = check_id("project_id", project_id)?;
    state.with(|c| rollcall_core::indicators::add(c, project_id, &input))
}

#[tauri::command]
pub async fn indicator_remove(state: State<'_, AppState>, id: i64) -> Result<()> {
    let id = check_id("id", id)?;
    state.with(|c| rollcall_core::indicators::remove(c, id))
}
