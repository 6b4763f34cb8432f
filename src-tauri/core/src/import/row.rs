//! The cleaned row every parser produces (one join of one person), and the cleaning shared by parsers:
//! names (Zoom's "Display (Original Name)", tags like "(Guest)" or "(Host)"), messy emails, country
//! names, roles and statuses in the words platforms and coordinators use.

use std::collections::HashMap;
use std::sync::OnceLock;

use chrono::NaiveDateTime;
use csv::StringRecord;

use super::columns::{Columns, Field};
use super::report::{Reason, Skipped};
use super::when::{self, Clock};
use super::{sniff, words};
use crate::error::Result;
use crate::text;
pub(crate) use crate::vocab::{Role, Status};

/// A role as platforms and sheets write it (Teams "Organizer", Zoom "Panelist", "спікер"...): the first
/// list of `words::ROLES` with a word contained in the folded value gives the role.
pub(crate) fn role(value: &str) -> Option<Role> {
    let v = text::fold(value);
    if v.is_empty() {
        return None;
    }
    words::ROLES.iter().find(|(_, list)| list.iter().any(|w| v.contains(w))).map(|(role, _)| *role)
}

/// A status or yes/no answer as sheets write it, in several languages (`words::STATUSES`).
pub(crate) fn status(value: &str) -> Option<Status> {
    static WORDS: OnceLock<HashMap<String, Status>> = OnceLock::new();
    let words = WORDS.get_or_init(|| {
        let mut map = HashMap::new();
        for (status, list) in words::STATUSES {
            for w in *list {
                map.insert(text::fold(w), *status);
            }
        }
        map
    });
    let v = text::fold(value);
    words.get(v.trim_matches(|c: char| c == '.' || c == '!' || c.is_whitespace())).copied()
}

/// One person's attendance as read from one row (or, for the old Teams list, one person's joins).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Row {
    pub line: u64,
    pub name: String,
    /// The email, trimmed and lower-cased (the matching key).
    pub email: Option<String>,
    pub organisation: Option<String>,
    pub country: Option<String>,
    pub gender: Option<String>,
    pub birth_year: Option<i64>,
    pub age_band: Option<String>,
    pub participant_type: Option<String>,
    /// None when the report does not say.
    pub role: Option<Role>,
    pub status: Status,
    pub minutes: Option<i64>,
    pub join: Option<NaiveDateTime>,
    pub leave: Option<NaiveDateTime>,
    /// A bracket after the name that was not a name ("Olena (Promo-LEX)"): a known organisation of
    /// that name becomes a new person's organisation.
    pub bracket: Option<String>,
    /// The name before a bracket taken for Zoom's original name ("Olena (Amnesty International)"): if
    /// the bracket is a known organisation after all, this is the name.
    pub display: Option<String>,
}

impl Row {
    pub fn new(line: u64, name: String, email: Option<String>, status: Status) -> Row {
        Row {
            line,
            name,
            email,
            organisation: None,
            country: None,
            gender: None,
            birth_year: None,
            age_band: None,
            participant_type: None,
            role: None,
            status,
            minutes: None,
            join: None,
            leave: None,
            bracket: None,
            display: None,
        }
    }
}

/// What a parser makes of a record.
#[derive(Clone)]
pub(crate) enum Item {
    Row(Row),
    /// A data row read whose person comes later in a `Gathered` row: formats that gather a person's
    /// rows themselves (the old Teams list of joins and leaves) count their rows with this.
    Read,
    /// A person gathered from rows already counted by `Read` items (not counted again).
    Gathered(Row),
    /// A column of the file that no field is read from (its header), so the preview can say so.
    Ignored(String),
    /// A row left out, and why.
    Skip(Skipped),
    /// A value dropped from a row that is imported.
    Warn(Skipped),
}

pub(crate) fn skip(line: u64, why: Reason) -> Item {
    Item::Skip(Skipped::new(line, why))
}

pub(crate) fn warn(line: u64, why: Reason) -> Item {
    Item::Warn(Skipped::new(line, why))
}

/// A report format's reader: fed the file's records in order (1-based line of each), it pushes items.
pub(crate) trait Parser {
    fn record(&mut self, line: u64, record: &StringRecord, out: &mut Vec<Item>) -> Result<()>;
    /// Called after the last record, for formats that can only emit rows at the end.
    fn finish(&mut self, _out: &mut Vec<Item>) -> Result<()> {
        Ok(())
    }
}

/// What a table's header leaves unread: each column no field is read from (besides `used`, columns a
/// format reads itself) as `Item::Ignored`, and a warning for each header damaged by a code-page save.
pub(crate) fn header_items(line: u64, cells: &[&str], columns: &Columns, used: &[usize], out: &mut Vec<Item>) {
    for (i, header) in cells.iter().enumerate() {
        let header = header.trim().trim_start_matches('\u{FEFF}');
        if header.is_empty() {
            continue;
        }
        if damaged(header) {
            out.push(warn(line, Reason::DamagedHeader { header: header.to_string() }));
        }
        if !used.contains(&i) && !columns.index.values().any(|&c| c == i) {
            out.push(Item::Ignored(header.to_string()));
        }
    }
}

/// Whether a text has lost letters to a code-page save: a U+FFFD replacement character, or a "?" next to
/// a letter ("Organiza?ie", "?tefan").
pub(crate) fn damaged(text: &str) -> bool {
    let chars: Vec<char> = text.chars().collect();
    chars.contains(&'\u{FFFD}')
        || chars.iter().enumerate().any(|(i, &c)| {
            c == '?'
                && (i.checked_sub(1).and_then(|p| chars.get(p)).is_some_and(|c| c.is_alphabetic())
                    || chars.get(i + 1).is_some_and(|c| c.is_alphabetic()))
        })
}

/// The trimmed cell at `index`, "" when the row is shorter (ragged rows).
pub(crate) fn cell(record: &StringRecord, index: Option<usize>) -> &str {
    index
        .and_then(|i| record.get(i))
        .map(|c| c.trim_matches(|c: char| c.is_whitespace() || c == '\u{FEFF}'))
        .unwrap_or("")
}

pub(crate) fn is_blank(record: &StringRecord) -> bool {
    record.iter().all(|c| c.trim().is_empty())
}

/// Whitespace (including line breaks inside quoted cells) collapsed to single spaces, trimmed.
pub(crate) fn clean_text(raw: &str) -> String {
    raw.split_whitespace().collect::<Vec<_>>().join(" ").trim_matches('\u{FEFF}').to_string()
}

/// An email as typed in a report: spaces removed anywhere, `mailto:` and `<...>` taken off, lower-cased.
/// `Ok(None)` when empty or a placeholder, `Err(())` when it is not an address.
pub(crate) fn clean_email(raw: &str) -> std::result::Result<Option<String>, ()> {
    let mut s: String = raw
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '\u{200B}'..='\u{200F}' | '\u{FEFF}'))
        .collect::<String>()
        .to_lowercase();
    if let Some(rest) = s.strip_prefix("mailto:") {
        s = rest.to_string();
    }
    let s = s.trim_matches(|c| matches!(c, '<' | '>' | '"' | '\'' | ',' | ';'));
    if s.is_empty() || matches!(s, "-" | "--" | "n/a" | "na" | "none" | "null") {
        return Ok(None);
    }
    match s.split_once('@') {
        Some((local, domain))
            if !local.is_empty() && !domain.is_empty() && !domain.contains('@') && s.chars().count() <= 254 =>
        {
            Ok(Some(s.to_string()))
        }
        _ => Err(()),
    }
}

/// Tags platforms append to names: they are not part of the name; some say the role.
fn tag(inner: &str) -> Option<Option<Role>> {
    let t = text::fold(inner);
    if let Some((role, _)) = words::NAME_TAGS.iter().find(|(_, list)| list.iter().any(|w| text::fold(w) == t)) {
        return Some(Some(*role));
    }
    match t.as_str() {
        _ if words::GUEST_TAGS.iter().any(|g| text::fold(g) == t) => Some(None),
        // Pronouns ("she/her", "вона/її").
        _ if t.contains('/') && t.chars().count() <= 20 => Some(None),
        _ => None,
    }
}

/// Cleans a name cell: whitespace collapsed and trailing tags like "(Guest)" or "(Host)" removed. With
/// `original`, Zoom's "Display Name (Original Name)" gives the original name, the one the person signed
/// up with ("Olena K (Олена Коваль)" is Олена Коваль).
pub(crate) fn clean_name(raw: &str, original: bool) -> (String, Option<Role>) {
    let c = clean_name_parts(raw, original);
    (c.name, c.role)
}

/// A cleaned name, the role its tags say, and a bracket that was not a name (Zoom's rename to
/// "Name (Organisation)"): the caller may know it as an organisation.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct CleanName {
    pub name: String,
    pub role: Option<Role>,
    pub bracket: Option<String>,
    /// The name shown before the bracket, when the bracket was taken for the original name.
    pub display: Option<String>,
}

pub(crate) fn clean_name_parts(raw: &str, original: bool) -> CleanName {
    let mut name = clean_text(raw);
    let mut role = None;
    let mut bracket = None;
    let mut display = None;
    while name.ends_with(')') {
        let Some(open) = name.rfind('(') else { break };
        let inner = name[open + 1..name.len() - 1].trim().to_string();
        let outer = name[..open].trim().to_string();
        match tag(&inner) {
            Some(r) => {
                role = role.max(r);
                name = outer;
            }
            None if outer.is_empty() => {
                name = inner;
                break;
            }
            // Zoom puts the original name in the last brackets, but people also rename themselves
            // "Name (Organisation)": only a bracket that looks like a person's name is taken for it.
            None if original && looks_like_person(&inner) => {
                display = Some(outer).filter(|o| !o.is_empty());
                name = inner;
                break;
            }
            None if original && !inner.is_empty() => {
                bracket = Some(inner);
                name = outer;
                break;
            }
            None => break,
        }
    }
    CleanName { name, role, bracket, display }
}

/// Whether a bracket reads as a person's name: one to four words of letters (hyphens, apostrophes and
/// dots inside), no digits or symbols, and nothing that reads as an organisation.
pub(crate) fn looks_like_person(text: &str) -> bool {
    let words: Vec<&str> = text.split_whitespace().collect();
    (1..=4).contains(&words.len())
        && words.iter().all(|w| {
            w.chars().next().is_some_and(char::is_alphabetic)
                && w.chars().all(|c| c.is_alphabetic() || matches!(c, '-' | '\'' | '’' | '.'))
        })
        && !looks_like_organisation(text)
}

/// Whether a text reads as an organisation's name: an organisation word ("NGO", "ГО", "Fundacja",
/// "Institute"... `words::ORGANISATION_WORDS`), or an acronym part beside lower-case letters
/// ("Promo-LEX", "UNDP Moldova"). A name typed all in capitals is still a name.
pub(crate) fn looks_like_organisation(text: &str) -> bool {
    let folded = text::fold(text);
    let org_word = folded
        .split(|c: char| !(c.is_alphanumeric() || c == '.'))
        .any(|w| words::ORGANISATION_WORDS.iter().any(|o| text::fold(o) == w.trim_end_matches('.')));
    let has_lower = text.chars().any(char::is_lowercase);
    let acronym = text
        .split(|c: char| c.is_whitespace() || c == '-')
        .any(|part| part.chars().filter(|c| c.is_alphabetic()).count() >= 2 && part.chars().all(|c| !c.is_lowercase()));
    org_word || (acronym && has_lower)
}

/// An ISO 3166 code for a country cell: a two-letter code, or the country's name in English or in the
/// languages of the region. Unknown names give None (the person is still imported).
pub(crate) fn country_code(value: &str) -> Option<String> {
    let v = value.trim();
    if v.len() == 2 && v.chars().all(|c| c.is_ascii_alphabetic()) {
        return Some(v.to_ascii_uppercase());
    }
    static NAMES: OnceLock<HashMap<String, &'static str>> = OnceLock::new();
    let names = NAMES.get_or_init(|| {
        words::COUNTRIES.iter().flat_map(|(code, names)| names.iter().map(|n| (text::fold(n), *code))).collect()
    });
    let key = text::fold(v);
    names.get(key.trim_start_matches("the ")).map(|code| code.to_string())
}

/// Why a record that fills a single cell of a wider table is not a person: a numbered section title
/// ("3. Aktivitäten in der Besprechung") or a summary label ("Total:"). A sheet of one column keeps its
/// rows, whatever they say.
fn not_a_person(record: &StringRecord, columns: &Columns) -> Option<Reason> {
    let filled: Vec<&str> = record.iter().map(str::trim).filter(|c| !c.is_empty()).collect();
    if filled.len() != 1 || columns.index.len() < 2 {
        return None;
    }
    let cells = [filled[0].to_string()];
    if sniff::numbered_title(&cells).is_some() {
        return Some(Reason::SectionTitle);
    }
    let label = text::fold(filled[0]);
    let label = label.trim_end_matches([':', '.']).trim();
    words::SUMMARY_LABELS.iter().any(|l| text::fold(l) == label).then_some(Reason::SummaryLine)
}

/// How a parser wants a row built from its columns.
pub(crate) struct Spec {
    /// Zoom's "Display (Original Name)" convention applies to the name column.
    pub original_names: bool,
    /// The status of rows without a status column.
    pub status: Status,
    /// The role of rows without a role column (a webinar section says it).
    pub role: Option<Role>,
}

/// Builds the row of a record from its header's columns. Returns None for an empty record and for a
/// record left out (its reason pushed to `out`); dropped values are pushed as warnings.
pub(crate) fn from_cells(
    line: u64,
    record: &StringRecord,
    columns: &Columns,
    clock: &Clock,
    spec: &Spec,
    out: &mut Vec<Item>,
) -> Option<Row> {
    if is_blank(record) {
        return None;
    }
    if let Some(reason) = not_a_person(record, columns) {
        out.push(skip(line, reason));
        return None;
    }
    let get = |f: Field| cell(record, columns.get(f));
    let raw_name = match columns.get(Field::Name) {
        Some(i) => cell(record, Some(i)).to_string(),
        None => format!("{} {}", get(Field::FirstName), get(Field::LastName)),
    };
    let CleanName { mut name, role: tag_role, bracket, display } = clean_name_parts(&raw_name, spec.original_names);
    let email = match clean_email(get(Field::Email)) {
        Ok(e) => e,
        Err(()) => {
            out.push(warn(line, Reason::EmailInvalid));
            None
        }
    };
    if name.is_empty() {
        match &email {
            Some(e) => name = e.clone(),
            None => {
                out.push(skip(line, Reason::NoNameOrEmail));
                return None;
            }
        }
    }
    let status = match columns.get(Field::Status).map(|i| cell(record, Some(i))) {
        Some(v) if !v.is_empty() => status(v).unwrap_or_else(|| {
            out.push(warn(line, Reason::StatusUnknown { value: v.to_string(), counted_as: spec.status }));
            spec.status
        }),
        _ => spec.status,
    };
    let mut row = Row::new(line, name, email, status);
    row.bracket = bracket;
    row.display = display;
    row.role = match columns.get(Field::Role).map(|i| cell(record, Some(i))) {
        Some(v) if !v.is_empty() => role(v).or(spec.role),
        _ => spec.role,
    }
    .max(tag_role);
    let time = |field: Field, what: &str, out: &mut Vec<Item>| {
        let v = get(field);
        let parsed = clock.parse(v);
        match parsed {
            None if !v.is_empty() && !v.chars().all(|c| c == '-') => {
                out.push(warn(line, Reason::TimeUnreadable { what: what.into(), value: v.into() }))
            }
            Some(t) if !when::plausible(t) => {
                out.push(warn(line, Reason::TimeImplausible { what: what.into(), value: v.into() }));
                return None;
            }
            _ => {}
        }
        parsed
    };
    row.join = time(Field::Join, "join", out);
    row.leave = time(Field::Leave, "leave", out);
    if let (Some(j), Some(l)) = (row.join, row.leave) {
        if l < j {
            // Which of the two is wrong cannot be told; keeping both would store a leave before the join.
            out.push(warn(
                line,
                Reason::LeaveBeforeJoin { join: get(Field::Join).into(), leave: get(Field::Leave).into() },
            ));
            row.join = None;
            row.leave = None;
        }
    }
    let duration = get(Field::Minutes);
    let stated = match when::duration_secs(duration) {
        Some(secs) => Some(when::minutes(secs)),
        None => {
            if !duration.is_empty() && !duration.chars().all(|c| c == '-') {
                out.push(warn(line, Reason::DurationUnreadable { value: duration.into() }));
            }
            None
        }
    };
    row.minutes = check_minutes(line, stated, row.join.zip(row.leave), status, clock, out);
    if row.join.is_some() && row.minutes.is_none() && columns.has(Field::Leave) && get(Field::Leave).is_empty() {
        // Joined and never left (the report was exported mid-meeting, or the platform lost the leave):
        // the row counts as attended without minutes, which would drop the person from minimum-minutes
        // figures unnoticed.
        out.push(warn(line, Reason::JoinWithoutLeaveRow));
    }
    row.organisation = Some(clean_text(get(Field::Organisation))).filter(|o| !o.is_empty());
    let country = get(Field::Country);
    row.country = country_code(country);
    row.gender = Some(clean_text(get(Field::Gender))).filter(|g| !g.is_empty());
    // A year of birth, or the year of a date of birth in any of the usual orders; an answer like "25-34"
    // in that column is an age band.
    let born = clean_text(get(Field::BirthYear));
    row.birth_year = year_of(&born);
    if row.birth_year.is_none() && crate::projects::AgeBand::parse(&born).is_some() {
        row.age_band = Some(born.clone());
    } else if row.birth_year.is_none() && !born.is_empty() {
        let reason =
            Reason::DetailRefused { field: "year of birth".into(), message: format!("'{born}' could not be read") };
        out.push(warn(line, reason));
    }
    let band = clean_text(get(Field::AgeBand));
    if !band.is_empty() {
        row.age_band = Some(band);
    }
    row.participant_type = Some(clean_text(get(Field::ParticipantType))).filter(|t| !t.is_empty());
    Some(row)
}

/// The year of a year of birth ("1990") or of a date of birth ("1990-05-01", "01.05.1990", "5/1/1990").
fn year_of(value: &str) -> Option<i64> {
    let digits: Vec<&str> = value.split(|c: char| !c.is_ascii_digit()).filter(|p| !p.is_empty()).collect();
    let year = match digits.as_slice() {
        [y] if y.len() == 4 => y,
        [a, _, c] if a.len() == 4 || c.len() == 4 => {
            if a.len() == 4 {
                a
            } else {
                c
            }
        }
        _ => return None,
    };
    year.parse().ok().filter(|y| (1900..=2100).contains(y))
}

/// Most minutes one row may hold, unless the event is planned longer: a day. More is a typo or a hostile
/// value (100,000 minutes in one row would outweigh every other figure of a donor report).
const MAX_ROW_MINUTES: i64 = 24 * 60;

/// How many times its planned length a row's minutes may be before they are doubted.
const OVERRUN: i64 = 3;

/// Minutes a stated duration may exceed its join-to-leave time: platforms round each join up.
const ROUNDING_MINUTES: i64 = 2;

/// The minutes of a row: the stated ones (`stated`), else the time between its join and leave (`times`)
/// for people who attended. A stated duration longer than the time between join and leave gives way to
/// that time; minutes beyond a day (or the event's planned length, if longer) are left out; minutes beyond
/// `OVERRUN` times the event's planned length are kept but doubted (meetings overrun, and hosts stay on,
/// but not for three times as long). Each of these is said in a warning.
pub(crate) fn check_minutes(
    line: u64,
    stated: Option<i64>,
    times: Option<(NaiveDateTime, NaiveDateTime)>,
    status: Status,
    clock: &Clock,
    out: &mut Vec<Item>,
) -> Option<i64> {
    let span = times.map(|(j, l)| ((l - j).num_seconds() + 30) / 60);
    let minutes = match (stated, span) {
        (Some(m), Some(s)) if m > s + ROUNDING_MINUTES => {
            out.push(warn(line, Reason::DurationLongerThanSpan { minutes: m, span: s }));
            s
        }
        (Some(m), _) => m,
        (None, Some(s)) if status == Status::Attended => s,
        _ => return None,
    };
    let planned = clock.event_minutes();
    let most = planned.map_or(MAX_ROW_MINUTES, |p| p.max(MAX_ROW_MINUTES));
    if minutes > most {
        out.push(warn(line, Reason::MinutesTooMany { minutes, most }));
        return None;
    }
    if let Some(p) = planned.filter(|p| minutes > OVERRUN * p) {
        out.push(warn(line, Reason::MinutesOverrun { minutes, times: OVERRUN, planned: p }));
    }
    Some(minutes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_lose_platform_tags_and_zoom_renames_give_the_original_name() {
        let cases = [
            ("Olena K (Олена Коваль)", true, "Олена Коваль", None),
            ("Olena K (Олена Коваль)", false, "Olena K (Олена Коваль)", None),
            ("  Тарас   Шевчук  (Host) ", true, "Тарас Шевчук", Some(Role::Organiser)),
            ("Nino (ნინო ბერიძე) (Co-host)", true, "ნინო ბერიძე", Some(Role::Moderator)),
            ("Zofia Wójcik (she/her)", true, "Zofia Wójcik", None),
            ("Guest Speaker (Guest)", false, "Guest Speaker", None),
            ("(Ana Rusu)", false, "Ana Rusu", None),
            ("Łukasz\nWiśniewski", false, "Łukasz Wiśniewski", None),
        ];
        for (raw, original, name, role) in cases {
            assert_eq!(clean_name(raw, original), (name.to_string(), role), "{raw}");
        }
    }

    #[test]
    fn section_titles_and_summary_lines_are_not_people() {
        let columns = Columns::from_header(["Name", "E-Mail", "Dauer"]);
        let clock = Clock::new(None, None);
        let spec = Spec { original_names: false, status: Status::Attended, role: None };
        for (cells, person) in [
            (vec!["3. Aktivitäten in der Besprechung", "", ""], false),
            (vec!["Insgesamt:", "", ""], false),
            (vec!["", "Итого", ""], false),
            (vec!["Anna Schmidt", "", ""], true),
            (vec!["3. Anna", "a@x.de", ""], true),
        ] {
            let mut out = Vec::new();
            let row = from_cells(7, &StringRecord::from(cells.clone()), &columns, &clock, &spec, &mut out);
            assert_eq!(row.is_some(), person, "{cells:?}");
            assert_eq!(out.iter().any(|i| matches!(i, Item::Skip(s) if s.line == 7)), !person, "{cells:?}");
        }
        // A sheet of one column keeps a numbered line: it may be a numbered list of names.
        let one = Columns::from_header(["Name"]);
        let mut out = Vec::new();
        assert!(from_cells(2, &StringRecord::from(vec!["1. Anna Schmidt"]), &one, &clock, &spec, &mut out).is_some());
    }

    #[test]
    fn messy_emails_are_cleaned_or_refused() {
        assert_eq!(clean_email("  Olena.Koval@UKR.NET "), Ok(Some("olena.koval@ukr.net".into())));
        assert_eq!(clean_email("<nino@gov.ge>"), Ok(Some("nino@gov.ge".into())));
        assert_eq!(clean_email("mailto:Ana@promolex.md"), Ok(Some("ana@promolex.md".into())));
        assert_eq!(clean_email("olena @ ukr.net"), Ok(Some("olena@ukr.net".into())));
        assert_eq!(clean_email("--"), Ok(None));
        assert_eq!(clean_email(""), Ok(None));
        assert_eq!(clean_email("not given"), Err(()));
        assert_eq!(clean_email("a@b@c"), Err(()));
    }

    #[test]
    fn countries_roles_and_statuses_in_several_languages() {
        assert_eq!(country_code("Ukraine").as_deref(), Some("UA"));
        assert_eq!(country_code("საქართველო").as_deref(), Some("GE"));
        assert_eq!(country_code("Republica Moldova").as_deref(), Some("MD"));
        assert_eq!(country_code("pl").as_deref(), Some("PL"));
        assert_eq!(country_code("Atlantis"), None);
        assert_eq!(role("Organizer"), Some(Role::Organiser));
        assert_eq!(role("Co-organizer"), Some(Role::Organiser));
        assert_eq!(role("Presenter"), Some(Role::Speaker));
        assert_eq!(role("Спікер"), Some(Role::Speaker));
        assert_eq!(role("Attendee"), Some(Role::Participant));
        // Teams roles in the UI languages of Rollcall's users.
        for organiser in ["Organisator", "Organizator", "Organisateur", "Organizador", "Організатор", "Организатор"]
        {
            assert_eq!(role(organiser), Some(Role::Organiser), "{organiser}");
        }
        for co in ["Mitorganisator", "Coorganisateur", "Співорганізатор", "Соорганизатор", "Współorganizator"]
        {
            assert_eq!(role(co), Some(Role::Organiser), "{co}");
        }
        for speaker in [
            "Referent",
            "Prezentator",
            "Présentateur",
            "Presentador",
            "Relatore",
            "Доповідач",
            "Выступающий",
            "Докладчик",
        ] {
            assert_eq!(role(speaker), Some(Role::Speaker), "{speaker}");
        }
        for attendee in
            ["Teilnehmer", "Uczestnik", "Participant", "Participante", "Partecipante", "Учасник", "Участник"]
        {
            assert_eq!(role(attendee), Some(Role::Participant), "{attendee}");
        }
        assert_eq!(clean_name("Mariana Popescu (Gast)", false), ("Mariana Popescu".to_string(), None));
        assert_eq!(clean_name("Гість Зовнішній (Зовнішній)", false), ("Гість Зовнішній".to_string(), None));
        assert_eq!(status("Nein"), Some(Status::Absent));
        assert_eq!(status("Ja"), Some(Status::Attended));
        assert_eq!(status("Yes"), Some(Status::Attended));
        assert_eq!(status("Ні"), Some(Status::Absent));
        assert_eq!(status("maybe"), None);
    }
}
