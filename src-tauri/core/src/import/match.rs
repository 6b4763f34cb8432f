//! Matching rows to people, inside the caller's transaction. Both the preview (rolled back) and the
//! commit run this, so they agree.
//!
//! Row by row:
//! - A row with an email takes the person with that email key, else the person who has it as another
//!   address (`person_emails`, kept from an earlier decision: rule `other_email`). With none, it looks at people of the same
//!   folded name who were in the database before the import: none gives a new person (or the person this
//!   file already created from a row without email, which then gets the email); exactly one without an
//!   email is that person; one with a different email, or several, is ambiguous.
//! - A row without email takes the one person of that folded name (created by this file or not); none
//!   gives a new person; several is ambiguous. Rows of the same name keep the first decision.
//! - Ambiguous rows take the caller's resolution for their key, else the policy.
//!
//! Architecture invariant: matching never merges two people without a decision; it reads people through
//! the database and the writer's pending batch, and writes only through `write::Writer`.

use rusqlite::{params, OptionalExtension};

use super::apply::{Decision, Run, AMBIGUOUS_LIMIT, CANDIDATES};
use super::options::{Action, AmbiguousPolicy};
use super::report::{AmbiguityReason, Ambiguous, MatchRule, Reason, Skipped};
use super::row::Row;
use super::write::NewPerson;
use crate::db;
use crate::error::{Error, Result};
use crate::organisations::{self, OrganisationInput};
use crate::people::{self, Person, Valid};
use crate::text;
use crate::validate;

impl Run<'_> {
    /// Matches a row (corrected in place: an invisible name, a bracket that is a known organisation) and
    /// records its attendance; returns the person, or None when it is left out or undecided.
    pub(super) fn match_row(&mut self, row: &mut Row) -> Result<Option<i64>> {
        // A name of zero-width spaces, joiners or direction marks alone shows as blank and folds to
        // nothing, so every such name would match every other: it is no name. Every parser's rows come
        // through here, so this holds for all formats and pasted lists.
        if text::fold(&row.name).is_empty() {
            match &row.email {
                Some(email) => {
                    self.warn(Skipped::new(row.line, Reason::InvisibleName { email_used: true }));
                    row.name = email.clone();
                }
                None => {
                    self.skip(Skipped::new(row.line, Reason::InvisibleName { email_used: false }));
                    self.review.hint.code = Some("invisible_name");
                    return Ok(None);
                }
            }
        }
        // A bracket that read as a person's name but is an organisation the database knows
        // ("Olena Koval (Amnesty International)") is the organisation; the name is the one before it.
        if let Some(display) = row.display.take() {
            if organisations::find_by_name(self.w.tx, &row.name)?.is_some() {
                row.bracket = Some(std::mem::replace(&mut row.name, display));
            }
        }
        if super::row::damaged(&row.name) {
            self.warn(Skipped::new(row.line, Reason::DamagedName { name: row.name.clone() }));
        }
        let person = match row.email.clone() {
            Some(email) => self.by_email(row, &email)?,
            None => self.by_name(row)?,
        };
        if let Some(id) = person {
            let overlap = self.w.attend(id, row)?;
            if overlap > 0 {
                self.warn(Skipped::new(row.line, Reason::OverlapCountedOnce { minutes: overlap }));
            }
        }
        Ok(person)
    }

    fn by_email(&mut self, row: &Row, email: &str) -> Result<Option<i64>> {
        if let Some(d) = self.emails.get(email) {
            return Ok(d.person());
        }
        if let Some(&id) = self.w.pending.emails.get(email) {
            return Ok(Some(id));
        }
        let mut ids: Vec<i64> = self
            .w
            .tx
            .prepare_cached("SELECT id FROM people WHERE email_key = ?1 ORDER BY id LIMIT 21")?
            .query_map([email], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        // An address kept from an earlier decision (`person_emails`) is that person's, unless someone
        // now has it as their own email.
        let mut rule = MatchRule::Email;
        if ids.is_empty() {
            ids = self
                .w
                .tx
                .prepare_cached("SELECT person_id FROM person_emails WHERE email_key = ?1")?
                .query_map([email], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            rule = MatchRule::OtherEmail;
        }
        // Only ambiguity outcomes are remembered per email: anything else is found again by the lookups,
        // and remembering every email of a million-row report would cost memory for nothing.
        let key = || format!("email:{email}");
        let decision = match ids.as_slice() {
            [id] => {
                self.review.hint.rule = Some(rule);
                Decision::Person(*id)
            }
            [] => {
                let name_key = text::fold(&row.name);
                let existing = self.named(&name_key, false)?;
                match existing.as_slice() {
                    [] => {
                        // A row of this file without email, of the same name, already made this person.
                        match self.guests_created(&name_key)?.as_slice() {
                            [guest] => {
                                self.give_email(*guest, email, &name_key)?;
                                Decision::Person(*guest)
                            }
                            _ => self.create(row, name_key)?,
                        }
                    }
                    [id] => {
                        let other: Option<String> = self
                            .w
                            .tx
                            .prepare_cached("SELECT email_key FROM people WHERE id = ?1")?
                            .query_row([id], |r| r.get(0))?;
                        match other {
                            None => {
                                self.review.hint.rule = Some(MatchRule::Name);
                                Decision::Person(*id)
                            }
                            Some(_) => {
                                self.ambiguous_email(key(), email, row, vec![*id], AmbiguityReason::OtherEmail)?
                            }
                        }
                    }
                    many => self.ambiguous_email(key(), email, row, many.to_vec(), AmbiguityReason::SeveralPeople)?,
                }
            }
            many => self.ambiguous_email(key(), email, row, many.to_vec(), AmbiguityReason::SeveralPeople)?,
        };
        Ok(decision.person())
    }

    fn by_name(&mut self, row: &Row) -> Result<Option<i64>> {
        let name_key = text::fold(&row.name);
        if let Some(d) = self.names.get(&name_key) {
            return Ok(d.person());
        }
        let same_name = self.named(&name_key, true)?;
        let decision = match same_name.as_slice() {
            [] => match self.reordered(&row.name)?.as_slice() {
                [] => self.create(row, name_key.clone())?,
                // "Ткаченко Наталія" beside "Наталія Ткаченко": maybe one person written surname first,
                // maybe two people; offered, never merged without a decision.
                others => {
                    self.ambiguous(format!("name:{name_key}"), row, others.to_vec(), AmbiguityReason::NameOrder)?
                }
            },
            [id] => {
                self.review.hint.rule = Some(MatchRule::Name);
                Decision::Person(*id)
            }
            many => self.ambiguous(format!("name:{name_key}"), row, many.to_vec(), AmbiguityReason::SeveralPeople)?,
        };
        self.names.insert(name_key, decision);
        Ok(decision.person())
    }

    /// People from before the run whose name has the same words in another order (names of two to four
    /// words; the folded name index answers each order).
    fn reordered(&self, name: &str) -> Result<Vec<i64>> {
        let words: Vec<String> = text::fold(name).split_whitespace().map(str::to_string).collect();
        if !(2..=4).contains(&words.len()) {
            return Ok(Vec::new());
        }
        let original = words.join(" ");
        let mut ids = Vec::new();
        for order in permutations(&words) {
            let key = order.join(" ");
            if key != original {
                ids.extend(self.named(&key, false)?);
            }
        }
        ids.sort_unstable();
        ids.dedup();
        Ok(ids)
    }

    /// Ids of the people with this folded name: only those from before the run, or (`all`) those the run
    /// created too. The name index alone answers, without reading the people rows.
    fn named(&self, name_key: &str, all: bool) -> Result<Vec<i64>> {
        let limit = if all { i64::MAX } else { self.w.max_person };
        let mut ids: Vec<i64> = self
            .w
            .tx
            .prepare_cached("SELECT id FROM people WHERE name_key = ?1 AND id <= ?2 ORDER BY id LIMIT 21")?
            .query_map(params![name_key, limit], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        if all {
            ids.extend(self.w.pending.names.get(name_key).into_iter().flatten());
        }
        Ok(ids)
    }

    /// People this run created without an email, with this folded name.
    fn guests_created(&self, name_key: &str) -> Result<Vec<i64>> {
        Ok(self.guests.get(name_key).cloned().unwrap_or_default())
    }

    /// Gives a person this run created without an email the email of a later row of the same name.
    fn give_email(&mut self, person_id: i64, email: &str, name_key: &str) -> Result<()> {
        if let Some(ids) = self.guests.get_mut(name_key) {
            ids.retain(|id| *id != person_id);
        }
        if let Some(p) = self.w.pending.person_mut(person_id) {
            p.valid.email = Some(email.to_string());
            self.w.pending.emails.insert(email.to_string(), person_id);
            return Ok(());
        }
        let name: String =
            self.w.tx.query_row("SELECT full_name FROM people WHERE id = ?1", [person_id], |r| r.get(0))?;
        let (email_key, _, search_key) = people::keys(&name, Some(email));
        self.w.tx.execute(
            "UPDATE people SET email = ?2, email_key = ?3, search_key = ?4 WHERE id = ?1",
            params![person_id, email, email_key, search_key],
        )?;
        Ok(())
    }

    /// An ambiguous email row. The decision is remembered for the email's later rows, except "new": the
    /// person created then has the email, so the lookup finds them.
    fn ambiguous_email(
        &mut self,
        key: String,
        email: &str,
        row: &Row,
        ids: Vec<i64>,
        reason: AmbiguityReason,
    ) -> Result<Decision> {
        let action = self.resolutions.get(key.as_str()).map(|r| r.action);
        let made_new = action == Some(Action::New) || (action.is_none() && self.policy == AmbiguousPolicy::New);
        let decision = self.ambiguous(key, row, ids, reason)?;
        if !made_new {
            self.emails.insert(email.to_string(), decision);
        }
        Ok(decision)
    }

    /// Applies the resolution (or the policy) to an ambiguous row and lists it.
    fn ambiguous(&mut self, key: String, row: &Row, mut ids: Vec<i64>, reason: AmbiguityReason) -> Result<Decision> {
        ids.truncate(CANDIDATES);
        let resolution = self.resolutions.get(key.as_str()).copied();
        let action = resolution.map(|r| r.action).or(match self.policy {
            AmbiguousPolicy::Ask => None,
            AmbiguousPolicy::New => Some(Action::New),
            AmbiguousPolicy::Skip => Some(Action::Skip),
        });
        let decision = match action {
            // Refused in `Run::start`: renames are for rows (`line:N`), not ambiguities.
            None | Some(Action::Rename) => Decision::Pending,
            Some(Action::Skip) => Decision::Skip,
            Some(Action::New) => self.create(row, text::fold(&row.name))?,
            Some(Action::Person) => {
                let id = resolution.and_then(|r| r.person_id).unwrap_or_default();
                let name_key: Option<String> = match self.w.pending.person(id) {
                    Some(p) => Some(p.name_key.clone()),
                    None => self
                        .w
                        .tx
                        .query_row("SELECT name_key FROM people WHERE id = ?1", [id], |r| r.get(0))
                        .optional()?,
                };
                // A person this run created only exists for this run: accept its id only if it is the
                // same person again (same name), or the database changed since the preview.
                match name_key {
                    Some(k) if id <= self.w.max_person || k == text::fold(&row.name) => {
                        // The decision is remembered: the report's address becomes one of the person's,
                        // so the next report with it matches by email without asking again.
                        if let (Some(email), true) = (&row.email, id <= self.w.max_person && key.starts_with("email:"))
                        {
                            people::keep_email(self.w.tx, id, email, "import", Some(self.w.import_id))?;
                        }
                        self.review.hint.rule = Some(MatchRule::Decision);
                        Decision::Person(id)
                    }
                    _ => {
                        return Err(Error::invalid(
                            "resolutions",
                            format!(
                            "the decision for line {} names person {id}, who does not exist; preview the file again",
                            row.line
                        ),
                        ))
                    }
                }
            }
        };
        self.review.hint.key = Some(key.clone());
        match decision {
            Decision::Pending => self.review.hint.pending = true,
            Decision::Skip => self.review.hint.code = Some("decided_skip"),
            Decision::Person(_) => {}
        }
        self.out.ambiguous_total += 1;
        if decision == Decision::Pending {
            self.out.undecided += 1;
            if self.out.undecided_lines.len() < 20 {
                self.out.undecided_lines.push(row.line);
            }
        }
        if self.out.ambiguous.len() >= AMBIGUOUS_LIMIT {
            return Ok(decision);
        }
        let mut candidates = Vec::with_capacity(ids.len());
        for &id in &ids {
            candidates.push(self.candidate(id)?);
        }
        self.out.ambiguous.push(Ambiguous {
            key,
            line: row.line,
            name: row.name.clone(),
            email: row.email.clone(),
            reason,
            candidates,
            decision: match decision {
                Decision::Pending => None,
                _ => action,
            },
            person_id: decision.person(),
        });
        Ok(decision)
    }

    /// A candidate for an ambiguous row, from the database or, if this run created them and they are not
    /// written yet, from the pending batch.
    pub(super) fn candidate(&mut self, id: i64) -> Result<Person> {
        let Some(p) = self.w.pending.person(id) else {
            if id > self.w.max_person {
                return people::get(self.w.tx, id);
            }
            if let Some(known) = self.candidates.get(&id) {
                return Ok(known.clone());
            }
            let person = people::get(self.w.tx, id)?;
            self.candidates.insert(id, person.clone());
            return Ok(person);
        };
        let organisation_name = match p.organisation_id {
            Some(o) => Some(self.w.tx.query_row("SELECT name FROM organisations WHERE id = ?1", [o], |r| r.get(0))?),
            None => None,
        };
        Ok(Person {
            id,
            uid: p.uid.clone(),
            full_name: p.valid.full_name.clone(),
            email: p.valid.email.clone(),
            organisation_id: p.organisation_id,
            organisation_name,
            country: p.valid.country.clone(),
            gender: p.valid.gender.clone(),
            gender_text: p.valid.gender_text.clone(),
            birth_year: p.valid.birth_year,
            age_band: p.valid.age_band.clone(),
            participant_type: p.valid.participant_type.clone(),
            notes: String::new(),
            created_at: self.w.now.clone(),
            updated_at: self.w.now.clone(),
            events_attended: 0,
        })
    }

    /// Creates the person of a row (written with the next batch); a row whose name cannot be stored is
    /// skipped instead.
    fn create(&mut self, row: &Row, name_key: String) -> Result<Decision> {
        let full_name = match validate::required("full_name", &row.name) {
            Ok(n) => n,
            Err(e) => {
                self.skip(Skipped::new(row.line, Reason::NameRefused { message: e.to_string() }));
                self.review.hint.code = Some("name_refused");
                return Ok(Decision::Skip);
            }
        };
        // Gender words are mapped to a category (the words kept); a year of birth or age band that cannot
        // be read is left out with a warning, and the person is still created.
        let gender = match crate::gender::parse(self.w.tx, row.gender.as_deref()) {
            Ok(g) => g,
            Err(e) => {
                self.warn(Skipped::new(row.line, Reason::GenderRefused { message: e.to_string() }));
                crate::gender::Gender::default()
            }
        };
        let birth_year = match people::birth_year(row.birth_year) {
            Ok(y) => y,
            Err(e) => {
                let reason = Reason::DetailRefused { field: "year of birth".into(), message: e.to_string() };
                self.warn(Skipped::new(row.line, reason));
                None
            }
        };
        let age_band = match crate::projects::age_band_label("age_band", row.age_band.as_deref()) {
            Ok(b) => b,
            Err(e) => {
                self.warn(Skipped::new(
                    row.line,
                    Reason::DetailRefused { field: "age band".into(), message: e.to_string() },
                ));
                None
            }
        };
        let participant_type =
            crate::projects::participant_type_key("participant_type", row.participant_type.as_deref()).unwrap_or(None);
        let organisation_id = match (&row.organisation, &row.bracket) {
            (Some(name), _) => self.organisation(name, row.line)?,
            // "Olena Koval (Promo-LEX)": a bracket naming an organisation the database knows is the new
            // person's organisation; an unknown one is not created (it may be a nickname or a note).
            (None, Some(bracket)) => organisations::find_by_name(self.w.tx, bracket)?,
            (None, None) => None,
        };
        let id = self.w.pending.next_id;
        self.w.pending.next_id += 1;
        let valid = Valid {
            full_name,
            email: row.email.clone(),
            country: row.country.clone(),
            gender: gender.category,
            gender_text: gender.text,
            birth_year,
            age_band,
            participant_type,
            notes: String::new(),
        };
        match &valid.email {
            Some(e) => {
                self.w.pending.emails.insert(e.clone(), id);
            }
            None => self.guests.entry(name_key.clone()).or_default().push(id),
        }
        self.w.pending.names.entry(name_key.clone()).or_default().push(id);
        self.w.pending.people.push(NewPerson { id, uid: db::new_uid(), valid, organisation_id, name_key });
        self.out.people_created += 1;
        Ok(Decision::Person(id))
    }

    /// The organisation of that name, created if there is none.
    fn organisation(&mut self, name: &str, line: u64) -> Result<Option<i64>> {
        let key = text::fold(name);
        if let Some(id) = self.organisations.get(&key) {
            return Ok(*id);
        }
        let id = match organisations::find_by_name(self.w.tx, name)? {
            Some(id) => Some(id),
            None => match organisations::create(
                self.w.tx,
                &OrganisationInput { name: name.to_string(), ..Default::default() },
            ) {
                Ok(o) => Some(o.id),
                Err(Error::Invalid { message, .. }) => {
                    self.warn(Skipped::new(line, Reason::OrganisationRefused { message }));
                    None
                }
                Err(e) => return Err(e),
            },
        };
        self.organisations.insert(key, id);
        Ok(id)
    }
}

/// Every order of the words (at most 4! = 24).
fn permutations(words: &[String]) -> Vec<Vec<String>> {
    if words.len() <= 1 {
        return vec![words.to_vec()];
    }
    let mut out = Vec::new();
    for i in 0..words.len() {
        let mut rest = words.to_vec();
        let first = rest.remove(i);
        for mut tail in permutations(&rest) {
            tail.insert(0, first.clone());
            out.push(tail);
        }
    }
    out
}
