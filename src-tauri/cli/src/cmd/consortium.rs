//! `rollcall-cli identity ...`, `contact ...`, `consortium key` and `bundle ...`: this installation's
//! partner card, the partners it trusts, the key shared for pseudonymous bundles, and the bundles.

use std::path::PathBuf;

use clap::Subcommand;
use rollcall_core::consortium::bundle::{self, ApplyOptions, ExportOptions};
use rollcall_core::consortium::{contacts, identity, key};
use rollcall_core::db::Table;
use rollcall_core::import::AmbiguousPolicy;
use rollcall_core::Result;

use crate::output::{fields, opt, table, Output};
use crate::{CmdResult, Ctx};

#[derive(Subcommand)]
pub enum IdentityCmd {
    /// This installation's keys (created on first use), fingerprint and card
    Show {
        /// Set which of your organisations this installation speaks for (its name is on the card)
        #[arg(long)]
        org: Option<String>,
    },
    /// Print the partner card (one line) to send to partners
    Card {
        /// Set which of your organisations this installation speaks for first
        #[arg(long)]
        org: Option<String>,
    },
}

#[derive(Subcommand)]
pub enum ContactCmd {
    /// Trust a partner's card, linked to one of your organisations
    Add {
        /// The card as the partner sent it (one line starting with rollcall-card-1)
        #[arg(long)]
        card: String,
        /// The organisation (id) this partner is
        #[arg(long)]
        org: String,
    },
    /// The trusted partners
    List {
        /// Include removed cards
        #[arg(long)]
        all: bool,
    },
    /// Stop trusting a partner (by id or fingerprint): its bundles are refused from now on
    Remove { id: String },
}

#[derive(Subcommand)]
pub enum ConsortiumCmd {
    /// Show the consortium key for pseudonymous bundles (created if there is none), or store a partner's
    Key {
        /// Store this key (rck1-...) sent by a partner
        #[arg(long, value_name = "KEY")]
        set: Option<String>,
        /// Replace a different key already stored
        #[arg(long)]
        replace: bool,
    },
}

fn identity_output(i: identity::IdentityInfo) -> CmdResult {
    Output::new(&i, || {
        fields(&[
            ("fingerprint", i.fingerprint.clone()),
            ("organisation", opt(&i.organisation_name)),
            ("site", i.site_uid.clone()),
            ("card", i.card.clone()),
        ])
    })
}

pub fn identity(ctx: &Ctx, cmd: IdentityCmd) -> CmdResult {
    let conn = ctx.open()?;
    let (org, card_only) = match cmd {
        IdentityCmd::Show { org } => (org, false),
        IdentityCmd::Card { org } => (org, true),
    };
    let info = match org {
        Some(o) => {
            let id = super::id(&conn, Table::Organisations, &o)?;
            identity::set_organisation(&conn, id)?
        }
        None => identity::show(&conn)?,
    };
    if card_only {
        let value =
            serde_json::json!({ "card": info.card, "fingerprint": info.fingerprint, "name": info.organisation_name });
        return Output::new(&value, || info.card.clone());
    }
    identity_output(info)
}

fn contact_rows(list: &[contacts::Contact]) -> String {
    table(
        &["ID", "FINGERPRINT", "NAME", "ORGANISATION", "LAST APPLIED", "LAST SENT", "REMOVED"],
        list.iter()
            .map(|c| {
                vec![
                    c.id.to_string(),
                    c.fingerprint.clone(),
                    c.name.clone(),
                    format!("{} ({})", c.organisation_name, c.organisation_id),
                    opt(&c.last_applied_at),
                    opt(&c.last_sent_at),
                    opt(&c.removed_at),
                ]
            })
            .collect(),
    )
}

pub fn contact(ctx: &Ctx, cmd: ContactCmd) -> CmdResult {
    let conn = ctx.open()?;
    match cmd {
        ContactCmd::Add { card, org } => {
            let org = super::id(&conn, Table::Organisations, &org)?;
            let c = contacts::add(&conn, &card, org)?;
            Output::new(&c, || {
                format!("trusted partner {}: {} ({}), fingerprint {}", c.id, c.name, c.organisation_name, c.fingerprint)
            })
        }
        ContactCmd::List { all } => {
            let list = contacts::list(&conn, all)?;
            Output::new(&list, || contact_rows(&list))
        }
        ContactCmd::Remove { id } => {
            let c = contacts::find(&conn, &id)?;
            let c = contacts::remove(&conn, c.id)?;
            Output::new(&c, || {
                format!("removed partner {} ({}); its bundles are refused from now on", c.id, c.fingerprint)
            })
        }
    }
}

pub fn consortium(ctx: &Ctx, cmd: ConsortiumCmd) -> CmdResult {
    let conn = ctx.open()?;
    match cmd {
        ConsortiumCmd::Key { set, replace } => {
            let k = match set {
                Some(text) => key::set(&conn, &text, replace)?,
                None => key::get_or_create(&conn)?,
            };
            Output::new(&k, || k.key.clone())
        }
    }
}

#[derive(Subcommand)]
pub enum BundleCmd {
    /// Write a project's changes since the last bundle to these partners (or everything, --full),
    /// encrypted to them and signed
    Export {
        #[arg(long)]
        project: String,
        /// Partners' fingerprints (or contact ids), comma-separated
        #[arg(long, value_name = "FP[,FP...]", value_delimiter = ',', required = true)]
        to: Vec<String>,
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// Everything of the project, not only what changed since the last bundle to these partners
        #[arg(long)]
        full: bool,
        /// People as pseudonymous codes with only gender, country and organisation (needs the consortium key)
        #[arg(long)]
        pseudonymous: bool,
    },
    /// Verify, preview (--dry-run) and apply a bundle from a partner
    Apply {
        file: PathBuf,
        /// Show what applying would do; change nothing
        #[arg(long)]
        dry_run: bool,
        /// People who need a decision and have none: ask (refuse, the default), new or skip
        #[arg(long, default_value = "ask")]
        ambiguous: String,
        /// Decide one person: KEY=PERSON_ID, KEY=new or KEY=skip (keys are shown by --dry-run); may be repeated
        #[arg(long = "resolve", value_name = "KEY=DECISION")]
        resolve: Vec<String>,
    },
    /// The bundles sent and applied, newest first
    List,
}

pub fn bundle(ctx: &Ctx, cmd: BundleCmd) -> CmdResult {
    let mut conn = ctx.open()?;
    match cmd {
        BundleCmd::Export { project, to, out, full, pseudonymous } => {
            let project_id = super::id(&conn, Table::Projects, &project)?;
            let to = to.into_iter().map(|t| t.trim().to_string()).filter(|t| !t.is_empty()).collect();
            let e = bundle::export(&mut conn, &ExportOptions { project_id, to, out, full, pseudonymous })?;
            Output::new(&e, || {
                format!(
                    "wrote {} ({} bytes) for {}: {} events, {} attendance records, {} people, {} erasures{}",
                    e.path,
                    e.bytes,
                    e.recipients
                        .iter()
                        .map(|r| format!("{} ({})", r.name, r.fingerprint))
                        .collect::<Vec<_>>()
                        .join(", "),
                    e.events,
                    e.attendances,
                    e.people,
                    e.erasures,
                    if e.pseudonymous { "; people as pseudonymous codes" } else { "" }
                )
            })
        }
        BundleCmd::Apply { file, dry_run, ambiguous, resolve } => {
            let resolutions = resolve.iter().map(|r| super::import::parse_resolution(r)).collect::<Result<Vec<_>>>()?;
            let options = ApplyOptions { dry_run, ambiguous: ambiguous.parse::<AmbiguousPolicy>()?, resolutions };
            let a = bundle::apply(&mut conn, &file, &options)?;
            Output::new(&a, || {
                if a.already_applied {
                    return format!(
                        "bundle {} from {} was applied already; nothing changed",
                        a.bundle_uid, a.contact_name
                    );
                }
                let mut s = format!(
                    "{}bundle from {} ({}) into project {} ({}){}: events {} new, {} changed, {} unchanged; attendance {} new, {} changed, {} removed; people {} new, {} matched, {} need a decision; {} erased",
                    if a.dry_run { "dry run, nothing changed: " } else { "" },
                    a.contact_name,
                    a.fingerprint,
                    a.project_id,
                    a.project_name,
                    if a.project_created { ", created" } else { "" },
                    a.events_new,
                    a.events_changed,
                    a.events_unchanged,
                    a.attendances_new,
                    a.attendances_changed,
                    a.attendances_removed,
                    a.people_new,
                    a.people_matched,
                    a.undecided,
                    a.people_erased
                );
                for amb in &a.ambiguous {
                    s.push_str(&format!(
                        "\n  {}  {} <{}>  {}  candidates: {}",
                        amb.key,
                        amb.name,
                        opt(&amb.email),
                        amb.reason,
                        amb.candidates.iter().map(|c| c.id.to_string()).collect::<Vec<_>>().join(", ")
                    ));
                }
                s
            })
        }
        BundleCmd::List => {
            let list = bundle::list(&conn)?;
            Output::new(&list, || {
                table(
                    &[
                        "ID",
                        "DIRECTION",
                        "PARTNERS",
                        "PROJECT",
                        "SEQ",
                        "EVENTS",
                        "ATTENDANCE",
                        "PEOPLE",
                        "ERASURES",
                        "WHEN",
                        "FILE",
                    ],
                    list.iter()
                        .map(|b| {
                            vec![
                                b.id.to_string(),
                                b.direction.clone(),
                                match b.contact_id {
                                    Some(c) => c.to_string(),
                                    None => b.recipients.iter().map(i64::to_string).collect::<Vec<_>>().join(","),
                                },
                                opt(&b.project_id),
                                b.sequence.to_string(),
                                b.events.to_string(),
                                b.attendances.to_string(),
                                b.people.to_string(),
                                b.erasures.to_string(),
                                b.created_at.clone(),
                                b.file_name.clone(),
                            ]
                        })
                        .collect(),
                )
            })
        }
    }
}
