//! The one error type of the core: every fallible operation returns `Result<T>`, and every front end
//! (desktop commands, CLI) shows `Error`'s message and uses `kind()` to decide what to do.

use serde::ser::SerializeStruct;
use serde::{Serialize, Serializer};

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What went wrong, in words a coordinator can act on. Messages never contain the names or emails of
/// people, so an error can be logged safely.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A value the user typed or passed is not acceptable; `field` names the input so the UI can show
    /// the message next to it.
    #[error("{message}")]
    Invalid { field: String, message: String, rule: Option<Rule> },

    #[error("{entity} {id} does not exist")]
    NotFound { entity: &'static str, id: String },

    /// The operation would break a rule that involves other records (a duplicate, or a delete that
    /// would take other records with it). The caller can ask the user and retry with consent.
    #[error("{message}")]
    Conflict { message: String, code: Option<&'static str> },

    /// The database was written by a newer Rollcall; opening it could damage it.
    #[error("this database has schema version {found}, but this Rollcall only knows up to version {supported}; install a newer Rollcall to open it")]
    NewerDatabase { found: i64, supported: i64 },

    /// The file is not a Rollcall database (or is damaged beyond opening).
    #[error("{path}: {message}")]
    BadDatabase { path: String, message: String },

    /// The database is encrypted and no passphrase was given. Nothing was read or changed.
    #[error("{path}: this database is encrypted; its passphrase is needed to open it")]
    PassphraseRequired { path: String },

    /// The passphrase does not open the database (or the encrypted file is damaged). Nothing was changed.
    #[error("{path}: the passphrase is wrong (or the encrypted file is damaged); nothing was changed")]
    WrongPassphrase { path: String },

    /// The disk (or the size limit of the database) is full. The operation was rolled back, so nothing it
    /// started was saved, and what was saved before is intact.
    #[error("the disk is full; this change was not saved and the data saved before is intact. Free some space and try again")]
    DiskFull,

    /// Input data that cannot be read, located as precisely as the format allows. In a workbook, `sheet`
    /// names the sheet, and `line` and `column` are its row and column (shown as letters).
    #[error("{}", format_location(file, sheet.as_deref(), *line, *column, message))]
    Parse { file: String, sheet: Option<String>, line: Option<u64>, column: Option<u64>, message: String },

    /// A long operation was cancelled by the user; nothing was written.
    #[error("cancelled; nothing was changed")]
    Cancelled,

    /// Something inside Rollcall failed that the user cannot fix by changing their input (stored keys
    /// that cannot be read, a worker thread that stopped): not a conflict with other records.
    #[error("{message}")]
    Internal { message: String },

    #[error("{path}: {source}")]
    Io { path: String, source: std::io::Error },

    /// The file to be replaced is held open by another program that does not let it be replaced (on
    /// Windows, Excel holds every file it shows that way). Nothing was replaced.
    #[error("{path}: the file is open in another program (Excel, for example); close it there and try again. Nothing was replaced")]
    FileInUse { path: String },

    #[error("database error: {0}")]
    Sqlite(rusqlite::Error),
}

fn format_location(file: &str, sheet: Option<&str>, line: Option<u64>, column: Option<u64>, message: &str) -> String {
    if let Some(sheet) = sheet {
        return match (line, column) {
            (Some(l), Some(c)) => {
                format!("{file}, sheet \"{sheet}\", row {l}, column {}: {message}", column_letters(c))
            }
            (Some(l), None) => format!("{file}, sheet \"{sheet}\", row {l}: {message}"),
            _ => format!("{file}, sheet \"{sheet}\": {message}"),
        };
    }
    match (line, column) {
        (Some(l), Some(c)) => format!("{file}, line {l}, column {c}: {message}"),
        (Some(l), None) => format!("{file}, line {l}: {message}"),
        _ => format!("{file}: {message}"),
    }
}

/// A spreadsheet column's letters: 1 is A, 27 is AA.
pub(crate) fn column_letters(mut n: u64) -> String {
    let mut letters = Vec::new();
    while n > 0 {
        letters.push(b'A' + ((n - 1) % 26) as u8);
        n = (n - 1) / 26;
    }
    letters.reverse();
    String::from_utf8(letters).unwrap_or_default()
}

impl Error {
    /// A short, stable machine name for the error, used by the UI and by `--json` consumers.
    pub fn kind(&self) -> &'static str {
        match self {
            Error::Invalid { .. } => "invalid",
            Error::NotFound { .. } => "not_found",
            Error::Conflict { .. } => "conflict",
            Error::NewerDatabase { .. } => "newer_database",
            Error::BadDatabase { .. } => "bad_database",
            Error::PassphraseRequired { .. } => "passphrase_required",
            Error::WrongPassphrase { .. } => "wrong_passphrase",
            Error::DiskFull => "disk_full",
            Error::Parse { .. } => "parse",
            Error::Cancelled => "cancelled",
            Error::Internal { .. } => "internal",
            Error::Io { .. } => "io",
            Error::FileInUse { .. } => "file_in_use",
            Error::Sqlite(_) => "database",
        }
    }

    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        Error::Invalid { field: field.into(), message: message.into(), rule: None }
    }

    /// Invalid input that broke one of the common rules: the window words it in its own language.
    pub fn rule(field: impl Into<String>, rule: Rule, message: impl Into<String>) -> Self {
        Error::Invalid { field: field.into(), message: message.into(), rule: Some(rule) }
    }

    pub fn not_found(entity: &'static str, id: impl ToString) -> Self {
        Error::NotFound { entity, id: id.to_string() }
    }

    pub fn conflict(message: impl Into<String>) -> Self {
        Error::Conflict { message: message.into(), code: None }
    }

    pub fn internal(message: impl Into<String>) -> Self {
        Error::Internal { message: message.into() }
    }

    pub fn io(path: impl AsRef<std::path::Path>, source: std::io::Error) -> Self {
        Error::Io { path: path.as_ref().display().to_string(), source }
    }

    pub fn parse(file: impl Into<String>, line: Option<u64>, column: Option<u64>, message: impl Into<String>) -> Self {
        Error::Parse { file: file.into(), sheet: None, line, column, message: message.into() }
    }

    /// The same error located in a sheet of a workbook: a parse error of the file gets the sheet's name, so
    /// its line and column read as the sheet's row and column.
    pub fn in_sheet(self, sheet: &str) -> Self {
        match self {
            Error::Parse { file, sheet: None, line, column, message } => {
                Error::Parse { file, sheet: Some(sheet.to_string()), line, column, message }
            }
            other => other,
        }
    }
}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        // A constraint that the validation layer did not catch first still deserves a readable message.
        if let rusqlite::Error::SqliteFailure(code, msg) = &e {
            match code.code {
                rusqlite::ErrorCode::ConstraintViolation => {
                    let msg = msg.as_deref().unwrap_or("constraint failed");
                    return Error::conflict(format!("the change breaks a database rule ({msg})"));
                }
                // SQLITE_FULL: the disk, a file size limit or max_page_count. The transaction is rolled
                // back by its owner, so saying "nothing was saved" is true.
                rusqlite::ErrorCode::DiskFull => return Error::DiskFull,
                // Another connection holds the write lock beyond the busy timeout: say who and that
                // nothing happened, instead of SQLite's "database is locked".
                rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked => {
                    return Error::Conflict {
                        message: "the database is busy: another program (Rollcall or a command) is using it; nothing was changed, try again when it has finished".into(),
                        code: Some("busy"),
                    }
                }
                // A database opened read-only (a read-only disk, or found damaged).
                rusqlite::ErrorCode::ReadOnly => {
                    return Error::Conflict {
                        message: "the database is open read-only (a read-only disk, or it was found damaged); nothing was changed".into(),
                        code: Some("read_only"),
                    }
                }
                // SQLITE_IOERR: the operating system refused a read or write (a file size limit, a
                // failing or removed disk). The transaction is rolled back just the same.
                rusqlite::ErrorCode::SystemIoFailure => {
                    return Error::Io {
                        path: "the database".into(),
                        source: std::io::Error::other(
                            "the disk could not be read or written (it may be full or failing); what was being written was not saved",
                        ),
                    }
                }
                // Damage found while working (not at open): say so in the words the UI acts on, offering
                // a check and a restore, instead of SQLite's "database disk image is malformed".
                rusqlite::ErrorCode::DatabaseCorrupt => {
                    return Error::BadDatabase {
                        path: "the database".into(),
                        message: "it is damaged; run a check and restore a backup".into(),
                    }
                }
                _ => {}
            }
        }
        Error::Sqlite(e)
    }
}

/// The common rules input can break, so a front end can word the error in its own language (the
/// `message` stays the English fallback).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    Required,
    TooLong {
        max: usize,
    },
    ControlCharacters,
    Date,
    Country,
    Email,
    Url,
    OneOf,
    PositiveId,
    /// A whole number outside `min..=max` (minutes of attendance, an event's duration).
    Range {
        min: i64,
        max: i64,
    },
    /// A number below `min` (an indicator's baseline or target).
    AtLeast {
        min: i64,
    },
    /// Not a time zone name of the IANA database, like Europe/Kyiv.
    TimeZone,
    /// Not a date and time like 2022-06-28T18:00.
    DateTime,
    /// A local time that does not exist in its time zone: the clocks go forward then.
    ClockGap,
    /// A destination that is not a table file (.csv, .tsv, .txt, .xlsx).
    TableFile,
    /// CSV text asked for in a file whose name says workbook, or the other way round.
    FileKindMismatch,
    /// A destination that is the database itself, one of its working files, or in its backups folder.
    DatabaseFile,
    /// A destination that is a folder or no file name at all.
    NotAFile,
    /// An indicator's filter that is not `dimension=value` with a known dimension and value.
    IndicatorFilter,
    /// A threshold missing where the measure needs one, or given where it takes none.
    Threshold,
    /// A filter or a share on an indicator whose measure cannot take it.
    IndicatorShape,
}

impl Rule {
    pub fn code(self) -> &'static str {
        match self {
            Rule::Required => "required",
            Rule::TooLong { .. } => "too_long",
            Rule::ControlCharacters => "control_characters",
            Rule::Date => "date",
            Rule::Country => "country",
            Rule::Email => "email",
            Rule::Url => "url",
            Rule::OneOf => "one_of",
            Rule::PositiveId => "positive_id",
            Rule::Range { .. } => "range",
            Rule::AtLeast { .. } => "at_least",
            Rule::TimeZone => "time_zone",
            Rule::DateTime => "date_time",
            Rule::ClockGap => "clock_gap",
            Rule::TableFile => "table_file",
            Rule::FileKindMismatch => "file_kind_mismatch",
            Rule::DatabaseFile => "database_file",
            Rule::NotAFile => "not_a_file",
            Rule::IndicatorFilter => "indicator_filter",
            Rule::Threshold => "threshold",
            Rule::IndicatorShape => "indicator_shape",
        }
    }
}

/// Across IPC and in `--json` output an error is `{kind, message}`, plus `field` for invalid input,
/// `code` for a rule or a known conflict, and `params`: the values its message is made of, so the window
/// can say it in the user's language.
impl Serialize for Error {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        use serde_json::json;
        let (field, code, params) = match self {
            Error::Invalid { field, rule, .. } => (
                Some(field.as_str()),
                rule.map(Rule::code),
                match rule {
                    Some(Rule::TooLong { max }) => Some(json!({ "max": max })),
                    Some(Rule::Range { min, max }) => Some(json!({ "min": min, "max": max })),
                    Some(Rule::AtLeast { min }) => Some(json!({ "min": min })),
                    _ => None,
                },
            ),
            Error::Conflict { code, .. } => (None, *code, None),
            Error::NotFound { entity, id } => (None, None, Some(json!({ "entity": entity, "id": id }))),
            Error::NewerDatabase { found, supported } => {
                (None, None, Some(json!({ "found": found, "supported": supported })))
            }
            Error::Parse { file, sheet: None, line, column, message } => {
                (None, None, Some(json!({ "file": file, "line": line, "column": column, "detail": message })))
            }
            // In a workbook the place is a sheet, a row and a column by its letters, as Excel shows it.
            Error::Parse { file, sheet: Some(sheet), line, column, message } => (
                None,
                None,
                Some(json!({
                    "file": file, "sheet": sheet, "line": line, "column": column,
                    "column_letters": column.map(column_letters), "detail": message,
                })),
            ),
            Error::BadDatabase { path, message } => (None, None, Some(json!({ "path": path, "detail": message }))),
            Error::PassphraseRequired { path } | Error::WrongPassphrase { path } | Error::FileInUse { path } => {
                (None, None, Some(json!({ "path": path })))
            }
            _ => (None, None, None),
        };
        let len = 2 + field.is_some() as usize + code.is_some() as usize + params.is_some() as usize;
        let mut s = serializer.serialize_struct("Error", len)?;
        s.serialize_field("kind", self.kind())?;
        s.serialize_field("message", &self.to_string())?;
        if let Some(f) = field {
            s.serialize_field("field", f)?;
        }
        if let Some(c) = code {
            s.serialize_field("code", c)?;
        }
        if let Some(p) = params {
            s.serialize_field("params", &p)?;
        }
        s.end()
    }
}
