//! One module per domain, each with its clap subcommands and a `run` that calls the core.

pub mod attendance;
pub mod events;
pub mod organisations;
pub mod partners;
pub mod people;
pub mod projects;
pub mod sample;

use rollcall_core::db::{self, Connection, Table};
use rollcall_core::Result;

/// Resolves an id given on the command line (a number or a UUID).
pub fn id(conn: &Connection, table: Table, reference: &str) -> Result<i64> {
    db::resolve_id(conn, table, reference)
}
