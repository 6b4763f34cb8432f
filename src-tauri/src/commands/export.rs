//! CSV export commands. The window asks the user for a file with the native save dialog and passes its
//! path; each export runs as a background job (see crate::jobs) with progress and Cancel, and the core
//! writes to a temporary file that replaces the destination only once complete.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Manager, Runtime};

use rollcall_core::export::{self, Delimiter, ExportOptions};
use rollcall_core::{Error, Result};

use super::check_id;
use super::reports::{donor_options, summary_options};

/// How the window asks for the file to be written; every field may be left out.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FileOptions {
    /// "comma" (the default), "semicolon" or "tab".
    pub delimiter: Option<String>,
    /// Start with a UTF-8 byte order mark; on unless the window says otherwise, because Excel needs it.
    pub bom: Option<bool>,
    /// A stable code per person instead of name and email.
    pub pseudonymous: Option<bool>,
    /// "csv" or "xlsx"; none lets the file's extension decide.
    pub format: Option<String>,
    /// The headings and categories in the words the window shows (see `ExportOptions::labels`).
    pub labels: Option<std::collections::BTreeMap<String, String>>,
}

impl FileOptions {
    fn check(self) -> Result<ExportOptions> {
        let delimiter = match self.delimiter.as_deref() {
            None => Delimiter::Comma,
            Some(d) => d.parse::<Delimiter>()?,
        };
        let format = self.format.as_deref().map(str::parse::<rollcall_core::export::ExportFormat>).transpose()?;
        let labels = self.labels.unwrap_or_default();
        // Labels are headings: a few hundred short lines of text at most, never formulas' playground
        // (the writers neutralise formulas anyway) nor a way to smuggle control characters into a file.
        if labels.len() > 2_000
            || labels.iter().any(|(k, v)| k.len() > 300 || v.chars().count() > 200 || v.chars().any(char::is_control))
        {
            return Err(Error::invalid("labels", "labels must be at most 2,000 short lines of plain text"));
        }
        Ok(ExportOptions {
            delimiter,
            bom: self.bom.unwrap_or(true),
            pseudonymous: self.pseudonymous.unwrap_or(false),
            format,
            labels,
        })
    }
}

/// What an export wrote.
#[derive(Debug, Serialize)]
pub struct Exported {
    pub path: String,
    /// Data rows, without the header.
    pub rows: u64,
}

/// A destination chosen in the save dialog: absolute and of sane length (`super::check_path`), of a table
/// kind, in a folder that exists, and not a folder itself.
pub(crate) fn check_export_path(db: &std::path::Path, path: &str) -> Result<PathBuf> {
    let invalid = |message: String| Err(Error::invalid("path", message));
    if path.trim().is_empty() {
        return invalid("choose a file to write".into());
    }
    let p = super::check_path("path", path, false)?;
    // The database first, so a save dialog pointed at it is told so in those words (the core checks it
    // again where the file is written).
    rollcall_core::files::check_destination(db, &p, "path")?;
    // Only table files (the core checks it again where the file is written).
    export::check_table_extension(&p)?;
    match p.parent() {
        Some(dir) if dir.is_dir() => {}
        Some(dir) => return invalid(format!("the folder {} does not exist", dir.display())),
        None => return invalid(format!("{path} is not a file")),
    }
    if p.is_dir() {
        return invalid(format!("{path} is a folder"));
    }
    Ok(p)
}

/// Checks the destination and options, then runs `write` as background job `job`.
async fn run<R, F>(
    app: AppHandle<R>,
    job: u64,
    path: String,
    options: Option<FileOptions>,
    write: F,
) -> Result<Exported>
where
    R: Runtime,
    F: FnOnce(
            &mut rollcall_core::db::Connection,
            &std::path::Path,
            &ExportOptions,
            &rollcall_core::progress::Progress,
        ) -> Result<u64>
        + Send
        + 'static,
{
    let db = app.state::<crate::state::AppState>().path.clone();
    let dest = check_export_path(&db, &path)?;
    let opts = options.unwrap_or_default().check()?;
    let written = dest.clone();
    let rows = crate::jobs::run(app.clone(), job, move |conn, progress| write(conn, &dest, &opts, progress)).await?;
    app.state::<crate::state::AppState>().note_written(&written);
    Ok(Exported { path, rows })
}

/// The attendance list of one event.
#[tauri::command]
pub async fn export_event_attendance<R: Runtime>(
    app: AppHandle<R>,
    job: u64,
    path: String,
    event_id: i64,
    options: Option<FileOptions>,
) -> Result<Exported> {
    let event_id = check_id("event_id", event_id)?;
    run(app, job, path, options, move |c, p, o, pr| export::event_attendance(c, event_id, p, o, pr)).await
}

/// The attendance of every event of a project.
#[tauri::command]
pub async fn export_project_attendance<R: Runtime>(
    app: AppHandle<R>,
    job: u64,
    path: String,
    project_id: i64,
    options: Option<FileOptions>,
) -> Result<Exported> {
    let project_id = check_id("project_id", project_id)?;
    run(app, job, path, options, move |c, p, o, pr| export::project_attendance(c, project_id, p, o, pr)).await
}

/// Everyone in the database, with the number of events attended.
#[tauri::command]
pub async fn export_people<R: Runtime>(
    app: AppHandle<R>,
    job: u64,
    path: String,
    options: Option<FileOptions>,
) -> Result<Exported> {
    run(app, job, path, options, |c, p, o, pr| export::people(c, p, o, pr)).await
}

/// A project report: `kind` "project" (the summary, one figure per row), "donor" (the table of two
/// dimensions), "indicators" (baseline, target, actual) or "registration" (registered against attended).
#[allow(clippy::too_many_arguments)]
#[tauri::command]
pub async fn export_report<R: Runtime>(
    app: AppHandle<R>,
    job: u64,
    path: String,
    kind: String,
    project_id: i64,
    from: Option<String>,
    to: Option<String>,
    min_minutes: Option<i64>,
    min_events: Option<i64>,
    rows: Option<String>,
    cols: Option<String>,
    options: Option<FileOptions>,
) -> Result<Exported> {
    let project_id = check_id("project_id", project_id)?;
    match kind.as_str() {
        "project" => {
            let summary = summary_options(from, to)?;
            run(app, job, path, options, move |c, p, o, pr| export::project_summary(c, project_id, &summary, p, o, pr))
                .await
        }
        "donor" => {
            let donor = donor_options(from, to, min_minutes, min_events, rows, cols)?;
            run(app, job, path, options, move |c, p, o, pr| export::donor_table(c, project_id, &donor, p, o, pr)).await
        }
        "indicators" => {
            let checked = summary_options(from, to)?;
            let period = rollcall_core::indicators::IndicatorOptions { from: checked.from, to: checked.to };
            run(app, job, path, options, move |c, p, o, pr| export::indicators(c, project_id, &period, p, o, pr)).await
        }
        "registration" => {
            let checked = summary_options(from, to)?;
            let period =
                rollcall_core::reports::RegistrationOptions { event_id: None, from: checked.from, to: checked.to };
            run(app, job, path, options, move |c, p, o, pr| export::registration(c, project_id, &period, p, o, pr))
                .await
        }
        other => Err(Error::invalid(
            "kind",
            format!("kind must be project, donor, indicators or registration, not '{other}'"),
        )),
    }
}
