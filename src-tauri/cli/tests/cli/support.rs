//! Running the CLI binary against a temporary database.

use std::path::{Path, PathBuf};
use std::process::Command;

use tempfile::TempDir;

pub struct Cli {
    #[allow(dead_code)]
    pub dir: TempDir,
    pub db: PathBuf,
}

/// What a run printed and how it ended.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Parses stdout as JSON, failing the test with stderr if the run failed.
    pub fn json(&self) -> serde_json::Value {
        assert_eq!(self.code, 0, "command failed: {}", self.stderr);
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.stdout))
    }
}

impl Cli {
    pub fn new() -> Cli {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("cli.sqlite3");
        Cli { dir, db }
    }

    /// Runs `rollcall-cli --db <db> args...`.
    pub fn run(&self, args: &[&str]) -> Run {
        run_with_db(&self.db, args)
    }

    /// Runs with `--json` and returns the parsed output.
    pub fn json(&self, args: &[&str]) -> serde_json::Value {
        let mut all = vec!["--json"];
        all.extend_from_slice(args);
        self.run(&all).json()
    }

    /// A project with one webinar, as the import tests need; returns the event's id.
    #[allow(dead_code)]
    pub fn with_event(&self) -> String {
        let project = self.json(&["project", "add", "--name", "Webinars"]);
        let project = project["id"].to_string();
        let event =
            self.json(&["event", "add", "--project", &project, "--title", "Webinar", "--starts", "2022-06-28T15:00"]);
        event["id"].to_string()
    }

    /// The folder of this test's files.
    #[allow(dead_code)]
    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }
}

pub fn run_with_db(db: &Path, args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_rollcall-cli"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("ROLLCALL_DB")
        .output()
        .expect("run rollcall-cli");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// The repository's shared fixtures folder, tests/fixtures.
#[allow(dead_code)]
pub fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures")
}
