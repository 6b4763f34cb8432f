//! The partners' exchange figures (issue 14): exporting and applying a bundle of 10,000 attendance
//! records and 5,000 people, in process on the release build, next to the reference a coordinator has
//! today: importing the same rows from CSV reports.
//!
//! The partner's database is filled by importing generated Zoom reports (20 webinars of 500 people, each
//! person at two of them); the lead's is empty but for the two installations knowing each other's cards.

use std::path::{Path, PathBuf};
use std::time::Duration;

use rollcall_core::consortium::bundle::{self, ApplyOptions, ExportOptions};
use rollcall_core::consortium::{contacts, identity};
use rollcall_core::db::Connection;
use rollcall_core::events::{self, EventInput};
use rollcall_core::import::{self, ImportOptions};
use rollcall_core::open::{self, OpenOptions};
use rollcall_core::organisations::{self, OrganisationInput};
use rollcall_core::progress::Progress;
use rollcall_core::projects::{self, ProjectInput};

use crate::measure::{ms, repeat, spread, Row};

type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

/// "Well under a second" (issue 14), for each of export and apply.
const BUNDLE_MS: f64 = 1000.0;

const WEBINARS: usize = 20;

fn open(path: &Path) -> Result<Connection> {
    Ok(open::open_with(path, &OpenOptions { daily_backup: false, ..OpenOptions::default() })?)
}

/// The Zoom reports: webinar `w` has people `w*250 .. w*250+500` (mod the total), so everyone attends two.
fn reports(dir: &Path, people: usize) -> Result<Vec<PathBuf>> {
    let per_webinar = people * 2 / WEBINARS;
    (0..WEBINARS)
        .map(|w| {
            let path = dir.join(format!("bundle-webinar-{w:02}.csv"));
            let mut s = String::from("Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest\n");
            for i in 0..per_webinar {
                let p = (w * per_webinar / 2 + i) % people;
                s.push_str(&format!(
                    "Participant {p:05},p{p}@example.org,28/06/2022 15:{m:02}:00,28/06/2022 16:{m:02}:00,60,No\n",
                    m = p % 60
                ));
            }
            std::fs::write(&path, s)?;
            Ok(path)
        })
        .collect()
}

/// A database with one project and the webinars, returning the event ids.
fn project_with_webinars(conn: &Connection) -> Result<Vec<i64>> {
    let project =
        projects::create(conn, &ProjectInput { name: "In Search of Solidarity".into(), ..Default::default() })?;
    (0..WEBINARS)
        .map(|w| {
            Ok(events::create(
                conn,
                &EventInput {
                    project_id: project.id,
                    title: format!("Webinar {w}"),
                    starts_at: format!("2022-{:02}-10T15:00", w % 12 + 1),
                    timezone: Some("Asia/Tbilisi".into()),
                    ..Default::default()
                },
            )?
            .id)
        })
        .collect()
}

fn import_all(conn: &mut Connection, events: &[i64], files: &[PathBuf]) -> Result<u64> {
    let mut rows = 0;
    for (event, file) in events.iter().zip(files) {
        let s = import::commit(conn, *event, file, &ImportOptions::default(), &[], &Progress::none())?;
        rows += s.attendances_created;
    }
    Ok(rows)
}

pub fn figures(dir: &Path, runs: usize, quick: bool, rows: &mut Vec<Row>) -> Result<()> {
    let people = if quick { 500 } else { 5_000 };
    let work = dir.join("bundles");
    let _ = std::fs::remove_dir_all(&work);
    std::fs::create_dir_all(&work)?;
    let files = reports(&work, people)?;

    // The two installations and their trust.
    let partner_db = work.join("partner.sqlite3");
    let lead_template = work.join("lead-template.sqlite3");
    let mut partner = open(&partner_db)?;
    let lead = open(&lead_template)?;
    let ge = organisations::create(
        &partner,
        &OrganisationInput { name: "World of Tolerance".into(), ..Default::default() },
    )?;
    let ua_at_ge = organisations::create(
        &partner,
        &OrganisationInput { name: "Human Rights Vector".into(), ..Default::default() },
    )?;
    let ge_at_ua =
        organisations::create(&lead, &OrganisationInput { name: "World of Tolerance".into(), ..Default::default() })?;
    let partner_card = identity::set_organisation(&partner, ge.id)?.card;
    let lead_identity = identity::show(&lead)?;
    contacts::add(&partner, &lead_identity.card, ua_at_ge.id)?;
    contacts::add(&lead, &partner_card, ge_at_ua.id)?;
    drop(lead);
    let events = project_with_webinars(&partner)?;
    let records = import_all(&mut partner, &events, &files)?;
    let project = 1;

    // Export: the whole project, each run.
    let out = work.join("partner.rollcall");
    let export_options = ExportOptions {
        project_id: project,
        to: vec![lead_identity.fingerprint.clone()],
        out: out.clone(),
        full: true,
        pseudonymous: false,
    };
    let exported = repeat(runs, || (), |_| bundle::export(&mut partner, &export_options).unwrap());
    let bytes = std::fs::metadata(&out)?.len();

    // Apply: into a fresh copy of the lead's database each run.
    let lead_db = work.join("lead.sqlite3");
    let fresh = |path: &Path| {
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
        }
        std::fs::copy(&lead_template, path).unwrap();
        open(path).unwrap()
    };
    let mut applied_people = 0;
    let applied = repeat(
        runs,
        || fresh(&lead_db),
        |mut conn| {
            let a = bundle::apply(&mut conn, &out, &ApplyOptions::default()).unwrap();
            applied_people = a.people_new;
        },
    );

    // The reference: the same rows imported from the CSV reports into an empty database.
    let reference_db = work.join("reference.sqlite3");
    let reference = repeat(
        runs.min(3),
        || {
            let conn = fresh(&reference_db);
            let events = project_with_webinars(&conn).unwrap();
            (conn, events)
        },
        |(mut conn, events)| import_all(&mut conn, &events, &files).unwrap(),
    );

    let reference_text = format!("importing the same rows from {WEBINARS} CSV reports: {}", ms(reference.median()));
    let met = |d: Duration| Some(d.as_secs_f64() * 1e3 < BUNDLE_MS);
    rows.push(Row {
        figure: format!(
            "**bundle export** of a project: {records} attendance records, {people} people, {WEBINARS} events ({} KB, encrypted and signed)",
            bytes / 1024
        ),
        value: ms(exported.median()),
        spread: spread(&exported),
        reference: reference_text.clone(),
        target: format!("< {BUNDLE_MS:.0} ms"),
        met: met(exported.median()),
    });
    rows.push(Row {
        figure: format!(
            "**bundle apply** of that file into the lead's database ({applied_people} people created, {records} records)"
        ),
        value: ms(applied.median()),
        spread: spread(&applied),
        reference: reference_text,
        target: format!("< {BUNDLE_MS:.0} ms"),
        met: met(applied.median()),
    });
    let _ = std::fs::remove_dir_all(&work);
    Ok(())
}
