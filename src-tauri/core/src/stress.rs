//! Seeded stress data: many events, people and attendance records that look like the real thing
//! (Cyrillic, Georgian, Polish and Romanian names, countries of the region, genders as people state them,
//! some left blank), for measuring reports, exports and imports at scale. The same seed gives the same
//! data, so measurements can be repeated.
//!
//! People also get the donor fields of issue #15: gender as a category with the words given, a year of
//! birth (or only an age band), a participant type and, for some, disability answers under a consent.
//! Those come from a second generator, so the names, genders and attendance of a seed stay what they were.

use std::collections::HashSet;
use std::time::Instant;

use rusqlite::types::Value;
use rusqlite::{params, Connection, Transaction};
use serde::{Deserialize, Serialize};

use crate::db;
use crate::error::{Error, Result};
use crate::people;

/// How much data to generate.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct StressSpec {
    /// The seed of the pseudo-random generator; the same seed gives the same data.
    pub seed: u64,
    /// Projects; events are spread over them, the first project getting the largest share.
    pub projects: usize,
    pub organisations: usize,
    pub events: usize,
    pub people: usize,
    /// Attendance records in all; at most one per person and event.
    pub attendances: usize,
}

impl Default for StressSpec {
    fn default() -> Self {
        StressSpec { seed: 1, projects: 1, organisations: 0, events: 100, people: 5_000, attendances: 20_000 }
    }
}

/// What was generated.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StressSummary {
    pub seed: u64,
    /// Row ids of the projects created, the largest first.
    pub project_ids: Vec<i64>,
    pub organisations: usize,
    pub events: usize,
    pub people: usize,
    pub attendances: usize,
    /// How long the generation took, in milliseconds.
    pub millis: u64,
}

/// SplitMix64: tiny, fast and good enough for test data; no dependency, stable across versions. It also
/// counts the uids it hands out, which keeps them in time order.
struct Rng(u64, u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (n > 0).
    fn below(&mut self, n: usize) -> usize {
        (((self.next() >> 11) as u128 * n as u128) >> 53) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// True with probability `percent` / 100.
    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    /// A UUID v7 like the app's, but with a made-up clock (one millisecond per uid from 2023-01-01) and
    /// seeded random bits, so the data is reproducible and each uid index grows at its end, as it does
    /// when the app records data, instead of taking a million random insertions.
    fn uid(&mut self) -> String {
        self.1 += 1;
        let mut random = [0u8; 10];
        random[..8].copy_from_slice(&self.next().to_le_bytes());
        random[8..].copy_from_slice(&self.next().to_le_bytes()[..2]);
        uuid::Builder::from_unix_timestamp_millis(1_672_531_200_000 + self.1, &random).into_uuid().to_string()
    }
}

/// Given names and family names per country, with the email-friendly Latin spelling used for addresses.
struct Names {
    country: &'static str,
    given: &'static [(&'static str, &'static str, &'static str)],
    family: &'static [(&'static str, &'static str)],
}

const NAMES: &[Names] = &[
    Names {
        country: "UA",
        given: &[
            ("Олена", "olena", "female"),
            ("Андрій", "andrii", "male"),
            ("Ірина", "iryna", "female"),
            ("Мар’яна", "maryana", "female"),
            ("Тарас", "taras", "male"),
            ("Юлія", "yulia", "female"),
            ("Дмитро", "dmytro", "male"),
            ("Богдан", "bohdan", "male"),
            ("Софія", "sofia", "female"),
            ("Євген", "yevhen", "male"),
            ("Аліна", "alina", "female"),
            ("Ґанна", "hanna", "female"),
        ],
        family: &[
            ("Коваленко", "kovalenko"),
            ("Шевчук", "shevchuk"),
            ("Бондаренко", "bondarenko"),
            ("Ткачук", "tkachuk"),
            ("Мельник", "melnyk"),
            ("Олійник", "oliinyk"),
            ("Гнатюк", "hnatiuk"),
            ("Поліщук", "polishchuk"),
        ],
    },
    Names {
        country: "GE",
        given: &[
            ("ნინო", "nino", "female"),
            ("გიორგი", "giorgi", "male"),
            ("მარიამ", "mariam", "female"),
            ("ლევან", "levan", "male"),
            ("თამარ", "tamar", "female"),
            ("დავით", "davit", "male"),
            ("ანა", "ana", "female"),
            ("ირაკლი", "irakli", "male"),
        ],
        family: &[
            ("ბერიძე", "beridze"),
            ("კაპანაძე", "kapanadze"),
            ("გელაშვილი", "gelashvili"),
            ("ლომიძე", "lomidze"),
            ("მაისურაძე", "maisuradze"),
            ("ხუციშვილი", "khutsishvili"),
        ],
    },
    Names {
        country: "PL",
        given: &[
            ("Małgorzata", "malgorzata", "female"),
            ("Łukasz", "lukasz", "male"),
            ("Agnieszka", "agnieszka", "female"),
            ("Paweł", "pawel", "male"),
            ("Katarzyna", "katarzyna", "female"),
            ("Wojciech", "wojciech", "male"),
        ],
        family: &[
            ("Wiśniewska", "wisniewska"),
            ("Wójcik", "wojcik"),
            ("Kowalczyk", "kowalczyk"),
            ("Zieliński", "zielinski"),
            ("Szymańska", "szymanska"),
            ("Dąbrowski", "dabrowski"),
        ],
    },
    Names {
        country: "MD",
        given: &[
            ("Ion", "ion", "male"),
            ("Mihaela", "mihaela", "female"),
            ("Cristina", "cristina", "female"),
            ("Andrei", "andrei", "male"),
            ("Doina", "doina", "female"),
            ("Sergiu", "sergiu", "male"),
        ],
        family: &[
            ("Ciobanu", "ciobanu"),
            ("Țurcanu", "turcanu"),
            ("Sârbu", "sarbu"),
            ("Guțu", "gutu"),
            ("Bălan", "balan"),
        ],
    },
    Names {
        country: "BY",
        given: &[
            ("Алесь", "ales", "male"),
            ("Святлана", "sviatlana", "female"),
            ("Андрэй", "andrei", "male"),
            ("Вольга", "volha", "female"),
        ],
        family: &[("Кавалёў", "kavaleu"), ("Ціханоўская", "tsikhanouskaya"), ("Бяляцкі", "bialiatski")],
    },
];

/// Country of a person: mostly the country of their name, sometimes another of the region, sometimes blank.
const OTHER_COUNTRIES: &[&str] = &["UA", "GE", "MD", "PL", "BY", "AM", "AZ", "LT", "DE"];

/// Genders as people write them: mostly the usual two, some self-described, some not given at all.
/// Stored as the core stores them: the category (from `gender::builtin_category`) and the words.
fn gender(rng: &mut Rng, usual: &'static str) -> Option<&'static str> {
    match rng.below(100) {
        0..=79 => Some(usual),
        80..=84 => Some(if usual == "female" { "Female" } else { "Male" }),
        85..=87 => Some("non-binary"),
        88..=89 => Some("Non-Binary"),
        90..=91 => Some("prefer not to say"),
        92..=93 => Some(""),
        _ => None,
    }
}

const KINDS: &[&str] = &["webinar", "webinar", "webinar", "training", "meeting", "conference", "contest", "other"];
const ZONES: &[&str] =
    &["Europe/Kyiv", "Europe/Kyiv", "Asia/Tbilisi", "Europe/Chisinau", "Europe/Warsaw", "Europe/Berlin"];
const TOPICS: &[&str] = &[
    "Documenting war crimes",
    "Digital security for activists",
    "Solidarity with political prisoners",
    "Monitoring elections",
    "Strategic litigation",
    "Safe fundraising",
    "Media literacy",
];

/// A person's generated disability answers: person id, the six short-set domains, the plain answer.
type Disability = (i64, [Option<&'static str>; 6], Option<&'static str>);

/// Rows waiting to be inserted, many to a statement.
struct Batch {
    head: &'static str,
    width: usize,
    values: Vec<Value>,
}

impl Batch {
    const ROWS: usize = 100;

    fn new(head: &'static str, width: usize) -> Batch {
        Batch { head, width, values: Vec::with_capacity(width * Batch::ROWS) }
    }

    fn row<const N: usize>(&mut self, tx: &Transaction, values: [Value; N]) -> Result<()> {
        debug_assert_eq!(N, self.width);
        self.values.extend(values);
        if self.values.len() == self.width * Batch::ROWS {
            self.finish(tx)?;
        }
        Ok(())
    }

    /// Inserts the rows waiting; the statement for a full batch is prepared once and cached.
    fn finish(&mut self, tx: &Transaction) -> Result<()> {
        let rows = self.values.len() / self.width;
        if rows == 0 {
            return Ok(());
        }
        let one = format!("({})", vec!["?"; self.width].join(", "));
        let sql = format!("{} VALUES {}", self.head, vec![one.as_str(); rows].join(", "));
        tx.prepare_cached(&sql)?.execute(rusqlite::params_from_iter(self.values.drain(..)))?;
        Ok(())
    }
}

/// Inserts the data described by `spec` in one transaction with prepared statements.
pub fn generate(conn: &mut Connection, spec: &StressSpec) -> Result<StressSummary> {
    if spec.events == 0 || spec.people == 0 || spec.projects == 0 {
        return Err(Error::invalid("spec", "projects, events and people must be at least 1"));
    }
    let max_pairs = spec.events as u128 * spec.people as u128;
    if spec.attendances as u128 > max_pairs / 2 {
        return Err(Error::invalid(
            "attendances",
            "at most half of all person-event pairs can be generated; add events or people",
        ));
    }
    let started = Instant::now();
    let mut rng = Rng(spec.seed ^ 0x5eed_0fa1_17e5, 0);
    let organisations = if spec.organisations > 0 { spec.organisations } else { (spec.people / 50).clamp(1, 5_000) };
    let now = db::now();

    // A larger page cache while generating keeps the indexes being filled in memory; restored afterwards.
    let cache_size: i64 = conn.query_row("PRAGMA cache_size", [], |r| r.get(0))?;
    conn.execute_batch("PRAGMA cache_size = -131072")?;
    let result = fill(conn, spec, &mut rng, organisations, &now);
    conn.execute_batch(&format!("PRAGMA cache_size = {cache_size}"))?;
    let summary = result?;
    let summary = StressSummary { millis: started.elapsed().as_millis() as u64, ..summary };
    log::info!(
        "stress data generated: {} events, {} people, {} attendances in {} ms",
        summary.events,
        summary.people,
        summary.attendances,
        summary.millis
    );
    Ok(summary)
}

fn fill(
    conn: &mut Connection,
    spec: &StressSpec,
    rng: &mut Rng,
    organisations: usize,
    now: &str,
) -> Result<StressSummary> {
    db::write(conn, |tx| {
        let mut project_ids = Vec::with_capacity(spec.projects);
        {
            let mut insert = tx.prepare(
                "INSERT INTO projects (uid, name, code, donor, start_date, end_date, status, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, '2023-01-01', '2025-12-31', 'active', ?5, ?5)",
            )?;
            for p in 0..spec.projects {
                insert.execute(params![
                    rng.uid(),
                    format!("Stress project {} (seed {})", p + 1, spec.seed),
                    format!("STRESS-{}", p + 1),
                    "European Union",
                    now
                ])?;
                project_ids.push(tx.last_insert_rowid());
            }
        }

        let mut org_ids = Vec::with_capacity(organisations);
        {
            let mut insert = tx.prepare(
                "INSERT INTO organisations (uid, name, country, kind, name_key, created_at, updated_at)
                 VALUES (?1, ?2, ?3, 'ngo', ?4, ?5, ?5)",
            )?;
            for o in 0..organisations {
                let names = rng.pick(NAMES);
                let name = format!("{} {} #{}", rng.pick(names.family).0, rng.pick(TOPICS), o + 1);
                insert.execute(params![rng.uid(), name, names.country, crate::text::fold(&name), now])?;
                org_ids.push(tx.last_insert_rowid());
            }
        }

        // Events: the first project gets half of them (at least one each), spread over three years.
        let mut event_ids = Vec::with_capacity(spec.events);
        let mut event_starts = Vec::with_capacity(spec.events);
        {
            let mut insert = tx.prepare(
                "INSERT INTO events (uid, project_id, title, kind, starts_at, timezone, starts_utc, duration_minutes,
                                     platform, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'Zoom', ?9, ?9)",
            )?;
            let base = chrono::NaiveDate::from_ymd_opt(2023, 1, 2).expect("valid date");
            for e in 0..spec.events {
                let project = if spec.projects == 1 || e % 2 == 0 { project_ids[0] } else { *rng.pick(&project_ids) };
                let day = base + chrono::Days::new(rng.below(3 * 365) as u64);
                let local = day
                    .and_hms_opt(10 + rng.below(9) as u32, if rng.chance(50) { 0 } else { 30 }, 0)
                    .expect("valid time");
                let zone = *rng.pick(ZONES);
                let tz = crate::events::parse_timezone(zone)?;
                let utc = crate::events::to_utc(local, tz)?;
                insert.execute(params![
                    rng.uid(),
                    project,
                    format!("{} #{}", rng.pick(TOPICS), e + 1),
                    rng.pick(KINDS),
                    local.format("%Y-%m-%dT%H:%M").to_string(),
                    zone,
                    utc.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
                    60 + 30 * rng.below(6) as i64,
                    now
                ])?;
                event_ids.push(tx.last_insert_rowid());
                event_starts.push(local);
            }
            // Each event is run by one of (up to) three partner organisations, for the organiser dimension,
            // chosen without the main generator so the rest of the data stays as it was for a seed.
            let mut organiser = tx.prepare("UPDATE events SET organiser_id = ?2 WHERE id = ?1")?;
            let partners = &org_ids[..org_ids.len().min(3)];
            for (e, id) in event_ids.iter().enumerate() {
                organiser.execute(params![id, partners[e % partners.len()]])?;
            }
        }

        // People and attendance go in 100 rows per statement: SQLite's cost per statement (a savepoint, in
        // which the name index flushes, and a statement journal for the triggers) then counts 100 times less.
        // People get explicit ids, so their ids are known without asking after each row.
        let mut person_ids = Vec::with_capacity(spec.people);
        {
            let first_id: i64 = tx.query_row("SELECT coalesce(max(id), 0) + 1 FROM people", [], |r| r.get(0))?;
            let mut insert = Batch::new(
                "INSERT INTO people (id, uid, full_name, email, organisation_id, country, gender, email_key, name_key,
                                     search_key, created_at, updated_at, gender_text, birth_year, age_band,
                                     participant_type)",
                16,
            );
            let mut donor_rng = Rng(spec.seed ^ 0xd0_4015, 0);
            let mut disabilities: Vec<Disability> = Vec::new();
            for i in 0..spec.people {
                let names = rng.pick(NAMES);
                let (given, given_latin, usual) = *rng.pick(names.given);
                let (family, family_latin) = *rng.pick(names.family);
                let full_name = format!("{given} {family}");
                let email = rng.chance(85).then(|| format!("{given_latin}.{family_latin}.{i}@example.org"));
                let org = rng.chance(70).then(|| *rng.pick(&org_ids));
                let country = match rng.below(100) {
                    0..=84 => Some(names.country),
                    85..=94 => Some(*rng.pick(OTHER_COUNTRIES)),
                    _ => None,
                };
                let gender = gender(rng, usual).filter(|g| !g.is_empty());
                let category = gender.map(|g| match crate::gender::builtin_category(g) {
                    Some(crate::gender::NOT_STATED) => None,
                    Some(c) => Some(c),
                    None => Some(crate::gender::SELF_DESCRIBED),
                });
                let (email_key, name_key, search_key) = people::keys(&full_name, email.as_deref());
                let id = first_id + i as i64;
                // Donor fields: most people give a year of birth, some only an age band; most a type.
                let r = &mut donor_rng;
                let birth_year = r.chance(80).then(|| 1950 + r.below(58) as i64);
                let age_band =
                    (birth_year.is_none() && r.chance(50)).then(|| *r.pick(&["18-24", "25-34", "35-49", "50-64"]));
                let participant_type = r.chance(85).then(|| {
                    *r.pick(&[
                        "civil_society",
                        "civil_society",
                        "human_rights_defender",
                        "journalist",
                        "public_official",
                        "academic",
                        "student",
                        "other",
                    ])
                });
                if r.chance(20) {
                    const ANSWERS: [&str; 4] =
                        ["no_difficulty", "some_difficulty", "a_lot_of_difficulty", "cannot_do_at_all"];
                    if r.chance(70) {
                        let mut domains = [None; 6];
                        for d in domains.iter_mut() {
                            let a = match r.below(100) {
                                0..=79 => 0,
                                80..=93 => 1,
                                94..=98 => 2,
                                _ => 3,
                            };
                            *d = Some(ANSWERS[a]);
                        }
                        disabilities.push((id, domains, None));
                    } else {
                        disabilities.push((id, [None; 6], Some(*r.pick(&["yes", "no", "no", "prefers_not_to_say"]))));
                    }
                }
                insert.row(
                    tx,
                    [
                        Value::Integer(id),
                        Value::Text(rng.uid()),
                        Value::Text(full_name),
                        email.map_or(Value::Null, Value::Text),
                        org.map_or(Value::Null, Value::Integer),
                        country.map_or(Value::Null, |c| Value::Text(c.into())),
                        category.flatten().map_or(Value::Null, |g| Value::Text(g.into())),
                        email_key.map_or(Value::Null, Value::Text),
                        Value::Text(name_key),
                        Value::Text(search_key),
                        Value::Text(now.into()),
                        Value::Text(now.into()),
                        gender.map_or(Value::Null, |g| Value::Text(g.into())),
                        birth_year.map_or(Value::Null, Value::Integer),
                        age_band.map_or(Value::Null, |b| Value::Text(b.into())),
                        participant_type.map_or(Value::Null, |t| Value::Text(t.into())),
                    ],
                )?;
                person_ids.push(id);
            }
            insert.finish(tx)?;
            // Disability answers exist only under a consent, here as in the app.
            let mut consent = tx.prepare(
                "INSERT INTO consents (uid, person_id, purpose, given_on, method, created_at, updated_at)
                 VALUES (?1, ?2, ?3, '2024-01-01', 'registration form', ?4, ?4)",
            )?;
            let mut answers = tx.prepare(
                "INSERT INTO person_disability (person_id, consent_id, seeing, hearing, walking, remembering, self_care,
                                                communicating, answer, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            )?;
            for (id, d, answer) in &disabilities {
                consent.execute(params![donor_rng.uid(), id, crate::disability::CONSENT_PURPOSE, now])?;
                let consent_id = tx.last_insert_rowid();
                answers.execute(params![id, consent_id, d[0], d[1], d[2], d[3], d[4], d[5], answer, now])?;
            }
        }

        // Attendance: each event gets a share around the mean; people are drawn with a skew, so a core of
        // regulars comes to many events and most people to a few, as in real projects.
        let mut written = 0usize;
        {
            let mut insert = Batch::new(
                "INSERT INTO attendance (uid, event_id, person_id, role, status, minutes, first_join, last_leave,
                                         source, created_at, updated_at)",
                11,
            );
            let mean = spec.attendances / spec.events;
            let mut extra = spec.attendances - mean * spec.events;
            let mut seen = HashSet::new();
            for (&event_id, &start) in event_ids.iter().zip(&event_starts) {
                let mut n = mean;
                if extra > 0 {
                    n += 1;
                    extra -= 1;
                }
                let n = n.min(spec.people / 2);
                seen.clear();
                while seen.len() < n {
                    // The square of a uniform number favours low indexes: the regulars.
                    let u = rng.below(spec.people) as u128;
                    let idx = if rng.chance(30) { (u * u / spec.people as u128) as usize } else { u as usize };
                    if !seen.insert(idx) {
                        continue;
                    }
                    let role = match rng.below(100) {
                        0..=91 => "participant",
                        92..=95 => "speaker",
                        96..=97 => "moderator",
                        _ => "organiser",
                    };
                    let (status, minutes) = match rng.below(100) {
                        0..=81 => ("attended", if rng.chance(95) { Some(5 + rng.below(180) as i64) } else { None }),
                        82..=89 => ("registered", None),
                        90..=96 => ("absent", None),
                        _ => ("cancelled", None),
                    };
                    // Imported attendance carries the first join and last leave, as the importer stores them
                    // (local wall-clock time of the event).
                    let (join, leave) = match minutes {
                        Some(m) => {
                            let join = start + chrono::Duration::minutes(rng.below(15) as i64 - 5);
                            let leave = join + chrono::Duration::minutes(m);
                            let f = |t: chrono::NaiveDateTime| t.format("%Y-%m-%dT%H:%M:%S").to_string();
                            (Some(f(join)), Some(f(leave)))
                        }
                        None => (None, None),
                    };
                    insert.row(
                        tx,
                        [
                            Value::Text(rng.uid()),
                            Value::Integer(event_id),
                            Value::Integer(person_ids[idx]),
                            Value::Text(role.into()),
                            Value::Text(status.into()),
                            minutes.map_or(Value::Null, Value::Integer),
                            join.map_or(Value::Null, Value::Text),
                            leave.map_or(Value::Null, Value::Text),
                            Value::Text("import".into()),
                            Value::Text(now.into()),
                            Value::Text(now.into()),
                        ],
                    )?;
                    written += 1;
                }
            }
            insert.finish(tx)?;
        }
        Ok(StressSummary {
            seed: spec.seed,
            project_ids,
            organisations,
            events: event_ids.len(),
            people: person_ids.len(),
            attendances: written,
            millis: 0,
        })
    })
}
