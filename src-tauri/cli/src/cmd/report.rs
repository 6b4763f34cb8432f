//! `rollcall-cli report ...`: the reports as readable tables, or their figures as JSON with `--json`.

use clap::{Args, Subcommand};
use rollcall_core::db::Table;
use rollcall_core::indicators::{self, IndicatorOptions};
use rollcall_core::reports::{
    self, Breakdown, CellValue, Dimension, DonorOptions, RegistrationOptions, SummaryOptions,
};

use crate::output::{fields, opt, table, Output};
use crate::{CmdResult, Ctx};

#[derive(Subcommand)]
pub enum ReportCmd {
    /// The attendance list of an event
    Event { id: String },
    /// A project's summary: events, attendances, unique people and their breakdowns
    Project {
        id: String,
        /// Only events starting on or after this local date (YYYY-MM-DD)
        #[arg(long)]
        from: Option<String>,
        /// Only events starting on or before this local date (YYYY-MM-DD)
        #[arg(long)]
        to: Option<String>,
    },
    /// The donor table: unique participants by two dimensions (gender and country unless --rows/--cols)
    Donor(DonorArgs),
    /// The people behind a donor-table figure: a row or column total (--dim/--value), or a cell (with
    /// --dim2/--value2); erased people are counted but cannot be listed
    DonorPeople(DonorPeopleArgs),
    /// Registered, attended, no-shows and walk-ins per event and for the project
    Registration {
        #[arg(long)]
        project: String,
        /// Only this event
        #[arg(long)]
        event: Option<String>,
        #[arg(long)]
        from: Option<String>,
        #[arg(long)]
        to: Option<String>,
    },
    /// The project's indicators: baseline, target, actual and percent of target
    Indicators(IndicatorArgs),
    /// A person's history: events attended, with project, role, status and minutes
    Person { id: String },
    /// An organisation's participation: which of its people came to which event
    Org { id: String },
    /// The partners of a project with their roles
    Partners {
        #[arg(long)]
        project: String,
    },
}

/// The project, period and thresholds of a donor table (`report donor` and `export report`).
#[derive(Args)]
pub struct DonorArgs {
    /// The project (its id or uid)
    #[arg(long)]
    pub project: String,
    /// Only events starting on or after this local date (YYYY-MM-DD)
    #[arg(long)]
    pub from: Option<String>,
    /// Only events starting on or before this local date (YYYY-MM-DD)
    #[arg(long)]
    pub to: Option<String>,
    /// Donor table: count an attendance only if it lasted at least this many minutes
    #[arg(long)]
    pub min_minutes: Option<i64>,
    /// Donor table: count a person only with at least this many (qualifying) attendances
    #[arg(long)]
    pub min_events: Option<i64>,
    /// Donor table rows: gender, age_band, disability, country, organisation, organisation_kind,
    /// participant_type, organiser or event [default: gender]
    #[arg(long, value_name = "DIM")]
    pub rows: Option<String>,
    /// Donor table columns, as --rows [default: country]
    #[arg(long, value_name = "DIM")]
    pub cols: Option<String>,
}

impl DonorArgs {
    pub fn options(&self) -> rollcall_core::Result<DonorOptions> {
        Ok(DonorOptions {
            from: self.from.clone(),
            to: self.to.clone(),
            min_minutes: self.min_minutes,
            min_events: self.min_events,
            rows: self.rows.as_deref().map(str::parse::<Dimension>).transpose()?,
            cols: self.cols.as_deref().map(str::parse::<Dimension>).transpose()?,
        })
    }
}

/// `report donor-people`: a donor table's period and thresholds, and the value(s) of its cell.
#[derive(Args)]
pub struct DonorPeopleArgs {
    /// The project (its id or uid)
    #[arg(long)]
    pub project: String,
    /// The dimension: gender, age_band, disability, country, organisation, organisation_kind,
    /// participant_type, organiser or event
    #[arg(long, value_name = "DIM")]
    pub dim: String,
    /// The value's key, as in `report donor --json` (a country code, an organisation id...); "" or
    /// not_stated for "not stated", erased for erased people
    #[arg(long, value_name = "KEY", allow_hyphen_values = true)]
    pub value: String,
    /// A second dimension and value, for one cell of a two-dimension table
    #[arg(long, value_name = "DIM", requires = "value2")]
    pub dim2: Option<String>,
    #[arg(long, value_name = "KEY", requires = "dim2", allow_hyphen_values = true)]
    pub value2: Option<String>,
    #[arg(long)]
    pub from: Option<String>,
    #[arg(long)]
    pub to: Option<String>,
    #[arg(long)]
    pub min_minutes: Option<i64>,
    #[arg(long)]
    pub min_events: Option<i64>,
    /// People listed (all are counted and their ids given) [default: 200]
    #[arg(long, default_value_t = 0)]
    pub limit: i64,
    #[arg(long, default_value_t = 0)]
    pub offset: i64,
}

/// A value key as typed: `not_stated` (or `not stated`) is the key "" of "not stated".
fn value_key(v: &str) -> String {
    match v.trim() {
        "not_stated" | "not stated" | "not-stated" => String::new(),
        other => other.to_string(),
    }
}

/// The project and period of the indicator table (`report indicators` and `export report indicators`).
#[derive(Args)]
pub struct IndicatorArgs {
    #[arg(long)]
    pub project: String,
    /// Only events starting on or after this local date (YYYY-MM-DD)
    #[arg(long)]
    pub from: Option<String>,
    /// Only events starting on or before this local date (YYYY-MM-DD)
    #[arg(long)]
    pub to: Option<String>,
}

impl IndicatorArgs {
    pub fn options(&self) -> IndicatorOptions {
        IndicatorOptions { from: self.from.clone(), to: self.to.clone() }
    }
}

fn num(v: Option<f64>) -> String {
    v.map(|x| x.to_string()).unwrap_or_default()
}

fn breakdown(title: &str, lines: &[Breakdown]) -> String {
    let rows = lines.iter().map(|b| vec![b.label.clone(), b.count.to_string()]).collect();
    format!("\n{title}\n{}", table(&["", "PEOPLE"], rows))
}

pub fn run(ctx: &Ctx, cmd: ReportCmd) -> CmdResult {
    let mut conn = ctx.open()?;
    match cmd {
        ReportCmd::Event { id } => {
            let event_id = super::id(&conn, Table::Events, &id)?;
            let r = reports::event_attendance(&conn, event_id)?;
            Output::new(&r, || {
                let head = format!(
                    "{} ({}, {} {}), project {}: {} attended of {} listed",
                    r.event.title,
                    r.event.kind,
                    r.event.starts_at,
                    r.event.timezone,
                    r.event.project_name,
                    r.attended,
                    r.rows.len()
                );
                let rows = r
                    .rows
                    .iter()
                    .map(|a| {
                        vec![
                            a.person_id.to_string(),
                            a.name.clone(),
                            opt(&a.organisation),
                            opt(&a.country),
                            a.role.clone(),
                            a.status.clone(),
                            opt(&a.minutes),
                        ]
                    })
                    .collect();
                format!(
                    "{head}\n\n{}",
                    table(&["PERSON", "NAME", "ORGANISATION", "COUNTRY", "ROLE", "STATUS", "MINUTES"], rows)
                )
            })
        }
        ReportCmd::Project { id, from, to } => {
            let project_id = super::id(&conn, Table::Projects, &id)?;
            let s = reports::project_summary(&mut conn, project_id, &SummaryOptions { from, to })?;
            Output::new(&s, || {
                let range = match (&s.from, &s.to) {
                    (None, None) => "all events".to_string(),
                    (f, t) => format!(
                        "events from {} to {}",
                        f.as_deref().unwrap_or("the start"),
                        t.as_deref().unwrap_or("the end")
                    ),
                };
                let mut out = format!("{} ({range})\n\n", s.project_name);
                out.push_str(&fields(&[
                    ("events", s.events.to_string()),
                    ("attendances", s.attendances.to_string()),
                    ("unique people", s.unique_people.to_string()),
                    ("unique organisations", s.unique_organisations.to_string()),
                    ("total minutes", s.total_minutes.to_string()),
                    ("average minutes", opt(&s.average_minutes)),
                ]));
                let kinds = s.events_by_kind.iter().map(|b| vec![b.label.clone(), b.count.to_string()]).collect();
                out.push_str(&format!("\n\nEvents by kind\n{}", table(&["", "EVENTS"], kinds)));
                out.push_str(&breakdown("People by country", &s.people_by_country));
                out.push_str(&breakdown("People by gender", &s.people_by_gender));
                out.push_str(&breakdown("People by organisation", &s.people_by_organisation));
                out.push_str(&breakdown("People by role", &s.people_by_role));
                let events = s
                    .attendance_by_event
                    .iter()
                    .map(|e| vec![e.event_id.to_string(), e.date.clone(), e.title.clone(), e.attended.to_string()])
                    .collect();
                out.push_str(&format!(
                    "\n\nAttendance by event\n{}",
                    table(&["EVENT", "DATE", "TITLE", "ATTENDED"], events)
                ));
                out
            })
        }
        ReportCmd::Donor(args) => {
            let project_id = super::id(&conn, Table::Projects, &args.project)?;
            let t = reports::donor_table(&mut conn, project_id, &args.options()?)?;
            Output::new(&t, || {
                let first = t.rows_dimension.as_str().to_uppercase();
                let mut headers: Vec<&str> = vec![first.as_str()];
                headers.extend(t.columns.iter().map(|c| c.label.as_str()));
                headers.push("TOTAL");
                let mut rows: Vec<Vec<String>> = t
                    .rows
                    .iter()
                    .map(|r| {
                        let mut cells = vec![r.label.clone()];
                        cells.extend(r.counts.iter().map(i64::to_string));
                        cells.push(r.total.to_string());
                        cells
                    })
                    .collect();
                let mut totals = vec!["total".to_string()];
                totals.extend(t.column_totals.iter().map(i64::to_string));
                totals.push(t.total.to_string());
                rows.push(totals);
                format!(
                    "{}: unique participants by {} and {}\n\n{}",
                    t.project_name,
                    t.rows_dimension.as_str().replace('_', " "),
                    t.columns_dimension.as_str().replace('_', " "),
                    table(&headers, rows)
                )
            })
        }
        ReportCmd::DonorPeople(a) => {
            let project_id = super::id(&conn, Table::Projects, &a.project)?;
            let mut cell =
                vec![CellValue { dimension: a.dim.parse()?, key: value_key(&a.value), label: String::new() }];
            if let (Some(d), Some(v)) = (&a.dim2, &a.value2) {
                cell.push(CellValue { dimension: d.parse()?, key: value_key(v), label: String::new() });
            }
            let opts = DonorOptions {
                from: a.from,
                to: a.to,
                min_minutes: a.min_minutes,
                min_events: a.min_events,
                ..Default::default()
            };
            let r = reports::cell_people(&mut conn, project_id, &opts, &cell, a.offset, a.limit)?;
            Output::new(&r, || {
                let what: Vec<String> = r
                    .cell
                    .iter()
                    .map(|c| {
                        format!(
                            "{} {}",
                            c.dimension.as_str().replace('_', " "),
                            if c.label.is_empty() { &c.key } else { &c.label }
                        )
                    })
                    .collect();
                let mut out = format!(
                    "{} people counted for {}: {} listed below{}",
                    r.total,
                    what.join(" and "),
                    r.person_ids.len(),
                    if r.erased > 0 { format!(", {} erased (counted, not listed)", r.erased) } else { String::new() }
                );
                let rows = r
                    .people
                    .iter()
                    .map(|p| {
                        vec![
                            p.id.to_string(),
                            p.full_name.clone(),
                            opt(&p.email),
                            opt(&p.country),
                            opt(&p.organisation_name),
                        ]
                    })
                    .collect();
                out.push_str(&format!("\n\n{}", table(&["ID", "NAME", "EMAIL", "COUNTRY", "ORGANISATION"], rows)));
                out
            })
        }
        ReportCmd::Registration { project, event, from, to } => {
            let project_id = super::id(&conn, Table::Projects, &project)?;
            let event_id = event.map(|e| super::id(&conn, Table::Events, &e)).transpose()?;
            let r = reports::registration_report(&conn, project_id, &RegistrationOptions { event_id, from, to })?;
            Output::new(&r, || {
                let pct = |v: Option<f64>| v.map(|x| format!("{x}%")).unwrap_or_default();
                let line = |id: String, e: &reports::EventRegistration| {
                    vec![
                        id,
                        e.date.clone(),
                        e.title.clone(),
                        e.registered.to_string(),
                        e.attended.to_string(),
                        e.no_shows.to_string(),
                        e.walk_ins.to_string(),
                        pct(e.attendance_rate),
                    ]
                };
                let mut rows: Vec<Vec<String>> =
                    r.events.iter().map(|e| line(e.event_id.unwrap_or_default().to_string(), e)).collect();
                rows.push(line("total".into(), &r.total));
                format!(
                    "{}: registration and attendance\n\n{}",
                    r.project_name,
                    table(&["EVENT", "DATE", "TITLE", "REGISTERED", "ATTENDED", "NO-SHOWS", "WALK-INS", "RATE"], rows)
                )
            })
        }
        ReportCmd::Indicators(args) => {
            let project_id = super::id(&conn, Table::Projects, &args.project)?;
            let r = indicators::report(&mut conn, project_id, &args.options())?;
            Output::new(&r, || {
                let rows = r
                    .indicators
                    .iter()
                    .map(|l| {
                        let i = &l.indicator;
                        vec![
                            i.id.to_string(),
                            i.name.clone(),
                            num(i.baseline),
                            num(i.target),
                            l.actual.to_string(),
                            l.percent_of_target.map(|p| format!("{p}%")).unwrap_or_default(),
                        ]
                    })
                    .collect();
                format!(
                    "{}: indicators\n\n{}",
                    r.project_name,
                    table(&["ID", "INDICATOR", "BASELINE", "TARGET", "ACTUAL", "OF TARGET"], rows)
                )
            })
        }
        ReportCmd::Person { id } => {
            let person_id = super::id(&conn, Table::People, &id)?;
            let h = reports::person_history(&conn, person_id)?;
            Output::new(&h, || {
                let rows = h
                    .entries
                    .iter()
                    .map(|e| {
                        vec![
                            e.starts_at.clone(),
                            e.event_title.clone(),
                            e.project_name.clone(),
                            e.role.clone(),
                            e.status.clone(),
                            opt(&e.minutes),
                        ]
                    })
                    .collect();
                format!(
                    "{}: {} events attended in {} projects, {} minutes\n\n{}",
                    h.name,
                    h.events_attended,
                    h.projects,
                    h.total_minutes,
                    table(&["STARTS", "EVENT", "PROJECT", "ROLE", "STATUS", "MINUTES"], rows)
                )
            })
        }
        ReportCmd::Org { id } => {
            let organisation_id = super::id(&conn, Table::Organisations, &id)?;
            let o = reports::organisation_participation(&conn, organisation_id)?;
            Output::new(&o, || {
                let rows = o
                    .rows
                    .iter()
                    .map(|r| {
                        vec![
                            r.date.clone(),
                            r.event_title.clone(),
                            r.name.clone(),
                            r.role.clone(),
                            r.status.clone(),
                            opt(&r.minutes),
                        ]
                    })
                    .collect();
                format!(
                    "{}: {} people at {} events ({} attendances)\n\n{}",
                    o.organisation_name,
                    o.people,
                    o.events,
                    o.attendances,
                    table(&["DATE", "EVENT", "PERSON", "ROLE", "STATUS", "MINUTES"], rows)
                )
            })
        }
        ReportCmd::Partners { project } => {
            let project_id = super::id(&conn, Table::Projects, &project)?;
            let p = reports::partners(&conn, project_id)?;
            Output::new(&p, || {
                let rows = p
                    .partners
                    .iter()
                    .map(|x| {
                        vec![
                            x.organisation_id.to_string(),
                            x.organisation_name.clone(),
                            opt(&x.organisation_country),
                            x.role.clone(),
                        ]
                    })
                    .collect();
                format!(
                    "{} (donor: {})\n\n{}",
                    p.project_name,
                    opt(&p.donor),
                    table(&["ORG", "NAME", "COUNTRY", "ROLE"], rows)
                )
            })
        }
    }
}
