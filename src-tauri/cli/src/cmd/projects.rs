//! `rollcall-cli project ...`

use clap::Subcommand;
use rollcall_core::db::Table;
use rollcall_core::projects::{self, Project, ProjectInput};

use crate::output::{fields, opt, table, Output};
use crate::{CmdResult, Ctx};

#[derive(Subcommand)]
pub enum ProjectCmd {
    /// Create a project
    Add {
        #[arg(long)]
        name: String,
        #[arg(long)]
        code: Option<String>,
        /// Donor or funder, as free text
        #[arg(long)]
        donor: Option<String>,
        /// Start date, YYYY-MM-DD
        #[arg(long)]
        start: Option<String>,
        /// End date, YYYY-MM-DD
        #[arg(long)]
        end: Option<String>,
        /// planned, active or closed
        #[arg(long)]
        status: Option<String>,
        #[arg(long)]
        description: Option<String>,
    },
    /// List projects
    List,
    /// Show one project with its partners
    Show { id: String },
    /// Delete a project; with --force also its events and their attendance
    Delete {
        id: String,
        #[arg(long)]
        force: bool,
    },
    /// Show or set a project's age bands (e.g. --set 0-14,15-24,25-64,65+; --set "" goes back to the defaults)
    AgeBands {
        id: String,
        #[arg(long)]
        set: Option<String>,
    },
    /// Show or set a project's participant types, comma-separated labels ("" goes back to the defaults)
    ParticipantTypes {
        id: String,
        #[arg(long)]
        set: Option<String>,
    },
}

pub fn run(ctx: &Ctx, cmd: ProjectCmd) -> CmdResult {
    let mut conn = ctx.open()?;
    match cmd {
        ProjectCmd::AgeBands { id, set } => {
            let id = super::id(&conn, Table::Projects, &id)?;
            let bands = match set {
                None => projects::age_bands(&conn, id)?,
                Some(list) => {
                    let mut bands = Vec::new();
                    for part in list.split(',').map(str::trim).filter(|p| !p.is_empty()) {
                        bands.push(projects::AgeBand::parse(part).ok_or_else(|| {
                            rollcall_core::Error::invalid(
                                "age_bands",
                                format!("'{part}' is not an age band like 25-34 or 65+"),
                            )
                        })?);
                    }
                    projects::set_age_bands(&mut conn, id, &bands)?
                }
            };
            let labels: Vec<String> = bands.iter().map(|b| b.label()).collect();
            Output::new(&labels, || labels.join(", "))
        }
        ProjectCmd::ParticipantTypes { id, set } => {
            let id = super::id(&conn, Table::Projects, &id)?;
            let types = match set {
                None => projects::participant_types(&conn, id)?,
                Some(list) => {
                    let labels: Vec<String> =
                        list.split(',').map(str::trim).filter(|p| !p.is_empty()).map(str::to_string).collect();
                    projects::set_participant_types(&mut conn, id, &labels)?
                }
            };
            Output::new(&types, || {
                table(&["KEY", "LABEL"], types.iter().map(|t| vec![t.key.clone(), t.label.clone()]).collect())
            })
        }
        ProjectCmd::Add { name, code, donor, start, end, status, description } => {
            let p = projects::create(
                &conn,
                &ProjectInput { name, code, donor, start_date: start, end_date: end, status, description },
            )?;
            Output::new(&p, || format!("created project {}: {}", p.id, p.name))
        }
        ProjectCmd::List => {
            let list = projects::list(&conn)?;
            Output::new(&list, || {
                table(&["ID", "NAME", "CODE", "STATUS", "START", "END", "EVENTS"], list.iter().map(row).collect())
            })
        }
        ProjectCmd::Show { id } => {
            let id = super::id(&conn, Table::Projects, &id)?;
            let p = projects::get(&conn, id)?;
            let partners = rollcall_core::partners::for_project(&conn, id)?;
            let mut value = serde_json::to_value(&p).unwrap_or_default();
            value["partner_list"] = serde_json::to_value(&partners).unwrap_or_default();
            Output::new(&value, || {
                let mut s = fields(&[
                    ("id", p.id.to_string()),
                    ("name", p.name.clone()),
                    ("code", opt(&p.code)),
                    ("donor", opt(&p.donor)),
                    ("dates", format!("{} – {}", opt(&p.start_date), opt(&p.end_date))),
                    ("status", p.status.clone()),
                    ("events", p.events.to_string()),
                ]);
                for partner in &partners {
                    s.push_str(&format!("\npartner   {} ({})", partner.organisation_name, partner.role));
                }
                s
            })
        }
        ProjectCmd::Delete { id, force } => {
            let id = super::id(&conn, Table::Projects, &id)?;
            projects::delete(&mut conn, id, force)?;
            Output::new(&serde_json::json!({ "deleted": id }), || format!("deleted project {id}"))
        }
    }
}

fn row(p: &Project) -> Vec<String> {
    vec![
        p.id.to_string(),
        p.name.clone(),
        opt(&p.code),
        p.status.clone(),
        opt(&p.start_date),
        opt(&p.end_date),
        p.events.to_string(),
    ]
}
