//! What the caller asks of an import: the format (or `auto`), the options of a file, and the decisions
//! for ambiguous people.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::columns::Mapping;
use crate::error::{Error, Result};

/// The report formats the importer reads. `Auto` (the default) detects the format from the content.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Format {
    #[default]
    Auto,
    /// Zoom meeting participants report, with or without the meeting header block.
    Zoom,
    /// Zoom webinar attendee report (host, panelist and attendee sections).
    ZoomWebinar,
    /// Microsoft Teams attendance report (the sectioned UTF-16 one, or the old Joined/Left list).
    Teams,
    /// Google Meet attendance CSV.
    Meet,
    /// A list pasted by hand (recorded imports only; not a file format).
    Paste,
    /// Webex meeting or webinar attendance report.
    Webex,
    /// Any other CSV/TSV sheet, read through a column mapping.
    Generic,
}

impl Format {
    pub const ALL: &'static [Format] =
        &[Format::Auto, Format::Zoom, Format::ZoomWebinar, Format::Teams, Format::Meet, Format::Webex, Format::Generic];

    pub fn as_str(self) -> &'static str {
        match self {
            Format::Auto => "auto",
            Format::Zoom => "zoom",
            Format::ZoomWebinar => "zoom-webinar",
            Format::Teams => "teams",
            Format::Meet => "meet",
            Format::Paste => "paste",
            Format::Webex => "webex",
            Format::Generic => "generic",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Format {
    type Err = Error;
    fn from_str(s: &str) -> Result<Format> {
        let v = s.trim().to_ascii_lowercase().replace('_', "-");
        Format::ALL.iter().copied().find(|f| f.as_str() == v).ok_or_else(|| {
            Error::invalid(
                "format",
                format!(
                    "format must be one of auto, zoom, zoom-webinar, teams, meet, webex, generic, not '{}'",
                    s.trim()
                ),
            )
        })
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
}

/// The coordinator's decision for one ambiguous row (`key` is `Ambiguous::key`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Resolution {
    pub key: String,
    pub action: Action,
    /// The person to use, for `action: "person"`.
    #[serde(default)]
    pub person_id: Option<i64>,
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
}
