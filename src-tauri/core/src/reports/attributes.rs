//! People's report attributes (organisation, country, gender), packed in one blob so that a report over
//! 100,000 people reads them in a millisecond instead of stepping SQLite through 100,000 index entries.
//!
//! `report_people` is a cache with one row. Triggers on `people` delete it whenever a person is added or
//! deleted or their organisation, country or gender changes; a report rebuilds it from the covering index
//! `people_report` and stores it (see `cache`). It holds no names or emails.
//!
//! Format (version 1): one byte `1`; the distinct countries (u32 count, then each as u32 length and UTF-8
//! bytes); the distinct genders, as stored, the same way; then 20 bytes per person: id (i64), organisation
//! id (i64, i64::MIN for none), country and gender (u16 indexes into the lists above, u16::MAX for none),
//! all little-endian. A blob in any other format counts as missing.

use rusqlite::types::ValueRef;
use rusqlite::Connection;

use super::cache;
use crate::error::Result;

const FORMAT: u8 = 1;
const ENTRY: usize = 20;
const NONE_ORG: i64 = i64::MIN;
const NONE_INDEX: u16 = u16::MAX;

/// One person's attributes; country and gender are indexes into `Attributes::countries` / `genders`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct PersonAttributes {
    pub id: i64,
    pub organisation: Option<i64>,
    pub country: Option<u32>,
    pub gender: Option<u32>,
}

/// Everyone's attributes.
pub(crate) struct Attributes {
    /// Distinct country codes.
    pub countries: Vec<String>,
    /// Distinct genders as stored (trimmed), each spelling once.
    pub genders: Vec<String>,
    entries: Vec<u8>,
}

impl Attributes {
    pub fn people(&self) -> impl Iterator<Item = PersonAttributes> + '_ {
        self.entries.chunks_exact(ENTRY).map(|c| {
            let i64_at = |at: usize| i64::from_le_bytes(c[at..at + 8].try_into().expect("8 bytes"));
            let u16_at = |at: usize| u16::from_le_bytes([c[at], c[at + 1]]);
            let index = |v: u16| (v != NONE_INDEX).then_some(u32::from(v));
            let organisation = i64_at(8);
            PersonAttributes {
                id: i64_at(0),
                organisation: (organisation != NONE_ORG).then_some(organisation),
                country: index(u16_at(16)),
                gender: index(u16_at(18)),
            }
        })
    }

    fn encode(&self) -> Vec<u8> {
        let mut out = vec![FORMAT];
        for list in [&self.countries, &self.genders] {
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
        let mut lists = [Vec::new(), Vec::new()];
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
        let [countries, genders] = lists;
        Some(Attributes { countries, genders, entries: rest.to_vec() })
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

/// Reads everyone's attributes through the covering index `people_report`.
fn build(conn: &Connection) -> Result<Attributes> {
    let mut countries = Interner::default();
    let mut genders = Interner::default();
    let mut entries = Vec::new();
    let mut stmt = conn.prepare_cached("SELECT id, organisation_id, country, gender FROM people")?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let ValueRef::Integer(id) = r.get_ref(0)? else { continue };
        let organisation = r.get_ref(1)?.as_i64_or_null().ok().flatten().unwrap_or(NONE_ORG);
        let country = countries.index(text(r.get_ref(2)?)).unwrap_or(NONE_INDEX);
        let gender = genders.index(text(r.get_ref(3)?)).unwrap_or(NONE_INDEX);
        entries.extend_from_slice(&id.to_le_bytes());
        entries.extend_from_slice(&organisation.to_le_bytes());
        entries.extend_from_slice(&country.to_le_bytes());
        entries.extend_from_slice(&gender.to_le_bytes());
    }
    Ok(Attributes { countries: countries.into_strings(), genders: genders.into_strings(), entries })
}

/// A text column, trimmed of ASCII spaces; None when NULL, empty or not text.
fn text(v: ValueRef<'_>) -> Option<&[u8]> {
    match v {
        ValueRef::Text(t) => Some(t.trim_ascii()).filter(|t| !t.is_empty()),
        _ => None,
    }
}

/// Distinct values of a column (countries, gender spellings), numbered in order of appearance. Most
/// people share a handful of values, so the last one found is tried before the hash map. Past 65,534
/// distinct values, further ones count as not stated.
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
