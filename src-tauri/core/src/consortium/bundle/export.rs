//! Writing a bundle: this site's events of a project changed since the last bundle to each recipient (or
//! all of them, `full`), each with its whole attendance list, the people, organisations and consents they
//! refer to, people changed since, and erasure markers; encrypted to every recipient and signed.
//!
//! Versions: a row's version is the value of `site_clock` when it last changed here (`site_changes`; a
//! person or organisation never changed since it was created has version 0). The export reads the clock
//! as the bundle's `sequence`, sends rows with a version above the recipients' last sequence, then moves
//! the clock on, all in one transaction with the file write: if the file cannot be written, nothing is
//! recorded as sent.
//!
//! Pseudonymous: people travel as their code under the consortium key (see `key`), with only gender,
//! country and organisation; no name, email, notes, aliases or consents. The codes sent are remembered
//! (`sent_pseudonyms`) so a later erasure can be sent as the code the partner knows.

use std::collections::{HashMap, HashSet};
use std::io::Write;
use std::path::{Path, PathBuf};

use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

use super::format::{
    self, AttendanceRow, ConsentRow, EventRow, OrganisationRow, Payload, PersonRow, ProjectRow, Sender,
};
use crate::consortium::contacts::{self, Contact};
use crate::consortium::identity;
use crate::consortium::key::Coder;
use crate::db::{self, Table};
use crate::error::{Error, Result};

/// What to export.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ExportOptions {
    pub project_id: i64,
    /// The partners to send to: fingerprints (any case, dashes optional) or contact ids.
    pub to: Vec<String>,
    pub out: PathBuf,
    /// Everything of the project, not only what changed since the last bundle to these partners.
    pub full: bool,
    /// People as pseudonymous codes (needs the consortium key).
    pub pseudonymous: bool,
}

/// A recipient of a bundle.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Recipient {
    pub contact_id: i64,
    pub name: String,
    pub fingerprint: String,
}

/// What an export wrote.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BundleExported {
    pub bundle_uid: String,
    pub path: String,
    pub bytes: u64,
    pub project_id: i64,
    pub recipients: Vec<Recipient>,
    pub sequence: i64,
    pub since: i64,
    pub full: bool,
    pub pseudonymous: bool,
    pub events: u64,
    pub attendances: u64,
    pub people: u64,
    pub organisations: u64,
    pub consents: u64,
    pub erasures: u64,
}

fn version_of(tx: &Connection, entity: &str, id: i64) -> Result<i64> {
    Ok(tx
        .prepare_cached("SELECT version FROM site_changes WHERE entity = ?1 AND key = ?2")?
        .query_row(params![entity, id.to_string()], |r| r.get(0))
        .optional()?
        .unwrap_or(0))
}

/// Writes a bundle of the project for the partners in `options.to`.
pub fn export(conn: &mut Connection, options: &ExportOptions) -> Result<BundleExported> {
    db::ensure_exists(conn, Table::Projects, options.project_id)?;
    if options.to.is_empty() {
        return Err(Error::invalid("to", "name at least one partner (fingerprint) to send to"));
    }
    let keys = identity::keys(conn)?;
    let mut recipients: Vec<Contact> = Vec::new();
    for r in &options.to {
        let c = contacts::find(conn, r)?;
        if c.removed_at.is_some() {
            return Err(Error::invalid(
                "to",
                format!("partner {} ({}) was removed; add its card again first", c.id, c.fingerprint),
            ));
        }
        if !recipients.iter().any(|x| x.id == c.id) {
            recipients.push(c);
        }
    }
    let coder = if options.pseudonymous {
        Some(Coder::load(conn)?.ok_or_else(|| {
            Error::invalid(
                "pseudonymous",
                "this installation has no consortium key: create one (`consortium key`) or store the one your consortium uses (`consortium key --set`)",
            )
        })?)
    } else {
        None
    };
    let ages = recipients
        .iter()
        .map(|c| c.age_recipient.parse::<age::x25519::Recipient>())
        .collect::<std::result::Result<Vec<_>, _>>()
        .map_err(|_| Error::internal("a partner's stored encryption key is damaged"))?;
    let out = options.out.clone();
    let exported = db::write(conn, |tx| {
        let sequence: i64 = tx.query_row("SELECT version FROM site_clock WHERE id = 1", [], |r| r.get(0))?;
        let since = if options.full {
            0
        } else {
            let mut since = i64::MAX;
            for c in &recipients {
                let v: Option<i64> = tx
                    .query_row(
                        "SELECT version FROM contact_exports WHERE contact_id = ?1 AND project_id = ?2",
                        params![c.id, options.project_id],
                        |r| r.get(0),
                    )
                    .optional()?;
                since = since.min(v.unwrap_or(0));
            }
            since
        };
        let payload = collect(tx, &keys, &recipients, options, coder.as_ref(), sequence, since)?;
        let plain = serde_json::to_vec(&payload).map_err(|e| Error::internal(e.to_string()))?;
        let sealed = format::seal(&keys, &ages, &plain)?;
        let attendances: usize = payload.events.iter().map(|e| e.attendance.len()).sum();
        let ids: Vec<i64> = recipients.iter().map(|c| c.id).collect();
        tx.execute("UPDATE site_clock SET version = version + 1 WHERE id = 1", [])?;
        for c in &recipients {
            tx.execute(
                "INSERT INTO contact_exports (contact_id, project_id, version) VALUES (?1, ?2, ?3)
                 ON CONFLICT (contact_id, project_id) DO UPDATE SET version = max(version, excluded.version)",
                params![c.id, options.project_id, sequence],
            )?;
        }
        tx.execute(
            "INSERT INTO bundles (uid, direction, recipients, site_uid, project_id, sequence, since, pseudonymous,
                                  file_name, file_sha256, events, attendances, people, erasures, created_at)
             VALUES (?1, 'sent', ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
            params![
                payload.bundle_uid,
                serde_json::to_string(&ids).unwrap_or_default(),
                keys.site_uid,
                options.project_id,
                sequence,
                since,
                options.pseudonymous,
                super::file_name(&out),
                super::sha256_hex(&sealed),
                payload.events.len() as i64,
                attendances as i64,
                payload.people.len() as i64,
                payload.erasures.len() as i64,
                db::now()
            ],
        )?;
        write_file(tx, &out, &sealed)?;
        Ok(BundleExported {
            bundle_uid: payload.bundle_uid.clone(),
            path: out.display().to_string(),
            bytes: sealed.len() as u64,
            project_id: options.project_id,
            recipients: recipients
                .iter()
                .map(|c| Recipient { contact_id: c.id, name: c.name.clone(), fingerprint: c.fingerprint.clone() })
                .collect(),
            sequence,
            since,
            full: options.full,
            pseudonymous: options.pseudonymous,
            events: payload.events.len() as u64,
            attendances: attendances as u64,
            people: payload.people.len() as u64,
            organisations: payload.organisations.len() as u64,
            consents: payload.consents.len() as u64,
            erasures: payload.erasures.len() as u64,
        })
    })?;
    log::info!(
        "bundle {} of project {} written for {} partner(s): {} events, {} attendances, {} people, {} erasures, {} bytes",
        exported.bundle_uid,
        exported.project_id,
        exported.recipients.len(),
        exported.events,
        exported.attendances,
        exported.people,
        exported.erasures,
        exported.bytes
    );
    Ok(exported)
}

/// Writes the file through the durable-file helper: never over the database or its files, private from
/// its first byte, renamed into place when complete.
fn write_file(conn: &Connection, out: &Path, bytes: &[u8]) -> Result<()> {
    if let Some(dir) = out.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    }
    let mut staged = crate::files::Staged::create(out, "bundle", crate::db::file_of(conn).as_deref(), "path")?;
    let temp = staged.temp_path().to_path_buf();
    staged.file().write_all(bytes).map_err(|e| Error::io(&temp, e))?;
    staged.commit()
}

/// uid, full_name, email, organisation_id, country, gender, email_key, name_key.
type PersonColumns =
    (String, String, Option<String>, Option<i64>, Option<String>, Option<String>, Option<String>, String);

struct Organisations<'a> {
    tx: &'a Connection,
    ids: Vec<i64>,
    seen: HashSet<i64>,
}

impl Organisations<'_> {
    fn uid(&mut self, id: Option<i64>) -> Result<Option<String>> {
        let Some(id) = id else { return Ok(None) };
        if self.seen.insert(id) {
            self.ids.push(id);
        }
        Ok(Some(self.tx.prepare_cached("SELECT uid FROM organisations WHERE id = ?1")?.query_row([id], |r| r.get(0))?))
    }
}

fn collect(
    tx: &Connection,
    keys: &identity::Keys,
    recipients: &[Contact],
    options: &ExportOptions,
    coder: Option<&Coder>,
    sequence: i64,
    since: i64,
) -> Result<Payload> {
    let project = tx.query_row(
        "SELECT uid, name, code, donor, start_date, end_date, status FROM projects WHERE id = ?1",
        [options.project_id],
        |r| {
            Ok(ProjectRow {
                uid: r.get(0)?,
                name: r.get(1)?,
                code: r.get(2)?,
                donor: r.get(3)?,
                start_date: r.get(4)?,
                end_date: r.get(5)?,
                status: r.get(6)?,
            })
        },
    )?;
    let mut orgs = Organisations { tx, ids: Vec::new(), seen: HashSet::new() };
    let own_org = orgs.uid(keys.organisation_id)?;

    // This site's events of the project, with the version of their last change.
    let mut stmt = tx.prepare(
        "SELECT e.id, e.uid, coalesce(c.version, 0), e.title, e.kind, e.starts_at, e.timezone, e.duration_minutes,
                e.platform, e.link, e.recording_link, e.language, e.organiser_id
           FROM events e LEFT JOIN site_changes c ON c.entity = 'event' AND c.key = CAST(e.id AS TEXT)
          WHERE e.project_id = ?1 AND e.origin_site IS NULL
          ORDER BY e.starts_utc, e.id",
    )?;
    let mut rows = stmt.query([options.project_id])?;
    let mut events: Vec<(i64, EventRow, Option<i64>)> = Vec::new();
    while let Some(r) = rows.next()? {
        let id: i64 = r.get(0)?;
        let version: i64 = r.get(2)?;
        if since > 0 && version <= since {
            continue;
        }
        events.push((
            id,
            EventRow {
                uid: r.get(1)?,
                version,
                title: r.get(3)?,
                kind: r.get(4)?,
                starts_at: r.get(5)?,
                timezone: r.get(6)?,
                duration_minutes: r.get(7)?,
                platform: r.get(8)?,
                link: r.get(9)?,
                recording_link: r.get(10)?,
                language: r.get(11)?,
                organiser_uid: None,
                attendance: Vec::new(),
            },
            r.get(12)?,
        ));
    }
    drop(rows);
    drop(stmt);

    // People: those the sent attendance refers to, and those changed since who attend any of this site's
    // events of the project.
    let mut people: Vec<i64> = Vec::new();
    let mut seen: HashSet<i64> = HashSet::new();
    let mut attendance: Vec<Vec<(i64, AttendanceRow)>> = Vec::with_capacity(events.len());
    {
        let mut stmt = tx.prepare_cached(
            "SELECT uid, person_id, role, status, minutes, first_join, last_leave FROM attendance WHERE event_id = ?1 ORDER BY id",
        )?;
        for (id, _, _) in &events {
            let mut list = Vec::new();
            let mut rows = stmt.query([id])?;
            while let Some(r) = rows.next()? {
                let person: i64 = r.get(1)?;
                if seen.insert(person) {
                    people.push(person);
                }
                list.push((
                    person,
                    AttendanceRow {
                        uid: r.get(0)?,
                        person_uid: String::new(),
                        role: r.get(2)?,
                        status: r.get(3)?,
                        minutes: r.get(4)?,
                        first_join: r.get(5)?,
                        last_leave: r.get(6)?,
                    },
                ));
            }
            attendance.push(list);
        }
    }
    if since > 0 {
        let mut stmt = tx.prepare(
            "SELECT DISTINCT a.person_id FROM site_changes c JOIN attendance a ON a.person_id = CAST(c.key AS INTEGER)
               JOIN events e ON e.id = a.event_id
              WHERE c.entity = 'person' AND c.version > ?1 AND e.project_id = ?2 AND e.origin_site IS NULL",
        )?;
        for id in stmt.query_map(params![since, options.project_id], |r| r.get::<_, i64>(0))? {
            let id = id?;
            if seen.insert(id) {
                people.push(id);
            }
        }
    }

    let mut person_rows = Vec::with_capacity(people.len());
    let mut sent_uid: HashMap<i64, String> = HashMap::with_capacity(people.len());
    let mut codes_sent: HashSet<String> = HashSet::new();
    let mut consents = Vec::new();
    {
        let mut stmt = tx.prepare_cached(
            "SELECT uid, full_name, email, organisation_id, country,
                    CASE WHEN gender = 'self_described' THEN coalesce(gender_text, gender) ELSE gender END,
                    email_key, name_key FROM people WHERE id = ?1",
        )?;
        let mut aliases = tx.prepare_cached("SELECT uid FROM person_aliases WHERE person_id = ?1 ORDER BY uid")?;
        let mut consent_stmt = tx.prepare_cached(
            "SELECT uid, purpose, given_on, method, withdrawn_on FROM consents WHERE person_id = ?1 ORDER BY id",
        )?;
        for &id in &people {
            let (uid, full_name, email, org, country, gender, email_key, name_key): PersonColumns = stmt
                .query_row([id], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?, r.get(7)?))
                })?;
            let version = version_of(tx, "person", id)?;
            let organisation_uid = orgs.uid(org)?;
            match coder {
                Some(coder) => {
                    let code = coder.uid(email_key.as_deref(), &name_key);
                    tx.prepare_cached(
                        "INSERT INTO sent_pseudonyms (person_uid, code_uid) VALUES (?1, ?2)
                         ON CONFLICT (person_uid) DO UPDATE SET code_uid = excluded.code_uid",
                    )?
                    .execute(params![uid, code])?;
                    sent_uid.insert(id, code.clone());
                    // Two records of one person here (same email) are one code: sent once.
                    if codes_sent.insert(code.clone()) {
                        person_rows.push(PersonRow {
                            uid: code,
                            version,
                            aliases: Vec::new(),
                            full_name: None,
                            email: None,
                            organisation_uid,
                            country,
                            // A pseudonymous bundle carries the category only: the words of a
                            // self-described gender could point at the person.
                            gender: gender.map(|g| {
                                if crate::gender::CATEGORIES.contains(&g.as_str()) {
                                    g
                                } else {
                                    crate::gender::SELF_DESCRIBED.to_string()
                                }
                            }),
                        });
                    }
                }
                None => {
                    let alias_list =
                        aliases.query_map([id], |r| r.get::<_, String>(0))?.collect::<rusqlite::Result<Vec<_>>>()?;
                    for c in consent_stmt.query_map([id], |r| {
                        Ok(ConsentRow {
                            uid: r.get(0)?,
                            person_uid: uid.clone(),
                            purpose: r.get(1)?,
                            given_on: r.get(2)?,
                            method: r.get(3)?,
                            withdrawn_on: r.get(4)?,
                        })
                    })? {
                        consents.push(c?);
                    }
                    sent_uid.insert(id, uid.clone());
                    person_rows.push(PersonRow {
                        uid,
                        version,
                        aliases: alias_list,
                        full_name: Some(full_name),
                        email,
                        organisation_uid,
                        country,
                        gender,
                    });
                }
            }
        }
    }

    let mut event_rows = Vec::with_capacity(events.len());
    for ((_, mut row, organiser), list) in events.into_iter().zip(attendance) {
        row.organiser_uid = match organiser {
            Some(o) => orgs.uid(Some(o))?,
            None => own_org.clone(),
        };
        row.attendance = list
            .into_iter()
            .map(|(person, mut a)| {
                a.person_uid = sent_uid.get(&person).cloned().unwrap_or_default();
                a
            })
            .collect();
        event_rows.push(row);
    }

    // Erasure markers: uids only; in a pseudonymous bundle, only as the codes partners were sent.
    let mut erasures = Vec::new();
    {
        let mut stmt =
            tx.prepare("SELECT key FROM site_changes WHERE entity = 'erasure' AND version > ?1 ORDER BY key")?;
        let mut code = tx.prepare("SELECT code_uid FROM sent_pseudonyms WHERE person_uid = ?1")?;
        for uid in stmt.query_map([if since > 0 { since } else { -1 }], |r| r.get::<_, String>(0))? {
            let uid = uid?;
            if coder.is_some() {
                if let Some(c) = code.query_row([&uid], |r| r.get::<_, String>(0)).optional()? {
                    erasures.push(c);
                }
            } else {
                erasures.push(uid);
            }
        }
    }

    let mut organisations = Vec::with_capacity(orgs.ids.len());
    {
        let mut stmt =
            tx.prepare_cached("SELECT uid, name, short_name, country, kind FROM organisations WHERE id = ?1")?;
        for &id in &orgs.ids {
            let version = version_of(tx, "organisation", id)?;
            organisations.push(stmt.query_row([id], |r| {
                Ok(OrganisationRow {
                    uid: r.get(0)?,
                    version,
                    name: r.get(1)?,
                    short_name: r.get(2)?,
                    country: r.get(3)?,
                    kind: r.get(4)?,
                })
            })?);
        }
    }
    let own_name: Option<String> = match keys.organisation_id {
        Some(id) => tx.query_row("SELECT name FROM organisations WHERE id = ?1", [id], |r| r.get(0)).optional()?,
        None => None,
    };
    Ok(Payload {
        format: format::FORMAT,
        bundle_uid: db::new_uid(),
        sender: Sender {
            site_uid: keys.site_uid.clone(),
            fingerprint: keys.fingerprint.clone(),
            name: own_name.unwrap_or_else(|| "Rollcall".into()),
            organisation_uid: own_org,
        },
        recipients: recipients.iter().map(|c| c.fingerprint.clone()).collect(),
        created_at: db::now(),
        sequence,
        since,
        pseudonymous: coder.is_some(),
        project,
        organisations,
        people: person_rows,
        consents,
        events: event_rows,
        erasures,
    })
}
