//! `rollcall-cli org ...`

use clap::Subcommand;
use rollcall_core::db::Table;
use rollcall_core::organisations::{self, OrganisationInput};

use crate::output::{fields, opt, table, Output};
use crate::{CmdResult, Ctx};

#[derive(Subcommand)]
pub enum OrgCmd {
    /// Create an organisation
    Add {
        #[arg(long)]
        name: String,
        #[arg(long)]
        short_name: Option<String>,
        /// ISO 3166 two-letter country code (UA, GE, MD, ...)
        #[arg(long)]
        country: Option<String>,
        /// ngo, foundation, donor, government, media, informal_group or other
        #[arg(long)]
        kind: Option<String>,
        #[arg(long)]
        website: Option<String>,
        #[arg(long)]
        notes: Option<String>,
    },
    /// List organisations
    List {
        /// Only those whose name contains this text
        #[arg(long)]
        search: Option<String>,
    },
    /// Show one organisation
    Show { id: String },
    /// Delete an organisation; with --force even if it has partnerships or members
    Delete {
        id: String,
        #[arg(long)]
        force: bool,
    },
}

pub fn run(ctx: &Ctx, cmd: OrgCmd) -> CmdResult {
    let mut conn = ctx.open()?;
    match cmd {
        OrgCmd::Add { name, short_name, country, kind, website, notes } => {
            let o =
                organisations::create(&conn, &OrganisationInput { name, short_name, country, kind, website, notes })?;
            Output::new(&o, || format!("created organisation {}: {}", o.id, o.name))
        }
        OrgCmd::List { search } => {
            let list = organisations::list(&conn, search.as_deref())?;
            Output::new(&list, || {
                table(
                    &["ID", "NAME", "SHORT", "COUNTRY", "KIND", "PEOPLE"],
                    list.iter()
                        .map(|o| {
                            vec![
                                o.id.to_string(),
                                o.name.clone(),
                                opt(&o.short_name),
                                opt(&o.country),
                                o.kind.clone(),
                                o.people.to_string(),
                            ]
                        })
                        .collect(),
                )
            })
        }
        OrgCmd::Show { id } => {
            let id = super::id(&conn, Table::Organisations, &id)?;
            let o = organisations::get(&conn, id)?;
            Output::new(&o, || {
                fields(&[
                    ("id", o.id.to_string()),
                    ("name", o.name.clone()),
                    ("short name", opt(&o.short_name)),
                    ("country", opt(&o.country)),
                    ("kind", o.kind.clone()),
                    ("website", opt(&o.website)),
                    ("people", o.people.to_string()),
                ])
            })
        }
        OrgCmd::Delete { id, force } => {
            let id = super::id(&conn, Table::Organisations, &id)?;
            organisations::delete(&mut conn, id, force)?;
            Output::new(&serde_json::json!({ "deleted": id }), || format!("deleted organisation {id}"))
        }
    }
}
