//! What an import tells its caller, in one shape for the preview, the commit and a pasted list
//! (`ImportReport`), with typed reasons: every skipped row and every warning has a stable `code`, its
//! parameters and the current English message, so the window can translate them and scripts can rely on
//! the codes.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::columns::{Mapping, MappingSource};
use super::options::{Action, Format};
use crate::people::Person;
use crate::vocab::Status;

pub use super::decode::Encoding;

/// The cell delimiter of a file (`comma`, `semicolon` or `tab` in JSON).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Delimiter {
    Comma,
    Semicolon,
    Tab,
}

impl Delimiter {
    pub fn as_str(self) -> &'static str {
        match self {
            Delimiter::Comma => "comma",
            Delimiter::Semicolon => "semicolon",
            Delimiter::Tab => "tab",
        }
    }

    pub fn byte(self) -> u8 {
        match self {
            Delimiter::Comma => b',',
            Delimiter::Semicolon => b';',
            Delimiter::Tab => b'\t',
        }
    }

    pub(crate) fn of(byte: u8) -> Delimiter {
        match byte {
            b';' => Delimiter::Semicolon,
            b'\t' => Delimiter::Tab,
            _ => Delimiter::Comma,
        }
    }
}

impl fmt::Display for Delimiter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a person in the report is ambiguous.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AmbiguityReason {
    /// The name or email fits more than one person.
    SeveralPeople,
    /// The name fits one person, who has a different email.
    OtherEmail,
    /// The name has the words of a person's name in another order ("Ткаченко Наталія" beside
    /// "Наталія Ткаченко"): maybe the same person, written surname first.
    NameOrder,
}

impl AmbiguityReason {
    pub fn as_str(self) -> &'static str {
        match self {
            AmbiguityReason::SeveralPeople => "several_people",
            AmbiguityReason::OtherEmail => "other_email",
            AmbiguityReason::NameOrder => "name_order",
        }
    }
}

impl fmt::Display for AmbiguityReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a row was left out or a value dropped or doubted: a stable `code` and its parameters
/// (`{"code": "time_unreadable", "params": {"what": "join", "value": "..."}}` in JSON).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "code", content = "params", rename_all = "snake_case")]
pub enum Reason {
    NoNameOrEmail,
    NoName,
    SectionTitle,
    SummaryLine,
    HeaderRow,
    TimestampUnreadable,
    TimestampImplausible,
    /// A name made only of invisible characters; `email_used`: the email stands for it.
    InvisibleName {
        email_used: bool,
    },
    /// The name cannot be stored (too long...): the validation message.
    NameRefused {
        message: String,
    },
    EmailInvalid,
    StatusUnknown {
        value: String,
        counted_as: Status,
    },
    TimeUnreadable {
        what: String,
        value: String,
    },
    TimeImplausible {
        what: String,
        value: String,
    },
    LeaveBeforeJoin {
        join: String,
        leave: String,
    },
    DurationUnreadable {
        value: String,
    },
    DurationLongerThanSpan {
        minutes: i64,
        span: i64,
    },
    MinutesTooMany {
        minutes: i64,
        most: i64,
    },
    MinutesOverrun {
        minutes: i64,
        times: i64,
        planned: i64,
    },
    GenderRefused {
        message: String,
    },
    /// A year of birth or an age band that cannot be read: left out, the person still created.
    DetailRefused {
        field: String,
        message: String,
    },
    OrganisationRefused {
        message: String,
    },
    ActionUnknown,
    /// A join in the old Teams list with no leave after it.
    JoinWithoutLeave,
    /// A join overlapping the same person's earlier join (two devices): the overlap counted once.
    OverlapCountedOnce {
        minutes: i64,
    },
    /// A row with a join time and neither a leave time nor a duration: no minutes.
    JoinWithoutLeaveRow,
    /// A header with "?" or U+FFFD where letters were lost: its column may be misread or ignored.
    DamagedHeader {
        header: String,
    },
    /// A header in a language Rollcall does not know, its columns found from the values' shapes.
    ColumnsGuessed {
        columns: String,
    },
    /// A column whose header words say a field but whose values do not fit it: not read.
    ColumnRejected {
        header: String,
        field: String,
    },
    /// A name with "?" or U+FFFD where letters were lost (a legacy code-page save).
    DamagedName {
        name: String,
    },
    /// A workbook cell holding an error value (`#N/A`, `#REF!`...) instead of a value: read as empty.
    /// `column` is the sheet's column letter.
    CellError {
        column: String,
        error: String,
    },
    /// Left out by the coordinator's decision for the row (`line:N` skip in the review).
    DecidedSkip,
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Reason::NoNameOrEmail => write!(f, "no name or email"),
            Reason::NoName => write!(f, "no name"),
            Reason::SectionTitle => write!(f, "a section title, not a person"),
            Reason::SummaryLine => write!(f, "a summary line, not a person"),
            Reason::HeaderRow => write!(f, "a header row, not a person"),
            Reason::TimestampUnreadable => write!(f, "the timestamp could not be read"),
            Reason::TimestampImplausible => write!(f, "the timestamp cannot be right (its year)"),
            Reason::InvisibleName { email_used: true } => write!(
                f,
                "the name is made only of invisible characters (zero-width spaces or the like); the email stands for the name"
            ),
            Reason::InvisibleName { email_used: false } => write!(
                f,
                "the name is made only of invisible characters (zero-width spaces or the like) and there is no email"
            ),
            Reason::NameRefused { message } => write!(f, "{message}"),
            Reason::EmailInvalid => write!(f, "the email is not an email address; the person is matched by name"),
            Reason::StatusUnknown { value, counted_as } => {
                write!(f, "the status '{value}' was not understood; the row counts as {counted_as}")
            }
            Reason::TimeUnreadable { what, value } => write!(f, "the {what} time '{value}' could not be read"),
            Reason::TimeImplausible { what, value } => {
                write!(f, "the {what} time '{value}' cannot be right (its year); it was left out")
            }
            Reason::LeaveBeforeJoin { join, leave } => {
                write!(f, "the leave time '{leave}' is before the join time '{join}'; both were left out")
            }
            Reason::DurationUnreadable { value } => write!(f, "the duration '{value}' could not be read"),
            Reason::DurationLongerThanSpan { minutes, span } => write!(
                f,
                "the duration of {minutes} minutes is longer than the {span} minutes between join and leave; {span} minutes were recorded"
            ),
            Reason::MinutesTooMany { minutes, most } => write!(
                f,
                "{minutes} minutes in one row cannot be right (more than {most} minutes); the minutes were left out"
            ),
            Reason::MinutesOverrun { minutes, times, planned } => write!(
                f,
                "{minutes} minutes is more than {times} times the event's planned {planned} minutes; check the report and the event"
            ),
            Reason::GenderRefused { message } => write!(f, "{message}"),
            Reason::DetailRefused { field, message } => write!(f, "the {field} was not recorded: {message}"),
            Reason::OrganisationRefused { message } => write!(f, "the organisation was not recorded: {message}"),
            Reason::ActionUnknown => write!(f, "the user action is neither Joined nor Left"),
            Reason::JoinWithoutLeave => {
                write!(f, "this join has no leave after it; the time after it is not counted in the minutes")
            }
            Reason::OverlapCountedOnce { minutes } => write!(
                f,
                "this join overlaps an earlier one of the same person (two devices?); the {minutes} minutes of overlap are counted once"
            ),
            Reason::JoinWithoutLeaveRow => {
                write!(f, "a join time without a leave time or a duration; no minutes were recorded for this row")
            }
            Reason::CellError { column, error } => write!(
                f,
                "the cell in column {column} holds the error {error} (a formula Excel could not compute); it was read as empty"
            ),
            Reason::DamagedHeader { header } => write!(
                f,
                "the column header '{header}' has '?' or '\u{FFFD}' where letters were lost (a file saved in an old code page); \
                 check that its column was read as you expect"
            ),
            Reason::ColumnsGuessed { columns } => write!(
                f,
                "the header's words were not recognised; its columns were found from their values ({columns}): check the preview"
            ),
            Reason::ColumnRejected { header, field } => write!(
                f,
                "the column '{header}' reads as {field} but its values do not; it was not read as {field}"
            ),
            Reason::DamagedName { name } => write!(
                f,
                "the name '{name}' has '?' or '\u{FFFD}' where letters were lost (a file saved in an old code page); \
                 correct it after the import or export the report again as UTF-8"
            ),
            Reason::DecidedSkip => write!(f, "left out by your decision in the review"),
        }
    }
}

/// A row left out (or a value dropped or doubted, in `warnings`), with its line in the file and why:
/// `code` and `params` (see `Reason`) and `reason`, the English message.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Skipped {
    pub line: u64,
    #[serde(flatten)]
    pub why: Reason,
    /// The message in English (the window translates `code` when it knows it).
    pub reason: String,
}

impl Skipped {
    pub fn new(line: u64, why: Reason) -> Skipped {
        let reason = why.to_string();
        Skipped { line, why, reason }
    }
}

/// A person in the report who could be more than one person in the database, or is someone whose name
/// matches a person with a different email. Never merged without a decision.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ambiguous {
    /// Stable key for `Resolution::key` (the same file gives the same keys).
    pub key: String,
    /// First line of the person in the file.
    pub line: u64,
    pub name: String,
    pub email: Option<String>,
    pub reason: AmbiguityReason,
    /// The people it could be (at most 20).
    pub candidates: Vec<Person>,
    /// What was done with it: null when undecided (preview), else `person`, `new` or `skip`.
    pub decision: Option<Action>,
    /// The person used, when decided `person` or `new` (commit only).
    pub person_id: Option<i64>,
}

/// What the review says of a person of the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReviewOutcome {
    /// A new person will be (or was) created.
    New,
    /// An existing person: `person_id`, `person_name`, by `rule`.
    Matched,
    /// Ambiguous and undecided: decide with a `Resolution` for `key`.
    Decide,
    /// Left out: `code` says why.
    Skipped,
}

/// How a row was matched to an existing person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchRule {
    /// The person's email.
    Email,
    /// Another address of the person, kept from an earlier decision (`person_emails`).
    OtherEmail,
    /// The one person of that name (and no other email).
    Name,
    /// The coordinator's decision for the row's ambiguity.
    Decision,
}

/// Why a row may not be a person (advisory: flagged rows are imported unless skipped or renamed).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Flag {
    /// A device or placeholder name ("Galaxy A52", "iPhone", "Zoom user", "Guest").
    DeviceName,
    /// Digits and separators only ("+373 69 123 456").
    PhoneNumber,
    /// A single word and no email ("Mariam"): hard to tell from another person of that first name.
    OneWord,
    /// A bracket that may be an organisation or a nickname ("Iryna Marchenko (Krok)"); see `suggested`.
    Bracket,
    /// An email address where the name should be.
    EmailAsName,
}

/// A corrected name (and organisation) the review proposes for a flagged row, for a `rename` decision.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RenameHint {
    pub name: String,
    pub organisation: Option<String>,
}

/// One person of the report, as the review lists them (their first row; `rows` counts their rows).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReviewRow {
    /// The first line of the person in the file: the `N` of a `line:N` decision.
    pub line: u64,
    /// The name as it will be stored (after a rename).
    pub name: String,
    pub email: Option<String>,
    /// The organisation named by the row (or its bracket).
    pub organisation: Option<String>,
    pub outcome: ReviewOutcome,
    /// The existing person, when `matched`.
    pub person_id: Option<i64>,
    pub person_name: Option<String>,
    /// How it was matched, when `matched`.
    pub rule: Option<MatchRule>,
    /// The ambiguity's key (`Ambiguous::key`), when it was ambiguous (decided or not).
    pub key: Option<String>,
    /// Why it is left out, when `skipped`: `decided_skip` (a decision), `name_refused`, `invisible_name`.
    pub code: Option<String>,
    pub flags: Vec<Flag>,
    /// The name read from the file, when a `rename` decision changed it.
    pub renamed_from: Option<String>,
    /// A proposed correction for a `bracket` flag.
    pub suggested: Option<RenameHint>,
    /// Rows of the file for this person.
    pub rows: u64,
}

/// What an import did or would do: the one shape of a preview, a commit and a pasted list (and of the
/// CLI's `import --json`, with or without `--dry-run`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImportReport {
    /// The import recorded (or, when `already_imported`, the earlier import of the same file); null
    /// for a preview or a dry run.
    pub import_id: Option<i64>,
    /// Nothing was written (a preview or a dry run).
    pub dry_run: bool,
    pub file_name: String,
    /// A workbook's sheet that was read (its name); null for CSV files and pasted lists. In a workbook,
    /// the `line` of skipped rows and warnings is the sheet's row number.
    pub sheet: Option<String>,
    pub file_sha256: String,
    /// The format read (detected, when `auto` was asked for); `paste` for pasted lists.
    pub format: Format,
    pub encoding: Encoding,
    pub delimiter: Delimiter,
    /// Data rows read (headers and section titles not counted).
    pub rows: u64,
    /// Pasted lists: lines with content (a header row included); files: the same as `rows`.
    pub lines: u64,
    pub people_created: u64,
    pub people_matched: u64,
    /// Attendance records created or changed (`attendances_created + attendances_updated`).
    pub attendances: u64,
    pub attendances_created: u64,
    pub attendances_updated: u64,
    /// Existing attendance records the report confirms without changing.
    pub attendances_unchanged: u64,
    /// Ambiguous people, the first 500 with their candidates and (commit) what was decided;
    /// `ambiguous_total` counts all.
    pub ambiguous: Vec<Ambiguous>,
    pub ambiguous_total: u64,
    /// Rows left out, first 1,000; `skipped_total` counts all.
    pub skipped: Vec<Skipped>,
    pub skipped_total: u64,
    /// Values dropped or doubted in rows that were imported (a time that could not be read, a leave
    /// before the join, a damaged name...), first 1,000; `warnings_total` counts all.
    pub warnings: Vec<Skipped>,
    pub warnings_total: u64,
    /// Columns of the file that were not read (their header), so nothing is lost unseen.
    pub ignored_columns: Vec<String>,
    /// The people of the report for review (new, matched, to decide, skipped; flagged), in file order,
    /// the first 2,000; `people_total` counts all.
    pub people: Vec<ReviewRow>,
    pub people_total: u64,
    /// For generic sheets: the mapping used, and where it came from.
    pub mapping: Option<Mapping>,
    pub mapping_source: Option<MappingSource>,
    /// The same file was already imported into this event (and not undone): committing changes nothing.
    pub already_imported: bool,
    pub previous_import_id: Option<i64>,
    /// Why a commit needs `allow_skips` (more than half the rows skipped, or no person at all); null
    /// when it does not.
    pub needs_confirmation: Option<String>,
    /// Deprecated alias of `people_created` (the preview's name before 0.2), kept for one release.
    pub people_new: u64,
    /// Deprecated alias of `attendances_created`, kept for one release.
    pub attendances_new: u64,
}

/// The names of the report before issue #12, kept for one release.
pub type ImportPreview = ImportReport;
pub type ImportSummary = ImportReport;
pub type PasteSummary = ImportReport;
