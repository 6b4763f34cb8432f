//! The trait every report format implements, and what its parser is built with.

use crate::import::columns::Mapping;
use crate::import::options::Format;
use crate::import::row::{Parser, Status};
use crate::import::sniff::Rec;
use crate::import::when::Clock;

/// What a parser is built with.
pub(crate) struct Context<'a> {
    /// The file's name, for error messages.
    pub file: &'a str,
    pub clock: Clock,
    /// Generic sheets: the mapping and the header row (1-based line).
    pub mapping: Option<&'a Mapping>,
    pub header_line: u64,
    /// Generic sheets: the status of rows without a status column.
    pub status: Status,
}

/// One report format.
pub(crate) trait ReportFormat: Sync {
    /// The format's name, as recorded and as `--format` takes it. Two entries may share one (the old
    /// Teams list is read as `teams`).
    fn format(&self) -> Format;
    /// Whether the first records of a file (up to 400, delimiter already known) are this format.
    fn sniff(&self, recs: &[Rec]) -> bool;
    /// The parser of a file of this format.
    fn parser(&self, cx: &Context) -> Box<dyn Parser>;
}
