//! Recognising a report from the start of its text: the delimiter (comma, semicolon or tab, chosen by
//! which one splits the most lines into cells, quotes respected) and the format (Teams sections, Zoom
//! webinar sections, Google Meet and Zoom headers, else a generic sheet with a recognisable header row).

use super::columns::{self, Columns, Field};
use super::decode::Tracking;
use super::Format;
use crate::error::{Error, Result};

pub(crate) fn delimiter_name(d: u8) -> &'static str {
    match d {
        b';' => "semicolon",
        b'\t' => "tab",
        _ => "comma",
    }
}

/// Reads up to `limit` records of `text` with `delimiter`: (line, cells).
pub(crate) fn records(text: &str, delimiter: u8, limit: usize) -> Vec<(u64, Vec<String>)> {
    let (tracking, lines) = Tracking::new(text.as_bytes());
    let mut reader =
        csv::ReaderBuilder::new().has_headers(false).flexible(true).delimiter(delimiter).from_reader(tracking);
    let mut out = Vec::new();
    let mut record = csv::StringRecord::new();
    while out.len() < limit {
        match reader.read_record(&mut record) {
            Ok(true) => {
                let line = lines.borrow_mut().line_at(record.position().map(|p| p.byte()).unwrap_or(0));
                out.push((line, record.iter().map(|c| c.trim_start_matches('\u{FEFF}').to_string()).collect()));
            }
            _ => break,
        }
    }
    out
}

/// The delimiter that splits the most records into two or more cells; on a tie, the one that gives more
/// cells (an Excel sheet with decimal commas in every row still has more semicolons), then comma.
/// Teams reports are tab-separated yet have commas in their dates: they have tabs on nearly every line,
/// commas only on some.
pub(crate) fn delimiter(text: &str) -> u8 {
    let mut best = (b',', (0usize, 0usize));
    for d in [b',', b';', b'\t'] {
        let recs = records(text, d, 200);
        let split: Vec<usize> = recs.iter().map(|(_, cells)| non_empty(cells)).filter(|&n| n >= 2).collect();
        let score = (split.len(), split.iter().sum());
        if score > best.1 {
            best = (d, score);
        }
    }
    best.0
}

/// What detection found: the format and, for generic sheets, the header row.
#[derive(Debug, Clone)]
pub(crate) struct Detected {
    pub format: Format,
    pub header_line: u64,
    pub headers: Vec<String>,
}

fn first_cell(cells: &[String]) -> String {
    crate::text::fold(cells.first().map(String::as_str).unwrap_or("")).trim_end_matches([':', ',']).trim().to_string()
}

fn non_empty(cells: &[String]) -> usize {
    cells.iter().filter(|c| !c.trim().is_empty()).count()
}

/// A section title of a Teams report: "1. Summary", "2. Participants", "3. In-Meeting activities".
pub(crate) fn teams_section(cells: &[String]) -> Option<&'static str> {
    if non_empty(cells) != 1 {
        return None;
    }
    let title = first_cell(cells);
    let title = title.trim_start_matches(|c: char| c.is_ascii_digit() || c == '.' || c == ' ');
    match title {
        "summary" | "meeting summary" => Some("summary"),
        "participants" | "attendees" => Some("participants"),
        "in-meeting activities" | "in meeting activities" | "activities" => Some("activities"),
        _ => None,
    }
}

/// A section title of a Zoom webinar report.
pub(crate) fn webinar_section(cells: &[String]) -> Option<&'static str> {
    if non_empty(cells) != 1 {
        return None;
    }
    match first_cell(cells).as_str() {
        "host details" => Some("host"),
        "panelist details" | "panelists details" => Some("panelist"),
        "attendee details" | "attendees details" => Some("attendee"),
        "other attended" => Some("other"),
        "attendee report"
        | "webinar attendee report"
        | "panelist report"
        | "performance report"
        | "registration report" => Some("report"),
        _ => None,
    }
}

fn is_meet_header(cells: &[String]) -> bool {
    let c = Columns::from_header(cells.iter().map(String::as_str));
    c.has(Field::FirstName)
        && c.has(Field::LastName)
        && c.has(Field::Minutes)
        && cells.iter().any(|h| columns::header_has(h, "time joined"))
}

pub(crate) fn is_zoom_meeting_header(cells: &[String]) -> bool {
    first_cell(cells) == "meeting id" && cells.iter().any(|c| columns::header_has(c, "topic"))
}

/// A Zoom participants header: a name column in Zoom's "Name (Original Name)" form (in any language
/// Zoom translates to) or a "User Email" column, next to join, leave or duration columns.
pub(crate) fn is_zoom_participants_header(cells: &[String]) -> bool {
    let c = Columns::from_header(cells.iter().map(String::as_str));
    let zoomish = cells.iter().any(|h| {
        let name = columns::classify(h) == Some(Field::Name) && h.contains('(');
        name || columns::header_has(h, "user email")
    });
    zoomish && (c.has(Field::Join) || c.has(Field::Leave) || c.has(Field::Minutes))
}

fn is_teams_header(cells: &[String]) -> bool {
    cells.iter().any(|h| columns::header_has(h, "in meeting duration") || columns::header_has(h, "first join"))
        || (cells.iter().any(|h| columns::header_has(h, "user action"))
            && cells.iter().any(|h| columns::header_has(h, "timestamp")))
}

/// Detects the format of `text` (or checks the one `forced`) and finds a generic sheet's header row.
pub(crate) fn detect(file: &str, text: &str, delimiter: u8, forced: Format) -> Result<Detected> {
    let recs = records(text, delimiter, 400);
    let found = |format| Detected { format, header_line: 0, headers: Vec::new() };
    let format = if forced != Format::Auto {
        forced
    } else if recs.iter().any(|(_, c)| teams_section(c).is_some() || is_teams_header(c)) {
        Format::Teams
    } else if recs.iter().any(|(_, c)| webinar_section(c).is_some()) {
        Format::ZoomWebinar
    } else if recs.iter().any(|(_, c)| is_meet_header(c)) {
        Format::Meet
    } else if recs.iter().any(|(_, c)| is_zoom_meeting_header(c) || is_zoom_participants_header(c)) {
        Format::Zoom
    } else {
        Format::Generic
    };
    if format != Format::Generic {
        return Ok(found(format));
    }
    // A sign-in sheet may start with a title row or two: the header is the first row (of the first 20
    // with content) that names a name or email column.
    // A title row ("Реєстрація учасників ...") has one cell where the table has several, so a header needs
    // at least two cells unless the sheet has a single column.
    let rows: Vec<&(u64, Vec<String>)> = recs.iter().filter(|(_, c)| non_empty(c) > 0).take(20).collect();
    let widest = rows.iter().map(|(_, c)| non_empty(c)).max().unwrap_or(0);
    let header = rows.iter().find(|(_, c)| {
        non_empty(c) >= widest.min(2) && Columns::from_header(c.iter().map(String::as_str)).identifies_people()
    });
    match header.or(if forced == Format::Generic { rows.first() } else { None }) {
        Some((line, cells)) => Ok(Detected { format: Format::Generic, header_line: *line, headers: cells.iter().map(|c| c.trim().to_string()).collect() }),
        None => Err(Error::parse(
            file,
            rows.first().map(|(l, _)| *l),
            None,
            "this is not a report Rollcall recognises (Zoom, Zoom webinar, Teams, Google Meet) and no column with people's \
             names or emails was found; choose the generic format and say which column holds what",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delimiters_are_sniffed_with_quotes_respected() {
        assert_eq!(delimiter("a,b,c\n1,2,3\n"), b',');
        assert_eq!(delimiter("ПІБ;Email;Організація\n\"Коваль, Олена\";o@x.ua;ГО\nТарас;t@x.ua;\"А, Б\"\n"), b';');
        assert_eq!(delimiter("Ім'я;Хвилини\nОлена;45,5\nТарас;30,25\n"), b';');
        assert_eq!(delimiter("1. Summary\nStart time\t7/20/23, 4:16:29 PM\nEnd time\t7/20/23, 5:30:11 PM\n\n2. Participants\nName\tFirst Join\tEmail\nA\t7/20/23, 4:16:29 PM\ta@x\n"), b'\t');
    }
}
