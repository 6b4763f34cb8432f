//! One module per domain, each with its clap subcommands and a `run` that calls the core.

pub mod attendance;
pub mod consortium;
pub mod events;
pub mod export;
pub mod import;
pub mod indicators;
pub mod organisations;
pub mod partners;
pub mod people;
pub mod privacy;
pub mod projects;
pub mod report;
pub mod safety;
pub mod sample;
pub mod stress;

use rollcall_core::db::{self, Connection, Table};
use rollcall_core::Result;

/// Resolves an id given on the command line (a number or a UUID).
pub fn id(conn: &Connection, table: Table, reference: &str) -> Result<i64> {
    db::resolve_id(conn, table, reference)
}
