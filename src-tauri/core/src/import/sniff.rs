//! Reading the start of a report before its format is known: the first records, the delimiter (comma,
//! semicolon or tab, chosen by which one splits the most lines into cells, quotes respected), the shape
//! limits, and the structural clues every format's sniffing shares (numbered titles, a header of
//! people). Which format a file is, each format says for itself (`formats`).

use super::columns::{Columns, Field};
use super::decode::Tracking;
use super::shape::Shape;
use crate::error::Result;

/// One sniffed record: its 1-based line and its cells.
pub(crate) type Rec = (u64, Vec<String>);

/// Reads up to `limit` records of `text` with `delimiter`: (line, cells).
pub(crate) fn records(text: &str, delimiter: u8, limit: usize) -> Vec<(u64, Vec<String>)> {
    let (tracking, lines) = Tracking::new(text.as_bytes(), delimiter);
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

/// Refuses the sniffed start of a file when a record there breaks the limits of `shape` (a header of
/// thousands of cells is refused here, before detection reads it) or, when the sniff is the whole file
/// (`complete`), when a quote opened in it is never closed.
pub(crate) fn check_shape(file: &str, text: &str, delimiter: u8, complete: bool) -> Result<()> {
    let mut shape = Shape::new(delimiter);
    shape
        .feed(text.as_bytes())
        .and_then(|()| if complete { shape.finish() } else { Ok(()) })
        .map_err(|p| super::shape::error(file, p))
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

/// The first cell, folded, without trailing colons or commas (a title's words).
pub(crate) fn first_cell(cells: &[String]) -> String {
    crate::text::fold(cells.first().map(String::as_str).unwrap_or("")).trim_end_matches([':', ',']).trim().to_string()
}

/// How many cells have content.
pub(crate) fn non_empty(cells: &[String]) -> usize {
    cells.iter().filter(|c| !c.trim().is_empty()).count()
}

/// The number of a numbered title alone on its line ("2. Teilnehmer", "3. Дії під час наради"): one or
/// two digits, a dot, a space, then a word. Teams numbers its sections this way in every language.
pub(crate) fn numbered_title(cells: &[String]) -> Option<u32> {
    if non_empty(cells) != 1 {
        return None;
    }
    let cell = cells.iter().find(|c| !c.trim().is_empty())?.trim().trim_start_matches('\u{FEFF}');
    let digits = cell.chars().take_while(char::is_ascii_digit).count();
    if digits == 0 || digits > 2 {
        return None;
    }
    let rest = cell[digits..].strip_prefix('.')?;
    if !rest.starts_with(char::is_whitespace) || !rest.trim_start().starts_with(char::is_alphabetic) {
        return None;
    }
    cell[..digits].parse().ok()
}

/// The next record after `i` with content.
pub(crate) fn next_with_content(recs: &[Rec], i: usize) -> Option<&Vec<String>> {
    recs[i + 1..].iter().map(|(_, c)| c).find(|c| non_empty(c) > 0)
}

/// A header that opens a table of people with times or durations (a report section's header).
pub(crate) fn is_people_header(cells: &[String]) -> bool {
    let c = Columns::from_header(cells.iter().map(String::as_str));
    c.identifies_people() && (c.has(Field::Join) || c.has(Field::Minutes) || c.has(Field::Status))
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

    #[test]
    fn numbered_titles() {
        let cells = |s: &str| vec![s.to_string()];
        assert_eq!(numbered_title(&cells("2. Teilnehmer")), Some(2));
        assert_eq!(numbered_title(&cells("3. Дії під час наради")), Some(3));
        assert_eq!(numbered_title(&cells("2.5")), None);
        assert_eq!(numbered_title(&cells("12 Anna Schmidt")), None);
        assert_eq!(numbered_title(&["1. Anna".to_string(), "anna@x.de".to_string()]), None);
    }
}
