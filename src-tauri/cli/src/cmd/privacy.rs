//! Privacy on the command line: `person export | erase | consent` (their variants are in `people.rs`)
//! and `retention`, which lists (and with `--erase --yes` erases) people not seen since a date.

use std::path::PathBuf;

use clap::Args;
use rollcall_core::db::{Connection, Table};
use rollcall_core::people::{self, ConsentInput};
use rollcall_core::privacy::{self, DataFormat, PersonSummary};
use rollcall_core::Error;

use crate::output::{fields, opt, table, Output};
use crate::{CmdResult, Ctx};

/// `person export ID --out FILE [--format json|csv]`: everything held about one person.
pub fn export(conn: &Connection, id: &str, out: PathBuf, format: &str) -> CmdResult {
    let id = super::id(conn, Table::People, id)?;
    let format: DataFormat = format.parse()?;
    let written = privacy::write_person_data(conn, id, &out, format)?;
    Output::new(&written, || {
        format!("person {id}: everything held about them written to {} ({} bytes)", written.path, written.bytes)
    })
}

/// `person erase ID [--yes]`: without --yes, says what would go and changes nothing.
pub fn erase(conn: &mut Connection, id: &str, yes: bool) -> CmdResult {
    let id = super::id(conn, Table::People, id)?;
    if !yes {
        let data = privacy::person_data(conn, id)?;
        return Err(Error::conflict(format!(
            "erasing person {id} removes them, their {} attendance record(s) and {} consent record(s) for good; run again with --yes",
            data.attendance.len(),
            data.consents.len()
        )));
    }
    let summary = privacy::erase_person(conn, id)?;
    Output::new(&summary, || {
        format!(
            "person {id} erased: {} attendance record(s) kept only as anonymous counts, {} consent record(s) removed",
            summary.attendance, summary.consents
        )
    })
}

/// `person consent ID --purpose TEXT [--method TEXT] [--date D] [--withdraw]`.
pub fn consent(
    conn: &Connection,
    id: &str,
    purpose: String,
    method: Option<String>,
    date: Option<String>,
    withdraw: bool,
) -> CmdResult {
    let id = super::id(conn, Table::People, id)?;
    if withdraw {
        let n = people::withdraw_consent_on(conn, id, Some(&purpose), date.as_deref())?;
        if n == 0 {
            return Err(Error::invalid(
                "purpose",
                format!("person {id} has no open consent for this purpose given on or before that date"),
            ));
        }
        let consents = people::consents(conn, id)?;
        return Output::new(&serde_json::json!({ "person_id": id, "withdrawn": n, "consents": consents }), || {
            format!("person {id}: {n} consent(s) withdrawn")
        });
    }
    let c = people::add_consent(conn, id, &ConsentInput { purpose, given_on: date, method })?;
    Output::new(&c, || format!("person {id}: consent {} recorded (given on {})", c.id, c.given_on))
}

#[derive(Args)]
pub struct RetentionArgs {
    /// People with no attendance at any event on or after this date (YYYY-MM-DD), added before it
    #[arg(long, value_name = "DATE")]
    before: String,
    /// Erase them (all in one transaction); needs --yes
    #[arg(long)]
    erase: bool,
    #[arg(long)]
    yes: bool,
}

pub fn retention(ctx: &Ctx, args: RetentionArgs) -> CmdResult {
    let mut conn = ctx.open()?;
    let candidates = privacy::retention_candidates(&conn, &args.before)?;
    if !args.erase {
        return Output::new(&candidates, || list(&candidates, &args.before));
    }
    if !args.yes {
        return Err(Error::conflict(format!(
            "this erases {} person(s) not seen since {} for good; run again with --yes",
            candidates.len(),
            args.before
        )));
    }
    let ids: Vec<i64> = candidates.iter().map(|p| p.id).collect();
    let summary = privacy::erase_people(&mut conn, &ids)?;
    Output::new(&summary, || {
        format!(
            "{} person(s) erased; {} attendance record(s) kept only as anonymous counts",
            summary.people, summary.anonymous_attendance
        )
    })
}

fn list(people: &[PersonSummary], since: &str) -> String {
    if people.is_empty() {
        return format!("nobody was last seen before {since}");
    }
    let mut s = table(
        &["ID", "NAME", "EMAIL", "ORGANISATION", "LAST EVENT", "RECORDS", "CONSENTS"],
        people
            .iter()
            .map(|p| {
                vec![
                    p.id.to_string(),
                    p.full_name.clone(),
                    opt(&p.email),
                    opt(&p.organisation_name),
                    opt(&p.last_event),
                    p.attendance.to_string(),
                    p.open_consents.to_string(),
                ]
            })
            .collect(),
    );
    s.push('\n');
    s.push_str(&fields(&[("people", people.len().to_string()), ("erase them with", "--erase --yes".into())]));
    s
}
