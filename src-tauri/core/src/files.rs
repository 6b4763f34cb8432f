//! Files Rollcall writes itself (exports, backups, converted and restored copies): the one place that
//! decides where such a file may go and how it is written so that it is never half there.
//!
//! Every writer goes through [`Staged`]: the data is written to a temporary file beside the destination,
//! created readable only by its owner, flushed to disk and renamed over the destination in one step. A
//! temporary file announces itself in the database's `pending` folder while it exists, so one left
//! behind by a killed process (a plain copy of an encrypted database, half an export) is found and
//! deleted the next time the database is opened ([`sweep`]).
//!
//! Before anything is written, [`check_destination`] refuses a destination that is the database or one
//! of its side files, however it is spelled: by file identity (hard links, symlinks), and by resolved path
//! for a file that does not exist yet. This module sits at the bottom of the core's layers: it knows
//! paths and files, nothing of SQL.

use std::fs::File;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result, Rule};

/// The files SQLite keeps beside a database while it is open or after a crash.
pub const SIDE_FILES: [&str; 3] = ["-wal", "-shm", "-journal"];

/// `path` with a suffix appended to its file name (`-wal`, `-shm`).
pub fn sidecar(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// The folder of a path (`.` for a bare file name).
pub fn folder(path: &Path) -> &Path {
    path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."))
}

/// The folder of automatic backups: `backups` beside the database file.
pub fn backups_dir(db_path: &Path) -> PathBuf {
    folder(db_path).join("backups")
}

/// Where temporary files announce themselves: a hidden folder beside the database.
fn pending_dir(db_path: &Path) -> PathBuf {
    folder(db_path).join(".rollcall-pending")
}

/// Whether two paths name the same file. Existing files are compared by identity (device and inode on
/// Unix), so a hard link or a symlink to the database is caught; otherwise by their resolved paths
/// (`./x`, `a/../x`, a symlinked folder).
pub fn same_file(a: &Path, b: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if let (Ok(ma), Ok(mb)) = (std::fs::metadata(a), std::fs::metadata(b)) {
            return ma.dev() == mb.dev() && ma.ino() == mb.ino();
        }
    }
    match (resolve(a), resolve(b)) {
        (Some(a), Some(b)) => a == b,
        _ => false,
    }
}

/// The absolute, symlink-free form of a path whose file may not exist yet (its folder must).
fn resolve(path: &Path) -> Option<PathBuf> {
    if let Ok(p) = std::fs::canonicalize(path) {
        return Some(p);
    }
    let name = path.file_name()?;
    Some(std::fs::canonicalize(folder(path)).ok()?.join(name))
}

/// Refuses to write `out` when it is the database at `db_path`, one of its side files, or a file in its
/// backups folder: an export or a backup written there would replace the data it was made from.
pub fn check_destination(db_path: &Path, out: &Path, field: &str) -> Result<()> {
    let refuse = |what: &str| {
        Err(Error::rule(
            field,
            Rule::DatabaseFile,
            format!("{} is {what}; choose another file name or folder", out.display()),
        ))
    };
    if out.as_os_str().is_empty() || out.file_name().is_none() {
        return Err(Error::rule(field, Rule::NotAFile, format!("{} is not a file name", out.display())));
    }
    if out.is_dir() {
        return Err(Error::rule(field, Rule::NotAFile, format!("{} is a folder; give a file name", out.display())));
    }
    if same_file(db_path, out) {
        return refuse("the Rollcall database itself");
    }
    if SIDE_FILES.iter().any(|s| same_file(&sidecar(db_path, s), out)) {
        return refuse("a working file of the Rollcall database");
    }
    if let (Some(dir), Some(backups)) = (resolve(folder(out)), std::fs::canonicalize(backups_dir(db_path)).ok()) {
        if dir == backups {
            return refuse("in the folder of Rollcall's automatic backups");
        }
    }
    Ok(())
}

/// Only the owner may read files holding personal data (on Unix; Windows keeps per-user folders).
pub fn make_private(path: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600));
    }
    #[cfg(not(unix))]
    let _ = path;
}

/// Creates a new file (never replacing one) readable only by its owner from its first byte, so no
/// other user can open it while it is being filled.
pub fn create_private(path: &Path) -> std::io::Result<File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true).write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)
}

/// Flushes a file to disk.
pub fn sync_file(path: &Path) -> Result<()> {
    File::open(path).and_then(|f| f.sync_all()).map_err(|e| Error::io(path, e))
}

/// Makes a rename in the folder of `path` durable (on Unix a rename is on disk only once its folder is;
/// Windows has no such step).
pub fn sync_dir(path: &Path) {
    #[cfg(unix)]
    if let Ok(d) = File::open(folder(path)) {
        let _ = d.sync_all();
    }
    #[cfg(not(unix))]
    let _ = path;
}

/// Replaces `dest` by `temp` in one step (a rename in the same folder), durably.
pub fn replace(temp: &Path, dest: &Path) -> Result<()> {
    sync_file(temp)?;
    rename_when_free(temp, dest).map_err(|e| match in_use(&e) {
        true => Error::FileInUse { path: dest.display().to_string() },
        false => Error::io(dest, e),
    })?;
    sync_dir(dest);
    Ok(())
}

/// Waits between attempts to replace a file that another program holds: virus scanners and search
/// indexers open a new file for a moment, and most replacements go through on a retry.
const IN_USE_WAITS_MS: [u64; 4] = [50, 100, 200, 400];

/// `rename`, tried again a few times (under a second in all) while the destination is held by another
/// program.
fn rename_when_free(temp: &Path, dest: &Path) -> std::io::Result<()> {
    let mut waits = IN_USE_WAITS_MS.iter();
    loop {
        match std::fs::rename(temp, dest) {
            Err(e) if in_use(&e) => match waits.next() {
                Some(ms) => std::thread::sleep(std::time::Duration::from_millis(*ms)),
                None => return Err(e),
            },
            done => return done,
        }
    }
}

/// Whether an error says that another program holds the file. Only Windows refuses to replace an open
/// file: a program that opened it without sharing deletion (Excel does) makes the rename fail with
/// "access denied" (5), "sharing violation" (32) or "lock violation" (33); elsewhere the file is
/// replaced and the other program keeps the old one.
pub(crate) fn in_use(e: &std::io::Error) -> bool {
    cfg!(windows) && matches!(e.raw_os_error(), Some(5 | 32 | 33))
}

/// Deletes a file if it exists.
pub fn remove_if_exists(path: &Path) -> Result<()> {
    match std::fs::remove_file(path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(Error::io(path, e)),
    }
}

/// The marker in every temporary file name; [`sweep`] deletes only files whose names carry it.
const TEMP_MARK: &str = ".rollcall-";

/// A file being written under a temporary name beside its destination. Dropping it without
/// [`Staged::commit`] deletes the temporary file (and SQLite's side files of it), so every early return
/// and every cancelled operation cleans up; a killed process leaves it to [`sweep`].
pub struct Staged {
    file: Option<File>,
    temp: PathBuf,
    dest: PathBuf,
    /// The announcement in the pending folder, locked for as long as this process works on the file.
    note: Option<(PathBuf, File)>,
}

impl Staged {
    /// Checks `dest` against the database at `db_path` (when there is one) and creates an empty private
    /// temporary file beside `dest`. `purpose` ends up in the temporary name, for whoever finds one.
    pub fn create(dest: &Path, purpose: &str, db_path: Option<&Path>, field: &str) -> Result<Staged> {
        if let Some(db) = db_path {
            check_destination(db, dest, field)?;
        }
        Staged::internal(dest, purpose, db_path)
    }

    /// Like [`Staged::create`] without the destination check, for the core's own files: the database
    /// itself (a restore, an encryption) and its automatic backups.
    pub(crate) fn internal(dest: &Path, purpose: &str, db_path: Option<&Path>) -> Result<Staged> {
        let name =
            dest.file_name().ok_or_else(|| Error::invalid("path", format!("{} is not a file name", dest.display())))?;
        let mut temp_name = std::ffi::OsString::from(".");
        temp_name.push(name);
        temp_name.push(format!("{TEMP_MARK}{purpose}-{}.tmp", uuid::Uuid::now_v7()));
        let temp = folder(dest).join(temp_name);
        // The note is written first, so there is no moment when the temporary file exists unannounced.
        let note = match db_path {
            Some(db) => announce(db, &temp),
            None => None,
        };
        // The error names the file asked for: the temporary name means nothing to the user, and what stops
        // it (a missing folder, no permission) stops the requested file the same way.
        let file = match create_private(&temp) {
            Ok(f) => f,
            Err(e) => {
                if let Some((path, _)) = note {
                    let _ = std::fs::remove_file(path);
                }
                return Err(Error::io(dest, e));
            }
        };
        Ok(Staged { file: Some(file), temp, dest: dest.to_path_buf(), note })
    }

    /// The temporary file, for writers that write through Rust.
    pub fn file(&mut self) -> &mut File {
        self.file.as_mut().expect("a Staged file is written only before commit")
    }

    /// The temporary file's path, for SQLite to write into (`VACUUM INTO`, `ATTACH`). The handle is
    /// closed first: SQLite opens the file itself, and Windows would refuse a second writer.
    pub fn path_for_sqlite(&mut self) -> Result<&str> {
        self.file = None;
        self.temp.to_str().ok_or_else(|| Error::invalid("path", "the file's path must be valid Unicode"))
    }

    pub fn temp_path(&self) -> &Path {
        &self.temp
    }

    pub fn dest(&self) -> &Path {
        &self.dest
    }

    /// Flushes the temporary file to disk and renames it over the destination in one step.
    pub fn commit(mut self) -> Result<()> {
        if let Some(file) = self.file.take() {
            file.sync_all().map_err(|e| Error::io(&self.temp, e))?;
        }
        make_private(&self.temp);
        replace(&self.temp, &self.dest)?;
        self.temp = PathBuf::new();
        Ok(())
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        // Close the file before deleting it (Windows cannot delete an open file).
        self.file = None;
        if !self.temp.as_os_str().is_empty() {
            let _ = std::fs::remove_file(&self.temp);
            for suffix in SIDE_FILES {
                let _ = std::fs::remove_file(sidecar(&self.temp, suffix));
            }
        }
        if let Some((path, file)) = self.note.take() {
            drop(file);
            let _ = std::fs::remove_file(path);
        }
    }
}

/// Writes a note naming `temp` in the pending folder and keeps it locked. Failing to announce is not an
/// error (a read-only folder beside a database opened read-only): the file is still deleted on drop.
fn announce(db_path: &Path, temp: &Path) -> Option<(PathBuf, File)> {
    use std::io::Write;
    let dir = pending_dir(db_path);
    if std::fs::create_dir_all(&dir).is_err() {
        return None;
    }
    let absolute = std::path::absolute(temp).ok()?;
    let note = dir.join(format!("{}.note", uuid::Uuid::now_v7()));
    let mut file = create_private(&note).ok()?;
    // A lock held until this process drops the note (or dies): a note that can be locked belongs to no
    // living writer.
    if file.try_lock().is_err() || file.write_all(&path_bytes(&absolute)?).is_err() {
        let _ = std::fs::remove_file(&note);
        return None;
    }
    let _ = file.sync_all();
    Some((note, file))
}

/// Deletes the temporary files that killed processes left behind for the database at `db_path`: those
/// announced in its pending folder whose writer is gone. Returns how many files it deleted. Called
/// whenever the database is opened for writing.
pub fn sweep(db_path: &Path) -> usize {
    let dir = pending_dir(db_path);
    let Ok(entries) = std::fs::read_dir(&dir) else { return 0 };
    let mut deleted = 0;
    for entry in entries.flatten() {
        let note = entry.path();
        if note.extension().is_none_or(|e| e != "note") {
            continue;
        }
        let Ok(file) = std::fs::OpenOptions::new().read(true).write(true).open(&note) else { continue };
        if file.try_lock().is_err() {
            // Its writer is still at work (another window or command).
            continue;
        }
        let Some(temp) = std::fs::read(&note).ok().and_then(bytes_path) else { continue };
        // Only files that carry Rollcall's temporary-file mark are ever deleted, whatever a note says.
        let ours = temp.file_name().map(|n| n.to_string_lossy().contains(TEMP_MARK)).unwrap_or(false);
        if ours {
            for path in std::iter::once(temp.clone()).chain(SIDE_FILES.iter().map(|s| sidecar(&temp, s))) {
                if std::fs::remove_file(&path).is_ok() {
                    deleted += 1;
                }
            }
        }
        drop(file);
        let _ = std::fs::remove_file(&note);
    }
    if deleted > 0 {
        log::info!("{deleted} temporary file(s) left by an interrupted operation deleted");
    }
    deleted
}

/// A path as bytes for a note: any path on Unix, Unicode paths elsewhere.
fn path_bytes(path: &Path) -> Option<Vec<u8>> {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        Some(path.as_os_str().as_bytes().to_vec())
    }
    #[cfg(not(unix))]
    {
        path.to_str().map(|s| s.as_bytes().to_vec())
    }
}

fn bytes_path(bytes: Vec<u8>) -> Option<PathBuf> {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStringExt;
        Some(PathBuf::from(std::ffi::OsString::from_vec(bytes)))
    }
    #[cfg(not(unix))]
    {
        String::from_utf8(bytes).ok().map(PathBuf::from)
    }
}
