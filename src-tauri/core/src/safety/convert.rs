//! Converting a closed database file between plain and encrypted (or to another key): the copy is
//! written with `sqlcipher_export`, verified (integrity, the same rows in every table) and renamed over
//! the original. Used for backups, for a restored copy, and (under an exclusive lock) for the database
//! itself by `encryption`.

use std::path::Path;

use rusqlite::{params, Connection};

use super::{file_state, list_backups, pragma_lines, table_counts, FileState};
use crate::db;
use crate::error::{Error, Result};
use crate::files::Staged;
use crate::progress::Progress;

/// Encrypts the backups still left plain beside an encrypted database (an interrupted `encrypt`), so
/// no readable copy stays beside it. Called by `encrypt` and whenever an encrypted database is opened
/// for writing; returns how many it converted and the names of those it could not.
pub(crate) fn finish_backups(db_path: &Path, key: Option<&str>, each: impl FnMut(u64)) -> (usize, Vec<String>) {
    let Some(key) = key else { return (0, Vec::new()) };
    finish_backups_with(db_path, each, |path, state| match state {
        FileState::Plain => convert_file(db_path, path, None, Some(key)).map(|_| true),
        _ => Ok(false),
    })
}

/// Re-encrypts a backup file with `new` (nobody else opens backups).
pub(crate) fn rekey_file(path: &Path, old: &str, new: &str) -> Result<()> {
    let conn = db::connect(path, false, Some(old))?;
    conn.pragma_update(None, "rekey", db::normal_key(new))?;
    drop(conn);
    db::connect(path, true, Some(new))?;
    Ok(())
}

/// Converts a closed file (a backup of the database at `db_path`) from `from_key` to `to_key`.
pub(crate) fn convert_file(db_path: &Path, path: &Path, from_key: Option<&str>, to_key: Option<&str>) -> Result<()> {
    let conn = db::connect(path, false, from_key)?;
    let staged = export_copy(&conn, Staged::internal(path, "convert", Some(db_path))?, to_key, None)?;
    drop(conn);
    staged.commit()
}

/// How far a conversion has got, for a caller that shows it: the copy's bytes so far are reported to
/// `progress`, out of `total`.
pub(crate) struct Watch<'a> {
    pub progress: &'a Progress<'a>,
    pub total: u64,
}

/// Writes the database of `conn` into the staged file encrypted with `to_key` (plain when None) and
/// verifies the copy against the original. The staged file is returned ready to commit.
pub(crate) fn export_copy(
    conn: &Connection,
    mut staged: Staged,
    to_key: Option<&str>,
    watch: Option<Watch>,
) -> Result<Staged> {
    let to_key = to_key.map(db::normal_key);
    let to_key = to_key.as_deref();
    conn.execute(
        "ATTACH DATABASE ?1 AS rollcall_export KEY ?2",
        params![staged.path_for_sqlite()?, to_key.unwrap_or("")],
    )?;
    let exported = (|| -> Result<()> {
        let export = || conn.query_row("SELECT sqlcipher_export('rollcall_export')", [], |_| Ok(()));
        match &watch {
            Some(w) => w.progress.watch_file(staged.temp_path(), w.total, export)?,
            None => export()?,
        }
        // sqlcipher_export copies the schema and rows, not the header fields Rollcall relies on.
        let version: i64 = conn.query_row("PRAGMA main.user_version", [], |r| r.get(0))?;
        let app_id: i64 = conn.query_row("PRAGMA main.application_id", [], |r| r.get(0))?;
        conn.execute_batch(&format!(
            "PRAGMA rollcall_export.user_version = {version}; PRAGMA rollcall_export.application_id = {app_id};"
        ))?;
        Ok(())
    })();
    conn.execute_batch("DETACH DATABASE rollcall_export")?;
    exported?;
    verify_copy(conn, staged.temp_path(), to_key)?;
    Ok(staged)
}

/// The converted copy must pass the integrity check and hold as many rows in every table as the original.
fn verify_copy(original: &Connection, copy: &Path, key: Option<&str>) -> Result<()> {
    let conn = db::connect(copy, true, key)?;
    let lines = pragma_lines(&conn, "integrity_check(10)")?;
    let bad = |what: &str| Error::BadDatabase {
        path: copy.display().to_string(),
        message: format!("the converted copy {what}; the database was left as it was"),
    };
    if lines != ["ok"] {
        return Err(bad("failed its check"));
    }
    if table_counts(&conn, "main")? != table_counts(original, "main")? {
        return Err(bad("does not hold the same rows"));
    }
    Ok(())
}

/// Applies `f` to each automatic backup; returns how many it converted and the names of those it failed on.
pub(crate) fn finish_backups_with(
    db_path: &Path,
    mut each: impl FnMut(u64),
    f: impl Fn(&Path, FileState) -> Result<bool>,
) -> (usize, Vec<String>) {
    let mut converted = 0;
    let mut skipped = Vec::new();
    for b in list_backups(db_path).unwrap_or_default() {
        let path = Path::new(&b.path);
        match file_state(path).and_then(|state| f(path, state)) {
            Ok(true) => converted += 1,
            Ok(false) => {}
            Err(e) => {
                log::warn!("a backup could not be converted: {e}");
                skipped.push(b.file_name.clone());
            }
        }
        each(b.bytes);
    }
    (converted, skipped)
}
