//! `rollcall-cli indicator ...`: a project's indicators (what is counted, filter or share, baseline,
//! target). Their figures are `report indicators`.

use clap::Subcommand;
use rollcall_core::db::Table;
use rollcall_core::indicators::{self, IndicatorInput};

use crate::output::{table, Output};
use crate::{CmdResult, Ctx};

#[derive(Subcommand)]
pub enum IndicatorCmd {
    /// Add an indicator to a project
    Add {
        #[arg(long)]
        project: String,
        #[arg(long)]
        name: String,
        /// unique_people, attendances, events, people_min_events or people_min_minutes [default: unique_people]
        #[arg(long)]
        measure: Option<String>,
        /// N of people_min_events (events) or people_min_minutes (minutes)
        #[arg(long)]
        threshold: Option<i64>,
        /// Count only people with this value of a dimension: DIM=KEY, e.g. gender=woman, country=MD
        #[arg(long)]
        filter: Option<String>,
        /// The actual is the filtered people as a percentage of all people counted
        #[arg(long)]
        share: bool,
        #[arg(long)]
        baseline: Option<f64>,
        #[arg(long)]
        target: Option<f64>,
    },
    /// List a project's indicators
    List {
        #[arg(long)]
        project: String,
    },
    /// Remove an indicator
    Remove { id: i64 },
}

pub fn run(ctx: &Ctx, cmd: IndicatorCmd) -> CmdResult {
    let conn = ctx.open()?;
    match cmd {
        IndicatorCmd::Add { project, name, measure, threshold, filter, share, baseline, target } => {
            let project_id = super::id(&conn, Table::Projects, &project)?;
            let i = indicators::add(
                &conn,
                project_id,
                &IndicatorInput { name, measure, threshold, filter, share, baseline, target },
            )?;
            Output::new(&i, || format!("created indicator {}", i.id))
        }
        IndicatorCmd::List { project } => {
            let project_id = super::id(&conn, Table::Projects, &project)?;
            let list = indicators::list(&conn, project_id)?;
            Output::new(&list, || {
                let num = |v: Option<f64>| v.map(|x| x.to_string()).unwrap_or_default();
                table(
                    &["ID", "NAME", "MEASURE", "FILTER", "BASELINE", "TARGET"],
                    list.iter()
                        .map(|i| {
                            let filter = match (&i.filter, i.share) {
                                (Some(f), true) => format!("share {f}"),
                                (Some(f), false) => f.clone(),
                                (None, _) => String::new(),
                            };
                            let measure = match i.threshold {
                                Some(t) => format!("{} {t}", i.measure),
                                None => i.measure.clone(),
                            };
                            vec![i.id.to_string(), i.name.clone(), measure, filter, num(i.baseline), num(i.target)]
                        })
                        .collect(),
                )
            })
        }
        IndicatorCmd::Remove { id } => {
            indicators::remove(&conn, id)?;
            Output::new(&serde_json::json!({ "removed": id }), || format!("removed indicator {id}"))
        }
    }
}
