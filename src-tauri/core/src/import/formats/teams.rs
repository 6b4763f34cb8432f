//! Microsoft Teams attendance reports. The current one (UTF-16 LE, tab-separated, a .csv name) has
//! sections "1. Summary", "2. Participants" (one row per person: First Join, Last Leave, In-Meeting
//! Duration, Email, Participant ID (UPN), Role) and "3. In-Meeting Activities" (one row per join, read
//! only when there is no Participants section). The older one is a flat `Full Name / User Action /
//! Timestamp` list of Joined and Left events, turned here into one row per person.
//!
//! Teams writes both in the user's interface language ("2. Teilnehmer", "Erster Beitritt", "Organisator",
//! "59 Min. 59 Sek.", "Beigetreten"). Sections are therefore recognised by their numbers, the tables by
//! Teams' fixed column order when their header words are not known, and the old list by its shape (three
//! columns, an action word, a time); roles and action words are read in the languages of `Role::parse`
//! and `action_of`.

use csv::StringRecord;

use super::report_format::{Context, ReportFormat};
use super::teams_legacy::Legacy;
use crate::error::{Error, Result};
use crate::import::columns::{self, Columns, Field};
use crate::import::options::Format;
use crate::import::row::{self, clean_email, from_cells, Item, Parser, Spec, Status};
use crate::import::sniff::{first_cell, next_with_content, non_empty, numbered_title, Rec};
use crate::import::when::Clock;

/// This format's name, as recorded and as `--format` takes it.
pub(crate) const FORMAT: Format = Format::named("teams");

pub(crate) struct Teams;

impl ReportFormat for Teams {
    fn format(&self) -> Format {
        FORMAT
    }

    fn sniff(&self, recs: &[Rec]) -> bool {
        recs.iter().any(|(_, c)| title_words(c).is_some() || is_header(c)) || is_structure(recs)
    }

    fn parser(&self, cx: &Context) -> Box<dyn Parser> {
        Box::new(TeamsParser::new(cx.file, cx.clock))
    }
}

/// A Teams section title in English words ("1. Summary", "Participants", "3. In-Meeting activities").
fn title_words(cells: &[String]) -> Option<&'static str> {
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
fn section(cells: &[String]) -> Option<&'static str> {
    title_words(cells).or_else(|| {
        numbered_title(cells).map(|n| match n {
            1 => "summary",
            2 => "participants",
            3 => "activities",
            _ => "other",
        })
    })
}

/// The participants header in English words.
fn is_header(cells: &[String]) -> bool {
    cells.iter().any(|h| columns::header_has(h, "in meeting duration") || columns::header_has(h, "first join"))
}

/// A Teams report whatever its language: a "1. <title>" line, later a "2. <title>" line followed by a
/// table of at least five columns (the participants).
fn is_structure(recs: &[Rec]) -> bool {
    let Some(first) = recs.iter().position(|(_, c)| numbered_title(c) == Some(1)) else { return false };
    recs.iter().enumerate().skip(first + 1).any(|(i, (_, c))| {
        numbered_title(c) == Some(2) && next_with_content(recs, i).is_some_and(|next| non_empty(next) >= 5)
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Start,
    /// The summary, or a section Rollcall does not read.
    Summary,
    Participants,
    Activities,
    Old,
}

struct TeamsParser {
    file: String,
    clock: Clock,
    mode: Mode,
    awaiting_header: bool,
    columns: Option<Columns>,
    upn: Option<usize>,
    /// Webinar reports: the email the person registered with, used when the Email column is empty.
    registration: Option<usize>,
    participant_rows: u64,
    /// The old list, handed to its own reader once its header is seen.
    old: Option<Legacy>,
}

impl TeamsParser {
    fn new(file: &str, clock: Clock) -> TeamsParser {
        TeamsParser {
            file: file.to_string(),
            clock,
            mode: Mode::Start,
            awaiting_header: false,
            columns: None,
            upn: None,
            registration: None,
            participant_rows: 0,
            old: None,
        }
    }

    fn header(&mut self, line: u64, record: &StringRecord, out: &mut Vec<Item>) -> Result<()> {
        let layout = match self.mode {
            Mode::Activities => ACTIVITIES_LAYOUT,
            _ => PARTICIPANTS_LAYOUT,
        };
        let (columns, upn) = with_layout(record, layout);
        if !columns.identifies_people() {
            return Err(Error::parse(
                &self.file,
                Some(line),
                None,
                "the participants section has no Name or Email column",
            ));
        }
        self.upn = upn;
        self.registration = record.iter().position(|h| columns::header_has(h, "registration email"));
        let used: Vec<usize> = self.upn.into_iter().chain(self.registration).collect();
        row::header_items(line, &record.iter().collect::<Vec<_>>(), &columns, &used, out);
        self.columns = Some(columns);
        Ok(())
    }
}

/// The columns of the Participants table in Teams' order, whatever the language of their headers:
/// Name, First Join, Last Leave, In-Meeting Duration, Email, Participant ID (UPN), Role. `None` marks
/// the UPN.
const PARTICIPANTS_LAYOUT: &[Option<Field>] = &[
    Some(Field::Name),
    Some(Field::Join),
    Some(Field::Leave),
    Some(Field::Minutes),
    Some(Field::Email),
    None,
    Some(Field::Role),
];
/// The In-Meeting Activities table: Name, Join Time, Leave Time, Duration, Email, Role.
const ACTIVITIES_LAYOUT: &[Option<Field>] = &[
    Some(Field::Name),
    Some(Field::Join),
    Some(Field::Leave),
    Some(Field::Minutes),
    Some(Field::Email),
    Some(Field::Role),
];

/// The columns of a Teams table header, and the UPN column. Headers whose words are known are taken as
/// they say; when the header has exactly Teams' number of columns, the fields still missing are taken
/// from Teams' column order at the places no known header claimed (a German "Rolle", a Georgian
/// "როლი" or a language Rollcall does not know still reads).
fn with_layout(record: &StringRecord, layout: &[Option<Field>]) -> (Columns, Option<usize>) {
    let mut columns = Columns::from_header(record.iter());
    let mut upn = record.iter().position(|h| columns::header_has(h, "upn"));
    let filled = record.iter().filter(|c| !c.trim().is_empty()).count();
    if filled == layout.len() && record.len() >= layout.len() {
        for (i, field) in layout.iter().enumerate() {
            let claimed = upn == Some(i) || columns.index.values().any(|&c| c == i);
            match field {
                // A first or last name column already says who the row is.
                Some(Field::Name) if columns.has(Field::FirstName) || columns.has(Field::LastName) => {}
                Some(f) if !claimed && !columns.has(*f) => {
                    columns.index.insert(*f, i);
                }
                None if !claimed && upn.is_none() => upn = Some(i),
                _ => {}
            }
        }
    }
    (columns, upn)
}

impl Parser for TeamsParser {
    fn record(&mut self, line: u64, record: &StringRecord, out: &mut Vec<Item>) -> Result<()> {
        if let Some(old) = &mut self.old {
            return old.record(line, record, out);
        }
        if row::is_blank(record) {
            return Ok(());
        }
        if record.iter().filter(|c| !c.trim().is_empty()).count() == 1 {
            let cells: Vec<String> = record.iter().map(str::to_string).collect();
            if let Some(section) = section(&cells) {
                self.mode = match section {
                    "participants" => Mode::Participants,
                    "activities" => Mode::Activities,
                    _ => Mode::Summary,
                };
                self.awaiting_header = self.mode != Mode::Summary;
                self.columns = None;
                return Ok(());
            }
        }
        match self.mode {
            Mode::Summary => Ok(()),
            Mode::Start => {
                let cells: Vec<&str> = record.iter().collect();
                // A participants table without section titles.
                let columns = Columns::from_header(cells.iter().copied());
                if columns.identifies_people() && (columns.has(Field::Join) || columns.has(Field::Minutes)) {
                    self.mode = Mode::Participants;
                    return self.header(line, record, out);
                }
                // The old list: "Full Name / User Action / Timestamp" in English, or any three-column header
                // (its words translated).
                if let Some(columns) = Legacy::columns(&cells) {
                    self.mode = Mode::Old;
                    self.old = Some(Legacy::new(&self.file, self.clock).with_columns(columns));
                    return Ok(());
                }
                Err(Error::parse(
                    &self.file,
                    Some(line),
                    None,
                    "expected a Teams attendance report (sections Summary, Participants, In-Meeting Activities, or Full Name / User Action / Timestamp)",
                ))
            }
            Mode::Old => Ok(()),
            Mode::Participants | Mode::Activities => {
                if self.awaiting_header {
                    self.awaiting_header = false;
                    return self.header(line, record, out);
                }
                if self.mode == Mode::Activities && self.participant_rows > 0 {
                    // The same people again, join by join: the Participants section has their totals.
                    return Ok(());
                }
                let Some(columns) = &self.columns else { return Ok(()) };
                let spec = Spec { original_names: false, status: Status::Attended, role: None };
                if let Some(mut r) = from_cells(line, record, columns, &self.clock, &spec, out) {
                    if r.email.is_none() {
                        // Guests from other organisations have a UPN like "name_domain#EXT#@tenant": not an email.
                        let upn = row::cell(record, self.upn);
                        if !upn.to_lowercase().contains("#ext#") {
                            r.email = clean_email(upn).ok().flatten();
                        }
                    }
                    if r.email.is_none() {
                        r.email = clean_email(row::cell(record, self.registration)).ok().flatten();
                    }
                    if self.mode == Mode::Participants {
                        self.participant_rows += 1;
                    }
                    out.push(Item::Row(r));
                }
                Ok(())
            }
        }
    }

    fn finish(&mut self, out: &mut Vec<Item>) -> Result<()> {
        match self.mode {
            Mode::Old => match &mut self.old {
                Some(old) => old.finish(out),
                None => Ok(()),
            },
            Mode::Start | Mode::Summary if self.columns.is_none() => Err(Error::parse(
                &self.file,
                None,
                None,
                "no Participants section was found; this is not a Teams attendance report",
            )),
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::formats::teams_legacy::{action_of, Action};
    use crate::import::row::{Role, Row};

    fn parse(lines: &[&str]) -> (Vec<Row>, Vec<String>) {
        let mut teams = TeamsParser::new("t.csv", Clock::new(None, None));
        let mut items = Vec::new();
        for (i, line) in lines.iter().enumerate() {
            teams.record(i as u64 + 1, &StringRecord::from(line.split('\t').collect::<Vec<_>>()), &mut items).unwrap();
        }
        teams.finish(&mut items).unwrap();
        let mut rows = Vec::new();
        let mut skipped = Vec::new();
        for item in items {
            match item {
                Item::Row(r) | Item::Gathered(r) => rows.push(r),
                Item::Skip(s) => skipped.push(s.reason),
                _ => {}
            }
        }
        (rows, skipped)
    }

    #[test]
    fn a_participants_table_in_an_unknown_language_is_read_in_teams_column_order() {
        let (rows, _) = parse(&[
            "1. Xyz",
            "Abc\tdef",
            "",
            "2. Qwerty",
            "Aaa\tBbb\tCcc\tDdd\tEee\tFff\tGgg",
            "Anna Q\t05.03.24, 15:00:01\t05.03.24, 16:00:00\t59 Min. 59 Sek.\tAnnaQ@example.de\tannaq@example.de\tOrganisator",
            "Bob Q\t05.03.24, 15:00:01\t05.03.24, 15:30:00\t30m\t\tbobq@example.de\tPrezentator",
            "",
            "3. Zzz",
            "Aaa\tBbb\tCcc\tDdd\tEee\tGgg",
            "Anna Q\t05.03.24, 15:00:01\t05.03.24, 16:00:00\t59 Min. 59 Sek.\tAnnaQ@example.de\tOrganisator",
        ]);
        let got: Vec<_> =
            rows.iter().map(|r| (r.name.as_str(), r.email.as_deref(), r.role, r.minutes, r.join.is_some())).collect();
        assert_eq!(
            got,
            vec![
                ("Anna Q", Some("annaq@example.de"), Some(Role::Organiser), Some(60), true),
                ("Bob Q", Some("bobq@example.de"), Some(Role::Speaker), Some(30), true),
            ]
        );
    }

    #[test]
    fn the_old_list_reads_in_other_languages() {
        for (join, leave) in [
            ("Beigetreten", "Verlassen"),
            ("Приєднався", "Вийшов"),
            ("Присоединился", "Покинул"),
            ("Dołączył", "Opuścił"),
            ("A rejoint", "A quitté"),
        ] {
            assert_eq!(action_of(join), Some(Action::Join), "{join}");
            assert_eq!(action_of(leave), Some(Action::Leave), "{leave}");
        }
        assert_eq!(action_of("Joined before"), Some(Action::Join));
        assert_eq!(action_of("Muted"), None);
        let (rows, _) = parse(&[
            "Vollständiger Name\tBenutzeraktion\tZeitstempel",
            "Anna Schmidt\tBeigetreten\t05.03.2024, 15:00:00",
            "Anna Schmidt\tVerlassen\t05.03.2024, 15:40:00",
            "Anna Schmidt\tBeigetreten\t05.03.2024, 15:50:00",
            "Anna Schmidt\tVerlassen\t05.03.2024, 16:00:00",
        ]);
        assert_eq!(rows.len(), 1);
        assert_eq!((rows[0].name.as_str(), rows[0].minutes), ("Anna Schmidt", Some(50)));
    }
}
