//! `rollcall-cli partner ...`

use clap::Subcommand;
use rollcall_core::db::Table;
use rollcall_core::partners::{self, PartnerInput};

use crate::output::{opt, table, Output};
use crate::{CmdResult, Ctx};

#[derive(Subcommand)]
pub enum PartnerCmd {
    /// Add an organisation to a project
    Add {
        #[arg(long)]
        project: String,
        #[arg(long)]
        org: String,
        /// lead, partner, supporter, funder or associate
        #[arg(long)]
        role: String,
    },
    /// List the partners of a project
    List {
        #[arg(long)]
        project: String,
    },
    /// Remove a partnership (by its id, as listed)
    Remove { id: i64 },
}

pub fn run(ctx: &Ctx, cmd: PartnerCmd) -> CmdResult {
    let conn = ctx.open()?;
    match cmd {
        PartnerCmd::Add { project, org, role } => {
            let project_id = super::id(&conn, Table::Projects, &project)?;
            let organisation_id = super::id(&conn, Table::Organisations, &org)?;
            let p = partners::add(&conn, &PartnerInput { project_id, organisation_id, role })?;
            Output::new(&p, || format!("{} is now {} of {}", p.organisation_name, p.role, p.project_name))
        }
        PartnerCmd::List { project } => {
            let project_id = super::id(&conn, Table::Projects, &project)?;
            let list = partners::for_project(&conn, project_id)?;
            Output::new(&list, || {
                table(
                    &["ID", "ORGANISATION", "COUNTRY", "ROLE"],
                    list.iter()
                        .map(|p| {
                            vec![
                                p.id.to_string(),
                                p.organisation_name.clone(),
                                opt(&p.organisation_country),
                                p.role.clone(),
                            ]
                        })
                        .collect(),
                )
            })
        }
        PartnerCmd::Remove { id } => {
            partners::remove(&conn, id)?;
            Output::new(&serde_json::json!({ "deleted": id }), || format!("removed partnership {id}"))
        }
    }
}
