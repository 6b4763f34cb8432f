//! `rollcall-cli person ...`

use std::path::PathBuf;

use clap::Subcommand;
use rollcall_core::db::{self, Table};
use rollcall_core::disability::{self, DisabilityInput};
use rollcall_core::gender;
use rollcall_core::people::{self, BulkUpdate, Missing, PeopleQuery, PersonInput, SuggestionQuery};

use crate::output::{fields, opt, table, Output};
use crate::{CmdResult, Ctx};

#[derive(Subcommand)]
pub enum PersonCmd {
    /// Create a person
    Add {
        #[arg(long)]
        name: String,
        #[arg(long)]
        email: Option<String>,
        /// ISO 3166 two-letter country code
        #[arg(long)]
        country: Option<String>,
        /// Organisation id
        #[arg(long)]
        org: Option<String>,
        #[arg(long)]
        notes: Option<String>,
        #[command(flatten)]
        donor: DonorFields,
    },
    /// Change a person: only the fields given change
    Update {
        id: String,
        #[arg(long)]
        name: Option<String>,
        #[arg(long)]
        email: Option<String>,
        /// ISO 3166 two-letter country code
        #[arg(long)]
        country: Option<String>,
        /// Organisation id
        #[arg(long)]
        org: Option<String>,
        #[arg(long)]
        notes: Option<String>,
        #[command(flatten)]
        donor: DonorFields,
    },
    /// The "needs review" list: self-described genders, each spelling once with its number of people
    GenderReview,
    /// Map a gender spelling to a category for everyone at once (and for later imports and forms)
    GenderMap {
        /// The spelling, as in `person gender-review` (case and accents do not matter)
        spelling: String,
        /// woman, man, non_binary, self_described, prefers_not_to_say or not_stated
        category: String,
    },
    /// List people, optionally only those whose name or email contains a text (any script, any case)
    List {
        #[arg(long)]
        search: Option<String>,
        /// Only members of this organisation
        #[arg(long)]
        org: Option<String>,
        /// Only people lacking all of these: country, gender, organisation (comma-separated)
        #[arg(long, value_name = "FIELD,...")]
        missing: Option<String>,
        /// At most this many
        #[arg(long, default_value_t = 0)]
        limit: i64,
        #[arg(long, default_value_t = 0)]
        offset: i64,
    },
    /// Set country, gender and/or organisation for many people at once (one transaction: all or none)
    BulkSet {
        /// Person ids, comma-separated (ids or uids)
        #[arg(long, value_name = "ID,...")]
        ids: String,
        /// ISO 3166 two-letter country code
        #[arg(long)]
        country: Option<String>,
        /// A gender category (woman, man, non_binary, self_described, prefers_not_to_say, not_stated) or the
        /// words as given
        #[arg(long)]
        gender: Option<String>,
        /// The text of a self-described gender
        #[arg(long)]
        gender_text: Option<String>,
        /// Organisation id
        #[arg(long)]
        organisation: Option<String>,
    },
    /// Suggest missing countries (from email country domains) and organisations (from domains
    /// organisations are known by); nothing is changed: apply the ones you confirm with `person bulk-set`
    Suggest {
        /// country, organisation or both (comma-separated; default both)
        #[arg(long, value_name = "FIELD,...")]
        missing: Option<String>,
        /// Only these people (comma-separated ids)
        #[arg(long, value_name = "ID,...")]
        ids: Option<String>,
        /// At most this many suggestions
        #[arg(long, default_value_t = 0)]
        limit: usize,
    },
    /// Show one person with their attendance history
    Show { id: String },
    /// Delete a person; with --force also their attendance records
    Delete {
        id: String,
        #[arg(long)]
        force: bool,
    },
    /// Write everything held about a person (record, organisation, consents, attendance, imports) to a file
    Export {
        id: String,
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// json or csv
        #[arg(long, default_value = "json")]
        format: String,
    },
    /// Erase a person everywhere, for good (their attendance stays only as anonymous counts); needs --yes
    Erase {
        id: String,
        #[arg(long)]
        yes: bool,
    },
    /// Merge two records of the same person: DROP's attendance, consents and missing details go to KEEP,
    /// DROP's uid is remembered as KEEP's, and DROP is deleted
    Merge { keep: String, drop: String },
    /// Record a person's consent for a purpose, or withdraw it (--withdraw)
    Consent {
        id: String,
        /// What the person agreed to, e.g. "contact about future events"
        #[arg(long)]
        purpose: String,
        /// How it was given, e.g. "registration form", "email"
        #[arg(long)]
        method: Option<String>,
        /// When it was given (or withdrawn), YYYY-MM-DD [default: today]
        #[arg(long)]
        date: Option<String>,
        /// Withdraw the consent for this purpose instead of recording it
        #[arg(long)]
        withdraw: bool,
    },
}

/// The donor-report fields of `person add` and `person update`.
#[derive(clap::Args, Default)]
pub struct DonorFields {
    /// Gender: a category (woman, man, non_binary, self_described, prefers_not_to_say, not_stated) or the
    /// words as given ("F", "жінка", "kobieta"), mapped case- and accent-blind; unknown words are kept as a
    /// self-described gender
    #[arg(long)]
    gender: Option<String>,
    /// The text of a self-described gender (with --gender self_described)
    #[arg(long)]
    gender_text: Option<String>,
    /// Year of birth, e.g. 1990
    #[arg(long)]
    birth_year: Option<i64>,
    /// Age band when the year of birth is not known, e.g. 25-34 or 65+
    #[arg(long)]
    age_band: Option<String>,
    /// Participant type, e.g. journalist, human_rights_defender, "public official"
    #[arg(long)]
    participant_type: Option<String>,
    /// Disability, plain answer: yes, no or prefers_not_to_say (needs --disability-consent or a recorded
    /// consent for "disability data")
    #[arg(long)]
    disability: Option<String>,
    /// Disability, Washington Group short set: six answers (seeing, hearing, walking, remembering, self-care,
    /// communicating), each 1-4 or an answer code, separated by commas, e.g. 1,1,3,1,1,1
    #[arg(long, value_name = "ANSWERS")]
    washington_group: Option<String>,
    /// Record the person's consent to hold disability data today (method: this command), before storing it
    #[arg(long)]
    disability_consent: bool,
}

impl DonorFields {
    fn apply(&self, input: &mut PersonInput) {
        if let Some(g) = &self.gender {
            input.gender = Some(g.clone());
            if self.gender_text.is_none() {
                input.gender_text = None;
            }
        }
        if let Some(t) = &self.gender_text {
            input.gender_text = Some(t.clone());
        }
        if self.birth_year.is_some() {
            input.birth_year = self.birth_year;
        }
        if let Some(b) = &self.age_band {
            input.age_band = Some(b.clone());
        }
        if let Some(t) = &self.participant_type {
            input.participant_type = Some(t.clone());
        }
    }

    /// Stores the disability answers given, after recording the consent when asked. The person's row and
    /// these happen in one transaction with the caller's write.
    fn store_disability(&self, conn: &rollcall_core::db::Connection, person_id: i64) -> rollcall_core::Result<()> {
        if self.disability_consent {
            people::add_consent(
                conn,
                person_id,
                &people::ConsentInput {
                    purpose: disability::CONSENT_PURPOSE.into(),
                    given_on: None,
                    method: Some("rollcall-cli".into()),
                },
            )?;
        }
        let mut input = match &self.washington_group {
            Some(a) => DisabilityInput::from_short_set(a)?,
            None => DisabilityInput::default(),
        };
        input.answer = self.disability.clone();
        if self.washington_group.is_some() || self.disability.is_some() {
            disability::set(conn, person_id, &input)?;
        }
        Ok(())
    }
}

pub fn run(ctx: &Ctx, cmd: PersonCmd) -> CmdResult {
    let mut conn = ctx.open()?;
    match cmd {
        PersonCmd::Add { name, email, country, org, notes, donor } => {
            let organisation_id = org.map(|o| super::id(&conn, Table::Organisations, &o)).transpose()?;
            let mut input =
                PersonInput { full_name: name, email, organisation_id, country, notes, ..Default::default() };
            donor.apply(&mut input);
            // The person and their disability answers are stored together or not at all.
            let p = db::write(&mut conn, |tx| {
                let p = people::create(tx, &input)?;
                donor.store_disability(tx, p.id)?;
                Ok(p)
            })?;
            Output::new(&p, || format!("created person {}", p.id))
        }
        PersonCmd::Update { id, name, email, country, org, notes, donor } => {
            let id = super::id(&conn, Table::People, &id)?;
            let mut input = people::input_of(&people::get(&conn, id)?);
            if let Some(n) = name {
                input.full_name = n;
            }
            if email.is_some() {
                input.email = email;
            }
            if country.is_some() {
                input.country = country;
            }
            if let Some(o) = org {
                input.organisation_id = Some(super::id(&conn, Table::Organisations, &o)?);
            }
            if notes.is_some() {
                input.notes = notes;
            }
            donor.apply(&mut input);
            let p = db::write(&mut conn, |tx| {
                let p = people::update(tx, id, &input)?;
                donor.store_disability(tx, p.id)?;
                Ok(p)
            })?;
            Output::new(&p, || format!("updated person {}", p.id))
        }
        PersonCmd::GenderReview => {
            let list = gender::review(&conn)?;
            Output::new(&list, || {
                table(
                    &["SPELLING", "PEOPLE", "KEY"],
                    list.iter().map(|r| vec![r.spelling.clone(), r.people.to_string(), r.key.clone()]).collect(),
                )
            })
        }
        PersonCmd::GenderMap { spelling, category } => {
            let m = gender::map_spelling(&mut conn, &spelling, &category)?;
            Output::new(&m, || format!("mapped the spelling to {}: {} person(s) changed", m.category, m.people))
        }
        PersonCmd::List { search, org, missing, limit, offset } => {
            let organisation_id = org.map(|o| super::id(&conn, Table::Organisations, &o)).transpose()?;
            let missing = missing.as_deref().map(Missing::parse_list).transpose()?.unwrap_or_default();
            let page = people::list(&conn, &PeopleQuery { search, organisation_id, missing, offset, limit })?;
            Output::new(&page.items, || {
                table(
                    &["ID", "NAME", "EMAIL", "COUNTRY", "ORGANISATION", "EVENTS"],
                    page.items
                        .iter()
                        .map(|p| {
                            vec![
                                p.id.to_string(),
                                p.full_name.clone(),
                                opt(&p.email),
                                opt(&p.country),
                                opt(&p.organisation_name),
                                p.events_attended.to_string(),
                            ]
                        })
                        .collect(),
                )
            })
        }
        PersonCmd::BulkSet { ids, country, gender, gender_text, organisation } => {
            let ids = ids
                .split(',')
                .map(str::trim)
                .filter(|i| !i.is_empty())
                .map(|i| super::id(&conn, Table::People, i))
                .collect::<rollcall_core::Result<Vec<_>>>()?;
            let organisation_id = organisation.map(|o| super::id(&conn, Table::Organisations, &o)).transpose()?;
            let input = BulkUpdate { ids, country, gender, gender_text, organisation_id };
            let s = people::bulk_update(&mut conn, &input)?;
            Output::new(&s, || format!("updated {} person(s): {}", s.updated, s.fields.join(", ")))
        }
        PersonCmd::Suggest { missing, ids, limit } => {
            let missing = missing.as_deref().map(Missing::parse_list).transpose()?.unwrap_or_default();
            let ids = ids
                .map(|ids| {
                    ids.split(',')
                        .map(str::trim)
                        .filter(|i| !i.is_empty())
                        .map(|i| super::id(&conn, Table::People, i))
                        .collect::<rollcall_core::Result<Vec<_>>>()
                })
                .transpose()?;
            let list = people::suggestions(&conn, &SuggestionQuery { ids, missing, limit })?;
            Output::new(&list, || {
                table(
                    &["PERSON", "FIELD", "VALUE", "LABEL", "REASON", "DOMAIN"],
                    list.iter()
                        .map(|s| {
                            vec![
                                s.person_id.to_string(),
                                json_word(&s.field),
                                s.value.clone(),
                                s.label.clone(),
                                json_word(&s.reason),
                                s.domain.clone(),
                            ]
                        })
                        .collect(),
                )
            })
        }
        PersonCmd::Show { id } => {
            let id = super::id(&conn, Table::People, &id)?;
            let p = people::get(&conn, id)?;
            let history = rollcall_core::attendance::history(&conn, id)?;
            let consents = people::consents(&conn, id)?;
            let other_emails = people::other_emails(&conn, id)?;
            let mut value = serde_json::to_value(&p).unwrap_or_default();
            value["other_emails"] = serde_json::to_value(&other_emails).unwrap_or_default();
            value["history"] = serde_json::to_value(&history).unwrap_or_default();
            value["consents"] = serde_json::to_value(&consents).unwrap_or_default();
            Output::new(&value, || {
                let mut s = fields(&[
                    ("id", p.id.to_string()),
                    ("name", p.full_name.clone()),
                    ("email", opt(&p.email)),
                    ("organisation", opt(&p.organisation_name)),
                    ("country", opt(&p.country)),
                    ("gender", opt(&p.gender)),
                    ("gender text", opt(&p.gender_text)),
                    ("year of birth", p.birth_year.map(|y| y.to_string()).unwrap_or_default()),
                    ("age band", opt(&p.age_band)),
                    ("participant type", opt(&p.participant_type)),
                ]);
                for h in &history {
                    s.push_str(&format!(
                        "\n{}  {}  {} ({})",
                        h.starts_at.replace('T', " "),
                        h.event_title,
                        h.role,
                        h.status
                    ));
                }
                s
            })
        }
        PersonCmd::Delete { id, force } => {
            let id = super::id(&conn, Table::People, &id)?;
            people::delete(&mut conn, id, force)?;
            Output::new(&serde_json::json!({ "deleted": id }), || format!("deleted person {id}"))
        }
        PersonCmd::Merge { keep, drop } => {
            let keep = super::id(&conn, Table::People, &keep)?;
            let drop = super::id(&conn, Table::People, &drop)?;
            let m = rollcall_core::merge::merge_people(&mut conn, keep, drop)?;
            Output::new(&m, || {
                format!(
                    "merged person {} into {}: {} attendance records moved, {} merged, {} consents moved",
                    m.dropped_id, m.person.id, m.attendances_moved, m.attendances_merged, m.consents_moved
                )
            })
        }
        PersonCmd::Export { id, out, format } => super::privacy::export(&conn, &id, out, &format),
        PersonCmd::Erase { id, yes } => super::privacy::erase(&mut conn, &id, yes),
        PersonCmd::Consent { id, purpose, method, date, withdraw } => {
            super::privacy::consent(&conn, &id, purpose, method, date, withdraw)
        }
    }
}

/// A unit enum's JSON name (`email_country_domain`), for the text table.
fn json_word(value: &impl serde::Serialize) -> String {
    serde_json::to_value(value).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()
}
