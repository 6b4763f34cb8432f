//! Shared test helpers: a fresh database file in a temporary folder, and fixture paths.

use std::path::PathBuf;

use rollcall_core::db::Connection;
use rollcall_core::events::{self, EventInput};
use rollcall_core::open;
use rollcall_core::projects::{self, ProjectInput};
use tempfile::TempDir;

/// A new database file (not in memory, so WAL and file behaviour are real) and the folder holding it.
pub struct TestDb {
    /// Kept so the folder lives as long as the database.
    #[allow(dead_code)]
    pub dir: TempDir,
    pub path: PathBuf,
    pub conn: Connection,
}

pub fn new_db() -> TestDb {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("rollcall.sqlite3");
    let conn = open::open(&path).expect("open database");
    TestDb { dir, path, conn }
}

/// The repository's shared fixtures folder, tests/fixtures.
#[allow(dead_code)]
pub fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures")
}

pub fn project(conn: &Connection, name: &str) -> i64 {
    projects::create(conn, &ProjectInput { name: name.into(), ..Default::default() }).expect("project").id
}

/// A webinar "W" of `project`, on 28 June 2022 at 15:00.
pub fn event(conn: &Connection, project: i64) -> i64 {
    events::create(
        conn,
        &EventInput {
            project_id: project,
            title: "W".into(),
            starts_at: "2022-06-28T15:00".into(),
            ..Default::default()
        },
    )
    .expect("event")
    .id
}

/// The `field` of an Invalid error, or a description of the unexpected result.
pub fn invalid_field<T: std::fmt::Debug>(r: rollcall_core::Result<T>) -> String {
    match r {
        Err(rollcall_core::Error::Invalid { field, .. }) => field,
        other => format!("not an Invalid error: {other:?}"),
    }
}
