//! rollcall-core: Rollcall's whole domain (database, projects, organisations, events, people, attendance,
//! import, export and reports) as plain Rust with no GUI dependency, shared by the desktop app and the CLI.

pub mod attendance;
pub mod consortium;
pub mod db;
pub mod disability;
pub mod encryption;
pub mod error;
pub mod events;
pub mod export;
pub mod files;
pub mod gender;
pub mod import;
pub mod indicators;
pub mod lists;
pub mod merge;
pub mod open;
pub mod organisations;
pub mod partners;
pub mod people;
pub mod privacy;
pub mod progress;
pub mod projects;
pub mod reports;
pub mod restore;
pub mod safety;
pub mod sample;
pub mod stress;
pub mod text;
pub mod validate;
pub mod vocab;

pub use error::{Error, Result};
/// The SQLite binding, re-exported so front ends and tests use the very same version.
pub use rusqlite;
