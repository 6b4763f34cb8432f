//! `rollcall-cli attendance ...`

use clap::Subcommand;
use rollcall_core::attendance::{self, AttendanceInput};
use rollcall_core::db::Table;

use crate::output::{opt, table, Output};
use crate::{CmdResult, Ctx};

#[derive(Subcommand)]
pub enum AttendanceCmd {
    /// The attendance list of an event
    List {
        #[arg(long)]
        event: String,
    },
    /// Record or change one person's attendance at an event
    Set {
        #[arg(long)]
        event: String,
        #[arg(long)]
        person: String,
        /// participant, speaker, moderator or organiser
        #[arg(long)]
        role: Option<String>,
        /// registered, attended, absent or cancelled
        #[arg(long)]
        status: Option<String>,
        #[arg(long)]
        minutes: Option<i64>,
    },
    /// Take a person off an event's list
    Remove {
        #[arg(long)]
        event: String,
        #[arg(long)]
        person: String,
    },
}

pub fn run(ctx: &Ctx, cmd: AttendanceCmd) -> CmdResult {
    let conn = ctx.open()?;
    match cmd {
        AttendanceCmd::List { event } => {
            let event_id = super::id(&conn, Table::Events, &event)?;
            let list = attendance::for_event(&conn, event_id)?;
            Output::new(&list, || {
                table(
                    &["PERSON", "NAME", "EMAIL", "ROLE", "STATUS", "MINUTES"],
                    list.iter()
                        .map(|a| {
                            vec![
                                a.person_id.to_string(),
                                a.name.clone(),
                                opt(&a.email),
                                a.role.clone(),
                                a.status.clone(),
                                opt(&a.minutes),
                            ]
                        })
                        .collect(),
                )
            })
        }
        AttendanceCmd::Set { event, person, role, status, minutes } => {
            let event_id = super::id(&conn, Table::Events, &event)?;
            let person_id = super::id(&conn, Table::People, &person)?;
            let a = attendance::set(&conn, &AttendanceInput { event_id, person_id, role, status, minutes })?;
            Output::new(&a, || format!("person {} at event {}: {} ({})", a.person_id, a.event_id, a.status, a.role))
        }
        AttendanceCmd::Remove { event, person } => {
            let event_id = super::id(&conn, Table::Events, &event)?;
            let person_id = super::id(&conn, Table::People, &person)?;
            attendance::remove(&conn, event_id, person_id)?;
            Output::new(&serde_json::json!({ "deleted": { "event_id": event_id, "person_id": person_id } }), || {
                format!("removed person {person_id} from event {event_id}")
            })
        }
    }
}
