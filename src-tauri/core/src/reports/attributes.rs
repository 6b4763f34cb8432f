//! People's report attributes (organisation, country, gender category, year of birth, age band,
//! participant type, disability status), packed in one blob so that a report over 100,000 people reads
//! them in a millisecond instead of stepping SQLite through 100,000 rows.
//!
//! `report_people` is a cache with one row. Triggers on `people` and `person_disability` delete it whenever
//! a person is added or deleted or one of these attributes changes; a report rebuilds it and stores it (see
//! `cache`). It holds no names, emails or disability answers: only the derived status (yes / no / prefers
//! not to say / not stated), which erasure removes with the rest (deleting a person deletes the blob).
//!
//! Format (version 2): one byte `2`; three string lists (countries, age bands as stored, participant types),
//! each as a u32 count then u32 length and UTF-8 bytes per string; then 26 bytes per person: id (i64),
//! organisation id (i64, i64::MIN for none), country (u16 index, u16::MAX for none), gender (u8 index into
//! `gender::CATEGORIES`, the last one being not stated), disability (u8: 0 yes, 1 no, 2 prefers not to say,
//! 3 not stated), year of birth (u16, 0 for none), age band and participant type (u16 indexes, u16::MAX for
//! none), all little-endian. A blob in any other format counts as missing.

use rusqlite::types::ValueRef;
use rusqlite::Connection;

use super::cache;
use crate::error::Result;
use crate::gender;

const FORMAT: u8 = 2;
const ENTRY: usize = 26;
const NONE_ORG: i64 = i64::MIN;
const NONE_INDEX: u16 = u16::MAX;

/// Index of "not stated" among the gender categories.
pub(crate) const GENDER_NOT_STATED: u8 = (gender::CATEGORIES.len() - 1) as u8;
/// Disability statuses, by their code in the blob.
pub(crate) const DISABILITY: [&str; 4] = ["yes", "no", "prefers_not_to_say", ""];

/// One person's attributes; the u32 values index `Attributes`' lists.
#[derive(Clone, Copy, Debug)]
pub(crate) struct PersonAttributes {
    pub id: i64,
    pub organisation: Option<i64>,
    pub country: Option<u32>,
    /// Index into `gender::CATEGORIES` ([`GENDER_NOT_STATED`] when not stated).
    pub gender: u8,
    /// Index into [`DISABILITY`].
    pub disability: u8,
    pub birth_year: Option<u16>,
    pub age_band: Option<u32>,
    pub participant_type: Option<u32>,
}

/// Everyone's attributes.
pub(crate) struct Attributes {
    /// Distinct country codes.
    pub countries: Vec<String>,
    /// Distinct age bands as stored (for people whose year of birth is not known).
    pub age_bands: Vec<String>,
    /// Distinct participant type keys.
    pub participant_types: Vec<String>,
    entries: Vec<u8>,
}

impl Attributes {
    pub fn people(&self) -> impl Iterator<Item = PersonAttributes> + '_ {
        self.entries.chunks_exact(ENTRY).map(|c| {
            let i64_at = |at: usize| i64::from_le_bytes(c[at..at + 8].try_into().expect("8 bytes"));
            let u16_at = |at: usize| u16::from_le_bytes([c[at], c[at + 1]]);
            let index = |v: u16| (v != NONE_INDEX).then_some(u32::from(v));
            let organisation = i64_at(8);
            let year = u16_at(20);
            PersonAttributes {
                id: i64_at(0),
                organisation: (organisation != NONE_ORG).then_some(organisation),
                country: index(u16_at(16)),
                gender: c[18],
                disability: c[19],
                birth_year: (year != 0).then_some(year),
                age_band: index(u16_at(22)),
                participant_type: index(u16_at(24)),
            }
        })
    }

    fn encode(&self) -> Vec<u8> {
        let mut out = vec![FORMAT];
        for list in [&self.countries, &self.age_bands, &self.participant_types] {
            out.extend_from_slice(&(list.len() as u32).to_le_bytes());
            for s in list {
                out.extend_from_slice(&(s.len() as u32).to_le_bytes());
                out.extend_from_slice(s.as_bytes());
            }
        }
        out.extend_from_slice(&self.entries);
        out
    }

    fn decode(data: &[u8]) -> Option<Attributes> {
        let (&version, mut rest) = data.split_first()?;
        if version != FORMAT {
            return None;
        }
        let mut lists = [Vec::new(), Vec::new(), Vec::new()];
        for list in lists.iter_mut() {
            let n = u32::from_le_bytes(rest.get(..4)?.try_into().ok()?);
            rest = &rest[4..];
            for _ in 0..n {
                let len = u32::from_le_bytes(rest.get(..4)?.try_into().ok()?) as usize;
                list.push(String::from_utf8(rest.get(4..4 + len)?.to_vec()).ok()?);
                rest = &rest[4 + len..];
            }
        }
        if rest.len() % ENTRY != 0 {
            return None;
        }
        let [countries, age_bands, participant_types] = lists;
        Some(Attributes { countries, age_bands, participant_types, entries: rest.to_vec() })
    }
}

/// Everyone's attributes, from the cache or, when it is missing, from the people table (then stored).
pub(crate) fn load(conn: &mut Connection) -> Result<Attributes> {
    let (attributes, rebuilt, version) = {
        let tx = conn.transaction()?;
        let version = cache::data_version(&tx)?;
        let stored: Option<Vec<u8>> = {
            let mut stmt = tx.prepare_cached("SELECT data FROM report_people WHERE id = 1")?;
            let mut rows = stmt.query([])?;
            match rows.next()? {
                Some(r) => r.get(0)?,
                None => None,
            }
        };
        let result = match stored.as_deref().and_then(Attributes::decode) {
            Some(a) => (a, false, version),
            None => (build(&tx)?, true, version),
        };
        tx.commit()?;
        result
    };
    if rebuilt {
        let data = attributes.encode();
        cache::store(conn, version, "people attributes", |tx| {
            tx.execute("INSERT OR REPLACE INTO report_people (id, data) VALUES (1, ?1)", [&data])?;
            Ok(())
        });
    }
    Ok(attributes)
}

/// The disability status code of a person, worked out by SQL from the stored answers (see
/// `disability::status_of`: any domain with a lot of difficulty or cannot do at all is a disability).
const DISABILITY_STATUS: &str = "CASE
    WHEN d.person_id IS NULL THEN 3
    WHEN 'a_lot_of_difficulty' IN (d.seeing, d.hearing, d.walking, d.remembering, d.self_care, d.communicating)
      OR 'cannot_do_at_all' IN (d.seeing, d.hearing, d.walking, d.remembering, d.self_care, d.communicating) THEN 0
    WHEN coalesce(d.seeing, d.hearing, d.walking, d.remembering, d.self_care, d.communicating) IS NOT NULL THEN 1
    WHEN d.answer = 'yes' THEN 0
    WHEN d.answer = 'no' THEN 1
    ELSE 2 END";

/// Reads everyone's attributes.
fn build(conn: &Connection) -> Result<Attributes> {
    let mut countries = Interner::default();
    let mut bands = Interner::default();
    let mut types = Interner::default();
    let mut entries = Vec::new();
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT p.id, p.organisation_id, p.country, p.gender, {DISABILITY_STATUS}, p.birth_year, p.age_band,
                p.participant_type
           FROM people p LEFT JOIN person_disability d ON d.person_id = p.id"
    ))?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let ValueRef::Integer(id) = r.get_ref(0)? else { continue };
        let organisation = r.get_ref(1)?.as_i64_or_null().ok().flatten().unwrap_or(NONE_ORG);
        let country = countries.index(text(r.get_ref(2)?)).unwrap_or(NONE_INDEX);
        // A value that is not a category code (written around the core) is mapped by the built-in
        // spellings, else counted as self-described.
        let gender = match text(r.get_ref(3)?) {
            None => GENDER_NOT_STATED,
            Some(g) => match gender::CATEGORIES.iter().position(|c| c.as_bytes() == g) {
                Some(i) => i as u8,
                None => gender::builtin_category(&String::from_utf8_lossy(g))
                    .and_then(|c| gender::CATEGORIES.iter().position(|x| *x == c))
                    .map_or(3, |i| i as u8),
            },
        };
        let disability = r.get_ref(4)?.as_i64().unwrap_or(3).clamp(0, 3) as u8;
        let year = r.get_ref(5)?.as_i64_or_null().ok().flatten().and_then(|y| u16::try_from(y).ok()).unwrap_or(0);
        let band = bands.index(text(r.get_ref(6)?)).unwrap_or(NONE_INDEX);
        let kind = types.index(text(r.get_ref(7)?)).unwrap_or(NONE_INDEX);
        entries.extend_from_slice(&id.to_le_bytes());
        entries.extend_from_slice(&organisation.to_le_bytes());
        entries.extend_from_slice(&country.to_le_bytes());
        entries.push(gender);
        entries.push(disability);
        entries.extend_from_slice(&year.to_le_bytes());
        entries.extend_from_slice(&band.to_le_bytes());
        entries.extend_from_slice(&kind.to_le_bytes());
    }
    Ok(Attributes {
        countries: countries.into_strings(),
        age_bands: bands.into_strings(),
        participant_types: types.into_strings(),
        entries,
    })
}

/// A text column, trimmed of ASCII spaces; None when NULL, empty or not text.
fn text(v: ValueRef<'_>) -> Option<&[u8]> {
    match v {
        ValueRef::Text(t) => Some(t.trim_ascii()).filter(|t| !t.is_empty()),
        _ => None,
    }
}

/// Distinct values of a column (countries, age bands, participant types), numbered in order of
/// appearance. Most people share a handful of values, so the last one found is tried before the hash map.
/// Past 65,534 distinct values, further ones count as not stated.
#[derive(Default)]
struct Interner {
    values: Vec<Vec<u8>>,
    index: std::collections::HashMap<Vec<u8>, u16>,
    last: u16,
}

impl Interner {
    fn index(&mut self, value: Option<&[u8]>) -> Option<u16> {
        let v = value?;
        if self.values.get(usize::from(self.last)).is_some_and(|x| x == v) {
            return Some(self.last);
        }
        self.last = match self.index.get(v) {
            Some(&i) => i,
            None if self.values.len() < usize::from(NONE_INDEX) => {
                let i = self.values.len() as u16;
                self.values.push(v.to_vec());
                self.index.insert(v.to_vec(), i);
                i
            }
            None => return None,
        };
        Some(self.last)
    }

    fn into_strings(self) -> Vec<String> {
        self.values.into_iter().map(|v| String::from_utf8_lossy(&v).into_owned()).collect()
    }
}
