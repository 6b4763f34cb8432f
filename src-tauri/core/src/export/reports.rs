//! The aggregate reports as CSV or .xlsx: the project summary in long form (one figure per row, so every
//! section fits one set of columns; in a workbook, one sheet per section with the same columns), the donor
//! table as it is pasted into a donor report, and the indicator table. These hold counts only, no people,
//! so the pseudonymous option changes nothing in them.

use std::path::Path;

use rusqlite::Connection;

use super::table::{Sheet, Table};
use super::ExportOptions;
use crate::error::Result;
use crate::progress::Progress;
use crate::reports::{self, Breakdown, DonorOptions, SummaryOptions};

/// The period of a report in its title: `2024-01-01 to 2024-06-30`, `from 2024-01-01`, `all dates`.
fn period(from: Option<&str>, to: Option<&str>) -> String {
    match (from, to) {
        (Some(f), Some(t)) => format!("{f} to {t}"),
        (Some(f), None) => format!("from {f}"),
        (None, Some(t)) => format!("up to {t}"),
        (None, None) => "all dates".to_string(),
    }
}

/// Exports the project summary: columns `section, key, label, date, value`. Sections: `project` (name,
/// from, to), `total` (events, attendances, unique_people, unique_organisations, total_minutes,
/// average_minutes), `events_by_kind`, `people_by_country`, `people_by_gender`, `people_by_organisation`,
/// `people_by_role` and `attendance_by_event` (key: event id, label: title, date: local start date).
/// A workbook has one sheet per section, in this order, with the same columns.
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
    let header = ["section", "key", "label", "date", "value"];
    let period = period(s.from.as_deref(), s.to.as_deref());
    let title = |what: &str| format!("{}: {what}, {period}", s.project_name);
    let first = title("project summary");
    let mut csv = Table::create(
        path,
        opts,
        &Sheet { name: "Project", title: &first, header: &header },
        crate::db::file_of(conn).as_deref(),
    )?;
    let range = |d: &Option<String>| d.clone().unwrap_or_default();
    for cell in ["project", "id", &s.project_name, ""] {
        csv.field(cell)?;
    }
    csv.field_i64(project_id)?;
    csv.end_row()?;
    for (key, date) in [("from", range(&s.from)), ("to", range(&s.to))] {
        csv.field("project")?;
        csv.field(key)?;
        csv.field("")?;
        csv.field_date(&date)?;
        csv.field("")?;
        csv.end_row()?;
    }
    let totals = title("totals");
    csv.next_sheet(&Sheet { name: "Totals", title: &totals, header: &header })?;
    for (key, label, value) in [
        ("events", "Events", Some(s.events as f64)),
        ("attendances", "Attendances", Some(s.attendances as f64)),
        ("unique_people", "Unique people", Some(s.unique_people as f64)),
        ("unique_organisations", "Unique organisations", Some(s.unique_organisations as f64)),
        ("total_minutes", "Total minutes", Some(s.total_minutes as f64)),
        ("average_minutes", "Average minutes", s.average_minutes),
    ] {
        for cell in ["total", key, label, ""] {
            csv.field(cell)?;
        }
        csv.field_opt_f64(value)?;
        csv.end_row()?;
    }
    let sections: [(&str, &str, &str, &Vec<Breakdown>); 5] = [
        ("events_by_kind", "Events by kind", "events by kind", &s.events_by_kind),
        ("people_by_country", "People by country", "people by country", &s.people_by_country),
        ("people_by_gender", "People by gender", "people by gender", &s.people_by_gender),
        ("people_by_organisation", "People by organisation", "people by organisation", &s.people_by_organisation),
        ("people_by_role", "People by role", "people by role", &s.people_by_role),
    ];
    for (section, sheet, what, lines) in sections {
        let t = title(what);
        csv.next_sheet(&Sheet { name: sheet, title: &t, header: &header })?;
        for b in lines {
            for cell in [section, &b.key, &b.label, ""] {
                csv.field(cell)?;
            }
            csv.field_i64(b.count)?;
            csv.end_row()?;
        }
    }
    let t = title("attendance by event");
    csv.next_sheet(&Sheet { name: "Attendance by event", title: &t, header: &header })?;
    for e in &s.attendance_by_event {
        csv.field("attendance_by_event")?;
        csv.field_i64(e.event_id)?;
        csv.field(&e.title)?;
        csv.field_date(&e.date)?;
        csv.field_i64(e.attended)?;
        csv.end_row()?;
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
    let column_keys: Vec<String> = t.columns.iter().map(|c| format!("column:{}", c.key)).collect();
    let mut header: Vec<&str> = vec![opts.label("dimension", t.rows_dimension.as_str())];
    header.extend(t.columns.iter().zip(&column_keys).map(|(c, k)| opts.label(k, c.label.as_str())));
    header.push(opts.label("total", "total"));
    let title = format!(
        "{}: people by {} and {}, {}",
        t.project_name,
        t.rows_dimension,
        t.columns_dimension,
        period(options.from.as_deref(), options.to.as_deref())
    );
    let sheet = Sheet { name: "Donor table", title: &title, header: &header };
    let mut csv = Table::create(path, opts, &sheet, crate::db::file_of(conn).as_deref())?;
    for row in &t.rows {
        csv.field(opts.label(&format!("row:{}", row.key), &row.label))?;
        for &n in &row.counts {
            csv.field_i64(n)?;
        }
        csv.field_i64(row.total)?;
        csv.end_row()?;
    }
    csv.field(opts.label("total", "total"))?;
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
    let title =
        format!("{}: indicators, {}", report.project_name, period(options.from.as_deref(), options.to.as_deref()));
    let sheet = Sheet { name: "Indicators", title: &title, header: &header };
    let mut csv = Table::create(path, opts, &sheet, crate::db::file_of(conn).as_deref())?;
    for line in &report.indicators {
        let i = &line.indicator;
        csv.field_i64(i.id)?;
        csv.field(&i.name)?;
        csv.field(&i.measure)?;
        csv.field(i.filter.as_deref().unwrap_or(""))?;
        csv.field(if i.share { "share" } else { "" })?;
        csv.field_opt_f64(i.baseline)?;
        csv.field_opt_f64(i.target)?;
        csv.field_opt_f64(Some(line.actual))?;
        csv.field_opt_f64(line.percent_of_target)?;
        csv.end_row()?;
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
    let title = format!(
        "{}: registration and attendance, {}",
        report.project_name,
        period(options.from.as_deref(), options.to.as_deref())
    );
    let sheet = Sheet { name: "Registration", title: &title, header: &REGISTRATION_HEADER };
    let mut csv = Table::create(path, opts, &sheet, crate::db::file_of(conn).as_deref())?;
    let lines = report.events.iter().map(|e| (e.event_id.map(|id| id.to_string()).unwrap_or_default(), e));
    for (id, e) in lines.chain(std::iter::once(("total".to_string(), &report.total))) {
        match e.event_id {
            Some(n) => csv.field_i64(n)?,
            None => csv.field(&id)?,
        }
        csv.field(&e.title)?;
        csv.field(&e.date)?;
        for n in [e.registered, e.attended, e.registered_attended, e.no_shows, e.walk_ins] {
            csv.field_i64(n)?;
        }
        csv.field_opt_f64(e.attendance_rate)?;
        csv.field_opt_f64(e.no_show_rate)?;
        csv.end_row()?;
    }
    let n = csv.finish()?;
    progress.report(n, n);
    log::info!("exported the registration table of project {project_id}: {n} rows");
    Ok(n)
}
