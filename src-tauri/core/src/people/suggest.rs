//! Suggestions for missing data, from what a person's email says: a country from its country-code
//! top-level domain (`olena@gov.ua` → UA), an organisation from a domain the organisation is known by (its
//! website's host, or the domain most of its members' emails share). Only suggestions: the window and
//! the CLI show them and the coordinator confirms each (applied through `people::bulk_update`); nothing
//! here writes.

use std::collections::HashMap;

use rusqlite::{params, Connection};
use serde::{Deserialize, Serialize};

use super::Missing;
use crate::error::{Error, Result};

/// What is suggested for a person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SuggestionField {
    Country,
    Organisation,
}

/// Why a value is suggested.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SuggestionReason {
    /// The email's domain ends in the country's code (`.ua`).
    EmailCountryDomain,
    /// The email's domain is the host of the organisation's website.
    OrganisationWebsite,
    /// The email's domain is the one most of the organisation's members' emails share (at least 2).
    OrganisationMembers,
}

/// One suggested value for one person's missing field.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Suggestion {
    pub person_id: i64,
    pub field: SuggestionField,
    /// The country code, or the organisation id (as text).
    pub value: String,
    /// What to show: the country code, or the organisation's name.
    pub label: String,
    pub reason: SuggestionReason,
    /// The email domain the suggestion comes from.
    pub domain: String,
}

/// Whom to suggest for: these people (`ids`), else everyone; and which missing fields (`missing`:
/// `country` and/or `organisation`; empty means both).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct SuggestionQuery {
    pub ids: Option<Vec<i64>>,
    pub missing: Vec<Missing>,
    /// At most this many suggestions (0: up to 10,000).
    pub limit: usize,
}

/// Country-code top-level domains and their ISO 3166 code, for the countries Rollcall's users work in and
/// their neighbours. Codes used mostly as generic domains (`.io`, `.me`, `.tv`, `.co`, `.ai`...) and
/// `.eu`, `.su` are left out on purpose: they say nothing about a country.
const CCTLDS: &[(&str, &str)] = &[
    ("ua", "UA"),
    ("md", "MD"),
    ("ge", "GE"),
    ("am", "AM"),
    ("az", "AZ"),
    ("by", "BY"),
    ("ru", "RU"),
    ("ro", "RO"),
    ("pl", "PL"),
    ("de", "DE"),
    ("at", "AT"),
    ("ch", "CH"),
    ("fr", "FR"),
    ("be", "BE"),
    ("nl", "NL"),
    ("lu", "LU"),
    ("it", "IT"),
    ("es", "ES"),
    ("pt", "PT"),
    ("uk", "GB"),
    ("gb", "GB"),
    ("ie", "IE"),
    ("dk", "DK"),
    ("se", "SE"),
    ("no", "NO"),
    ("fi", "FI"),
    ("is", "IS"),
    ("ee", "EE"),
    ("lv", "LV"),
    ("lt", "LT"),
    ("cz", "CZ"),
    ("sk", "SK"),
    ("hu", "HU"),
    ("si", "SI"),
    ("hr", "HR"),
    ("ba", "BA"),
    ("rs", "RS"),
    ("mk", "MK"),
    ("al", "AL"),
    ("bg", "BG"),
    ("gr", "GR"),
    ("cy", "CY"),
    ("mt", "MT"),
    ("tr", "TR"),
    ("kz", "KZ"),
    ("kg", "KG"),
    ("uz", "UZ"),
    ("tj", "TJ"),
    ("tm", "TM"),
    ("mn", "MN"),
    ("il", "IL"),
    ("jo", "JO"),
    ("lb", "LB"),
    ("eg", "EG"),
    ("tn", "TN"),
    ("ma", "MA"),
    ("us", "US"),
    ("ca", "CA"),
    ("mx", "MX"),
    ("br", "BR"),
    ("ar", "AR"),
    ("cl", "CL"),
    ("pe", "PE"),
    ("za", "ZA"),
    ("ke", "KE"),
    ("ng", "NG"),
    ("gh", "GH"),
    ("in", "IN"),
    ("pk", "PK"),
    ("bd", "BD"),
    ("jp", "JP"),
    ("kr", "KR"),
    ("cn", "CN"),
    ("tw", "TW"),
    ("au", "AU"),
    ("nz", "NZ"),
    ("xk", "XK"),
];

/// Public mail providers: their addresses say nothing about an organisation (nor, reliably, a country).
const PUBLIC_MAIL: &[&str] = &[
    "gmail.com",
    "googlemail.com",
    "outlook.com",
    "hotmail.com",
    "live.com",
    "msn.com",
    "yahoo.com",
    "yahoo.co.uk",
    "ymail.com",
    "icloud.com",
    "me.com",
    "mac.com",
    "aol.com",
    "proton.me",
    "protonmail.com",
    "pm.me",
    "gmx.com",
    "gmx.de",
    "gmx.net",
    "web.de",
    "t-online.de",
    "mail.com",
    "zoho.com",
    "tutanota.com",
    "yandex.ru",
    "yandex.ua",
    "yandex.com",
    "ya.ru",
    "mail.ru",
    "inbox.ru",
    "list.ru",
    "bk.ru",
    "rambler.ru",
    "ukr.net",
    "i.ua",
    "meta.ua",
    "bigmir.net",
    "email.ua",
    "online.ua",
    "mail.md",
    "wp.pl",
    "o2.pl",
    "onet.pl",
    "interia.pl",
    "yahoo.ro",
    "tut.by",
    "qq.com",
    "163.com",
];

fn is_public(domain: &str) -> bool {
    PUBLIC_MAIL.contains(&domain)
}

/// The domain of an email key (`olena@ngo.org.ua` → `ngo.org.ua`).
fn domain_of(email_key: &str) -> Option<&str> {
    email_key.rsplit_once('@').map(|(_, d)| d.trim_end_matches('.')).filter(|d| d.contains('.'))
}

/// The country of a domain's top-level label, if it is a country code of the table.
pub(crate) fn country_of_domain(domain: &str) -> Option<&'static str> {
    if is_public(domain) {
        return None;
    }
    let tld = domain.rsplit('.').next()?;
    CCTLDS.iter().find(|(t, _)| *t == tld).map(|(_, c)| *c)
}

/// The host of a website (`https://www.krok.org.ua/about` → `krok.org.ua`).
fn host_of(website: &str) -> Option<String> {
    let w = website.trim().to_lowercase();
    let rest = w.split_once("://").map_or(w.as_str(), |(_, r)| r);
    let host = rest.split(['/', '?', '#']).next()?.rsplit('@').next()?.split(':').next()?;
    let host = host.strip_prefix("www.").unwrap_or(host).trim_end_matches('.');
    (host.contains('.') && !is_public(host)).then(|| host.to_string())
}

/// Domains organisations are known by: website hosts first (stated by the coordinator), then each
/// organisation's most common member domain (at least 2 members, not a public provider). A domain two
/// organisations claim the same way is left out: it would be a guess.
fn organisation_domains(conn: &Connection) -> Result<HashMap<String, (i64, String, SuggestionReason)>> {
    let mut by_website: HashMap<String, Option<(i64, String)>> = HashMap::new();
    let mut stmt = conn.prepare("SELECT id, name, website FROM organisations WHERE website IS NOT NULL")?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let (id, name, website): (i64, String, String) = (r.get(0)?, r.get(1)?, r.get(2)?);
        if let Some(host) = host_of(&website) {
            by_website.entry(host).and_modify(|e| *e = None).or_insert(Some((id, name)));
        }
    }
    // Per organisation, the domain most of its members share.
    let mut stmt = conn.prepare(
        "SELECT p.organisation_id, o.name, substr(p.email_key, instr(p.email_key, '@') + 1) AS domain, count(*) AS n
           FROM people p JOIN organisations o ON o.id = p.organisation_id
          WHERE p.email_key IS NOT NULL
          GROUP BY p.organisation_id, domain
          ORDER BY p.organisation_id, n DESC, domain",
    )?;
    let mut best: HashMap<i64, (String, String, i64)> = HashMap::new();
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let (id, name, domain, n): (i64, String, String, i64) = (r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?);
        best.entry(id).or_insert((name, domain, n));
    }
    let mut by_members: HashMap<String, Option<(i64, String)>> = HashMap::new();
    for (id, (name, domain, n)) in best {
        if n >= 2 && !is_public(&domain) && domain.contains('.') {
            by_members.entry(domain).and_modify(|e| *e = None).or_insert(Some((id, name)));
        }
    }
    let mut out = HashMap::new();
    for (domain, org) in by_members {
        if let Some((id, name)) = org {
            out.insert(domain, (id, name, SuggestionReason::OrganisationMembers));
        }
    }
    for (domain, org) in by_website {
        match org {
            Some((id, name)) => {
                out.insert(domain, (id, name, SuggestionReason::OrganisationWebsite));
            }
            None => {
                out.remove(&domain);
            }
        }
    }
    Ok(out)
}

/// The organisation known by a domain or by a parent of it (`kyiv.krok.org.ua` → `krok.org.ua`).
fn find_organisation<'a>(
    known: &'a HashMap<String, (i64, String, SuggestionReason)>,
    domain: &str,
) -> Option<(&'a str, &'a (i64, String, SuggestionReason))> {
    let mut d = domain;
    loop {
        if let Some((k, v)) = known.get_key_value(d) {
            return Some((k.as_str(), v));
        }
        d = d.split_once('.')?.1;
        if !d.contains('.') {
            return None;
        }
    }
}

/// Suggested values for the missing country and organisation of people with an email, by person id.
/// Never applied here: the coordinator confirms them (`people::bulk_update`).
pub fn suggestions(conn: &Connection, q: &SuggestionQuery) -> Result<Vec<Suggestion>> {
    if q.missing.contains(&Missing::Gender) {
        return Err(Error::invalid("missing", "suggestions are made for country and organisation only"));
    }
    let want = |m: Missing| q.missing.is_empty() || q.missing.contains(&m);
    let (countries, organisations) = (want(Missing::Country), want(Missing::Organisation));
    let limit = if q.limit == 0 { 10_000 } else { q.limit.min(10_000) };
    let known = if organisations { organisation_domains(conn)? } else { HashMap::new() };
    let ids = q.ids.as_ref().map(|ids| serde_json::to_string(ids).unwrap_or_else(|_| "[]".into()));
    let mut stmt = conn.prepare(
        "SELECT id, email_key, country IS NULL, organisation_id IS NULL FROM people
          WHERE email_key IS NOT NULL AND (country IS NULL OR organisation_id IS NULL)
            AND (?1 IS NULL OR id IN (SELECT value FROM json_each(?1)))
          ORDER BY id",
    )?;
    let mut rows = stmt.query(params![ids])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        let (id, email_key, no_country, no_organisation): (i64, String, bool, bool) =
            (r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?);
        let Some(domain) = domain_of(&email_key) else { continue };
        if countries && no_country {
            if let Some(code) = country_of_domain(domain) {
                out.push(Suggestion {
                    person_id: id,
                    field: SuggestionField::Country,
                    value: code.to_string(),
                    label: code.to_string(),
                    reason: SuggestionReason::EmailCountryDomain,
                    domain: domain.to_string(),
                });
            }
        }
        if organisations && no_organisation {
            if let Some((known_domain, (org, name, reason))) = find_organisation(&known, domain) {
                out.push(Suggestion {
                    person_id: id,
                    field: SuggestionField::Organisation,
                    value: org.to_string(),
                    label: name.clone(),
                    reason: *reason,
                    domain: known_domain.to_string(),
                });
            }
        }
        if out.len() >= limit {
            out.truncate(limit);
            break;
        }
    }
    Ok(out)
}
