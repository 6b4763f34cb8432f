//! The aggregate reports as CSV: the project summary in long form (one figure per row, so every section
//! fits one set of columns) and the donor indicator table as it is pasted into a donor report.
//! These hold counts only, no people, so the pseudonymous option changes nothing in them.

use std::path::Path;

use rusqlite::Connection;

use super::csv::CsvFile;
use super::ExportOptions;
use crate::error::Result;
use crate::progress::Progress;
use crate::reports::{self, Breakdown, DonorOptions, SummaryOptions};

/// Exports the project summary: columns `section, key, label, date, value`. Sections: `project` (name,
/// from, to), `total` (events, attendances, unique_people, unique_organisations, total_minutes,
/// average_minutes), `events_by_kind`, `people_by_country`, `people_by_gender`, `people_by_organisation`,
/// `people_by_role` and `attendance_by_event` (key: event id, label: title, date: local start date).
pub fn project_summary(
    conn: &mut Connection,
    project_id: i64,
    options: &SummaryOptions,
    path: &Path,
    opts: &ExportOptions,
    progress: &Progress,
) -> Result<u64> {
    progress.check()?;
    let s = reports::project_summary(conn, project_id, options)?;
    progress.check()?;
    let mut csv = CsvFile::create(
        path,
        &opts.csv(),
        &["section", "key", "label", "date", "value"],
        crate::db::file_of(conn).as_deref(),
    )?;
    let range = |d: &Option<String>| d.clone().unwrap_or_default();
    csv.row(["project", "id", &s.project_name, "", &project_id.to_string()])?;
    csv.row(["project", "from", "", &range(&s.from), ""])?;
    csv.row(["project", "to", "", &range(&s.to), ""])?;
    let average = s.average_minutes.map(|a| a.to_string()).unwrap_or_default();
    for (key, label, value) in [
        ("events", "Events", s.events.to_string()),
        ("attendances", "Attendances", s.attendances.to_string()),
        ("unique_people", "Unique people", s.unique_people.to_string()),
        ("unique_organisations", "Unique organisations", s.unique_organisations.to_string()),
        ("total_minutes", "Total minutes", s.total_minutes.to_string()),
        ("average_minutes", "Average minutes", average),
    ] {
        csv.row(["total", key, label, "", &value])?;
    }
    let sections: [(&str, &Vec<Breakdown>); 5] = [
        ("events_by_kind", &s.events_by_kind),
        ("people_by_country", &s.people_by_country),
        ("people_by_gender", &s.people_by_gender),
        ("people_by_organisation", &s.people_by_organisation),
        ("people_by_role", &s.people_by_role),
    ];
    for (section, lines) in sections {
        for b in lines {
            csv.row([section, &b.key, &b.label, "", &b.count.to_string()])?;
        }
    }
    for e in &s.attendance_by_event {
        csv.row(["attendance_by_event", &e.event_id.to_string(), &e.title, &e.date, &e.attended.to_string()])?;
    }
    let n = csv.finish()?;
    progress.report(n, n);
    log::info!("exported the summary of project {project_id}: {n} rows");
    Ok(n)
}

/// Exports the donor table: a first column named after the row dimension (`gender` by default), one column
/// per value of the column dimension (countries by default), `total`; one row per value and a last `total`
/// row.
pub fn donor_table(
    conn: &mut Connection,
    project_id: i64,
    options: &DonorOptions,
    path: &Path,
    opts: &ExportOptions,
    progress: &Progress,
) -> Result<u64> {
    progress.check()?;
    let t = reports::donor_table(conn, project_id, options)?;
    progress.check()?;
    let mut header: Vec<&str> = vec![t.rows_dimension.as_str()];
    header.extend(t.columns.iter().map(|c| c.label.as_str()));
    header.push("total");
    let mut csv = CsvFile::create(path, &opts.csv(), &header, crate::db::file_of(conn).as_deref())?;
    for row in &t.rows {
        csv.field(&row.label)?;
        for &n in &row.counts {
            csv.field_i64(n)?;
        }
        csv.field_i64(row.total)?;
        csv.end_row()?;
    }
    csv.field("total")?;
    for &n in &t.column_totals {
        csv.field_i64(n)?;
    }
    csv.field_i64(t.total)?;
    csv.end_row()?;
    let n = csv.finish()?;
    progress.report(n, n);
    log::info!("exported the donor table of project {project_id}: {n} rows");
    Ok(n)
}

/// Exports the indicator table of a project: one row per indicator with its baseline, target, actual and
/// percent of target (empty cells for what is not set).
pub fn indicators(
    conn: &mut Connection,
    project_id: i64,
    options: &crate::indicators::IndicatorOptions,
    path: &Path,
    opts: &ExportOptions,
    progress: &Progress,
) -> Result<u64> {
    progress.check()?;
    let report = crate::indicators::report(conn, project_id, options)?;
    progress.check()?;
    let header = crate::indicators::CSV_HEADER;
    let mut csv = CsvFile::create(path, &opts.csv(), &header, crate::db::file_of(conn).as_deref())?;
    let num = |v: Option<f64>| v.map(|x| x.to_string()).unwrap_or_default();
    for line in &report.indicators {
        let i = &line.indicator;
        csv.row(
            [
                i.id.to_string(),
                i.name.clone(),
                i.measure.clone(),
                i.filter.clone().unwrap_or_default(),
                if i.share { "share".to_string() } else { String::new() },
                num(i.baseline),
                num(i.target),
                line.actual.to_string(),
                num(line.percent_of_target),
            ]
            .iter(),
        )?;
    }
    let n = csv.finish()?;
    progress.report(n, n);
    log::info!("exported the indicators of project {project_id}: {n} rows");
    Ok(n)
}

/// The columns of the registration table export, one line per event and a last line for the project.
pub const REGISTRATION_HEADER: [&str; 10] = [
    "event_id",
    "event",
    "date",
    "registered",
    "attended",
    "registered_attended",
    "no_shows",
    "walk_ins",
    "attendance_rate",
    "no_show_rate",
];

/// Exports registration against attendance: one row per event (registered, attended, no-shows, walk-ins,
/// the rates in percent) and a last row `total` with the project's sums.
pub fn registration(
    conn: &mut Connection,
    project_id: i64,
    options: &crate::reports::RegistrationOptions,
    path: &Path,
    opts: &ExportOptions,
    progress: &Progress,
) -> Result<u64> {
    progress.check()?;
    let report = crate::reports::registration_report(conn, project_id, options)?;
    progress.check()?;
    let mut csv = CsvFile::create(path, &opts.csv(), &REGISTRATION_HEADER, crate::db::file_of(conn).as_deref())?;
    let rate = |v: Option<f64>| v.map(|x| x.to_string()).unwrap_or_default();
    let lines = report.events.iter().map(|e| (e.event_id.map(|id| id.to_string()).unwrap_or_default(), e));
    for (id, e) in lines.chain(std::iter::once(("total".to_string(), &report.total))) {
        csv.row(
            [
                id,
                e.title.clone(),
                e.date.clone(),
                e.registered.to_string(),
                e.attended.to_string(),
                e.registered_attended.to_string(),
                e.no_shows.to_string(),
                e.walk_ins.to_string(),
                rate(e.attendance_rate),
                rate(e.no_show_rate),
            ]
            .iter(),
        )?;
    }
    let n = csv.finish()?;
    progress.report(n, n);
    log::info!("exported the registration table of project {project_id}: {n} rows");
    Ok(n)
}
