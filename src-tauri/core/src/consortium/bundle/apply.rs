//! Applying a bundle: verify the signature against the trusted partners' cards, decrypt, check that the
//! sender and the recipients inside agree with what was verified, then apply everything in one
//! transaction. A preview runs the same code and rolls back, so its figures are the commit's.
//!
//! Order inside the transaction:
//! 1. Erasure markers: each uid (and the local person it is or is an alias of) is erased with
//!    `privacy`'s erasure, keeping anonymous totals, and recorded in `erasures`, so no bundle, however
//!    late, brings the person back.
//! 2. The project: by uid, by an alias, else the one project of the same name (remembered as an alias),
//!    else a new project with the sender's uid.
//! 3. Organisations: the sender's own organisation is our contact's organisation; others by uid, alias or
//!    name, else created with the sender's uid. An existing organisation is never changed by a bundle.
//! 4. People: by uid, then by an alias (of the uid or of any alias the sender knows the person by), then
//!    (not for pseudonymous codes) by email and name with the import's rules and decisions
//!    (`Ambiguous`, `Resolution`, `AmbiguousPolicy`; keys `person:<uid>`). A match or decision is
//!    remembered as an alias. A person created here keeps the sender's uid. A person found by their own
//!    uid takes the sender's fields when the sender's version is newer; a person matched by email, name or
//!    decision is the receiver's own record and is left as it is.
//! 5. Events: only if the sender's version is newer than the one applied; an event owned by another site
//!    (or by this one) is never touched. Its attendance list is replaced by the bundle's (records of one
//!    local person merged: higher role and status, larger minutes).
//! 6. The history row.

use std::collections::HashMap;
use std::path::Path;

use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

use super::format::{self, EventRow, Payload, PersonRow};
use crate::consortium::contacts::Contact;
use crate::consortium::identity;
use crate::consortium::key::{self, Coder};
use crate::db;
use crate::error::{Error, Result};
use crate::events;
use crate::import::{Action, AmbiguityReason, Ambiguous, AmbiguousPolicy, Resolution};
use crate::people;
use crate::privacy;
use crate::text;

/// At most this many ambiguous people are listed with their candidates (all are counted).
const AMBIGUOUS_LIMIT: usize = 500;
const CANDIDATES: usize = 20;

/// How to apply a bundle.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ApplyOptions {
    /// Work out what applying would do, and change nothing.
    pub dry_run: bool,
    /// What to do with people who need a decision and have no resolution.
    pub ambiguous: AmbiguousPolicy,
    /// Decisions, keyed `person:<uid>` as listed in `BundleApplied::ambiguous`.
    pub resolutions: Vec<Resolution>,
}

/// What applying a bundle did (or, with `dry_run`, would do).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct BundleApplied {
    pub dry_run: bool,
    /// This bundle was applied before: nothing was done.
    pub already_applied: bool,
    pub bundle_uid: String,
    pub file_name: String,
    /// The partner who sent it.
    pub contact_id: i64,
    pub contact_name: String,
    pub fingerprint: String,
    /// The sender's clock when it was written, and the version after which its changes start.
    pub sequence: i64,
    pub since: i64,
    pub pseudonymous: bool,
    /// The local project it landed in, and whether it was created for it.
    pub project_id: i64,
    pub project_name: String,
    pub project_created: bool,
    pub events_new: u64,
    pub events_changed: u64,
    /// Events whose version here is already as new (re-applied or older bundles).
    pub events_unchanged: u64,
    /// Events the bundle may not change (owned by another site), left as they are.
    pub events_refused: u64,
    pub attendances_new: u64,
    pub attendances_changed: u64,
    pub attendances_removed: u64,
    /// Attendance records left out because their person was skipped, undecided or erased.
    pub attendances_skipped: u64,
    pub people_new: u64,
    /// People found here (by uid, alias, email or name, or decided).
    pub people_matched: u64,
    /// People found by uid whose details the bundle changed.
    pub people_changed: u64,
    pub organisations_new: u64,
    pub consents_new: u64,
    /// People erased here by the bundle's erasure markers.
    pub people_erased: u64,
    /// People who need a decision (the first 500, with candidates); `ambiguous_total` counts all.
    pub ambiguous: Vec<Ambiguous>,
    pub ambiguous_total: u64,
    pub undecided: u64,
}

/// Verifies, previews or applies a bundle file. Refused bundles (altered, unknown or removed signer,
/// addressed to someone else) are `Error::Invalid` with field `bundle`, and nothing is changed.
pub fn apply(conn: &mut Connection, path: &Path, options: &ApplyOptions) -> Result<BundleApplied> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    let keys = identity::keys(conn)?;
    let (contact, ciphertext) = format::verify(conn, &keys, &bytes)?;
    let plain = format::decrypt(&keys, ciphertext)?;
    let payload: Payload = serde_json::from_slice(&plain)
        .map_err(|_| Error::invalid("bundle", "the bundle's content cannot be read; nothing was changed"))?;
    drop(plain);
    if payload.format != format::FORMAT {
        return Err(Error::invalid(
            "bundle",
            format!("this bundle has format {}; install a newer Rollcall to apply it", payload.format),
        ));
    }
    if payload.sender.site_uid != contact.site_uid || payload.sender.fingerprint != contact.fingerprint {
        return Err(Error::invalid(
            "bundle",
            "the bundle names another sender than the partner whose key signed it; nothing was changed",
        ));
    }
    if !payload.recipients.contains(&keys.fingerprint) {
        return Err(Error::invalid("bundle", "this bundle is addressed to other partners; nothing was changed"));
    }
    let file_name = super::file_name(path);
    let mut summary = BundleApplied {
        dry_run: options.dry_run,
        bundle_uid: payload.bundle_uid.clone(),
        file_name: file_name.clone(),
        contact_id: contact.id,
        contact_name: contact.name.clone(),
        fingerprint: contact.fingerprint.clone(),
        sequence: payload.sequence,
        since: payload.since,
        pseudonymous: payload.pseudonymous,
        ..Default::default()
    };
    let previous: Option<i64> = conn
        .query_row(
            "SELECT project_id FROM bundles WHERE uid = ?1 AND direction = 'applied'",
            [&payload.bundle_uid],
            |r| r.get(0),
        )
        .optional()?
        .map(|p: Option<i64>| p.unwrap_or(0));
    if let Some(project_id) = previous {
        summary.already_applied = true;
        summary.project_id = project_id;
        summary.project_name = conn
            .query_row("SELECT name FROM projects WHERE id = ?1", [project_id], |r| r.get(0))
            .optional()?
            .unwrap_or_default();
        log::info!("bundle {} from partner {} was applied before; nothing to do", payload.bundle_uid, contact.id);
        return Ok(summary);
    }
    let sha256 = super::sha256_hex(&bytes);
    if options.dry_run {
        // Run for real and roll back (the transaction is dropped unfinished).
        let tx = conn.unchecked_transaction()?;
        Run::new(&tx, &contact, &payload, options, false)?.run(&mut summary)?;
        drop(tx);
    } else {
        db::write(conn, |tx| {
            Run::new(tx, &contact, &payload, options, true)?.run(&mut summary)?;
            tx.execute(
                "INSERT INTO bundles (uid, direction, contact_id, site_uid, project_id, sequence, since, pseudonymous,
                                      file_name, file_sha256, events, attendances, people, erasures, created_at)
                 VALUES (?1, 'applied', ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
                params![
                    payload.bundle_uid,
                    contact.id,
                    contact.site_uid,
                    summary.project_id,
                    payload.sequence,
                    payload.since,
                    payload.pseudonymous,
                    file_name,
                    sha256,
                    (summary.events_new + summary.events_changed) as i64,
                    (summary.attendances_new + summary.attendances_changed + summary.attendances_removed) as i64,
                    (summary.people_new + summary.people_changed) as i64,
                    summary.people_erased as i64,
                    db::now()
                ],
            )?;
            Ok(())
        })?;
        if summary.people_erased > 0 {
            // Empty the write-ahead log, so no copy of the erased rows stays in it.
            crate::db::checkpoint(conn)?;
        }
    }
    log::info!(
        "bundle {} from partner {}{}: {} events new, {} changed, {} unchanged; {} attendances new, {} changed, {} removed; {} people new, {} matched, {} ambiguous; {} erased",
        summary.bundle_uid,
        contact.id,
        if options.dry_run { " (preview)" } else { "" },
        summary.events_new,
        summary.events_changed,
        summary.events_unchanged,
        summary.attendances_new,
        summary.attendances_changed,
        summary.attendances_removed,
        summary.people_new,
        summary.people_matched,
        summary.ambiguous_total,
        summary.people_erased
    );
    Ok(summary)
}

/// What became of a person of the bundle here.
#[derive(Clone, Copy, PartialEq)]
enum Decision {
    Person(i64),
    Skip,
    Pending,
}

struct Run<'a> {
    tx: &'a Connection,
    contact: &'a Contact,
    payload: &'a Payload,
    site: &'a str,
    resolutions: HashMap<&'a str, &'a Resolution>,
    policy: AmbiguousPolicy,
    refuse_pending: bool,
    organisations: HashMap<&'a str, Option<i64>>,
    people: HashMap<&'a str, Decision>,
    /// Local people by their pseudonymous code, built on the first code that is not found by uid.
    codes: Option<HashMap<String, i64>>,
    coder: Option<Coder>,
    undecided_keys: Vec<String>,
}

/// Role and status ranks, as the importer merges them.
fn role_rank(role: &str) -> u8 {
    match role {
        "organiser" => 3,
        "moderator" => 2,
        "speaker" => 1,
        _ => 0,
    }
}

fn status_rank(status: &str) -> u8 {
    match status {
        "attended" => 3,
        "absent" => 2,
        "cancelled" => 1,
        _ => 0,
    }
}

#[derive(Clone, PartialEq)]
struct Record {
    uid: String,
    role: String,
    status: String,
    minutes: Option<i64>,
    first_join: Option<String>,
    last_leave: Option<String>,
}

impl Record {
    fn merge(&mut self, other: Record) {
        if role_rank(&other.role) > role_rank(&self.role) {
            self.role = other.role;
        }
        if status_rank(&other.status) > status_rank(&self.status) {
            self.status = other.status;
        }
        self.minutes = match (self.minutes, other.minutes) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        };
        self.first_join = match (self.first_join.take(), other.first_join) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        self.last_leave = match (self.last_leave.take(), other.last_leave) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        };
    }

    fn same_values(&self, other: &Record) -> bool {
        self.role == other.role
            && self.status == other.status
            && self.minutes == other.minutes
            && self.first_join == other.first_join
            && self.last_leave == other.last_leave
    }
}

impl<'a> Run<'a> {
    fn new(
        tx: &'a Connection,
        contact: &'a Contact,
        payload: &'a Payload,
        options: &'a ApplyOptions,
        refuse_pending: bool,
    ) -> Result<Run<'a>> {
        let mut resolutions = HashMap::new();
        for r in &options.resolutions {
            if r.action == Action::Person && r.person_id.is_none() {
                return Err(Error::invalid("resolutions", "a resolution with action \"person\" needs a person_id"));
            }
            if r.action == Action::Rename {
                return Err(Error::invalid(
                    "resolutions",
                    "a bundle's people cannot be renamed; decide person, new or skip",
                ));
            }
            resolutions.insert(r.key.as_str(), r);
        }
        Ok(Run {
            tx,
            contact,
            payload,
            site: &payload.sender.site_uid,
            resolutions,
            policy: options.ambiguous,
            refuse_pending,
            organisations: HashMap::new(),
            people: HashMap::new(),
            codes: None,
            coder: None,
            undecided_keys: Vec::new(),
        })
    }

    fn run(mut self, s: &mut BundleApplied) -> Result<()> {
        self.erasures(s)?;
        self.project(s)?;
        for o in &self.payload.organisations {
            let id = self.organisation(o, s)?;
            self.organisations.insert(&o.uid, id);
        }
        for (i, p) in self.payload.people.iter().enumerate() {
            let d = self.person(i, p, s)?;
            self.people.insert(&p.uid, d);
        }
        if self.refuse_pending && s.undecided > 0 {
            let shown: Vec<&str> = self.undecided_keys.iter().take(10).map(String::as_str).collect();
            let more = s.undecided as usize - shown.len();
            let more = if more > 0 { format!(" and {more} more") } else { String::new() };
            return Err(Error::invalid(
                "resolutions",
                format!(
                    "{} people in the bundle could be more than one person here, or match a person with another email, and need a decision (or a default: new or skip): {}{more}; nothing was changed",
                    s.undecided,
                    shown.join(", ")
                ),
            ));
        }
        for c in &self.payload.consents {
            if let Some(Decision::Person(id)) = self.people.get(c.person_uid.as_str()) {
                s.consents_new += self.tx.execute(
                    "INSERT INTO consents (uid, person_id, purpose, given_on, method, withdrawn_on, created_at, updated_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)
                     ON CONFLICT (uid) DO UPDATE SET withdrawn_on = excluded.withdrawn_on, updated_at = excluded.updated_at
                      WHERE withdrawn_on IS NOT excluded.withdrawn_on AND excluded.withdrawn_on IS NOT NULL",
                    params![c.uid, id, c.purpose, c.given_on, c.method, c.withdrawn_on, db::now()],
                )? as u64;
            }
        }
        for e in &self.payload.events {
            self.event(e, s)?;
        }
        Ok(())
    }

    fn applied_version(&self, entity: &str, uid: &str) -> Result<Option<i64>> {
        Ok(self
            .tx
            .prepare_cached("SELECT version FROM sync_versions WHERE site_uid = ?1 AND entity = ?2 AND uid = ?3")?
            .query_row(params![self.site, entity, uid], |r| r.get(0))
            .optional()?)
    }

    fn record_version(&self, entity: &str, uid: &str, version: i64) -> Result<()> {
        self.tx
            .prepare_cached(
                "INSERT INTO sync_versions (site_uid, entity, uid, version) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (site_uid, entity, uid) DO UPDATE SET version = max(version, excluded.version)",
            )?
            .execute(params![self.site, entity, uid, version])?;
        Ok(())
    }

    fn local_person(&self, uid: &str) -> Result<Option<i64>> {
        Ok(self
            .tx
            .prepare_cached(
                "SELECT id FROM people WHERE uid = ?1 UNION ALL SELECT person_id FROM person_aliases WHERE uid = ?1 LIMIT 1",
            )?
            .query_row([uid], |r| r.get(0))
            .optional()?)
    }

    fn is_erased(&self, uid: &str) -> Result<bool> {
        Ok(self
            .tx
            .prepare_cached("SELECT count(*) FROM erasures WHERE uid = ?1")?
            .query_row([uid], |r| r.get::<_, i64>(0))?
            > 0)
    }

    fn erasures(&mut self, s: &mut BundleApplied) -> Result<()> {
        let mut ids = Vec::new();
        for uid in &self.payload.erasures {
            if let Some(id) = self.local_person(uid)? {
                if !ids.contains(&id) {
                    ids.push(id);
                }
            }
        }
        s.people_erased = privacy::erase_in(self.tx, &ids)?.people as u64;
        let now = db::now();
        for uid in &self.payload.erasures {
            self.tx
                .prepare_cached("INSERT OR IGNORE INTO erasures (uid, erased_at) VALUES (?1, ?2)")?
                .execute(params![uid, now])?;
        }
        Ok(())
    }

    fn project(&mut self, s: &mut BundleApplied) -> Result<()> {
        let p = &self.payload.project;
        let mut id: Option<i64> = self
            .tx
            .query_row(
                "SELECT id FROM projects WHERE uid = ?1 UNION ALL SELECT project_id FROM project_aliases WHERE uid = ?1 LIMIT 1",
                [&p.uid],
                |r| r.get(0),
            )
            .optional()?;
        if id.is_none() {
            let key = text::fold(&p.name);
            let mut stmt = self.tx.prepare("SELECT id, name FROM projects")?;
            let same: Vec<i64> = stmt
                .query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?
                .filter_map(|r| r.ok())
                .filter(|(_, name)| text::fold(name) == key)
                .map(|(id, _)| id)
                .collect();
            if let [one] = same.as_slice() {
                self.tx.execute(
                    "INSERT OR IGNORE INTO project_aliases (uid, project_id) VALUES (?1, ?2)",
                    params![p.uid, one],
                )?;
                id = Some(*one);
            }
        }
        let id = match id {
            Some(id) => id,
            None => {
                let now = db::now();
                self.tx.execute(
                    "INSERT INTO projects (uid, name, code, donor, start_date, end_date, status, created_at, updated_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)",
                    params![p.uid, p.name, p.code, p.donor, p.start_date, p.end_date, p.status, now],
                )?;
                s.project_created = true;
                self.tx.last_insert_rowid()
            }
        };
        s.project_id = id;
        s.project_name = self.tx.query_row("SELECT name FROM projects WHERE id = ?1", [id], |r| r.get(0))?;
        Ok(())
    }

    fn organisation(&self, o: &format::OrganisationRow, s: &mut BundleApplied) -> Result<Option<i64>> {
        if self.payload.sender.organisation_uid.as_deref() == Some(o.uid.as_str()) {
            self.tx.execute(
                "INSERT OR IGNORE INTO organisation_aliases (uid, organisation_id) VALUES (?1, ?2)",
                params![o.uid, self.contact.organisation_id],
            )?;
            return Ok(Some(self.contact.organisation_id));
        }
        let found: Option<i64> = self
            .tx
            .query_row(
                "SELECT id FROM organisations WHERE uid = ?1
                 UNION ALL SELECT organisation_id FROM organisation_aliases WHERE uid = ?1 LIMIT 1",
                [&o.uid],
                |r| r.get(0),
            )
            .optional()?;
        if found.is_some() {
            return Ok(found);
        }
        if let Some(id) = crate::organisations::find_by_name(self.tx, &o.name)? {
            self.tx.execute(
                "INSERT OR IGNORE INTO organisation_aliases (uid, organisation_id) VALUES (?1, ?2)",
                params![o.uid, id],
            )?;
            return Ok(Some(id));
        }
        let name = match crate::validate::required("name", &o.name) {
            Ok(n) => n,
            Err(_) => return Ok(None),
        };
        let kind = if crate::organisations::KINDS.contains(&o.kind.as_str()) { o.kind.as_str() } else { "other" };
        let country = crate::validate::country("country", o.country.as_deref()).unwrap_or(None);
        let now = db::now();
        self.tx.execute(
            "INSERT INTO organisations (uid, name, short_name, country, kind, name_key, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)",
            params![o.uid, name, o.short_name, country, kind, text::fold(&name), now],
        )?;
        s.organisations_new += 1;
        Ok(Some(self.tx.last_insert_rowid()))
    }

    fn org_of(&self, uid: &Option<String>) -> Option<i64> {
        uid.as_deref().and_then(|u| self.organisations.get(u).copied().flatten())
    }

    fn remember(&self, uids: &[&str], person_id: i64) -> Result<()> {
        for uid in uids {
            self.tx
                .prepare_cached("INSERT OR IGNORE INTO person_aliases (uid, person_id) SELECT ?1, ?2 WHERE NOT EXISTS (SELECT 1 FROM people WHERE uid = ?1)")?
                .execute(params![uid, person_id])?;
        }
        Ok(())
    }

    fn person(&mut self, index: usize, p: &'a PersonRow, s: &mut BundleApplied) -> Result<Decision> {
        let mut all: Vec<&str> = vec![p.uid.as_str()];
        all.extend(p.aliases.iter().map(String::as_str));
        for uid in &all {
            if self.is_erased(uid)? {
                return Ok(Decision::Skip);
            }
        }
        let organisation_id = self.org_of(&p.organisation_uid);
        // Their own uid: the same record. A sender's later versions of a person it sent before apply; the
        // first time a site sends a person this installation already has (a pseudonymous code two partners
        // share, or a person this installation sent out), the record here stays as it is, as an import
        // leaves a matched person as they are.
        let applied = self.applied_version("person", &p.uid)?;
        let own: Option<i64> = self
            .tx
            .prepare_cached("SELECT id FROM people WHERE uid = ?1")?
            .query_row([&p.uid], |r| r.get(0))
            .optional()?;
        if let Some(id) = own {
            if applied.is_some_and(|v| p.version > v) && self.update_person(id, p, organisation_id)? {
                s.people_changed += 1;
            }
            s.people_matched += 1;
            self.record_version("person", &p.uid, p.version)?;
            return Ok(Decision::Person(id));
        }
        for uid in &all {
            if let Some(id) = self.local_person(uid)? {
                self.remember(&all, id)?;
                s.people_matched += 1;
                self.record_version("person", &p.uid, p.version)?;
                return Ok(Decision::Person(id));
            }
        }
        let decision = match &p.full_name {
            None => match self.by_code(&p.uid)? {
                Some(id) => Decision::Person(id),
                None => Decision::Person(self.create(p, organisation_id, s)?),
            },
            Some(name) => self.by_email_and_name(index, p, name, organisation_id, s)?,
        };
        if let Decision::Person(id) = decision {
            if !self
                .tx
                .query_row("SELECT uid = ?2 FROM people WHERE id = ?1", params![id, p.uid], |r| r.get::<_, bool>(0))?
            {
                s.people_matched += 1;
                self.remember(&all, id)?;
            }
            self.record_version("person", &p.uid, p.version)?;
        }
        Ok(decision)
    }

    /// A local person whose pseudonymous code (under this installation's consortium key) is this one:
    /// the lead's own participant who also came to a partner's event counts once.
    fn by_code(&mut self, code: &str) -> Result<Option<i64>> {
        if self.codes.is_none() {
            self.coder = key::Coder::load(self.tx)?;
            let mut map = HashMap::new();
            if let Some(coder) = &self.coder {
                let mut stmt = self.tx.prepare("SELECT id, email_key, name_key FROM people")?;
                let mut rows = stmt.query([])?;
                while let Some(r) = rows.next()? {
                    let email: Option<String> = r.get(1)?;
                    let name: String = r.get(2)?;
                    map.entry(coder.uid(email.as_deref(), &name)).or_insert(r.get::<_, i64>(0)?);
                }
            }
            self.codes = Some(map);
        }
        Ok(self.codes.as_ref().and_then(|m| m.get(code).copied()))
    }

    fn create(&mut self, p: &PersonRow, organisation_id: Option<i64>, s: &mut BundleApplied) -> Result<i64> {
        let full_name = match &p.full_name {
            Some(n) => crate::validate::required("full_name", n).unwrap_or_else(|_| key::display_code(&p.uid)),
            None => key::display_code(&p.uid),
        };
        let email = crate::validate::email("email", p.email.as_deref()).unwrap_or(None);
        let country = crate::validate::country("country", p.country.as_deref()).unwrap_or(None);
        // A partner's gender (a category code, or the words of a self-described one or from an older
        // Rollcall) is mapped like any other; what cannot be read is left out, as for country.
        let gender = crate::gender::parse(self.tx, p.gender.as_deref()).unwrap_or_default();
        let (email_key, name_key, search_key) = people::keys(&full_name, email.as_deref());
        let now = db::now();
        self.tx
            .prepare_cached(
                "INSERT INTO people (uid, full_name, email, organisation_id, country, gender, email_key, name_key, search_key,
                                     created_at, updated_at, gender_text)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10, ?11)",
            )?
            .execute(params![
                p.uid,
                full_name,
                email,
                organisation_id,
                country,
                gender.category,
                email_key,
                name_key,
                search_key,
                now,
                gender.text
            ])?;
        let id = self.tx.last_insert_rowid();
        if let Some(codes) = &mut self.codes {
            if let Some(coder) = &self.coder {
                codes.entry(coder.uid(email_key.as_deref(), &name_key)).or_insert(id);
            }
        }
        s.people_new += 1;
        Ok(id)
    }

    /// Overwrites a person's details with the sender's; returns whether anything changed.
    fn update_person(&self, id: i64, p: &PersonRow, organisation_id: Option<i64>) -> Result<bool> {
        let (name, email): (String, Option<String>) =
            self.tx
                .query_row("SELECT full_name, email FROM people WHERE id = ?1", [id], |r| Ok((r.get(0)?, r.get(1)?)))?;
        let full_name = p.full_name.clone().unwrap_or(name);
        let email = if p.full_name.is_some() {
            crate::validate::email("email", p.email.as_deref()).unwrap_or(None)
        } else {
            email
        };
        let country = crate::validate::country("country", p.country.as_deref()).unwrap_or(None);
        let gender = crate::gender::parse(self.tx, p.gender.as_deref()).unwrap_or_default();
        // The words are taken only with a new category, so a partner's bare code does not wipe the words a
        // person gave here for the same category.
        let (email_key, name_key, search_key) = people::keys(&full_name, email.as_deref());
        let n = self.tx.execute(
            "UPDATE people SET full_name = ?2, email = ?3, organisation_id = ?4, country = ?5,
                    gender_text = CASE WHEN gender IS NOT ?6 OR ?11 IS NOT NULL THEN ?11 ELSE gender_text END,
                    gender = ?6, email_key = ?7, name_key = ?8, search_key = ?9, updated_at = ?10
              WHERE id = ?1 AND (full_name IS NOT ?2 OR email IS NOT ?3 OR organisation_id IS NOT ?4 OR country IS NOT ?5
                                 OR gender IS NOT ?6 OR (?11 IS NOT NULL AND gender_text IS NOT ?11))",
            params![
                id,
                full_name,
                email,
                organisation_id,
                country,
                gender.category,
                email_key,
                name_key,
                search_key,
                db::now(),
                gender.text
            ],
        )?;
        Ok(n > 0)
    }

    fn ids(&self, sql: &str, key: &str) -> Result<Vec<i64>> {
        Ok(self.tx.prepare_cached(sql)?.query_map([key], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?)
    }

    /// The import's matching rules (see `import::apply`), for one person of the bundle.
    fn by_email_and_name(
        &mut self,
        index: usize,
        p: &PersonRow,
        name: &str,
        organisation_id: Option<i64>,
        s: &mut BundleApplied,
    ) -> Result<Decision> {
        let email_key = text::email_key(p.email.as_deref());
        let name_key = text::fold(name);
        let named = |r: &Self| r.ids("SELECT id FROM people WHERE name_key = ?1 ORDER BY id LIMIT 21", &name_key);
        let outcome: std::result::Result<i64, (Vec<i64>, AmbiguityReason)> = match &email_key {
            Some(email) => {
                let same_email = self.ids("SELECT id FROM people WHERE email_key = ?1 ORDER BY id LIMIT 21", email)?;
                match same_email.as_slice() {
                    [id] => Ok(*id),
                    [] => {
                        let same_name = named(self)?;
                        match same_name.as_slice() {
                            [] => return Ok(Decision::Person(self.create(p, organisation_id, s)?)),
                            [id] => {
                                let other: Option<String> =
                                    self.tx
                                        .query_row("SELECT email_key FROM people WHERE id = ?1", [id], |r| r.get(0))?;
                                match other {
                                    None => Ok(*id),
                                    Some(_) => Err((same_name, AmbiguityReason::OtherEmail)),
                                }
                            }
                            _ => Err((same_name, AmbiguityReason::SeveralPeople)),
                        }
                    }
                    _ => Err((same_email, AmbiguityReason::SeveralPeople)),
                }
            }
            None => {
                let same_name = named(self)?;
                match same_name.as_slice() {
                    [] => return Ok(Decision::Person(self.create(p, organisation_id, s)?)),
                    [id] => Ok(*id),
                    _ => Err((same_name, AmbiguityReason::SeveralPeople)),
                }
            }
        };
        match outcome {
            Ok(id) => Ok(Decision::Person(id)),
            Err((ids, reason)) => self.ambiguous(index, p, name, ids, reason, organisation_id, s),
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn ambiguous(
        &mut self,
        index: usize,
        p: &PersonRow,
        name: &str,
        mut ids: Vec<i64>,
        reason: AmbiguityReason,
        organisation_id: Option<i64>,
        s: &mut BundleApplied,
    ) -> Result<Decision> {
        ids.truncate(CANDIDATES);
        let key = format!("person:{}", p.uid);
        let resolution = self.resolutions.get(key.as_str()).copied();
        let action = resolution.map(|r| r.action).or(match self.policy {
            AmbiguousPolicy::Ask => None,
            AmbiguousPolicy::New => Some(Action::New),
            AmbiguousPolicy::Skip => Some(Action::Skip),
        });
        let decision = match action {
            // Refused in `Run::new`: renames are for the rows of an import.
            None | Some(Action::Rename) => Decision::Pending,
            Some(Action::Skip) => Decision::Skip,
            Some(Action::New) => Decision::Person(self.create(p, organisation_id, s)?),
            Some(Action::Person) => {
                let id = resolution.and_then(|r| r.person_id).unwrap_or_default();
                let exists: bool =
                    self.tx.query_row("SELECT count(*) > 0 FROM people WHERE id = ?1", [id], |r| r.get(0))?;
                if !exists {
                    return Err(Error::invalid(
                        "resolutions",
                        format!(
                            "the decision for {key} names person {id}, who does not exist; preview the bundle again"
                        ),
                    ));
                }
                Decision::Person(id)
            }
        };
        s.ambiguous_total += 1;
        if decision == Decision::Pending {
            s.undecided += 1;
            self.undecided_keys.push(key.clone());
        }
        if s.ambiguous.len() < AMBIGUOUS_LIMIT {
            let candidates = ids.iter().map(|&id| people::get(self.tx, id)).collect::<Result<Vec<_>>>()?;
            s.ambiguous.push(Ambiguous {
                key,
                line: index as u64 + 1,
                name: name.to_string(),
                email: p.email.clone(),
                reason,
                candidates,
                decision: if decision == Decision::Pending { None } else { action },
                person_id: match decision {
                    Decision::Person(id) => Some(id),
                    _ => None,
                },
            });
        }
        Ok(decision)
    }

    fn event(&mut self, e: &EventRow, s: &mut BundleApplied) -> Result<()> {
        let local: Option<(i64, Option<String>)> = self
            .tx
            .query_row("SELECT id, origin_site FROM events WHERE uid = ?1", [&e.uid], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        if let Some((_, origin)) = &local {
            if origin.as_deref() != Some(self.site) {
                s.events_refused += 1;
                return Ok(());
            }
        }
        if self.applied_version("event", &e.uid)?.is_some_and(|v| e.version <= v) {
            s.events_unchanged += 1;
            return Ok(());
        }
        let Some(local_start) = events::parse_local(&e.starts_at) else {
            s.events_refused += 1;
            return Ok(());
        };
        let tz = events::parse_timezone(&e.timezone)?;
        let starts_utc = events::to_utc(local_start, tz)?.format("%Y-%m-%dT%H:%M:%SZ").to_string();
        let kind = if events::KINDS.contains(&e.kind.as_str()) { e.kind.as_str() } else { "other" };
        let organiser = self.org_of(&e.organiser_uid).or(Some(self.contact.organisation_id));
        let now = db::now();
        let event_id = match local {
            Some((id, _)) => {
                let n = self.tx.execute(
                    "UPDATE events SET project_id = ?2, title = ?3, kind = ?4, starts_at = ?5, timezone = ?6, starts_utc = ?7,
                            duration_minutes = ?8, platform = ?9, link = ?10, recording_link = ?11, language = ?12,
                            organiser_id = ?13, updated_at = ?14
                      WHERE id = ?1 AND (project_id IS NOT ?2 OR title IS NOT ?3 OR kind IS NOT ?4 OR starts_at IS NOT ?5
                            OR timezone IS NOT ?6 OR duration_minutes IS NOT ?8 OR platform IS NOT ?9 OR link IS NOT ?10
                            OR recording_link IS NOT ?11 OR language IS NOT ?12 OR organiser_id IS NOT ?13)",
                    params![
                        id,
                        s.project_id,
                        e.title,
                        kind,
                        e.starts_at,
                        e.timezone,
                        starts_utc,
                        e.duration_minutes,
                        e.platform,
                        e.link,
                        e.recording_link,
                        e.language,
                        organiser,
                        now
                    ],
                )?;
                id_changed(&mut s.events_changed, n);
                id
            }
            None => {
                self.tx.execute(
                    "INSERT INTO events (uid, project_id, title, kind, starts_at, timezone, starts_utc, duration_minutes,
                                         platform, link, recording_link, language, organiser_id, origin_site, created_at, updated_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?15)",
                    params![
                        e.uid,
                        s.project_id,
                        e.title,
                        kind,
                        e.starts_at,
                        e.timezone,
                        starts_utc,
                        e.duration_minutes,
                        e.platform,
                        e.link,
                        e.recording_link,
                        e.language,
                        organiser,
                        self.site,
                        now
                    ],
                )?;
                s.events_new += 1;
                self.tx.last_insert_rowid()
            }
        };
        self.attendance(event_id, e, s)?;
        self.record_version("event", &e.uid, e.version)
    }

    /// Replaces the event's attendance list with the bundle's.
    fn attendance(&self, event_id: i64, e: &EventRow, s: &mut BundleApplied) -> Result<()> {
        let mut wanted: HashMap<i64, Record> = HashMap::with_capacity(e.attendance.len());
        for a in &e.attendance {
            let Some(Decision::Person(person)) = self.people.get(a.person_uid.as_str()).copied() else {
                s.attendances_skipped += 1;
                continue;
            };
            let role =
                if crate::attendance::ROLES.contains(&a.role.as_str()) { a.role.clone() } else { "participant".into() };
            let status = if crate::attendance::STATUSES.contains(&a.status.as_str()) {
                a.status.clone()
            } else {
                "attended".into()
            };
            let r = Record {
                uid: a.uid.clone(),
                role,
                status,
                minutes: a.minutes.filter(|m| *m >= 0),
                first_join: a.first_join.clone(),
                last_leave: a.last_leave.clone(),
            };
            match wanted.get_mut(&person) {
                Some(existing) => existing.merge(r),
                None => {
                    wanted.insert(person, r);
                }
            }
        }
        let mut stmt = self.tx.prepare_cached(
            "SELECT id, person_id, uid, role, status, minutes, first_join, last_leave FROM attendance WHERE event_id = ?1",
        )?;
        let existing: Vec<(i64, i64, Record)> = stmt
            .query_map([event_id], |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    Record {
                        uid: r.get(2)?,
                        role: r.get(3)?,
                        status: r.get(4)?,
                        minutes: r.get(5)?,
                        first_join: r.get(6)?,
                        last_leave: r.get(7)?,
                    },
                ))
            })?
            .collect::<rusqlite::Result<_>>()?;
        let now = db::now();
        for (id, person, record) in existing {
            match wanted.remove(&person) {
                None => {
                    self.tx.prepare_cached("DELETE FROM attendance WHERE id = ?1")?.execute([id])?;
                    s.attendances_removed += 1;
                }
                Some(w) if w.same_values(&record) => {}
                Some(w) => {
                    self.tx
                        .prepare_cached(
                            "UPDATE attendance SET role = ?2, status = ?3, minutes = ?4, first_join = ?5, last_leave = ?6,
                                    updated_at = ?7 WHERE id = ?1",
                        )?
                        .execute(params![id, w.role, w.status, w.minutes, w.first_join, w.last_leave, now])?;
                    s.attendances_changed += 1;
                }
            }
        }
        let mut insert = self.tx.prepare_cached(
            "INSERT INTO attendance (uid, event_id, person_id, role, status, minutes, first_join, last_leave, source,
                                     created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'import', ?9, ?9)",
        )?;
        let mut taken = self.tx.prepare_cached("SELECT count(*) FROM attendance WHERE uid = ?1")?;
        let mut rows: Vec<(i64, Record)> = wanted.into_iter().collect();
        rows.sort_by_key(|(person, _)| *person);
        for (person, w) in rows {
            let uid =
                if taken.query_row([&w.uid], |r| r.get::<_, i64>(0))? > 0 { db::new_uid() } else { w.uid.clone() };
            insert.execute(params![
                uid,
                event_id,
                person,
                w.role,
                w.status,
                w.minutes,
                w.first_join,
                w.last_leave,
                now
            ])?;
            s.attendances_new += 1;
        }
        Ok(())
    }
}

fn id_changed(counter: &mut u64, n: usize) {
    if n > 0 {
        *counter += 1;
    }
}
