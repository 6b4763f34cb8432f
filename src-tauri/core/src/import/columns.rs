//! Column headers: what a header cell means (in English, Ukrainian, Russian, Georgian, Romanian, Polish
//! and the languages Zoom translates its reports into), the column map of a header row, and the mapping
//! of a generic sheet (given, remembered per header row in `settings`, or guessed).

use std::collections::BTreeMap;
use std::sync::OnceLock;

use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};
use crate::text;

/// What a column of a sheet holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    /// The full name.
    Name,
    FirstName,
    LastName,
    Email,
    Organisation,
    Country,
    Gender,
    /// participant, speaker, moderator or organiser (in several languages and platform words).
    Role,
    /// attended (yes), absent (no), registered or cancelled.
    Status,
    /// Minutes attended, or a duration like `1h 13m` or `1:13:42`.
    Minutes,
    /// When the person joined.
    Join,
    /// When the person left.
    Leave,
    /// Year of birth (or a date of birth, of which the year is kept).
    BirthYear,
    /// An age band ("25-34", "65+").
    AgeBand,
    /// Type of participant ("journalist"; see `projects::participant_types`).
    ParticipantType,
}

impl Field {
    pub const ALL: &'static [Field] = &[
        Field::Name,
        Field::FirstName,
        Field::LastName,
        Field::Email,
        Field::Organisation,
        Field::Country,
        Field::Gender,
        Field::Role,
        Field::Status,
        Field::Minutes,
        Field::Join,
        Field::Leave,
        Field::BirthYear,
        Field::AgeBand,
        Field::ParticipantType,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Field::Name => "name",
            Field::FirstName => "first_name",
            Field::LastName => "last_name",
            Field::Email => "email",
            Field::Organisation => "organisation",
            Field::Country => "country",
            Field::Gender => "gender",
            Field::Role => "role",
            Field::Status => "status",
            Field::Minutes => "minutes",
            Field::Join => "join",
            Field::Leave => "leave",
            Field::BirthYear => "birth_year",
            Field::AgeBand => "age_band",
            Field::ParticipantType => "participant_type",
        }
    }

    /// Parses a field name as the CLI's `--map` takes it (`name`, `first_name` or `first-name`...).
    pub fn parse(s: &str) -> Option<Field> {
        let v = s.trim().to_ascii_lowercase().replace('-', "_");
        let v = match v.as_str() {
            "organization" | "org" => "organisation",
            "first" | "firstname" => "first_name",
            "last" | "lastname" | "surname" => "last_name",
            "duration" => "minutes",
            "birthyear" | "year_of_birth" | "born" => "birth_year",
            "age" => "age_band",
            "type" => "participant_type",
            other => other,
        };
        Field::ALL.iter().copied().find(|f| f.as_str() == v)
    }
}

/// Keyword phrases per meaning, in natural spelling (folded once, on first use). A token ending in `*`
/// matches any word starting with it, for inflected languages ("пошта", "пошти").
const IGNORE: &[&str] = &[
    "id",
    "upn",
    "phone",
    "telephone",
    "телефон",
    "telefon",
    "guest",
    "registration time",
    "approval",
    "consent",
    "waiting room",
    "source",
    "signature",
    "підпис",
    "подпись",
    "podpis",
    "semnatura",
    "ხელმოწერა",
    "timestamp",
    "позначка часу",
    "отметка времени",
    "sygnatura czasowa",
    "zeitstempel",
    "horodatage",
    "marca de tiempo",
    "marca temporal",
    "job title",
    "position",
    "посада",
    "должность",
    "stanowisko",
    "functia",
    "question",
    "comment",
    "коментар",
];
const EMAIL: &[&str] = &[
    "email*",
    "e mail",
    "mail",
    "пошт*",
    "почт*",
    "poczt*",
    "ფოსტა",
    "ელფოსტა",
    "correo",
    "courriel",
    "электронн*",
    "електронн*",
];
const JOIN: &[&str] = &[
    "join*",
    "time joined",
    "first join",
    "arrival",
    "check in",
    "вход*",
    "приєдн*",
    "підключ*",
    "подключ*",
    "ingresso",
    "entrada",
    "dolacz*",
    "beitritt*",
    "intrare",
    "intrarii",
    "შესვლ*",
    "ora di ingresso",
    "присоедин*",
    "arriv*",
    "d'arriv*",
    "connexion",
    "accesso",
    "asociere",
    "alatur*",
    "primera union",
    "ingreso",
];
const LEAVE: &[&str] = &[
    "leave",
    "left",
    "exit*",
    "last leave",
    "departure",
    "check out",
    "выход*",
    "вихід*",
    "виход*",
    "uscita",
    "salida",
    "opuszcz*",
    "wyjsc*",
    "wyjscia",
    "iesire",
    "iesirii",
    "verlass*",
    "depart*",
    "sortie",
    "saida",
    "parasir*",
    "plecare",
    "გასვლ*",
];
const MINUTES: &[&str] = &[
    "duration",
    "minutes",
    "minute",
    "min",
    "mins",
    "time in session",
    "тривал*",
    "продолжит*",
    "хвилин*",
    "минут*",
    "durata",
    "dauer",
    "duracion",
    "duracao",
    "duree*",
    "длительн*",
    "czas trwania",
    "minut*",
    "ხანგრძლივობა",
    "წუთ*",
    "hours",
    "годин*",
    "часов",
];
const ORGANISATION: &[&str] = &[
    "organisation*",
    "organization*",
    "org",
    "company",
    "affiliation",
    "institution",
    "employer",
    "організац*",
    "организац*",
    "organizac*",
    "organizati*",
    "ორგანიზაცი*",
    "установа",
    "місце роботи",
    "место работы",
    "instytucja",
    "instituti*",
    "ngo",
];
const COUNTRY: &[&str] = &["country*", "країн*", "стран*", "kraj", "tara", "ქვეყან*", "land", "pays", "pais", "paese"];
const GENDER: &[&str] = &["gender", "sex", "стать", "пол", "гендер", "plec", "gen", "genul", "sexul", "სქესი"];
const BIRTH_YEAR: &[&str] = &[
    "year of birth",
    "birth year",
    "date of birth",
    "born",
    "рік народження",
    "дата народження",
    "год рождения",
    "дата рождения",
    "დაბადების წელი",
    "დაბადების თარიღი",
    "anul nasterii",
    "data nasterii",
    "rok urodzenia",
    "data urodzenia",
    "geburtsjahr",
    "geburtsdatum",
];
const AGE_BAND: &[&str] =
    &["age", "age group", "вік", "вікова група", "возраст", "ასაკი", "varsta", "wiek", "alter", "altersgruppe"];
const PARTICIPANT_TYPE: &[&str] = &[
    "participant type",
    "type of participant",
    "participant category",
    // Registration questions ask it as a question.
    "you represent",
    "i represent",
    "best describes you",
    "ви представляєте",
    "вы представляете",
    "тип учасника",
    "категорія учасника",
    "тип участника",
    "категория участника",
    "მონაწილის ტიპი",
    "tip participant",
    "tipul participantului",
    "typ uczestnika",
    "teilnehmertyp",
];
const ROLE: &[&str] = &["role", "роль", "rola", "rol", "rolul", "როლი", "rolle", "ruolo", "papel"];
/// Includes the "Attended" column of Zoom webinar reports as Zoom translates it.
const STATUS: &[&str] = &[
    "attended",
    "status",
    "статус",
    "attendance",
    "присутн*",
    "присутств*",
    "obecn*",
    "prezen*",
    "явка",
    "დასწრება",
    "teilgenommen",
    "a participe",
    "asistio",
    "ha partecipato",
    "participou",
    "a participat",
    "участвовал*",
    "uczestniczyl*",
];
/// Full-name headers that cannot be a first or last name alone (checked before those).
const FULL_NAME: &[&str] = &[
    "full name",
    "user name",
    "display name",
    "original name",
    "participant name",
    "attendee name",
    "name surname",
    "піб",
    "п і б",
    "фио",
    "ф и о",
    "ім'я та прізвище",
    "ім'я і прізвище",
    "прізвище та ім'я",
    "прізвище і ім'я",
    "прізвище ім'я",
    "імя прізвище",
    "имя и фамилия",
    "фамилия и имя",
    "фамилия имя",
    "имя фамилия",
    "imie i nazwisko",
    "nazwisko i imie",
    "imie nazwisko",
    "nume si prenume",
    "numele si prenumele",
    "nume prenume",
    "numele complet",
    "სახელი და გვარი",
    "სახელი გვარი",
    "გვარი სახელი",
    "სახელი გვარი",
    "настоящее имя",
    "справжнє ім'я",
    "nome originale",
    "nombre original",
    "nom d'origine",
    "ursprunglicher name",
    "vor und nachname",
    "nombre completo",
    "nome completo",
    "полное имя",
    "повне ім'я",
    "имя пользователя",
    "исходное имя",
    "ім'я користувача",
    "оригінальне ім'я",
    "benutzername",
    "nom d'utilisateur",
    "nombre de usuario",
    "nazwa uzytkownika",
    "oryginalna nazwa",
    "nazwa oryginalna",
    "nome original",
];
const FIRST_NAME: &[&str] = &[
    "first name",
    "firstname",
    "given name",
    "forename",
    "ім'я",
    "імя",
    "имя",
    "imie",
    "prenume*",
    "სახელი",
    "vorname",
    "prenom",
    "nome",
    "nombre",
];
const LAST_NAME: &[&str] = &[
    "last name",
    "lastname",
    "surname",
    "family name",
    "прізвище",
    "фамилия",
    "nazwisko",
    "nume",
    "numele",
    "გვარი",
    "nachname",
    "cognome",
    "apellido*",
    "nom de famille",
];
/// One-word headers that mean the family name when a first-name column stands beside them.
const BARE_NAME: &[&str] = &["name", "nom", "nombre", "nome"];

/// Headers that can only mean "the person", tried last.
const NAME: &[&str] = &[
    "name",
    "names",
    "participant*",
    "attendee*",
    "учасни*",
    "участни*",
    "uczestni*",
    "მონაწილე*",
    "nom",
    "person",
    "nazwa",
];

struct Dictionary {
    ignore: Vec<Vec<String>>,
    fields: Vec<(Field, Vec<Vec<String>>)>,
    full: Vec<Vec<String>>,
    first: Vec<Vec<String>>,
    last: Vec<Vec<String>>,
    name: Vec<Vec<String>>,
}

fn dictionary() -> &'static Dictionary {
    static DICT: OnceLock<Dictionary> = OnceLock::new();
    DICT.get_or_init(|| {
        let phrases = |list: &[&str]| list.iter().map(|p| tokens(p)).collect::<Vec<_>>();
        Dictionary {
            ignore: phrases(IGNORE),
            fields: vec![
                (Field::Email, phrases(EMAIL)),
                (Field::Join, phrases(JOIN)),
                (Field::Leave, phrases(LEAVE)),
                (Field::Minutes, phrases(MINUTES)),
                (Field::Organisation, phrases(ORGANISATION)),
                (Field::Country, phrases(COUNTRY)),
                (Field::Gender, phrases(GENDER)),
                (Field::Role, phrases(ROLE)),
                (Field::Status, phrases(STATUS)),
                (Field::BirthYear, phrases(BIRTH_YEAR)),
                (Field::AgeBand, phrases(AGE_BAND)),
                (Field::ParticipantType, phrases(PARTICIPANT_TYPE)),
            ],
            full: phrases(FULL_NAME),
            first: phrases(FIRST_NAME),
            last: phrases(LAST_NAME),
            name: phrases(NAME),
        }
    })
}

/// The folded words of a header, split at anything that is not a letter, digit or apostrophe.
pub(crate) fn tokens(s: &str) -> Vec<String> {
    text::fold(s)
        .split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '*'))
        .filter(|t| !t.is_empty())
        .map(str::to_string)
        .collect()
}

fn word_matches(pattern: &str, word: &str) -> bool {
    match pattern.strip_suffix('*') {
        Some(prefix) => word.starts_with(prefix),
        None => pattern == word,
    }
}

/// True when the words of `phrase` appear in `words` one after the other.
fn has_phrase(words: &[String], phrase: &[String]) -> bool {
    !phrase.is_empty()
        && words.windows(phrase.len()).any(|w| w.iter().zip(phrase).all(|(word, p)| word_matches(p, word)))
}

fn any(words: &[String], phrases: &[Vec<String>]) -> bool {
    phrases.iter().any(|p| has_phrase(words, p))
}

/// What a header cell means, if anything.
pub(crate) fn classify(header: &str) -> Option<Field> {
    let words = tokens(header);
    if words.is_empty() {
        return None;
    }
    let d = dictionary();
    if any(&words, &d.ignore) {
        return None;
    }
    if let Some((field, _)) = d.fields.iter().find(|(_, phrases)| any(&words, phrases)) {
        return Some(*field);
    }
    if any(&words, &d.full) {
        return Some(Field::Name);
    }
    match (any(&words, &d.first), any(&words, &d.last)) {
        (true, true) => Some(Field::Name),
        (true, false) => Some(Field::FirstName),
        (false, true) => Some(Field::LastName),
        (false, false) => any(&words, &d.name).then_some(Field::Name),
    }
}

/// True when the header words contain `phrase` (for the few format-specific columns parsers look for).
pub(crate) fn header_has(header: &str, phrase: &str) -> bool {
    has_phrase(&tokens(header), &tokens(phrase))
}

/// Column indexes of a header row: the first column of each meaning.
#[derive(Debug, Clone, Default)]
pub(crate) struct Columns {
    pub index: BTreeMap<Field, usize>,
}

impl Columns {
    pub fn from_header<'a>(cells: impl IntoIterator<Item = &'a str>) -> Columns {
        let cells: Vec<&str> = cells.into_iter().collect();
        let mut index = BTreeMap::new();
        for (i, cell) in cells.iter().enumerate() {
            if let Some(field) = classify(cell) {
                index.entry(field).or_insert(i);
            }
        }
        // French "Prénom, Nom" (and the same pattern elsewhere): a bare "Name" beside a first-name column
        // and no last-name column is the family name, else the first name would be lost.
        if let (Some(&i), true, false) =
            (index.get(&Field::Name), index.contains_key(&Field::FirstName), index.contains_key(&Field::LastName))
        {
            if cells.get(i).is_some_and(|h| matches!(tokens(h).as_slice(), [w] if BARE_NAME.contains(&w.as_str()))) {
                index.remove(&Field::Name);
                index.insert(Field::LastName, i);
            }
        }
        Columns { index }
    }

    pub fn get(&self, field: Field) -> Option<usize> {
        self.index.get(&field).copied()
    }

    pub fn has(&self, field: Field) -> bool {
        self.index.contains_key(&field)
    }

    /// Whether the columns say who each row is.
    pub fn identifies_people(&self) -> bool {
        [Field::Name, Field::FirstName, Field::LastName, Field::Email].iter().any(|f| self.has(*f))
    }
}

/// Which column of a generic sheet holds which field: `{"headers": [...], "fields": {"name": 0, ...}}`
/// with zero-based column indexes.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Mapping {
    pub headers: Vec<String>,
    pub fields: BTreeMap<Field, usize>,
}

/// Where the mapping of a generic sheet came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MappingSource {
    /// Passed in `ImportOptions::mapping`.
    Given,
    /// Confirmed by an earlier import of a sheet with the same header row.
    Remembered,
    /// Guessed from the header names.
    Guessed,
}

/// The settings key under which a confirmed mapping is remembered: a hash of the folded header row, so
/// the same headers in another case or spacing find it again.
fn settings_key(headers: &[String]) -> String {
    let folded: Vec<String> = headers.iter().map(|h| text::fold(h)).collect();
    let digest = Sha256::digest(folded.join("\u{1f}").as_bytes());
    format!("import.mapping.{}", &crate::text::hex(&digest)[..32])
}

#[derive(Serialize, Deserialize)]
struct Remembered {
    fields: BTreeMap<Field, usize>,
}

/// The mapping of a generic sheet: the one given, else the one remembered for its header row, else a
/// guess from the header names. A sheet whose columns cannot be guessed is a Parse error.
pub(crate) fn mapping_for(
    conn: &Connection,
    file: &str,
    headers: &[String],
    header_line: u64,
    given: Option<&Mapping>,
) -> Result<(Mapping, MappingSource)> {
    let headers = headers.to_vec();
    if let Some(m) = given {
        let mapping = Mapping { headers, fields: m.fields.clone() };
        check(&mapping)?;
        return Ok((mapping, MappingSource::Given));
    }
    let stored: Option<String> = conn
        .query_row("SELECT value FROM settings WHERE key = ?1", [settings_key(&headers)], |r| r.get(0))
        .optional()?;
    if let Some(r) = stored.and_then(|v| serde_json::from_str::<Remembered>(&v).ok()) {
        let mapping = Mapping { headers: headers.clone(), fields: r.fields };
        if check(&mapping).is_ok() {
            return Ok((mapping, MappingSource::Remembered));
        }
    }
    let columns = Columns::from_header(headers.iter().map(String::as_str));
    if !columns.identifies_people() {
        return Err(Error::parse(
            file,
            Some(header_line),
            None,
            format!(
                "no column with people's names or emails was recognised among the {} columns of the header row; \
                 choose the columns by hand (generic format with a column mapping)",
                headers.len()
            ),
        ));
    }
    Ok((Mapping { headers, fields: columns.index }, MappingSource::Guessed))
}

/// A mapping must name who each row is and point at columns that exist.
pub(crate) fn check(m: &Mapping) -> Result<()> {
    if let Some((field, &i)) = m.fields.iter().find(|(_, &i)| i >= m.headers.len().max(1)) {
        return Err(Error::invalid(
            "mapping",
            format!("the {} column is number {} but the sheet has {} columns", field.as_str(), i + 1, m.headers.len()),
        ));
    }
    if ![Field::Name, Field::FirstName, Field::LastName, Field::Email].iter().any(|f| m.fields.contains_key(f)) {
        return Err(Error::invalid("mapping", "the mapping needs a name, first name, last name or email column"));
    }
    Ok(())
}

/// Remembers a mapping the coordinator confirmed (by importing with it) for sheets with the same headers.
pub(crate) fn remember(conn: &Connection, m: &Mapping) -> Result<()> {
    let value = serde_json::to_string(&Remembered { fields: m.fields.clone() })
        .map_err(|e| Error::invalid("mapping", e.to_string()))?;
    conn.execute(
        "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        params![settings_key(&m.headers), value],
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_in_many_languages_are_understood() {
        let cases = [
            ("Name (Original Name)", Some(Field::Name)),
            ("User Email", Some(Field::Email)),
            ("Join Time", Some(Field::Join)),
            ("Leave Time", Some(Field::Leave)),
            ("Duration (Minutes)", Some(Field::Minutes)),
            ("Time in Session (minutes)", Some(Field::Minutes)),
            ("Country/Region Name", Some(Field::Country)),
            ("Participant ID (UPN)", None),
            ("Guest", None),
            ("First Join", Some(Field::Join)),
            ("Last Leave", Some(Field::Leave)),
            ("In-Meeting Duration", Some(Field::Minutes)),
            ("Time joined", Some(Field::Join)),
            ("Time exited", Some(Field::Leave)),
            ("First name", Some(Field::FirstName)),
            ("Last name", Some(Field::LastName)),
            ("ПІБ", Some(Field::Name)),
            ("Ім'я", Some(Field::FirstName)),
            ("Ім’я та прізвище", Some(Field::Name)),
            ("Прізвище", Some(Field::LastName)),
            ("Електронна пошта", Some(Field::Email)),
            ("Адреса електронної пошти", Some(Field::Email)),
            ("Організація", Some(Field::Organisation)),
            ("Країна", Some(Field::Country)),
            ("Стать", Some(Field::Gender)),
            ("ФИО", Some(Field::Name)),
            ("Фамилия", Some(Field::LastName)),
            ("Эл. почта", Some(Field::Email)),
            ("Nume", Some(Field::LastName)),
            ("Prenume", Some(Field::FirstName)),
            ("Nume și prenume", Some(Field::Name)),
            ("E-mail", Some(Field::Email)),
            ("Organizația", Some(Field::Organisation)),
            ("Imię i nazwisko", Some(Field::Name)),
            ("Płeć", Some(Field::Gender)),
            ("Adres e-mail", Some(Field::Email)),
            ("სახელი და გვარი", Some(Field::Name)),
            ("ელ. ფოსტა", Some(Field::Email)),
            ("ორგანიზაცია", Some(Field::Organisation)),
            ("Nome (nome originale)", Some(Field::Name)),
            ("Ora di ingresso", Some(Field::Join)),
            ("Approval Status", None),
            // Teams participants headers in German, French, Spanish, Polish, Romanian, Ukrainian, Russian.
            ("Erster Beitritt", Some(Field::Join)),
            ("Letztes Verlassen", Some(Field::Leave)),
            ("Dauer in der Besprechung", Some(Field::Minutes)),
            ("Teilnehmer-ID (UPN)", None),
            ("Rolle", Some(Field::Role)),
            ("Première connexion", Some(Field::Join)),
            ("Dernier départ", Some(Field::Leave)),
            ("Durée de la réunion", Some(Field::Minutes)),
            ("Rôle", Some(Field::Role)),
            ("Primera unión", Some(Field::Join)),
            ("Última salida", Some(Field::Leave)),
            ("Duración de la reunión", Some(Field::Minutes)),
            ("Pierwsze dołączenie", Some(Field::Join)),
            ("Ostatnie opuszczenie", Some(Field::Leave)),
            ("Prima asociere", Some(Field::Join)),
            ("Ultima părăsire", Some(Field::Leave)),
            ("Перше приєднання", Some(Field::Join)),
            ("Останній вихід", Some(Field::Leave)),
            ("Тривалість наради", Some(Field::Minutes)),
            ("Ідентифікатор учасника (UPN)", None),
            ("Первое присоединение", Some(Field::Join)),
            ("Длительность собрания", Some(Field::Minutes)),
            ("Полное имя", Some(Field::Name)),
            ("Zeitstempel", None),
            // Zoom webinar headers in German.
            ("Teilgenommen", Some(Field::Status)),
            ("Benutzername (ursprünglicher Name)", Some(Field::Name)),
            ("Zeit in der Sitzung (Minuten)", Some(Field::Minutes)),
            ("Land/Region", Some(Field::Country)),
            ("Attended", Some(Field::Status)),
            ("№", None),
            ("Підпис", None),
        ];
        for (header, expected) in cases {
            assert_eq!(classify(header), expected, "{header}");
        }
    }

    #[test]
    fn a_bare_name_beside_a_first_name_is_the_family_name() {
        let c = Columns::from_header(["Prénom", "Nom", "E-mail"]);
        assert_eq!((c.get(Field::FirstName), c.get(Field::LastName), c.get(Field::Name)), (Some(0), Some(1), None));
        let c = Columns::from_header(["Name", "E-mail"]);
        assert_eq!(c.get(Field::Name), Some(0));
        let c = Columns::from_header(["Participant name", "First name"]);
        assert_eq!(c.get(Field::Name), Some(0));
    }
}
