//! `rollcall-cli event ...`

use clap::Subcommand;
use rollcall_core::db::Table;
use rollcall_core::events::{self, EventInput};

use crate::output::{fields, opt, table, Output};
use crate::{CmdResult, Ctx};

// Parsed once per process: the size of the largest variant does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Subcommand)]
pub enum EventCmd {
    /// Create an event
    Add {
        #[arg(long)]
        project: String,
        #[arg(long)]
        title: String,
        /// Local start as announced, YYYY-MM-DDTHH:MM
        #[arg(long)]
        starts: String,
        /// IANA time zone of the start time
        #[arg(long, default_value = rollcall_core::events::DEFAULT_TIMEZONE)]
        tz: String,
        /// webinar, conference, training, meeting, contest or other
        #[arg(long)]
        kind: Option<String>,
        /// Length in minutes
        #[arg(long)]
        duration: Option<i64>,
        /// Zoom, Teams, Google Meet, in person, ...
        #[arg(long)]
        platform: Option<String>,
        #[arg(long)]
        link: Option<String>,
        #[arg(long)]
        recording_link: Option<String>,
        #[arg(long)]
        language: Option<String>,
        #[arg(long)]
        notes: Option<String>,
        /// The partner organisation (id) that ran the event
        #[arg(long, value_name = "ORG_ID")]
        organiser: Option<String>,
        /// City of an in-person event
        #[arg(long)]
        city: Option<String>,
        /// Country (two-letter code) of an in-person event
        #[arg(long)]
        country: Option<String>,
    },
    /// Change an event: only the fields given change (`--organiser none` clears the organiser)
    Update {
        id: String,
        #[arg(long)]
        title: Option<String>,
        #[arg(long)]
        starts: Option<String>,
        #[arg(long)]
        tz: Option<String>,
        #[arg(long)]
        kind: Option<String>,
        #[arg(long)]
        duration: Option<i64>,
        #[arg(long)]
        platform: Option<String>,
        #[arg(long)]
        link: Option<String>,
        #[arg(long)]
        recording_link: Option<String>,
        #[arg(long)]
        language: Option<String>,
        #[arg(long)]
        notes: Option<String>,
        /// The partner organisation (id) that ran the event, or `none`
        #[arg(long, value_name = "ORG_ID")]
        organiser: Option<String>,
        /// City of an in-person event (`none` clears it)
        #[arg(long)]
        city: Option<String>,
        /// Country (two-letter code) of an in-person event (`none` clears it)
        #[arg(long)]
        country: Option<String>,
    },
    /// List events, newest first
    List {
        /// Only the events of this project
        #[arg(long)]
        project: Option<String>,
    },
    /// Show one event
    Show { id: String },
    /// Delete an event; with --force also its attendance
    Delete {
        id: String,
        #[arg(long)]
        force: bool,
    },
}

pub fn run(ctx: &Ctx, cmd: EventCmd) -> CmdResult {
    let mut conn = ctx.open()?;
    match cmd {
        EventCmd::Add {
            project,
            title,
            starts,
            tz,
            kind,
            duration,
            platform,
            link,
            recording_link,
            language,
            notes,
            organiser,
            city,
            country,
        } => {
            let project_id = super::id(&conn, Table::Projects, &project)?;
            let organiser_id = organiser.map(|o| super::id(&conn, Table::Organisations, &o)).transpose()?;
            let e = events::create(
                &conn,
                &EventInput {
                    project_id,
                    title,
                    kind,
                    starts_at: starts,
                    timezone: Some(tz),
                    duration_minutes: duration,
                    platform,
                    link,
                    recording_link,
                    language,
                    notes,
                    organiser_id,
                    city,
                    country,
                },
            )?;
            Output::new(&e, || format!("created event {}: {} ({} {})", e.id, e.title, e.starts_at, e.timezone))
        }
        EventCmd::Update {
            id,
            title,
            starts,
            tz,
            kind,
            duration,
            platform,
            link,
            recording_link,
            language,
            notes,
            organiser,
            city,
            country,
        } => {
            let id = super::id(&conn, Table::Events, &id)?;
            let mut input = events::input_of(&events::get(&conn, id)?);
            input.title = title.unwrap_or(input.title);
            input.starts_at = starts.unwrap_or(input.starts_at);
            input.timezone = tz.or(input.timezone);
            input.kind = kind.or(input.kind);
            input.duration_minutes = duration.or(input.duration_minutes);
            input.platform = platform.or(input.platform);
            input.link = link.or(input.link);
            input.recording_link = recording_link.or(input.recording_link);
            input.language = language.or(input.language);
            input.notes = notes.or(input.notes);
            match organiser.as_deref().map(str::trim) {
                Some("none") | Some("") => input.organiser_id = None,
                Some(o) => input.organiser_id = Some(super::id(&conn, Table::Organisations, o)?),
                None => {}
            }
            let clearable = |new: Option<String>, old: Option<String>| match new.as_deref().map(str::trim) {
                Some("none") | Some("") => None,
                Some(_) => new,
                None => old,
            };
            input.city = clearable(city, input.city.take());
            input.country = clearable(country, input.country.take());
            let e = events::update(&conn, id, &input)?;
            Output::new(&e, || format!("updated event {}: {}", e.id, e.title))
        }
        EventCmd::List { project } => {
            let project_id = project.map(|p| super::id(&conn, Table::Projects, &p)).transpose()?;
            let list = events::list(&conn, project_id)?;
            Output::new(&list, || {
                table(
                    &["ID", "STARTS", "ZONE", "KIND", "TITLE", "ATTENDED"],
                    list.iter()
                        .map(|e| {
                            vec![
                                e.id.to_string(),
                                e.starts_at.replace('T', " "),
                                e.timezone.clone(),
                                e.kind.clone(),
                                e.title.clone(),
                                e.attended.to_string(),
                            ]
                        })
                        .collect(),
                )
            })
        }
        EventCmd::Show { id } => {
            let id = super::id(&conn, Table::Events, &id)?;
            let e = events::get(&conn, id)?;
            Output::new(&e, || {
                fields(&[
                    ("id", e.id.to_string()),
                    ("title", e.title.clone()),
                    ("project", e.project_name.clone()),
                    ("kind", e.kind.clone()),
                    ("starts", format!("{} {} (UTC{})", e.starts_at.replace('T', " "), e.timezone, e.utc_offset)),
                    ("duration", opt(&e.duration_minutes.map(|d| format!("{d} min")))),
                    ("platform", opt(&e.platform)),
                    ("organiser", opt(&e.organiser_name)),
                    ("attended", e.attended.to_string()),
                ])
            })
        }
        EventCmd::Delete { id, force } => {
            let id = super::id(&conn, Table::Events, &id)?;
            events::delete(&mut conn, id, force)?;
            Output::new(&serde_json::json!({ "deleted": id }), || format!("deleted event {id}"))
        }
    }
}
