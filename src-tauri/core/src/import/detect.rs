//! Recognising a report from the start of its text: the delimiter (comma, semicolon or tab, chosen by
//! which one splits the most lines into cells, quotes respected) and the format (Teams sections, Zoom
//! webinar sections, Google Meet and Zoom headers, else a generic sheet with a recognisable header row).

use super::columns::{self, Columns, Field};
use super::decode::Tracking;
use super::shape::Shape;
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

/// A Teams section title in English words ("1. Summary", "Participants", "3. In-Meeting activities").
fn teams_title_words(cells: &[String]) -> Option<&'static str> {
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

/// A section title of a Teams report, in any language: English words, else the section's number (the
/// report always has 1 = summary, 2 = participants, 3 = in-meeting activities; other numbers are
/// sections Rollcall does not read).
pub(crate) fn teams_section(cells: &[String]) -> Option<&'static str> {
    teams_title_words(cells).or_else(|| {
        numbered_title(cells).map(|n| match n {
            1 => "summary",
            2 => "participants",
            3 => "activities",
            _ => "other",
        })
    })
}

/// The next record after `i` with content.
fn next_with_content(recs: &[(u64, Vec<String>)], i: usize) -> Option<&Vec<String>> {
    recs[i + 1..].iter().map(|(_, c)| c).find(|c| non_empty(c) > 0)
}

/// A Teams report whatever its language: a "1. <title>" line, later a "2. <title>" line followed by a
/// table of at least five columns (the participants).
fn is_teams_structure(recs: &[(u64, Vec<String>)]) -> bool {
    let Some(first) = recs.iter().position(|(_, c)| numbered_title(c) == Some(1)) else { return false };
    recs.iter().enumerate().skip(first + 1).any(|(i, (_, c))| {
        numbered_title(c) == Some(2) && next_with_content(recs, i).is_some_and(|next| non_empty(next) >= 5)
    })
}

/// The old Teams list whatever its language: a three-column header followed by a row whose second cell
/// is a join or leave action ("Joined", "Beigetreten", "Приєднався"...) and whose third is a time.
fn is_teams_old_structure(recs: &[(u64, Vec<String>)]) -> bool {
    let clock = super::when::Clock::new(None, None);
    recs.windows(2).take(20).any(|w| {
        let (header, row) = (&w[0].1, &w[1].1);
        non_empty(header) == 3
            && non_empty(row) == 3
            && row.len() >= 3
            && super::teams::action_of(&row[1]).is_some()
            && clock.parse(&row[2]).is_some()
    })
}

/// A section title of a Zoom webinar report, in English or German (other languages are recognised by
/// their place: a title line followed by a table, see `webinar_kind`).
pub(crate) fn webinar_section(cells: &[String]) -> Option<&'static str> {
    if non_empty(cells) != 1 {
        return None;
    }
    match first_cell(cells).replace('-', " ").as_str() {
        "host details" | "gastgeber details" => Some("host"),
        "panelist details" | "panelists details" | "diskussionsteilnehmer details" => Some("panelist"),
        "attendee details" | "attendees details" | "teilnehmerdetails" | "teilnehmer details" => Some("attendee"),
        "other attended" | "andere teilnehmer" | "sonstige teilnehmer" => Some("other"),
        "teilnehmerbericht" => Some("report"),
        "attendee report"
        | "webinar attendee report"
        | "panelist report"
        | "performance report"
        | "registration report" => Some("report"),
        _ => None,
    }
}

/// What a Zoom webinar section holds, from the words of a title in any language Zoom translates to
/// ("Сведения об организаторе", "Diskussionsteilnehmer-Details", "Inni uczestnicy"...): the summary
/// ("report"), the host, panelists, others who attended, else attendees.
pub(crate) fn webinar_kind(title: &str) -> &'static str {
    let t = crate::text::fold(title);
    let has = |words: &[&str]| words.iter().any(|w| t.contains(&crate::text::fold(w)));
    if has(&["report", "bericht", "отчет", "звіт", "raport", "rapport", "informe", "relatório"]) {
        "report"
    } else if has(&[
        "other",
        "andere",
        "sonstig",
        "другие",
        "інші",
        "inni",
        "pozostali",
        "otros",
        "autres",
        "altri",
        "alți",
        "outros",
    ]) {
        "other"
    } else if has(&["panel", "diskussion", "дискус", "панел", "prelegen", "ponent"]) {
        "panelist"
    } else if has(&[
        "host",
        "gastgeber",
        "veranstalter",
        "организатор",
        "організатор",
        "ведуч",
        "gospodarz",
        "organizator",
        "gazd",
        "anfitri",
        "hôte",
        "organisateur",
        "organizador",
    ]) {
        "host"
    } else {
        "attendee"
    }
}

/// A header that opens a table of people with times or durations (a report section's header).
pub(crate) fn is_people_header(cells: &[String]) -> bool {
    let c = Columns::from_header(cells.iter().map(String::as_str));
    c.identifies_people() && (c.has(Field::Join) || c.has(Field::Minutes) || c.has(Field::Status))
}

/// A webinar report whatever its language: at least two title lines each followed by a people table,
/// one of which has Zoom's "Attended" (status) column.
fn is_webinar_structure(recs: &[(u64, Vec<String>)]) -> bool {
    let mut sections = 0;
    let mut attended = false;
    for (i, (_, c)) in recs.iter().enumerate() {
        if non_empty(c) != 1 {
            continue;
        }
        if let Some(next) = recs.get(i + 1).map(|(_, n)| n).filter(|n| is_people_header(n)) {
            sections += 1;
            attended |= Columns::from_header(next.iter().map(String::as_str)).has(Field::Status);
        }
    }
    sections >= 2 && attended
}

/// Google Meet's header in any language: first and last name, duration, join and leave columns
/// ("Ім'я, Прізвище, Електронна адреса, Тривалість, Час приєднання, Час виходу").
fn is_meet_header(cells: &[String]) -> bool {
    let c = Columns::from_header(cells.iter().map(String::as_str));
    c.has(Field::FirstName)
        && c.has(Field::LastName)
        && c.has(Field::Minutes)
        && (cells.iter().any(|h| columns::header_has(h, "time joined")) || (c.has(Field::Join) && c.has(Field::Leave)))
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
    } else if recs.iter().any(|(_, c)| teams_title_words(c).is_some() || is_teams_header(c))
        || is_teams_structure(&recs)
        || is_teams_old_structure(&recs)
    {
        Format::Teams
    } else if recs.iter().any(|(_, c)| webinar_section(c).is_some()) || is_webinar_structure(&recs) {
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

    fn tsv(text: &str) -> Format {
        detect("t.csv", text, b'\t', Format::Auto).unwrap().format
    }

    #[test]
    fn localized_reports_are_recognised_by_their_structure() {
        let cells = |s: &str| vec![s.to_string()];
        assert_eq!(numbered_title(&cells("2. Teilnehmer")), Some(2));
        assert_eq!(numbered_title(&cells("3. Дії під час наради")), Some(3));
        assert_eq!(numbered_title(&cells("2.5")), None);
        assert_eq!(numbered_title(&cells("12 Anna Schmidt")), None);
        assert_eq!(numbered_title(&["1. Anna".to_string(), "anna@x.de".to_string()]), None);
        assert_eq!(teams_section(&cells("3. Aktivitäten in der Besprechung")), Some("activities"));
        assert_eq!(teams_section(&cells("4. Registrierung")), Some("other"));
        // Teams in German (sections by number), the old list in Russian (by its shape).
        let de = "1. Zusammenfassung\nBesprechungstitel\tWebinar\n\n2. Teilnehmer\nName\tErster Beitritt\tLetztes Verlassen\tDauer\tE-Mail\tTeilnehmer-ID (UPN)\tRolle\nAnna\t05.03.24, 15:00:01\t05.03.24, 16:00:00\t59 Min.\ta@x.de\ta@x.de\tOrganisator\n";
        assert_eq!(tsv(de), Format::Teams);
        let old = "Полное имя\tДействие пользователя\tМетка времени\nСветлана\tПрисоединился\t14.05.2024, 9:58:00\n";
        assert_eq!(tsv(old), Format::Teams);
        // A sign-in sheet with a numbered title row is still a sheet.
        assert_eq!(tsv("1. Реєстрація\nПІБ\tEmail\nОлена\to@x.ua\n"), Format::Generic);
        // Zoom webinar sections in Russian: title lines followed by tables with "Присутствовал".
        let ru = "Отчет об участниках,\nСведения об организаторе,\nПрисутствовал,Имя пользователя (исходное имя),Электронная почта,Время входа\nДа,Арсен,a@x.am,\"мар. 06, 2024 18:00:00\"\nСведения об участнике,\nПрисутствовал,Имя,Фамилия,Электронная почта,Время входа\nДа,Виктор,Ц,v@x.md,--\n";
        assert_eq!(detect("w.csv", ru, b',', Format::Auto).unwrap().format, Format::ZoomWebinar);
        assert_eq!(webinar_kind("Сведения об участнике дискуссии"), "panelist");
        assert_eq!(webinar_kind("Сведения об организаторе"), "host");
        assert_eq!(webinar_kind("Другие участники"), "other");
        assert_eq!(webinar_kind("Szczegóły uczestnika"), "attendee");
        // Google Meet in Ukrainian.
        let meet =
            "Ім'я,Прізвище,Електронна адреса,Тривалість,Час приєднання,Час виходу\nСофія,М,s@x.org,56 хв,15:00,15:56\n";
        assert_eq!(detect("m.csv", meet, b',', Format::Auto).unwrap().format, Format::Meet);
    }
}
