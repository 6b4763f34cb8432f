//! `rollcall-cli identity ...`, `contact ...` and `consortium key`: this installation's partner card,
//! the partners it trusts, and the key shared for pseudonymous bundles.

use clap::Subcommand;
use rollcall_core::consortium::{contacts, identity, key};
use rollcall_core::db::Table;

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
