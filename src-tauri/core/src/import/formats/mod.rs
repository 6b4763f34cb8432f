//! The report formats, one file each, behind one trait. A format owns everything Rollcall knows about
//! one platform's export: how to recognise it from the first records (`sniff`), its section and header
//! words, and its parser (records in, cleaned rows out). Detection asks the formats of `REGISTRY` in
//! order; the first that recognises the file wins, and a generic sheet (any table with a column of
//! names or emails) is the last resort.
//!
//! Architecture invariant: format parsers never touch the database and never call each other's
//! sniffing; they depend only on the shared reading helpers (`sniff`, `columns`, `row`, `when`,
//! `words`). Adding a format means adding its file and its line in `REGISTRY` (and a fixture).

mod generic;
mod meet;
mod paste;
mod report_format;
mod teams;
mod teams_legacy;
mod webex;
mod zoom;
mod zoom_registration;
mod zoom_webinar;

pub(crate) use generic::default_status;
pub(crate) use paste::parse as parse_paste;
pub(crate) use report_format::{Context, ReportFormat};

use super::options::Format;
use super::row::Parser;
use super::sniff;
use crate::error::{Error, Result};

/// The formats in the order detection tries them: the most specific structures first (Teams'
/// numbered sections would otherwise pass for a sheet; a Webex report has the columns of a Meet one and
/// more, and a Webex webinar's title line reads like a Zoom webinar's), Zoom's looser headers after
/// them. Generic sheets are not here: they are what remains.
pub(crate) static REGISTRY: &[&dyn ReportFormat] = &[
    &teams::Teams,                        // numbered sections, or Teams' participants header
    &teams_legacy::TeamsLegacy,           // Full Name / User Action / Timestamp, or its shape
    &webex::Webex,                        // a participant type column
    &zoom_registration::ZoomRegistration, // registrants: approval status, no attended column
    &zoom_webinar::ZoomWebinar,           // title lines followed by tables of people
    &meet::Meet,                          // first and last name, duration, join and leave
    &zoom::Zoom,                          // Zoom's headers, or the meeting block's shape
];

/// The parser for a format (the first registry entry of that name), or a generic sheet's.
/// The formats a caller may ask for: `auto`, each format of the registry once, and `generic`.
pub fn names() -> Vec<Format> {
    let mut out = vec![Format::AUTO];
    for f in REGISTRY {
        if !out.contains(&f.format()) {
            out.push(f.format());
        }
    }
    out.push(Format::GENERIC);
    out
}

pub(crate) fn parser(format: Format, cx: &Context) -> Box<dyn Parser> {
    match REGISTRY.iter().find(|f| f.format() == format) {
        Some(f) => f.parser(cx),
        None => generic::parser(cx),
    }
}

/// What detection found: the format and, for generic sheets, the header row.
#[derive(Debug, Clone)]
pub(crate) struct Detected {
    pub format: Format,
    pub header_line: u64,
    pub headers: Vec<String>,
}

/// Detects the format of `text` (or checks the one `forced`) and finds a generic sheet's header row.
pub(crate) fn detect(file: &str, text: &str, delimiter: u8, forced: Format) -> Result<Detected> {
    let recs = sniff::records(text, delimiter, 400);
    let format = match forced {
        Format::AUTO => REGISTRY.iter().find(|f| f.sniff(&recs)).map_or(Format::GENERIC, |f| f.format()),
        Format::GENERIC => Format::GENERIC,
        other if REGISTRY.iter().any(|f| f.format() == other) => other,
        other => {
            let known: Vec<&str> = names().iter().map(|f| f.as_str()).collect();
            return Err(Error::invalid("format", format!("format must be one of {}, not '{other}'", known.join(", "))));
        }
    };
    if format != Format::GENERIC {
        return Ok(Detected { format, header_line: 0, headers: Vec::new() });
    }
    match generic::header(&recs, forced == Format::GENERIC) {
        Some((line, headers)) => Ok(Detected { format: Format::GENERIC, header_line: line, headers }),
        None => Err(Error::parse(
            file,
            recs.iter().find(|(_, c)| sniff::non_empty(c) > 0).map(|(l, _)| *l),
            None,
            "this is not a report Rollcall recognises (Zoom, Zoom webinar, Teams, Google Meet, Webex) and no column \
             with people's names or emails was found; choose the generic format and say which column holds what",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tsv(text: &str) -> Format {
        detect("t.csv", text, b'\t', Format::AUTO).unwrap().format
    }

    #[test]
    fn localized_reports_are_recognised_by_their_structure() {
        // Teams in German (sections by number), the old list in Russian (by its shape).
        let de = "1. Zusammenfassung\nBesprechungstitel\tWebinar\n\n2. Teilnehmer\nName\tErster Beitritt\tLetztes Verlassen\tDauer\tE-Mail\tTeilnehmer-ID (UPN)\tRolle\nAnna\t05.03.24, 15:00:01\t05.03.24, 16:00:00\t59 Min.\ta@x.de\ta@x.de\tOrganisator\n";
        assert_eq!(tsv(de), teams::FORMAT);
        let old = "Полное имя\tДействие пользователя\tМетка времени\nСветлана\tПрисоединился\t14.05.2024, 9:58:00\n";
        assert_eq!(tsv(old), teams::FORMAT);
        // A sign-in sheet with a numbered title row is still a sheet.
        assert_eq!(tsv("1. Реєстрація\nПІБ\tEmail\nОлена\to@x.ua\n"), Format::GENERIC);
        // Zoom webinar sections in Russian: title lines followed by tables with "Присутствовал".
        let ru = "Отчет об участниках,\nСведения об организаторе,\nПрисутствовал,Имя пользователя (исходное имя),Электронная почта,Время входа\nДа,Арсен,a@x.am,\"мар. 06, 2024 18:00:00\"\nСведения об участнике,\nПрисутствовал,Имя,Фамилия,Электронная почта,Время входа\nДа,Виктор,Ц,v@x.md,--\n";
        assert_eq!(detect("w.csv", ru, b',', Format::AUTO).unwrap().format, zoom_webinar::FORMAT);
        // Google Meet in Ukrainian.
        let meet =
            "Ім'я,Прізвище,Електронна адреса,Тривалість,Час приєднання,Час виходу\nСофія,М,s@x.org,56 хв,15:00,15:56\n";
        assert_eq!(detect("m.csv", meet, b',', Format::AUTO).unwrap().format, meet::FORMAT);
    }
}
