//! Disability, special-category data (GDPR Art. 9): the Washington Group short set (six domains, four
//! answers each) or a plain yes / no / prefers not to say.
//!
//! Stored only under an open consent of the person for [`CONSENT_PURPOSE`]; withdrawing that consent
//! deletes the answers (a trigger of migration 6), and so does erasing the person. The answers are part of
//! the person's data download (`privacy::person_data`) and are never logged: log lines name the person's
//! id only. Reports see only the derived [`Status`], through the report cache.

use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

use crate::db::{self, Table};
use crate::error::{Error, Result};

/// The purpose of the consent that disability answers need.
pub const CONSENT_PURPOSE: &str = "disability data";

/// The Washington Group short-set domains, in the order of the questions.
pub const DOMAINS: [&str; 6] = ["seeing", "hearing", "walking", "remembering", "self_care", "communicating"];
/// The four answers of each domain, in order (1 to 4 on the questionnaire).
pub const ANSWERS: [&str; 4] = ["no_difficulty", "some_difficulty", "a_lot_of_difficulty", "cannot_do_at_all"];
/// The plain answers.
pub const PLAIN: [&str; 3] = ["yes", "no", "prefers_not_to_say"];

/// What a form or the CLI sends: any of the six domains (an answer code, its label, or 1-4) and/or a
/// plain answer.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DisabilityInput {
    pub seeing: Option<String>,
    pub hearing: Option<String>,
    pub walking: Option<String>,
    pub remembering: Option<String>,
    pub self_care: Option<String>,
    pub communicating: Option<String>,
    /// yes, no or prefers_not_to_say.
    pub answer: Option<String>,
}

/// A person's stored answers and what they mean for reports.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Disability {
    pub person_id: i64,
    /// The consent they are held under.
    pub consent_id: i64,
    pub seeing: Option<String>,
    pub hearing: Option<String>,
    pub walking: Option<String>,
    pub remembering: Option<String>,
    pub self_care: Option<String>,
    pub communicating: Option<String>,
    pub answer: Option<String>,
    /// `yes` (a lot of difficulty or cannot do at all in any domain, or a plain yes), `no` or
    /// `prefers_not_to_say`.
    pub status: String,
    pub updated_at: String,
}

impl DisabilityInput {
    fn domains(&self) -> [&Option<String>; 6] {
        [&self.seeing, &self.hearing, &self.walking, &self.remembering, &self.self_care, &self.communicating]
    }

    /// Builds the input from the six short-set answers in question order, as typed on a command line
    /// ("1,2,1,1,3,1" or answer codes).
    pub fn from_short_set(answers: &str) -> Result<DisabilityInput> {
        let parts: Vec<&str> = answers.split(',').map(str::trim).collect();
        if parts.len() != 6 {
            return Err(Error::invalid(
                "disability",
                "the Washington Group short set has six answers, separated by commas",
            ));
        }
        let v = |i: usize| Some(parts[i].to_string()).filter(|s| !s.is_empty());
        Ok(DisabilityInput {
            seeing: v(0),
            hearing: v(1),
            walking: v(2),
            remembering: v(3),
            self_care: v(4),
            communicating: v(5),
            answer: None,
        })
    }
}

/// An answer of one domain: the code, its words ("a lot of difficulty"), or its number 1-4.
pub fn domain_answer(field: &str, value: Option<&str>) -> Result<Option<&'static str>> {
    let Some(v) = value.map(str::trim).filter(|v| !v.is_empty()) else { return Ok(None) };
    let k = crate::text::fold(v).replace([' ', '-'], "_");
    if let Ok(n) = k.parse::<usize>() {
        if (1..=4).contains(&n) {
            return Ok(Some(ANSWERS[n - 1]));
        }
    }
    ANSWERS.iter().copied().find(|a| *a == k).map(Some).ok_or_else(|| {
        Error::invalid(field, format!("{field}: the answer must be 1-4 or one of {}", ANSWERS.join(", ")))
    })
}

/// A plain answer: yes, no or prefers_not_to_say ("prefer not to say" too).
pub fn plain_answer(value: Option<&str>) -> Result<Option<&'static str>> {
    let Some(v) = value.map(str::trim).filter(|v| !v.is_empty()) else { return Ok(None) };
    let k = crate::text::fold(v).replace([' ', '-'], "_");
    let k = if k == "prefer_not_to_say" { "prefers_not_to_say".to_string() } else { k };
    PLAIN
        .iter()
        .copied()
        .find(|a| *a == k)
        .map(Some)
        .ok_or_else(|| Error::invalid("disability", "the disability answer must be yes, no or prefers_not_to_say"))
}

/// The report status of a set of answers: any domain with "a lot of difficulty" or "cannot do at all"
/// is `yes`; other domain answers are `no`; without domain answers, the plain answer.
pub fn status_of(domains: &[Option<&str>], answer: Option<&str>) -> Option<&'static str> {
    let answered: Vec<&str> = domains.iter().flatten().copied().collect();
    if answered.iter().any(|a| *a == ANSWERS[2] || *a == ANSWERS[3]) {
        return Some("yes");
    }
    if !answered.is_empty() {
        return Some("no");
    }
    answer.and_then(|a| PLAIN.iter().copied().find(|p| *p == a))
}

/// The open consent of the person for disability data, if any.
pub fn open_consent(conn: &Connection, person_id: i64) -> Result<Option<i64>> {
    Ok(conn
        .query_row(
            "SELECT id FROM consents WHERE person_id = ?1 AND purpose = ?2 AND withdrawn_on IS NULL
              ORDER BY given_on DESC, id DESC LIMIT 1",
            params![person_id, CONSENT_PURPOSE],
            |r| r.get(0),
        )
        .optional()?)
}

/// Records (or replaces) a person's disability answers. Refused unless the person has an open consent
/// for [`CONSENT_PURPOSE`] (record it first with `people::add_consent`).
pub fn set(conn: &Connection, person_id: i64, input: &DisabilityInput) -> Result<Disability> {
    db::ensure_exists(conn, Table::People, person_id)?;
    let mut domains = [None; 6];
    for (i, value) in input.domains().iter().enumerate() {
        domains[i] = domain_answer(DOMAINS[i], value.as_deref())?;
    }
    let answer = plain_answer(input.answer.as_deref())?;
    if domains.iter().all(Option::is_none) && answer.is_none() {
        return Err(Error::invalid("disability", "no disability answer was given"));
    }
    let consent_id = open_consent(conn, person_id)?.ok_or_else(|| {
        Error::invalid(
            "disability",
            format!("disability answers are stored only with the person's consent: record a consent for '{CONSENT_PURPOSE}' first"),
        )
    })?;
    conn.execute(
        "INSERT INTO person_disability (person_id, consent_id, seeing, hearing, walking, remembering, self_care,
                                        communicating, answer, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
         ON CONFLICT (person_id) DO UPDATE SET consent_id = excluded.consent_id, seeing = excluded.seeing,
            hearing = excluded.hearing, walking = excluded.walking, remembering = excluded.remembering,
            self_care = excluded.self_care, communicating = excluded.communicating, answer = excluded.answer,
            updated_at = excluded.updated_at",
        params![
            person_id,
            consent_id,
            domains[0],
            domains[1],
            domains[2],
            domains[3],
            domains[4],
            domains[5],
            answer,
            db::now()
        ],
    )?;
    log::info!("person {person_id}: disability answers recorded");
    get(conn, person_id)?.ok_or_else(|| Error::not_found("person", person_id))
}

/// A person's disability answers, if any are held.
pub fn get(conn: &Connection, person_id: i64) -> Result<Option<Disability>> {
    Ok(conn
        .query_row(
            "SELECT person_id, consent_id, seeing, hearing, walking, remembering, self_care, communicating, answer,
                    updated_at
               FROM person_disability WHERE person_id = ?1",
            [person_id],
            |r| {
                let domains: Vec<Option<String>> = (2..8).map(|i| r.get(i)).collect::<rusqlite::Result<_>>()?;
                let answer: Option<String> = r.get(8)?;
                let refs: Vec<Option<&str>> = domains.iter().map(|d| d.as_deref()).collect();
                let status = status_of(&refs, answer.as_deref()).unwrap_or("prefers_not_to_say").to_string();
                Ok(Disability {
                    person_id: r.get(0)?,
                    consent_id: r.get(1)?,
                    seeing: domains[0].clone(),
                    hearing: domains[1].clone(),
                    walking: domains[2].clone(),
                    remembering: domains[3].clone(),
                    self_care: domains[4].clone(),
                    communicating: domains[5].clone(),
                    answer,
                    status,
                    updated_at: r.get(9)?,
                })
            },
        )
        .optional()?)
}

/// Deletes a person's disability answers; true if there were any.
pub fn clear(conn: &Connection, person_id: i64) -> Result<bool> {
    let n = conn.execute("DELETE FROM person_disability WHERE person_id = ?1", [person_id])?;
    if n > 0 {
        log::info!("person {person_id}: disability answers deleted");
    }
    Ok(n > 0)
}
