//! `rollcall-cli stress ...` (hidden): fills the database with seeded stress data, then times the
//! project summary and the donor table over it, for measuring at scale.

use std::time::Instant;

use clap::Args;
use rollcall_core::reports::{self, Dimension, DonorOptions, SummaryOptions};
use rollcall_core::stress::{self, StressSpec};

use crate::output::{fields, Output};
use crate::{CmdResult, Ctx};

#[derive(Args)]
pub struct StressArgs {
    #[arg(long, default_value_t = 1)]
    seed: u64,
    #[arg(long, default_value_t = 1)]
    projects: usize,
    /// Organisations [default: one per 50 people]
    #[arg(long, default_value_t = 0)]
    organisations: usize,
    #[arg(long, default_value_t = 100)]
    events: usize,
    #[arg(long, default_value_t = 5_000)]
    people: usize,
    #[arg(long, default_value_t = 20_000)]
    attendances: usize,
    /// How many times to run each report after generating (the first run also builds the rosters)
    #[arg(long, default_value_t = 3)]
    runs: usize,
    /// Only time the reports of this project, generating nothing
    #[arg(long)]
    report_only: Option<i64>,
}

fn millis(start: Instant) -> f64 {
    (start.elapsed().as_secs_f64() * 10_000.0).round() / 10.0
}

pub fn run(ctx: &Ctx, args: StressArgs) -> CmdResult {
    let mut conn = ctx.open()?;
    let (summary, project_id) = match args.report_only {
        Some(id) => (None, id),
        None => {
            let spec = StressSpec {
                seed: args.seed,
                projects: args.projects,
                organisations: args.organisations,
                events: args.events,
                people: args.people,
                attendances: args.attendances,
            };
            let s = stress::generate(&mut conn, &spec)?;
            let id = s.project_ids[0];
            (Some(s), id)
        }
    };
    let mut summary_ms = Vec::new();
    let mut donor_ms = Vec::new();
    let mut attendances = 0;
    for _ in 0..args.runs {
        let t = Instant::now();
        attendances = reports::project_summary(&mut conn, project_id, &SummaryOptions::default())?.attendances;
        summary_ms.push(millis(t));
        let t = Instant::now();
        reports::donor_table(&mut conn, project_id, &DonorOptions { min_minutes: Some(30), ..Default::default() })?;
        donor_ms.push(millis(t));
    }
    // Issue #15: the donor table by other pairs of dimensions (per-person and per-event ones).
    let mut pairs_ms = serde_json::Map::new();
    for (rows, cols) in [
        (Dimension::AgeBand, Dimension::Gender),
        (Dimension::Disability, Dimension::ParticipantType),
        (Dimension::Organiser, Dimension::Gender),
        (Dimension::Event, Dimension::AgeBand),
        (Dimension::OrganisationKind, Dimension::Country),
    ] {
        let opts = DonorOptions { rows: Some(rows), cols: Some(cols), ..Default::default() };
        let mut times = Vec::new();
        for _ in 0..args.runs {
            let t = Instant::now();
            reports::donor_table(&mut conn, project_id, &opts)?;
            times.push(millis(t));
        }
        pairs_ms.insert(format!("{rows}:{cols}"), serde_json::json!(times));
    }
    let value = serde_json::json!({
        "generated": summary,
        "project_id": project_id,
        "project_attendances": attendances,
        "summary_ms": summary_ms,
        "donor_ms": donor_ms,
        "donor_pairs_ms": pairs_ms,
    });
    Output::new(&value, || {
        let mut pairs = Vec::new();
        if let Some(s) = &summary {
            pairs.push((
                "generated",
                format!("{} events, {} people, {} attendances in {} ms", s.events, s.people, s.attendances, s.millis),
            ));
        }
        pairs.push(("project", format!("{project_id} ({attendances} attendances)")));
        pairs.push(("summary ms", format!("{summary_ms:?}")));
        pairs.push(("donor ms", format!("{donor_ms:?}")));
        for (pair, times) in &pairs_ms {
            pairs.push(("donor pair ms", format!("{pair} {times}")));
        }
        fields(&pairs)
    })
}
