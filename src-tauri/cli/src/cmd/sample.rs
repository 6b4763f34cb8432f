//! `rollcall-cli sample-data`

use rollcall_core::sample;

use crate::output::Output;
use crate::{CmdResult, Ctx};

pub fn run(ctx: &Ctx) -> CmdResult {
    let mut conn = ctx.open()?;
    let s = sample::load(&mut conn)?;
    Output::new(&s, || {
        format!(
            "loaded the sample data: {} projects, {} organisations, {} events, {} people, {} attendance records",
            s.projects, s.organisations, s.events, s.people, s.attendances
        )
    })
}
