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

use std::collections::HashMap;

use chrono::NaiveDateTime;
use csv::StringRecord;

use super::columns::{self, Columns, Field};
use super::detect;
use super::row::{self, clean_email, clean_name, from_cells, Item, Parser, Row, Spec, Status};
use super::when::{self, Clock};
use crate::error::{Error, Result};
use crate::text;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Start,
    /// The summary, or a section Rollcall does not read.
    Summary,
    Participants,
    Activities,
    Old,
}

/// One person of the old format: their joins and leaves so far.
struct OldPerson {
    line: u64,
    name: String,
    first: Option<NaiveDateTime>,
    last: Option<NaiveDateTime>,
    open: Option<NaiveDateTime>,
    seconds: i64,
}

pub(crate) struct Teams {
    file: String,
    clock: Clock,
    mode: Mode,
    awaiting_header: bool,
    columns: Option<Columns>,
    upn: Option<usize>,
    /// Webinar reports: the email the person registered with, used when the Email column is empty.
    registration: Option<usize>,
    participant_rows: u64,
    /// Old format: columns of name, action and time, and the people by folded name.
    old_columns: (Option<usize>, Option<usize>, Option<usize>),
    old: HashMap<String, OldPerson>,
}

impl Teams {
    pub fn new(file: &str, clock: Clock) -> Teams {
        Teams {
            file: file.to_string(),
            clock,
            mode: Mode::Start,
            awaiting_header: false,
            columns: None,
            upn: None,
            registration: None,
            participant_rows: 0,
            old_columns: (None, None, None),
            old: HashMap::new(),
        }
    }

    fn header(&mut self, line: u64, record: &StringRecord) -> Result<()> {
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
        self.columns = Some(columns);
        Ok(())
    }

    fn old_row(&mut self, line: u64, record: &StringRecord, out: &mut Vec<Item>) {
        let (name_col, action_col, time_col) = self.old_columns;
        let (name, _) = clean_name(row::cell(record, name_col), false);
        if name.is_empty() {
            out.push(row::skip(line, "no name"));
            return;
        }
        let action = action_of(row::cell(record, action_col));
        let Some(at) = self.clock.parse(row::cell(record, time_col)) else {
            out.push(row::skip(line, "the timestamp could not be read"));
            return;
        };
        if !when::plausible(at) {
            out.push(row::skip(line, "the timestamp cannot be right (its year)"));
            return;
        }
        out.push(Item::Seen);
        let person = self.old.entry(text::fold(&name)).or_insert_with(|| OldPerson {
            line,
            name,
            first: None,
            last: None,
            open: None,
            seconds: 0,
        });
        match action {
            Some(Action::Join) => {
                person.first = Some(person.first.map_or(at, |f| f.min(at)));
                person.open.get_or_insert(at);
            }
            Some(Action::Leave) => {
                if let Some(open) = person.open.take() {
                    person.seconds += (at - open).num_seconds().max(0);
                }
                person.last = Some(person.last.map_or(at, |l| l.max(at)));
            }
            None => out.push(row::warn(line, "the user action is neither Joined nor Left")),
        }
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

/// A join or a leave in the old list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Action {
    Join,
    Leave,
}

/// The action of an old-list row in the languages of Rollcall's users ("Joined", "Joined before",
/// "Beigetreten", "Verlassen", "A rejoint", "A quitté", "Dołączył", "Opuścił", "Приєднався", "Вийшов",
/// "Присоединился", "Покинул"...). Words are matched as folded prefixes of the cell's words.
pub(crate) fn action_of(value: &str) -> Option<Action> {
    use std::sync::OnceLock;
    const JOIN: &[&str] = &[
        "join",
        "beigetreten",
        "teilgenommen",
        "rejoint",
        "unido",
        "unió",
        "unio",
        "unito",
        "entrou",
        "dołącz",
        "alăturat",
        "alaturat",
        "приєдна",
        "підключ",
        "присоедин",
        "подключ",
        "შემოუერთდა",
        "შემოვიდა",
    ];
    const LEAVE: &[&str] = &[
        "left",
        "leave",
        "verlassen",
        "quitté",
        "quitte",
        "salió",
        "salio",
        "abbandon",
        "uscit",
        "saiu",
        "opuści",
        "wyszedł",
        "wyszła",
        "părăsit",
        "parasit",
        "plecat",
        "вийш",
        "вийшла",
        "залиши",
        "покину",
        "покинул",
        "вышел",
        "вышла",
        "დატოვა",
        "გავიდა",
    ];
    static WORDS: OnceLock<(Vec<String>, Vec<String>)> = OnceLock::new();
    let (join, leave) = WORDS.get_or_init(|| {
        let fold = |list: &[&str]| list.iter().map(|w| text::fold(w)).collect::<Vec<_>>();
        (fold(JOIN), fold(LEAVE))
    });
    let v = text::fold(value);
    let words: Vec<&str> = v.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect();
    let any = |list: &[String]| words.iter().any(|w| list.iter().any(|p| w.starts_with(p.as_str())));
    if any(leave) {
        Some(Action::Leave)
    } else if any(join) {
        Some(Action::Join)
    } else {
        None
    }
}

/// The "User Action" column of the old list, in English or translated.
fn is_action_header(header: &str) -> bool {
    [
        "user action",
        "benutzeraktion",
        "action de l'utilisateur",
        "acción del usuario",
        "akcja użytkownika",
        "acțiunea utilizatorului",
        "дія користувача",
        "действие пользователя",
    ]
    .iter()
    .any(|p| columns::header_has(header, p))
}

/// The "Timestamp" column of the old list, in English or translated.
fn is_timestamp_header(header: &str) -> bool {
    [
        "timestamp",
        "zeitstempel",
        "horodatage",
        "marca de tiempo",
        "sygnatura czasowa",
        "marcaj de timp",
        "позначка часу",
        "отметка времени",
        "метка времени",
    ]
    .iter()
    .any(|p| columns::header_has(header, p))
}

impl Parser for Teams {
    fn record(&mut self, line: u64, record: &StringRecord, out: &mut Vec<Item>) -> Result<()> {
        if row::is_blank(record) {
            return Ok(());
        }
        if record.iter().filter(|c| !c.trim().is_empty()).count() == 1 {
            let cells: Vec<String> = record.iter().map(str::to_string).collect();
            if let Some(section) = detect::teams_section(&cells) {
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
                    return self.header(line, record);
                }
                // The old list: "Full Name / User Action / Timestamp" in English, or any three-column header
                // (its words translated), read in Teams' order where the words are not known.
                let action = cells.iter().position(|h| is_action_header(h));
                let time = cells.iter().position(|h| is_timestamp_header(h));
                let filled: Vec<usize> = (0..cells.len()).filter(|&i| !cells[i].trim().is_empty()).collect();
                if (action.is_some() && time.is_some()) || filled.len() == 3 {
                    let name = cells.iter().position(|h| columns::classify(h) == Some(Field::Name));
                    let at = |k: usize| filled.get(k).copied();
                    self.old_columns = (name.or(at(0)), action.or(at(1)), time.or(at(2)));
                    self.mode = Mode::Old;
                    return Ok(());
                }
                Err(Error::parse(
                    &self.file,
                    Some(line),
                    None,
                    "expected a Teams attendance report (sections Summary, Participants, In-Meeting Activities, or Full Name / User Action / Timestamp)",
                ))
            }
            Mode::Old => {
                self.old_row(line, record, out);
                Ok(())
            }
            Mode::Participants | Mode::Activities => {
                if self.awaiting_header {
                    self.awaiting_header = false;
                    return self.header(line, record);
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
            Mode::Old => {
                let mut people: Vec<OldPerson> = self.old.drain().map(|(_, p)| p).collect();
                people.sort_by_key(|p| p.line);
                for p in people {
                    let mut r = Row::new(p.line, p.name, None, Status::Attended);
                    r.join = p.first;
                    r.leave = p.last;
                    let stated = (p.seconds > 0).then_some((p.seconds + 30) / 60);
                    r.minutes = row::check_minutes(p.line, stated, None, Status::Attended, &self.clock, out);
                    out.push(Item::Merged(r));
                }
                Ok(())
            }
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
    use crate::import::row::Role;

    fn parse(lines: &[&str]) -> (Vec<Row>, Vec<String>) {
        let mut teams = Teams::new("t.csv", Clock::new(None, None));
        let mut items = Vec::new();
        for (i, line) in lines.iter().enumerate() {
            teams.record(i as u64 + 1, &StringRecord::from(line.split('\t').collect::<Vec<_>>()), &mut items).unwrap();
        }
        teams.finish(&mut items).unwrap();
        let mut rows = Vec::new();
        let mut skipped = Vec::new();
        for item in items {
            match item {
                Item::Row(r) | Item::Merged(r) => rows.push(r),
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
