//! People: participants, speakers and organisers, with names in any script, their other email
//! addresses, the "missing data" filters and bulk edit, and their consent records. Suggestions for
//! missing data live in `suggest.rs`.

mod suggest;

use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::{Deserialize, Serialize};

use crate::db::{self, Table};
use crate::error::{Error, Result};
use crate::gender;
use crate::text;
use crate::validate;

pub use suggest::{suggestions, Suggestion, SuggestionField, SuggestionQuery, SuggestionReason};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Person {
    pub id: i64,
    pub uid: String,
    pub full_name: String,
    pub email: Option<String>,
    pub organisation_id: Option<i64>,
    pub organisation_name: Option<String>,
    pub country: Option<String>,
    /// Gender category code (see `gender::CATEGORIES`); None is not stated.
    pub gender: Option<String>,
    /// The words the person gave for their gender (the text of a self-described gender, or the spelling
    /// that was mapped to the category).
    pub gender_text: Option<String>,
    pub birth_year: Option<i64>,
    /// An age band ("25-34", "65+") when only that is known.
    pub age_band: Option<String>,
    /// A participant type key ("journalist"; see `projects::participant_types`).
    pub participant_type: Option<String>,
    pub notes: String,
    pub created_at: String,
    pub updated_at: String,
    /// Events attended (computed).
    pub events_attended: i64,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct PersonInput {
    pub full_name: String,
    pub email: Option<String>,
    pub organisation_id: Option<i64>,
    pub country: Option<String>,
    /// A gender category code (`woman`, `man`, `non_binary`, `self_described`, `prefers_not_to_say`,
    /// `not_stated`), or the words as typed ("F", "жінка"), mapped by `gender::parse`.
    pub gender: Option<String>,
    /// The text of a self-described gender (with `gender` = `self_described`).
    pub gender_text: Option<String>,
    pub birth_year: Option<i64>,
    pub age_band: Option<String>,
    pub participant_type: Option<String>,
    pub notes: Option<String>,
}

/// A page of people with the total that match, for lists that page through 100,000 people.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PeoplePage {
    pub items: Vec<Person>,
    pub total: i64,
    pub offset: i64,
    pub limit: i64,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct PeopleQuery {
    /// Substring of the name or email, in any script, case- and accent-insensitive.
    pub search: Option<String>,
    pub organisation_id: Option<i64>,
    /// Only people who lack every one of these (country, gender, organisation): the lists a coordinator
    /// works through to complete "not stated" figures.
    pub missing: Vec<Missing>,
    pub offset: i64,
    /// Page size; 0 means all.
    pub limit: i64,
}

/// A field a person's record may lack (`country`, `gender` or `organisation` in JSON and on the CLI).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Missing {
    Country,
    /// No gender category (NULL: "not stated"; "prefers not to say" is an answer, not missing).
    Gender,
    Organisation,
}

impl Missing {
    pub const ALL: [Missing; 3] = [Missing::Country, Missing::Gender, Missing::Organisation];

    pub fn as_str(self) -> &'static str {
        match self {
            Missing::Country => "country",
            Missing::Gender => "gender",
            Missing::Organisation => "organisation",
        }
    }

    /// The SQL condition on `people p` (a fixed string: nothing from the caller goes into it).
    fn condition(self) -> &'static str {
        match self {
            Missing::Country => "p.country IS NULL",
            Missing::Gender => "p.gender IS NULL",
            Missing::Organisation => "p.organisation_id IS NULL",
        }
    }

    /// `country,gender` as typed on the command line.
    pub fn parse_list(text: &str) -> Result<Vec<Missing>> {
        let mut out = Vec::new();
        for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let m: Missing = part.parse()?;
            if !out.contains(&m) {
                out.push(m);
            }
        }
        Ok(out)
    }
}

impl std::str::FromStr for Missing {
    type Err = Error;

    fn from_str(s: &str) -> Result<Missing> {
        match s.trim().to_ascii_lowercase().as_str() {
            "country" => Ok(Missing::Country),
            "gender" => Ok(Missing::Gender),
            "organisation" | "organization" | "org" => Ok(Missing::Organisation),
            other => Err(Error::invalid("missing", format!("'{other}' is not country, gender or organisation"))),
        }
    }
}

#[derive(Default)]
pub(crate) struct Valid {
    pub full_name: String,
    pub email: Option<String>,
    pub country: Option<String>,
    /// Category code (None: not stated).
    pub gender: Option<String>,
    pub gender_text: Option<String>,
    pub birth_year: Option<i64>,
    pub age_band: Option<String>,
    pub participant_type: Option<String>,
    pub notes: String,
}

pub(crate) fn validate(conn: &Connection, input: &PersonInput) -> Result<Valid> {
    let g = match input.gender.as_deref().map(str::trim).filter(|g| !g.is_empty()) {
        Some(value) if gender::category_code(value).is_ok() => {
            gender::resolve(conn, Some(value), input.gender_text.as_deref())?
        }
        Some(words) => gender::parse(conn, Some(words))?,
        None => gender::resolve(conn, None, input.gender_text.as_deref())?,
    };
    Ok(Valid {
        full_name: validate::required("full_name", &input.full_name)?,
        email: validate::email("email", input.email.as_deref())?,
        country: validate::country("country", input.country.as_deref())?,
        gender: g.category,
        gender_text: g.text,
        birth_year: birth_year(input.birth_year)?,
        age_band: crate::projects::age_band_label("age_band", input.age_band.as_deref())?,
        participant_type: crate::projects::participant_type_key("participant_type", input.participant_type.as_deref())?,
        notes: validate::long("notes", input.notes.as_deref())?,
    })
}

/// A year of birth between 1900 and the current year.
pub fn birth_year(value: Option<i64>) -> Result<Option<i64>> {
    use chrono::Datelike;
    let this_year = i64::from(chrono::Utc::now().year());
    match value {
        Some(y) if !(1900..=this_year).contains(&y) => Err(Error::invalid(
            "birth_year",
            format!("the year of birth must be between 1900 and {this_year}, not {y}"),
        )),
        other => Ok(other),
    }
}

/// The folded keys stored beside a person for matching and search.
pub(crate) fn keys(full_name: &str, email: Option<&str>) -> (Option<String>, String, String) {
    let email_key = text::email_key(email);
    let name_key = text::fold(full_name);
    let search_key = match &email_key {
        Some(e) => format!("{name_key} {e}"),
        None => name_key.clone(),
    };
    (email_key, name_key, search_key)
}

const SELECT: &str =
    "SELECT p.id, p.uid, p.full_name, p.email, p.organisation_id, o.name, p.country, p.gender, p.notes,
       p.created_at, p.updated_at,
       (SELECT count(*) FROM attendance a WHERE a.person_id = p.id AND a.status = 'attended'),
       p.gender_text, p.birth_year, p.age_band, p.participant_type
  FROM people p LEFT JOIN organisations o ON o.id = p.organisation_id";

fn from_row(r: &Row) -> rusqlite::Result<Person> {
    Ok(Person {
        id: r.get(0)?,
        uid: r.get(1)?,
        full_name: r.get(2)?,
        email: r.get(3)?,
        organisation_id: r.get(4)?,
        organisation_name: r.get(5)?,
        country: r.get(6)?,
        gender: r.get(7)?,
        gender_text: r.get(12)?,
        birth_year: r.get(13)?,
        age_band: r.get(14)?,
        participant_type: r.get(15)?,
        notes: r.get(8)?,
        created_at: r.get(9)?,
        updated_at: r.get(10)?,
        events_attended: r.get(11)?,
    })
}

fn check_organisation(conn: &Connection, organisation_id: Option<i64>) -> Result<()> {
    match organisation_id {
        Some(id) => db::ensure_exists(conn, Table::Organisations, id)
            .map_err(|_| Error::invalid("organisation_id", format!("organisation {id} does not exist"))),
        None => Ok(()),
    }
}

pub fn create(conn: &Connection, input: &PersonInput) -> Result<Person> {
    let v = validate(conn, input)?;
    check_organisation(conn, input.organisation_id)?;
    let id = insert(conn, &v, input.organisation_id, &db::now())?;
    get(conn, id)
}

/// Inserts a validated person; shared with the importer so both keep the folded keys alike.
pub(crate) fn insert(conn: &Connection, v: &Valid, organisation_id: Option<i64>, now: &str) -> Result<i64> {
    let (email_key, name_key, search_key) = keys(&v.full_name, v.email.as_deref());
    conn.prepare_cached(
        "INSERT INTO people (uid, full_name, email, organisation_id, country, gender, notes, email_key, name_key,
                             search_key, created_at, updated_at, gender_text, birth_year, age_band, participant_type)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11, ?12, ?13, ?14, ?15)",
    )?
    .execute(params![
        db::new_uid(),
        v.full_name,
        v.email,
        organisation_id,
        v.country,
        v.gender,
        v.notes,
        email_key,
        name_key,
        search_key,
        now,
        v.gender_text,
        v.birth_year,
        v.age_band,
        v.participant_type
    ])?;
    Ok(conn.last_insert_rowid())
}

pub fn update(conn: &Connection, id: i64, input: &PersonInput) -> Result<Person> {
    let v = validate(conn, input)?;
    check_organisation(conn, input.organisation_id)?;
    let (email_key, name_key, search_key) = keys(&v.full_name, v.email.as_deref());
    let n = conn.execute(
        "UPDATE people SET full_name = ?2, email = ?3, organisation_id = ?4, country = ?5, gender = ?6, notes = ?7,
                email_key = ?8, name_key = ?9, search_key = ?10, updated_at = ?11, gender_text = ?12,
                birth_year = ?13, age_band = ?14, participant_type = ?15
          WHERE id = ?1",
        params![
            id,
            v.full_name,
            v.email,
            input.organisation_id,
            v.country,
            v.gender,
            v.notes,
            email_key,
            name_key,
            search_key,
            db::now(),
            v.gender_text,
            v.birth_year,
            v.age_band,
            v.participant_type
        ],
    )?;
    if n == 0 {
        return Err(Error::not_found("person", id));
    }
    get(conn, id)
}

/// The input that recreates a person as they are, for changing a few fields.
pub fn input_of(p: &Person) -> PersonInput {
    PersonInput {
        full_name: p.full_name.clone(),
        email: p.email.clone(),
        organisation_id: p.organisation_id,
        country: p.country.clone(),
        gender: Some(p.gender.clone().unwrap_or_else(|| gender::NOT_STATED.to_string())),
        gender_text: p.gender_text.clone(),
        birth_year: p.birth_year,
        age_band: p.age_band.clone(),
        participant_type: p.participant_type.clone(),
        notes: Some(p.notes.clone()),
    }
}

pub fn get(conn: &Connection, id: i64) -> Result<Person> {
    conn.query_row(&format!("{SELECT} WHERE p.id = ?1"), [id], from_row)
        .optional()?
        .ok_or_else(|| Error::not_found("person", id))
}

/// The people of `ids` (unknown ids left out), sorted by name, a page at a time (`limit` 0: all).
pub fn by_ids(conn: &Connection, ids: &[i64], offset: i64, limit: i64) -> Result<Vec<Person>> {
    let ids = serde_json::to_string(ids).map_err(|e| Error::invalid("ids", e.to_string()))?;
    let limit = if limit <= 0 { -1 } else { limit };
    let mut stmt = conn.prepare(&format!(
        "{SELECT} WHERE p.id IN (SELECT value FROM json_each(?1)) ORDER BY p.name_key, p.id LIMIT ?2 OFFSET ?3"
    ))?;
    let rows = stmt.query_map(params![ids, limit, offset.max(0)], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The FTS5 query for a folded search text: one quoted phrase, so punctuation in the text is literal.
fn fts_phrase(folded: &str) -> String {
    format!("\"{}\"", folded.replace('"', "\"\""))
}

/// People sorted by name, filtered and paged. Search looks for the text anywhere in the name or email
/// (the other email addresses of `person_emails` included); from three characters on it uses the trigram
/// index, shorter texts scan the folded keys.
pub fn list(conn: &Connection, q: &PeopleQuery) -> Result<PeoplePage> {
    let search = q.search.as_deref().map(text::fold).filter(|s| !s.is_empty());
    let limit = if q.limit <= 0 { -1 } else { q.limit.min(10_000) };
    let offset = q.offset.max(0);
    // Other addresses are few (one per decision of an import review): a scan of them is cheap.
    const OTHER: &str = "p.id IN (SELECT person_id FROM person_emails WHERE instr(email_key, ?5) > 0)";
    let (filter, needle) = match &search {
        Some(s) if s.chars().count() >= 3 => (
            format!("(p.id IN (SELECT rowid FROM people_fts WHERE people_fts MATCH ?1) OR {OTHER})"),
            Some(fts_phrase(s)),
        ),
        Some(s) => (format!("(instr(p.search_key, ?1) > 0 OR {OTHER})"), Some(s.clone())),
        None => ("?1 IS NULL AND ?5 IS NULL".to_string(), None),
    };
    let mut missing = q.missing.clone();
    missing.sort();
    missing.dedup();
    let missing: String = missing.iter().map(|m| format!(" AND {}", m.condition())).collect();
    let where_clause = format!("WHERE {filter} AND (?2 IS NULL OR p.organisation_id = ?2){missing}");
    // A search of the whole list is counted in the trigram index alone, without visiting the people
    // table: four times faster for a common name (see `make bench`). People found only by another
    // address are added by a second, small count.
    let count_sql = match (&search, q.organisation_id) {
        (Some(s), None) if s.chars().count() >= 3 && missing.is_empty() => {
            "SELECT (SELECT count(*) FROM people_fts WHERE people_fts MATCH ?1 AND ?2 IS NULL)
                  + (SELECT count(DISTINCT person_id) FROM person_emails
                      WHERE instr(email_key, ?5) > 0
                        AND person_id NOT IN (SELECT rowid FROM people_fts WHERE people_fts MATCH ?1))"
                .to_string()
        }
        _ => format!("SELECT count(*) FROM people p {where_clause}"),
    };
    let total: i64 =
        conn.query_row(&count_sql, params![needle, q.organisation_id, None::<i64>, None::<i64>, search], |r| r.get(0))?;
    // The page's ids are chosen first, so the per-person figures (events attended) are computed for the
    // rows shown, not for every match.
    let mut stmt = conn.prepare(&format!(
        "{SELECT} WHERE p.id IN (SELECT p.id FROM people p {where_clause} ORDER BY p.name_key, p.id LIMIT ?3 OFFSET ?4)
          ORDER BY p.name_key, p.id"
    ))?;
    let items = stmt
        .query_map(params![needle, q.organisation_id, limit, offset, search], from_row)?
        .collect::<rusqlite::Result<_>>()?;
    Ok(PeoplePage { items, total, offset, limit: limit.max(0) })
}

/// Another email address of a person: kept from a decision in an import review (`source: "import"`) or
/// from a merged record (`"merge"`), so reports with it match the person by email.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OtherEmail {
    pub email: String,
    pub source: String,
    pub import_id: Option<i64>,
    pub created_at: String,
}

/// A person's other email addresses, oldest first.
pub fn other_emails(conn: &Connection, person_id: i64) -> Result<Vec<OtherEmail>> {
    let mut stmt = conn.prepare_cached(
        "SELECT email, source, import_id, created_at FROM person_emails WHERE person_id = ?1 ORDER BY id",
    )?;
    let rows = stmt.query_map([person_id], |r| {
        Ok(OtherEmail { email: r.get(0)?, source: r.get(1)?, import_id: r.get(2)?, created_at: r.get(3)? })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Keeps `email` as another address of the person, unless it is their own or already kept (for anyone:
/// an address belongs to one person). Returns whether it was added. Inside the caller's transaction.
pub(crate) fn keep_email(
    conn: &Connection,
    person_id: i64,
    email: &str,
    source: &str,
    import_id: Option<i64>,
) -> Result<bool> {
    let Some(key) = text::email_key(Some(email)) else { return Ok(false) };
    let own: Option<Option<String>> = conn
        .prepare_cached("SELECT email_key FROM people WHERE id = ?1")?
        .query_row([person_id], |r| r.get(0))
        .optional()?;
    match own {
        None => return Err(Error::not_found("person", person_id)),
        Some(Some(k)) if k == key => return Ok(false),
        Some(_) => {}
    }
    let n = conn
        .prepare_cached(
            "INSERT OR IGNORE INTO person_emails (uid, person_id, email, email_key, source, import_id, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )?
        .execute(params![db::new_uid(), person_id, email.trim(), key, source, import_id, db::now()])?;
    Ok(n > 0)
}

/// What to set for many people at once; fields left out (null) are not changed.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct BulkUpdate {
    pub ids: Vec<i64>,
    /// A two-letter country code.
    pub country: Option<String>,
    /// A gender category code or words, read as in a single edit (`not_stated` clears it).
    pub gender: Option<String>,
    /// The text of a self-described gender (with `gender` = `self_described`).
    pub gender_text: Option<String>,
    pub organisation_id: Option<i64>,
}

/// What a bulk edit changed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BulkSummary {
    /// People whose record was written (all the ids given).
    pub updated: usize,
    /// The fields set (`country`, `gender`, `organisation`).
    pub fields: Vec<String>,
}

/// At most this many people in one bulk edit (the window sends a page or a filtered list).
pub const BULK_LIMIT: usize = 100_000;

/// Sets country, gender and/or organisation for every person of `input.ids` in one transaction: all of
/// them or none (an unknown id refuses the whole edit). Values are validated as in a single edit, and
/// each change is recorded for partners like a single edit (the `site_changes` triggers of migration 5).
pub fn bulk_update(conn: &mut Connection, input: &BulkUpdate) -> Result<BulkSummary> {
    let mut ids = input.ids.clone();
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() {
        return Err(Error::invalid("ids", "choose at least one person"));
    }
    if ids.len() > BULK_LIMIT {
        return Err(Error::invalid("ids", format!("at most {BULK_LIMIT} people can be edited at once")));
    }
    if let Some(bad) = ids.iter().find(|id| **id <= 0) {
        return Err(Error::invalid("ids", format!("{bad} is not a person id")));
    }
    let country = match input.country.as_deref() {
        Some(c) => Some(
            validate::country("country", Some(c))?
                .ok_or_else(|| Error::invalid("country", "give a two-letter country code"))?,
        ),
        None => None,
    };
    let gender = match input.gender.as_deref().map(str::trim).filter(|g| !g.is_empty()) {
        Some(value) if gender::category_code(value).is_ok() => {
            Some(gender::resolve(conn, Some(value), input.gender_text.as_deref())?)
        }
        Some(words) => Some(gender::parse(conn, Some(words))?),
        None => None,
    };
    check_organisation(conn, input.organisation_id)?;
    let (category, words) = match gender {
        Some(g) => (Some(g.category), g.text),
        None => (None, None),
    };
    // Only the fields given are in the statement: the partners' change log records the columns an
    // update names, so an untouched field must not be named.
    let mut sets = Vec::new();
    let mut values: Vec<&dyn rusqlite::ToSql> = Vec::new();
    let mut fields = Vec::new();
    if let Some(c) = &country {
        values.push(c);
        sets.push(format!("country = ?{}", values.len() + 2));
        fields.push("country".to_string());
    }
    if let Some(c) = &category {
        values.push(c);
        sets.push(format!("gender = ?{}", values.len() + 2));
        values.push(&words);
        sets.push(format!("gender_text = ?{}", values.len() + 2));
        fields.push("gender".to_string());
    }
    if let Some(o) = &input.organisation_id {
        values.push(o);
        sets.push(format!("organisation_id = ?{}", values.len() + 2));
        fields.push("organisation".to_string());
    }
    if sets.is_empty() {
        return Err(Error::invalid("fields", "give a country, a gender or an organisation to set"));
    }
    let sql = format!("UPDATE people SET {}, updated_at = ?2 WHERE id = ?1", sets.join(", "));
    let updated = db::write(conn, |tx| {
        let now = db::now();
        let mut stmt = tx.prepare(&sql)?;
        for &id in &ids {
            let mut all: Vec<&dyn rusqlite::ToSql> = vec![&id, &now];
            all.extend(values.iter().copied());
            let n = stmt.execute(all.as_slice())?;
            if n == 0 {
                return Err(Error::not_found("person", id));
            }
        }
        Ok(ids.len())
    })?;
    log::info!("bulk edit of {updated} people: {}", fields.join(", "));
    Ok(BulkSummary { updated, fields })
}

/// Deletes a person with their attendance and consent records; unless `cascade` is set, a person with
/// attendance is refused with a Conflict so the UI can ask first.
pub fn delete(conn: &mut Connection, id: i64, cascade: bool) -> Result<()> {
    db::ensure_exists(conn, Table::People, id)?;
    let attendance: i64 = conn.query_row("SELECT count(*) FROM attendance WHERE person_id = ?1", [id], |r| r.get(0))?;
    if !cascade && attendance > 0 {
        return Err(Error::conflict(format!(
            "this person has {attendance} attendance record(s); deleting the person deletes them too"
        )));
    }
    db::write(conn, |tx| {
        tx.execute("DELETE FROM people WHERE id = ?1", [id])?;
        Ok(())
    })
}

/// A consent record: what the person agreed to, when and how, and whether it was withdrawn.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Consent {
    pub id: i64,
    pub uid: String,
    pub person_id: i64,
    pub purpose: String,
    pub given_on: String,
    pub method: Option<String>,
    pub withdrawn_on: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ConsentInput {
    pub purpose: String,
    /// Defaults to today.
    pub given_on: Option<String>,
    pub method: Option<String>,
}

fn consent_from_row(r: &Row) -> rusqlite::Result<Consent> {
    Ok(Consent {
        id: r.get(0)?,
        uid: r.get(1)?,
        person_id: r.get(2)?,
        purpose: r.get(3)?,
        given_on: r.get(4)?,
        method: r.get(5)?,
        withdrawn_on: r.get(6)?,
    })
}

pub fn today() -> String {
    chrono::Local::now().format("%Y-%m-%d").to_string()
}

/// Records consent given by a person.
pub fn add_consent(conn: &Connection, person_id: i64, input: &ConsentInput) -> Result<Consent> {
    db::ensure_exists(conn, Table::People, person_id)?;
    let purpose = validate::required("purpose", &input.purpose)?;
    let given_on = validate::date("given_on", input.given_on.as_deref())?.unwrap_or_else(today);
    let method = validate::optional("method", input.method.as_deref())?;
    let now = db::now();
    conn.execute(
        "INSERT INTO consents (uid, person_id, purpose, given_on, method, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)",
        params![db::new_uid(), person_id, purpose, given_on, method, now],
    )?;
    let id = conn.last_insert_rowid();
    Ok(conn.query_row(
        "SELECT id, uid, person_id, purpose, given_on, method, withdrawn_on FROM consents WHERE id = ?1",
        [id],
        consent_from_row,
    )?)
}

/// Marks every open consent of a person for `purpose` (or all of them, when `purpose` is None) as
/// withdrawn today; returns how many were withdrawn.
pub fn withdraw_consent(conn: &Connection, person_id: i64, purpose: Option<&str>) -> Result<usize> {
    withdraw_consent_on(conn, person_id, purpose, None)
}

/// Like [`withdraw_consent`], on the date `on` (YYYY-MM-DD; today when None). Only consents given on
/// or before that date are withdrawn: a consent cannot be withdrawn before it was given.
pub fn withdraw_consent_on(
    conn: &Connection,
    person_id: i64,
    purpose: Option<&str>,
    on: Option<&str>,
) -> Result<usize> {
    db::ensure_exists(conn, Table::People, person_id)?;
    let on = validate::date("withdrawn_on", on)?.unwrap_or_else(today);
    Ok(conn.execute(
        "UPDATE consents SET withdrawn_on = ?3, updated_at = ?4
          WHERE person_id = ?1 AND withdrawn_on IS NULL AND (?2 IS NULL OR purpose = ?2) AND given_on <= ?3",
        params![person_id, purpose.map(str::trim), on, db::now()],
    )?)
}

pub fn consents(conn: &Connection, person_id: i64) -> Result<Vec<Consent>> {
    let mut stmt = conn.prepare(
        "SELECT id, uid, person_id, purpose, given_on, method, withdrawn_on FROM consents
          WHERE person_id = ?1 ORDER BY given_on DESC, id DESC",
    )?;
    let rows = stmt.query_map([person_id], consent_from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
