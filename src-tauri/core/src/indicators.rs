//! Project indicators, as logframes and donors' results frameworks carry them: a name, what is counted, an
//! optional filter on one dimension of the donor table (or the filtered people as a share of all unique
//! people), a baseline and a target; the report adds the actual figure and the percent of target, for the
//! whole project or a period.
//!
//! Every actual comes from the same reports as the tables (`reports::donor_table`, `project_summary`), so an
//! indicator can never disagree with the donor table it summarises.

use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::{Deserialize, Serialize};

use crate::db::{self, Table};
use crate::error::{Error, Result, Rule};
use crate::reports::{self, Dimension, DonorOptions, SummaryOptions};
use crate::validate;

/// What an indicator counts.
pub const MEASURES: &[&str] = &["unique_people", "attendances", "events", "people_min_events", "people_min_minutes"];

/// The header of the CSV export of the indicator table.
pub const CSV_HEADER: [&str; 9] =
    ["indicator_id", "name", "measure", "filter", "share", "baseline", "target", "actual", "percent_of_target"];

/// An indicator of a project.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Indicator {
    pub id: i64,
    pub uid: String,
    pub project_id: i64,
    pub name: String,
    /// One of [`MEASURES`].
    pub measure: String,
    /// N of `people_min_events` (events) or `people_min_minutes` (minutes in one attendance).
    pub threshold: Option<i64>,
    /// The filter as `dimension=key` ("gender=woman", "country=MD"), if any.
    pub filter: Option<String>,
    pub filter_dimension: Option<Dimension>,
    pub filter_value: Option<String>,
    /// The actual is the filtered people as a percentage of all people counted.
    pub share: bool,
    pub baseline: Option<f64>,
    pub target: Option<f64>,
}

/// What a form or the CLI sends to add an indicator.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct IndicatorInput {
    pub name: String,
    /// One of [`MEASURES`] (default `unique_people`).
    pub measure: Option<String>,
    pub threshold: Option<i64>,
    /// `dimension=key`, e.g. `gender=woman`, `country=MD`, `disability=yes`.
    pub filter: Option<String>,
    pub share: bool,
    pub baseline: Option<f64>,
    pub target: Option<f64>,
}

/// The period of an indicator report.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct IndicatorOptions {
    pub from: Option<String>,
    pub to: Option<String>,
}

/// One indicator with its actual figure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndicatorLine {
    pub indicator: Indicator,
    /// The count, or for a share the percentage (to one decimal).
    pub actual: f64,
    /// actual / target x 100, to one decimal (None without a positive target).
    pub percent_of_target: Option<f64>,
}

/// The indicator table of a project.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndicatorReport {
    pub project_id: i64,
    pub project_name: String,
    pub options: IndicatorOptions,
    pub indicators: Vec<IndicatorLine>,
}

fn from_row(r: &Row) -> rusqlite::Result<Indicator> {
    let dim: Option<String> = r.get(6)?;
    let value: Option<String> = r.get(7)?;
    Ok(Indicator {
        id: r.get(0)?,
        uid: r.get(1)?,
        project_id: r.get(2)?,
        name: r.get(3)?,
        measure: r.get(4)?,
        threshold: r.get(5)?,
        filter: dim.as_ref().zip(value.as_ref()).map(|(d, v)| format!("{d}={v}")),
        filter_dimension: dim.as_deref().and_then(|d| d.parse().ok()),
        filter_value: value,
        share: r.get::<_, i64>(8)? != 0,
        baseline: r.get(9)?,
        target: r.get(10)?,
    })
}

const SELECT: &str = "SELECT id, uid, project_id, name, measure, threshold, filter_dim, filter_value, share, baseline,
        target FROM indicators";

/// Parses a filter `dimension=key`.
pub fn parse_filter(filter: &str) -> Result<(Dimension, String)> {
    let (d, v) = filter.split_once('=').ok_or_else(|| {
        Error::rule(
            "filter",
            Rule::IndicatorFilter,
            format!("a filter is dimension=value, like gender=woman, not '{filter}'"),
        )
    })?;
    let dim: Dimension = d.parse().map_err(|e: Error| Error::rule("filter", Rule::IndicatorFilter, e.to_string()))?;
    let v = v.trim();
    let value = match dim {
        Dimension::Gender => {
            let code = crate::gender::category_code(v)
                .map_err(|e| Error::rule("filter", Rule::IndicatorFilter, e.to_string()))?;
            if code == crate::gender::NOT_STATED {
                String::new()
            } else {
                code.to_string()
            }
        }
        Dimension::Country => v.to_ascii_uppercase(),
        _ => v.to_string(),
    };
    Ok((dim, value))
}

/// Adds an indicator to a project.
pub fn add(conn: &Connection, project_id: i64, input: &IndicatorInput) -> Result<Indicator> {
    db::ensure_exists(conn, Table::Projects, project_id)?;
    let name = validate::required("name", &input.name)?;
    let measure = validate::one_of("measure", input.measure.as_deref().unwrap_or("unique_people"), MEASURES)?;
    let needs_threshold = measure == "people_min_events" || measure == "people_min_minutes";
    let threshold = match (needs_threshold, input.threshold) {
        (true, Some(t)) if t > 0 => Some(t),
        (true, _) => {
            return Err(Error::rule("threshold", Rule::Threshold, format!("{measure} needs a threshold above 0")))
        }
        (false, Some(_)) => {
            return Err(Error::rule("threshold", Rule::Threshold, format!("{measure} takes no threshold")))
        }
        (false, None) => None,
    };
    let filter = input.filter.as_deref().map(str::trim).filter(|f| !f.is_empty()).map(parse_filter).transpose()?;
    if filter.is_some() && (measure == "attendances" || measure == "events") {
        return Err(Error::rule("filter", Rule::IndicatorShape, "a filter applies to indicators that count people"));
    }
    if input.share && filter.is_none() {
        return Err(Error::rule(
            "share",
            Rule::IndicatorShape,
            "a share needs a filter (the people it is a share of all people)",
        ));
    }
    for (field, v) in [("baseline", input.baseline), ("target", input.target)] {
        if v.is_some_and(|x| !x.is_finite() || x < 0.0) {
            return Err(Error::rule(field, Rule::AtLeast { min: 0 }, format!("{field} must be a number of 0 or more")));
        }
    }
    let now = db::now();
    conn.execute(
        "INSERT INTO indicators (uid, project_id, name, measure, threshold, filter_dim, filter_value, share, baseline,
                                 target, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11)",
        params![
            db::new_uid(),
            project_id,
            name,
            measure,
            threshold,
            filter.as_ref().map(|(d, _)| d.as_str()),
            filter.as_ref().map(|(_, v)| v.as_str()),
            i64::from(input.share),
            input.baseline,
            input.target,
            now
        ],
    )?;
    get(conn, conn.last_insert_rowid())
}

pub fn get(conn: &Connection, id: i64) -> Result<Indicator> {
    conn.query_row(&format!("{SELECT} WHERE id = ?1"), [id], from_row)
        .optional()?
        .ok_or_else(|| Error::not_found("indicator", id))
}

/// A project's indicators, in the order they were added.
pub fn list(conn: &Connection, project_id: i64) -> Result<Vec<Indicator>> {
    db::ensure_exists(conn, Table::Projects, project_id)?;
    let mut stmt = conn.prepare(&format!("{SELECT} WHERE project_id = ?1 ORDER BY id"))?;
    let rows = stmt.query_map([project_id], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn remove(conn: &Connection, id: i64) -> Result<()> {
    if conn.execute("DELETE FROM indicators WHERE id = ?1", [id])? == 0 {
        return Err(Error::not_found("indicator", id));
    }
    Ok(())
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// The actual figure of one indicator over the period.
pub fn actual(conn: &mut Connection, indicator: &Indicator, opts: &IndicatorOptions) -> Result<f64> {
    let project_id = indicator.project_id;
    match indicator.measure.as_str() {
        "attendances" | "events" => {
            let s = reports::project_summary(
                conn,
                project_id,
                &SummaryOptions { from: opts.from.clone(), to: opts.to.clone() },
            )?;
            Ok(if indicator.measure == "events" { s.events } else { s.attendances } as f64)
        }
        measure => {
            let mut donor = DonorOptions {
                from: opts.from.clone(),
                to: opts.to.clone(),
                rows: Some(indicator.filter_dimension.unwrap_or(Dimension::Gender)),
                cols: Some(Dimension::Gender),
                ..Default::default()
            };
            match measure {
                "people_min_events" => donor.min_events = indicator.threshold,
                "people_min_minutes" => donor.min_minutes = indicator.threshold,
                _ => {}
            }
            let t = reports::donor_table(conn, project_id, &donor)?;
            let Some(value) = &indicator.filter_value else { return Ok(t.total as f64) };
            let filtered = t.rows.iter().filter(|r| r.key == *value).map(|r| r.total).sum::<i64>();
            Ok(if indicator.share {
                if t.total == 0 {
                    0.0
                } else {
                    round1(filtered as f64 / t.total as f64 * 100.0)
                }
            } else {
                filtered as f64
            })
        }
    }
}

/// The indicator table of a project: each indicator with its actual and percent of target.
pub fn report(conn: &mut Connection, project_id: i64, opts: &IndicatorOptions) -> Result<IndicatorReport> {
    let (from, to) = crate::reports::check_range(opts.from.as_deref(), opts.to.as_deref())?;
    let opts = IndicatorOptions { from, to };
    let project_name: String = conn
        .query_row("SELECT name FROM projects WHERE id = ?1", [project_id], |r| r.get(0))
        .optional()?
        .ok_or_else(|| Error::not_found("project", project_id))?;
    let mut lines = Vec::new();
    for indicator in list(conn, project_id)? {
        let actual = actual(conn, &indicator, &opts)?;
        let percent_of_target = indicator.target.filter(|t| *t > 0.0).map(|t| round1(actual / t * 100.0));
        lines.push(IndicatorLine { indicator, actual, percent_of_target });
    }
    log::info!("indicator report of project {project_id}: {} indicators", lines.len());
    Ok(IndicatorReport { project_id, project_name, options: opts, indicators: lines })
}
