//! Gender as categories (woman, man, non-binary, self-described with its text, prefers not to say, not
//! stated), and the mapping of the words people write to them, case- and accent-blind in English,
//! Ukrainian, Russian, Georgian, Romanian, Polish and German.
//!
//! The mapping is data: the built-in [`SPELLINGS`] table, plus the spellings a coordinator mapped
//! (`gender_spellings`, written by [`map_spelling`]), which win over the built-in ones. Every path that
//! writes a gender (forms, CLI, import, paste, partners' bundles, the migration) goes through [`parse`] or
//! [`resolve`], so `people.gender` holds only category codes (NULL for not stated), and `gender_text`
//! keeps the words as given, so an answer is never lost.

use std::collections::HashMap;
use std::sync::OnceLock;

use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

use crate::db;
use crate::error::{Error, Result};
use crate::text;

/// The categories, in the order reports show them. `not_stated` is stored as NULL.
pub const CATEGORIES: &[&str] = &["woman", "man", "non_binary", "self_described", "prefers_not_to_say", "not_stated"];
pub const WOMAN: &str = "woman";
pub const MAN: &str = "man";
pub const NON_BINARY: &str = "non_binary";
pub const SELF_DESCRIBED: &str = "self_described";
pub const PREFERS_NOT_TO_SAY: &str = "prefers_not_to_say";
pub const NOT_STATED: &str = "not_stated";

/// What to show for a category code (English; the window translates the codes itself).
pub fn label(category: &str) -> &'static str {
    match category {
        WOMAN => "woman",
        MAN => "man",
        NON_BINARY => "non-binary",
        SELF_DESCRIBED => "self-described",
        PREFERS_NOT_TO_SAY => "prefers not to say",
        _ => "not stated",
    }
}

/// Built-in spellings and their category. Matched after [`key`] (folded, trailing dots and spaces gone),
/// so "Жінка", "ЖІНКА" and "жінка" are one entry, and so are "Kobieta" and "kobieta". Single letters are
/// the ones forms actually use (F/M, Ж/Ч/М, K for "kobieta", W for "weiblich", B for "bărbat").
pub const SPELLINGS: &[(&str, &str)] = &[
    // The codes themselves and their labels.
    ("woman", WOMAN),
    ("man", MAN),
    ("non_binary", NON_BINARY),
    ("self_described", SELF_DESCRIBED),
    ("prefers_not_to_say", PREFERS_NOT_TO_SAY),
    ("not_stated", NOT_STATED),
    ("self-described", SELF_DESCRIBED),
    // English
    ("f", WOMAN),
    ("female", WOMAN),
    ("women", WOMAN),
    ("fem", WOMAN),
    ("girl", WOMAN),
    ("m", MAN),
    ("male", MAN),
    ("men", MAN),
    ("boy", MAN),
    ("non-binary", NON_BINARY),
    ("nonbinary", NON_BINARY),
    ("non binary", NON_BINARY),
    ("nb", NON_BINARY),
    ("enby", NON_BINARY),
    ("genderqueer", NON_BINARY),
    ("prefer not to say", PREFERS_NOT_TO_SAY),
    ("prefers not to say", PREFERS_NOT_TO_SAY),
    ("rather not say", PREFERS_NOT_TO_SAY),
    ("prefer not to answer", PREFERS_NOT_TO_SAY),
    ("not stated", NOT_STATED),
    ("unknown", NOT_STATED),
    ("n/a", NOT_STATED),
    ("na", NOT_STATED),
    ("-", NOT_STATED),
    ("?", NOT_STATED),
    // Ukrainian
    ("жінка", WOMAN),
    ("жіноча", WOMAN),
    ("жіноча стать", WOMAN),
    ("жін", WOMAN),
    ("ж", WOMAN),
    ("чоловік", MAN),
    ("чоловіча", MAN),
    ("чоловіча стать", MAN),
    ("чол", MAN),
    ("ч", MAN),
    ("небінарна особа", NON_BINARY),
    ("небінарна", NON_BINARY),
    ("небінарний", NON_BINARY),
    ("не хочу вказувати", PREFERS_NOT_TO_SAY),
    ("не бажаю вказувати", PREFERS_NOT_TO_SAY),
    ("волію не вказувати", PREFERS_NOT_TO_SAY),
    ("не вказано", NOT_STATED),
    ("невідомо", NOT_STATED),
    // Russian
    ("женщина", WOMAN),
    ("женский", WOMAN),
    ("женская", WOMAN),
    ("жен", WOMAN),
    ("мужчина", MAN),
    ("мужской", MAN),
    ("муж", MAN),
    ("м", MAN),
    ("небинарный", NON_BINARY),
    ("небинарная", NON_BINARY),
    ("небинарная персона", NON_BINARY),
    ("предпочитаю не указывать", PREFERS_NOT_TO_SAY),
    ("не хочу указывать", PREFERS_NOT_TO_SAY),
    ("не указано", NOT_STATED),
    ("неизвестно", NOT_STATED),
    // Georgian
    ("ქალი", WOMAN),
    ("მდედრობითი", WOMAN),
    ("კაცი", MAN),
    ("მამაკაცი", MAN),
    ("მამრობითი", MAN),
    ("არაბინარული", NON_BINARY),
    ("არ მსურს პასუხი", PREFERS_NOT_TO_SAY),
    ("არ მსურს მითითება", PREFERS_NOT_TO_SAY),
    ("უცნობია", NOT_STATED),
    // Romanian
    ("femeie", WOMAN),
    ("feminin", WOMAN),
    ("bărbat", MAN),
    ("masculin", MAN),
    ("b", MAN),
    ("non-binar", NON_BINARY),
    ("nonbinar", NON_BINARY),
    ("prefer să nu spun", PREFERS_NOT_TO_SAY),
    ("prefer să nu răspund", PREFERS_NOT_TO_SAY),
    ("nespecificat", NOT_STATED),
    ("necunoscut", NOT_STATED),
    // Polish
    ("kobieta", WOMAN),
    ("żeńska", WOMAN),
    ("k", WOMAN),
    ("mężczyzna", MAN),
    ("męska", MAN),
    ("niebinarna", NON_BINARY),
    ("niebinarny", NON_BINARY),
    ("osoba niebinarna", NON_BINARY),
    ("wolę nie podawać", PREFERS_NOT_TO_SAY),
    ("wolę nie mówić", PREFERS_NOT_TO_SAY),
    ("nie podano", NOT_STATED),
    ("brak", NOT_STATED),
    // German
    ("weiblich", WOMAN),
    ("frau", WOMAN),
    ("w", WOMAN),
    ("männlich", MAN),
    ("mann", MAN),
    ("nichtbinär", NON_BINARY),
    ("nicht-binär", NON_BINARY),
    ("nicht binär", NON_BINARY),
    ("divers", NON_BINARY),
    ("keine angabe", PREFERS_NOT_TO_SAY),
    ("möchte ich nicht sagen", PREFERS_NOT_TO_SAY),
    ("unbekannt", NOT_STATED),
];

/// The matching key of a spelling: folded (case, accents, apostrophes, spaces), trailing dots gone ("жін."
/// is "жін").
pub fn key(spelling: &str) -> String {
    text::fold(spelling).trim_end_matches(['.', ' ']).trim_start().to_string()
}

fn builtin() -> &'static HashMap<String, &'static str> {
    static TABLE: OnceLock<HashMap<String, &'static str>> = OnceLock::new();
    TABLE.get_or_init(|| SPELLINGS.iter().map(|(s, c)| (key(s), *c)).collect())
}

/// A gender as stored: the category code (None: not stated) and the words as given.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Gender {
    pub category: Option<String>,
    pub text: Option<String>,
}

/// The category of a spelling by the built-in table alone (None when it has no entry).
pub fn builtin_category(spelling: &str) -> Option<&'static str> {
    builtin().get(&key(spelling)).copied()
}

/// Maps what someone wrote to a gender: blank is not stated; a known spelling (the coordinator's
/// mappings first, then the built-in table) is its category, with the words kept as `text`; anything
/// else is self-described with the words as its text.
pub fn parse(conn: &Connection, spelling: Option<&str>) -> Result<Gender> {
    let Some(words) = crate::validate::optional("gender", spelling)? else { return Ok(Gender::default()) };
    let k = key(&words);
    let mapped: Option<String> = conn
        .prepare_cached("SELECT category FROM gender_spellings WHERE spelling_key = ?1")?
        .query_row([&k], |r| r.get(0))
        .optional()?;
    let category = mapped.or_else(|| builtin().get(&k).map(|c| c.to_string()));
    // The code itself ("woman", as partners' bundles send it) or its label says nothing more: no text.
    if let Some(c) = category.as_deref() {
        if k == c || k == key(label(c)) {
            return Ok(Gender { category: (c != NOT_STATED).then(|| c.to_string()), text: None });
        }
    }
    Ok(match category.as_deref() {
        Some(NOT_STATED) => Gender { category: None, text: Some(words) },
        Some(c) => Gender { category: Some(c.to_string()), text: Some(words) },
        None => Gender { category: Some(SELF_DESCRIBED.into()), text: Some(words) },
    })
}

/// The gender of a form or the CLI: a category code given with an optional text (required for
/// self-described), or, with no category, whatever words were typed, mapped by [`parse`].
pub fn resolve(conn: &Connection, category: Option<&str>, words: Option<&str>) -> Result<Gender> {
    let words = crate::validate::optional("gender_text", words)?;
    match text::clean(category) {
        None => parse(conn, words.as_deref()),
        Some(c) => {
            let code = category_code(&c)?;
            if code == SELF_DESCRIBED && words.is_none() {
                return Err(Error::invalid("gender_text", "a self-described gender needs its text"));
            }
            Ok(Gender { category: (code != NOT_STATED).then(|| code.to_string()), text: words })
        }
    }
}

/// Checks a category code (as in [`CATEGORIES`]; "non-binary" and other labels are accepted too).
pub fn category_code(value: &str) -> Result<&'static str> {
    let k = key(value).replace(['-', ' '], "_");
    CATEGORIES.iter().copied().find(|c| *c == k).ok_or_else(|| {
        Error::invalid("gender", format!("'{}' is not a gender category ({})", value.trim(), CATEGORIES.join(", ")))
    })
}

/// One spelling waiting for review: people recorded as self-described with these words.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReviewSpelling {
    /// The matching key (folded); pass it, or any spelling of it, to [`map_spelling`].
    pub key: String,
    /// The commonest way it is written.
    pub spelling: String,
    pub people: i64,
}

/// The "needs review" list: the self-described texts, each once (case- and accent-blind), most people
/// first. Nothing here is logged.
pub fn review(conn: &Connection) -> Result<Vec<ReviewSpelling>> {
    let mut stmt = conn.prepare(
        "SELECT gender_text, count(*) FROM people WHERE gender = 'self_described' AND gender_text IS NOT NULL
          GROUP BY gender_text",
    )?;
    let mut groups: HashMap<String, (i64, String, i64)> = HashMap::new();
    let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?;
    for row in rows {
        let (words, n) = row?;
        let g = groups.entry(key(&words)).or_insert((0, words.clone(), 0));
        g.0 += n;
        if n > g.2 || (n == g.2 && words < g.1) {
            g.1 = words;
            g.2 = n;
        }
    }
    let mut list: Vec<ReviewSpelling> =
        groups.into_iter().map(|(key, (people, spelling, _))| ReviewSpelling { key, spelling, people }).collect();
    list.sort_by(|a, b| (-a.people, &a.key).cmp(&(-b.people, &b.key)));
    Ok(list)
}

/// What [`map_spelling`] did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MapOutcome {
    pub key: String,
    pub category: String,
    /// People whose gender changed.
    pub people: usize,
}

/// Maps a spelling to a category for everyone at once: every person whose gender words match it (case-
/// and accent-blind) gets the category, their words kept; the mapping is remembered for later imports
/// and forms. One transaction.
pub fn map_spelling(conn: &mut Connection, spelling: &str, category: &str) -> Result<MapOutcome> {
    let k = key(spelling);
    if k.is_empty() {
        return Err(Error::invalid("spelling", "the spelling is empty"));
    }
    let code = category_code(category)?;
    let people = db::write(conn, |tx| {
        tx.execute(
            "INSERT INTO gender_spellings (spelling_key, category, created_at) VALUES (?1, ?2, ?3)
             ON CONFLICT (spelling_key) DO UPDATE SET category = excluded.category",
            params![k, code, db::now()],
        )?;
        let ids: Vec<i64> = {
            let mut stmt = tx.prepare("SELECT id, gender_text FROM people WHERE gender_text IS NOT NULL")?;
            let rows = stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?;
            let mut ids = Vec::new();
            for row in rows {
                let (id, words) = row?;
                if key(&words) == k {
                    ids.push(id);
                }
            }
            ids
        };
        let stored = (code != NOT_STATED).then_some(code);
        let mut update =
            tx.prepare("UPDATE people SET gender = ?2, updated_at = ?3 WHERE id = ?1 AND gender IS NOT ?2")?;
        let now = db::now();
        let mut n = 0;
        for id in ids {
            n += update.execute(params![id, stored, now])?;
        }
        Ok(n)
    })?;
    log::info!("gender spelling mapped for {people} person(s)");
    Ok(MapOutcome { key: k, category: code.to_string(), people })
}

/// The part of migration 6 that SQL cannot do: every stored gender becomes a category, its words kept in
/// `gender_text` (blank ones become not stated, with no text). Runs in the migration's transaction.
pub(crate) fn convert_existing(tx: &Connection) -> Result<usize> {
    let rows: Vec<(i64, String)> = {
        let mut stmt = tx.prepare("SELECT id, gender FROM people WHERE gender IS NOT NULL")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    let mut update = tx.prepare("UPDATE people SET gender = ?2, gender_text = ?3 WHERE id = ?1")?;
    for (id, words) in &rows {
        let words = text::clean(Some(words));
        let (category, text) = match &words {
            None => (None, None),
            Some(w) => match builtin_category(w) {
                Some(NOT_STATED) => (None, Some(w.clone())),
                Some(c) => (Some(c.to_string()), Some(w.clone())),
                None => (Some(SELF_DESCRIBED.to_string()), Some(w.clone())),
            },
        };
        update.execute(params![id, category, text])?;
    }
    log::info!("migration 6: {} gender value(s) converted to categories", rows.len());
    Ok(rows.len())
}
