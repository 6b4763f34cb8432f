//! What the caller asks of an import: the format (or `auto`), the options of a file, and the decisions
//! for ambiguous people.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::columns::Mapping;
use crate::error::{Error, Result};

/// A report format, by its name: `auto` (detect from the content), `generic` (any sheet, through a
/// column mapping), `paste` (recorded for pasted lists), or the name a format in `formats::REGISTRY`
/// declares in its own file. So a new format is its own file and a line in the registry: nothing here
/// lists the formats. A name that no format has is refused where an import starts (`formats::detect`).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Format(&'static str);

impl Format {
    pub const AUTO: Format = Format("auto");
    pub const GENERIC: Format = Format("generic");
    pub const PASTE: Format = Format("paste");

    /// The format called `name` (formats declare theirs as constants).
    pub const fn named(name: &'static str) -> Format {
        Format(name)
    }

    pub fn as_str(self) -> &'static str {
        self.0
    }
}

impl Default for Format {
    fn default() -> Self {
        Format::AUTO
    }
}

impl fmt::Debug for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

/// The longest name a format may have, and how many different names are ever kept (see [`intern`]).
const MAX_NAME: usize = 40;
const MAX_NAMES: usize = 64;

/// A name read from a caller (`--format`, the window) as a `'static` one. Each distinct name is kept
/// once, and only well-formed names up to a fixed count, so a caller cannot grow the table without end.
fn intern(name: &str) -> Result<&'static str> {
    use std::sync::{Mutex, OnceLock};
    static NAMES: OnceLock<Mutex<Vec<&'static str>>> = OnceLock::new();
    let bad = || Error::invalid("format", format!("'{name}' is not a format name"));
    if name.is_empty()
        || name.len() > MAX_NAME
        || !name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        return Err(bad());
    }
    for known in [Format::AUTO, Format::GENERIC, Format::PASTE] {
        if known.0 == name {
            return Ok(known.0);
        }
    }
    let mut names = NAMES.get_or_init(|| Mutex::new(Vec::new())).lock().unwrap_or_else(|p| p.into_inner());
    if let Some(found) = names.iter().find(|n| **n == name) {
        return Ok(found);
    }
    if names.len() >= MAX_NAMES {
        return Err(bad());
    }
    let leaked: &'static str = Box::leak(name.to_string().into_boxed_str());
    names.push(leaked);
    Ok(leaked)
}

impl FromStr for Format {
    type Err = Error;
    /// Any well-formed name (case and `_` forgiven); whether a format has it is checked when it is used.
    fn from_str(s: &str) -> Result<Format> {
        let v = s.trim().to_ascii_lowercase().replace('_', "-");
        Ok(Format(intern(&v)?))
    }
}

impl Serialize for Format {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        serializer.serialize_str(self.0)
    }
}

impl<'de> Deserialize<'de> for Format {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> std::result::Result<Format, D::Error> {
        let s = String::deserialize(deserializer)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// What to do with ambiguous rows that have no `Resolution`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AmbiguousPolicy {
    /// Refuse to commit until every ambiguous row has a resolution (the default).
    #[default]
    Ask,
    /// Create a new person for each undecided ambiguous row.
    New,
    /// Leave undecided ambiguous rows out of the import.
    Skip,
}

impl FromStr for AmbiguousPolicy {
    type Err = Error;
    fn from_str(s: &str) -> Result<AmbiguousPolicy> {
        match s.trim().to_ascii_lowercase().as_str() {
            "ask" => Ok(AmbiguousPolicy::Ask),
            "new" => Ok(AmbiguousPolicy::New),
            "skip" => Ok(AmbiguousPolicy::Skip),
            other => Err(Error::invalid("ambiguous", format!("ambiguous must be ask, new or skip, not '{other}'"))),
        }
    }
}

/// How to read a file. Everything is optional: `ImportOptions::default()` detects everything.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ImportOptions {
    /// The format, or `auto` to detect it from the content.
    pub format: Format,
    /// For generic sheets: which column holds what. When absent, a mapping remembered for the same
    /// header row is used, or one is guessed from the header names.
    pub mapping: Option<Mapping>,
    /// What to do with ambiguous rows that have no resolution.
    pub ambiguous: AmbiguousPolicy,
    /// Status for rows of a generic sheet that have no status column: `attended` (the default, for
    /// sign-in sheets) or `registered` (for registration forms).
    pub status: Option<String>,
    /// Commit a file even though it gives no person or most of its rows are skipped (otherwise refused
    /// with `Error::Invalid` on `allow_skips`; the preview says why in `needs_confirmation`).
    pub allow_skips: bool,
    /// Workbooks (.xlsx, .xls, .ods): the sheet to read, by name or 1-based number (`sheets` lists
    /// them). Default: the first visible sheet that is not empty. Ignored for CSV files.
    pub sheet: Option<String>,
    /// The rows (people and attendance records) the first batch of a run must hold for the run to
    /// write in bulk, bringing the search index, report caches and change tracking up to date once at
    /// the end (`write.rs`); `None` is the default threshold, one full batch. Not a user's option (the
    /// window and the CLI never set it): the tests force both ways to prove that they agree.
    #[doc(hidden)]
    #[serde(skip)]
    pub bulk_threshold: Option<usize>,
}

/// The coordinator's decision for one ambiguous row (`key` is `Ambiguous::key`), or for one row of the
/// review (`key` is `line:N`, N the row's `line` in `ImportReport::people`): `skip` leaves that person's
/// rows out, `rename` reads them with a corrected `name` (and `organisation`, when given), and matching
/// runs again on the corrected row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Resolution {
    pub key: String,
    pub action: Action,
    /// The person to use, for `action: "person"`.
    #[serde(default)]
    pub person_id: Option<i64>,
    /// The corrected name, for `action: "rename"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The organisation's name, for `action: "rename"` (optional; created if unknown, for new people).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organisation: Option<String>,
}

impl Resolution {
    /// A decision for an ambiguous row.
    pub fn new(key: impl Into<String>, action: Action, person_id: Option<i64>) -> Resolution {
        Resolution { key: key.into(), action, person_id, name: None, organisation: None }
    }

    /// Skip the row at `line` (and the later rows of the same person).
    pub fn skip_line(line: u64) -> Resolution {
        Resolution::new(format!("line:{line}"), Action::Skip, None)
    }

    /// Read the row at `line` (and the later rows of the same person) with a corrected name.
    pub fn rename_line(line: u64, name: impl Into<String>, organisation: Option<String>) -> Resolution {
        Resolution {
            name: Some(name.into()),
            organisation,
            ..Resolution::new(format!("line:{line}"), Action::Rename, None)
        }
    }

    /// The line of a per-row decision (`line:N`).
    pub fn line(&self) -> Option<u64> {
        self.key.strip_prefix("line:")?.parse().ok()
    }
}

/// Resolutions for a commit: a list, as the UI sends it.
pub type Resolutions = [Resolution];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    /// Use the person `person_id`.
    Person,
    /// Create a new person.
    New,
    /// Leave the row out.
    Skip,
    /// Read the row with a corrected name (per-row decisions only).
    Rename,
}
