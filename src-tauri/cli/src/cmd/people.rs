//! `rollcall-cli person ...`

use std::path::PathBuf;

use clap::Subcommand;
use rollcall_core::db::Table;
use rollcall_core::people::{self, PeopleQuery, PersonInput};

use crate::output::{fields, opt, table, Output};
use crate::{CmdResult, Ctx};

#[derive(Subcommand)]
pub enum PersonCmd {
    /// Create a person
    Add {
        #[arg(long)]
        name: String,
        #[arg(long)]
        email: Option<String>,
        /// ISO 3166 two-letter country code
        #[arg(long)]
        country: Option<String>,
        /// Organisation id
        #[arg(long)]
        org: Option<String>,
        /// Self-described gender (free text)
        #[arg(long)]
        gender: Option<String>,
        #[arg(long)]
        notes: Option<String>,
    },
    /// List people, optionally only those whose name or email contains a text (any script, any case)
    List {
        #[arg(long)]
        search: Option<String>,
        /// Only members of this organisation
        #[arg(long)]
        org: Option<String>,
        /// At most this many
        #[arg(long, default_value_t = 0)]
        limit: i64,
        #[arg(long, default_value_t = 0)]
        offset: i64,
    },
    /// Show one person with their attendance history
    Show { id: String },
    /// Delete a person; with --force also their attendance records
    Delete {
        id: String,
        #[arg(long)]
        force: bool,
    },
    /// Write everything held about a person (record, organisation, consents, attendance, imports) to a file
    Export {
        id: String,
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// json or csv
        #[arg(long, default_value = "json")]
        format: String,
    },
    /// Erase a person everywhere, for good (their attendance stays only as anonymous counts); needs --yes
    Erase {
        id: String,
        #[arg(long)]
        yes: bool,
    },
    /// Merge two records of the same person: DROP's attendance, consents and missing details go to KEEP,
    /// DROP's uid is remembered as KEEP's, and DROP is deleted
    Merge { keep: String, drop: String },
    /// Record a person's consent for a purpose, or withdraw it (--withdraw)
    Consent {
        id: String,
        /// What the person agreed to, e.g. "contact about future events"
        #[arg(long)]
        purpose: String,
        /// How it was given, e.g. "registration form", "email"
        #[arg(long)]
        method: Option<String>,
        /// When it was given (or withdrawn), YYYY-MM-DD [default: today]
        #[arg(long)]
        date: Option<String>,
        /// Withdraw the consent for this purpose instead of recording it
        #[arg(long)]
        withdraw: bool,
    },
}

pub fn run(ctx: &Ctx, cmd: PersonCmd) -> CmdResult {
    let mut conn = ctx.open()?;
    match cmd {
        PersonCmd::Add { name, email, country, org, gender, notes } => {
            let organisation_id = org.map(|o| super::id(&conn, Table::Organisations, &o)).transpose()?;
            let p = people::create(
                &conn,
                &PersonInput { full_name: name, email, organisation_id, country, gender, notes },
            )?;
            Output::new(&p, || format!("created person {}", p.id))
        }
        PersonCmd::List { search, org, limit, offset } => {
            let organisation_id = org.map(|o| super::id(&conn, Table::Organisations, &o)).transpose()?;
            let page = people::list(&conn, &PeopleQuery { search, organisation_id, offset, limit })?;
            Output::new(&page.items, || {
                table(
                    &["ID", "NAME", "EMAIL", "COUNTRY", "ORGANISATION", "EVENTS"],
                    page.items
                        .iter()
                        .map(|p| {
                            vec![
                                p.id.to_string(),
                                p.full_name.clone(),
                                opt(&p.email),
                                opt(&p.country),
                                opt(&p.organisation_name),
                                p.events_attended.to_string(),
                            ]
                        })
                        .collect(),
                )
            })
        }
        PersonCmd::Show { id } => {
            let id = super::id(&conn, Table::People, &id)?;
            let p = people::get(&conn, id)?;
            let history = rollcall_core::attendance::history(&conn, id)?;
            let consents = people::consents(&conn, id)?;
            let mut value = serde_json::to_value(&p).unwrap_or_default();
            value["history"] = serde_json::to_value(&history).unwrap_or_default();
            value["consents"] = serde_json::to_value(&consents).unwrap_or_default();
            Output::new(&value, || {
                let mut s = fields(&[
                    ("id", p.id.to_string()),
                    ("name", p.full_name.clone()),
                    ("email", opt(&p.email)),
                    ("organisation", opt(&p.organisation_name)),
                    ("country", opt(&p.country)),
                    ("gender", opt(&p.gender)),
                ]);
                for h in &history {
                    s.push_str(&format!(
                        "\n{}  {}  {} ({})",
                        h.starts_at.replace('T', " "),
                        h.event_title,
                        h.role,
                        h.status
                    ));
                }
                s
            })
        }
        PersonCmd::Delete { id, force } => {
            let id = super::id(&conn, Table::People, &id)?;
            people::delete(&mut conn, id, force)?;
            Output::new(&serde_json::json!({ "deleted": id }), || format!("deleted person {id}"))
        }
        PersonCmd::Merge { keep, drop } => {
            let keep = super::id(&conn, Table::People, &keep)?;
            let drop = super::id(&conn, Table::People, &drop)?;
            let m = rollcall_core::merge::merge_people(&mut conn, keep, drop)?;
            Output::new(&m, || {
                format!(
                    "merged person {} into {}: {} attendance records moved, {} merged, {} consents moved",
                    m.dropped_id, m.person.id, m.attendances_moved, m.attendances_merged, m.consents_moved
                )
            })
        }
        PersonCmd::Export { id, out, format } => super::privacy::export(&conn, &id, out, &format),
        PersonCmd::Erase { id, yes } => super::privacy::erase(&mut conn, &id, yes),
        PersonCmd::Consent { id, purpose, method, date, withdraw } => {
            super::privacy::consent(&conn, &id, purpose, method, date, withdraw)
        }
    }
}
