//! `rollcall-cli check | backup | restore | encrypt | decrypt | passphrase`: checking the database,
//! verified backups and their restore, and encryption at rest. Passphrases come from the environment
//! (ROLLCALL_PASSPHRASE, ROLLCALL_NEW_PASSPHRASE), never from flags, which other users can see in `ps`.

use std::path::PathBuf;

use clap::{Args, Subcommand};
use rollcall_core::safety::{self, BackupInfo};
use rollcall_core::{Error, Result};

use crate::output::{fields, table, Output};
use crate::{CmdResult, Ctx};
use rollcall_core::encryption;
use rollcall_core::open::{self, OpenOptions};
use rollcall_core::restore;

/// The environment variable holding the new passphrase for `passphrase`.
pub const NEW_PASSPHRASE_ENV: &str = "ROLLCALL_NEW_PASSPHRASE";

/// `backup [--out FILE]` or `backup list`.
#[derive(Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct BackupCmd {
    #[command(subcommand)]
    action: Option<BackupAction>,
    /// Write the backup to this file [default: a new file in the `backups` folder beside the database]
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
}

#[derive(Subcommand)]
enum BackupAction {
    /// The backups in the `backups` folder beside the database, newest first
    List,
}

/// `check`: SQLite's integrity and foreign key checks; prints one line, exits 1 unless all is well.
pub fn check(ctx: &Ctx) -> CmdResult {
    // A damaged database still opens (read-only) here, so that the check can say what is wrong.
    let opened = open::open_checked(&ctx.db_path, &ctx.options())?;
    let report = safety::check(&opened.conn)?;
    // What opening found (a truncated file, say) counts even when SQLite's checks pass on what is left.
    if let Some(problem) = opened.problem {
        return Err(Error::BadDatabase { path: ctx.db_path.display().to_string(), message: problem });
    }
    if !report.ok {
        return Err(Error::BadDatabase { path: ctx.db_path.display().to_string(), message: report.summary });
    }
    Output::new(&report, || report.summary.clone())
}

pub fn backup(ctx: &Ctx, cmd: BackupCmd) -> CmdResult {
    match cmd.action {
        Some(BackupAction::List) => {
            let list = safety::list_backups(&ctx.db_path)?;
            Output::new(&list, || {
                if list.is_empty() {
                    return format!("no backups in {}", safety::backups_dir(&ctx.db_path).display());
                }
                table(
                    &["CREATED", "KIND", "SIZE", "ENCRYPTED", "FILE"],
                    list.iter()
                        .map(|b| {
                            vec![
                                b.created_at.clone(),
                                b.kind.clone(),
                                size(b.bytes),
                                yes_no(b.encrypted),
                                b.path.clone(),
                            ]
                        })
                        .collect(),
                )
            })
        }
        None => {
            let conn = ctx.open()?;
            let info = match cmd.out {
                Some(out) => safety::backup(&conn, &out)?,
                None => safety::backup_now(&conn, &ctx.db_path)?,
            };
            Output::new(&info, || describe(&info, "backup written and verified"))
        }
    }
}

fn describe(b: &BackupInfo, what: &str) -> String {
    let details = fields(&[("file", b.path.clone()), ("size", size(b.bytes)), ("encrypted", yes_no(b.encrypted))]);
    format!("{what}\n{details}")
}

fn size(bytes: u64) -> String {
    if bytes >= 10 << 20 {
        format!("{} MB", bytes >> 20)
    } else {
        format!("{} KB", bytes.div_ceil(1024))
    }
}

fn yes_no(b: bool) -> String {
    if b { "yes" } else { "no" }.into()
}

/// `restore FILE`: replaces the database with a verified backup, keeping a copy of the current one.
pub fn restore(ctx: &Ctx, file: PathBuf) -> CmdResult {
    let report = restore::restore(&ctx.db_path, &file, ctx.passphrase.as_deref())?;
    Output::new(&report, || {
        let mut s = format!("restored from {}", report.restored_from);
        if let Some(copy) = &report.safety_copy {
            s.push_str(&format!("\nthe database as it was is saved in {}", copy.path));
        }
        if report.erasures_reapplied > 0 {
            s.push_str(&format!(
                "\n{} person(s) erased since that backup were erased again",
                report.erasures_reapplied
            ));
        }
        s
    })
}

fn passphrase(ctx: &Ctx) -> Result<String> {
    ctx.passphrase.clone().ok_or_else(|| {
        Error::invalid(
            "passphrase",
            format!("set the passphrase in the environment variable {}", crate::PASSPHRASE_ENV),
        )
    })
}

/// `encrypt`: encrypts the database and its backups with ROLLCALL_PASSPHRASE.
pub fn encrypt(ctx: &Ctx) -> CmdResult {
    let report = encryption::encrypt(&ctx.db_path, &passphrase(ctx)?)?;
    crypto_output(&report, "encrypted")
}

/// `decrypt`: stores the database (and its backups) without encryption again.
pub fn decrypt(ctx: &Ctx) -> CmdResult {
    let report = encryption::decrypt(&ctx.db_path, &passphrase(ctx)?)?;
    crypto_output(&report, "decrypted")
}

/// `passphrase`: changes the passphrase from ROLLCALL_PASSPHRASE to ROLLCALL_NEW_PASSPHRASE.
pub fn change_passphrase(ctx: &Ctx) -> CmdResult {
    let old = passphrase(ctx)?;
    let new = std::env::var(NEW_PASSPHRASE_ENV).ok().filter(|p| !p.is_empty()).ok_or_else(|| {
        Error::invalid("passphrase", format!("set the new passphrase in the environment variable {NEW_PASSPHRASE_ENV}"))
    })?;
    let report = encryption::change_passphrase(&ctx.db_path, &old, &new)?;
    crypto_output(&report, "passphrase changed")
}

fn crypto_output(report: &encryption::CryptoReport, done: &str) -> CmdResult {
    Output::new(report, || {
        let mut s = format!("{done}: {} ({} backup(s) converted too)", report.database, report.backups_converted);
        if !report.backups_skipped.is_empty() {
            s.push_str(&format!("\nnot converted: {}", report.backups_skipped.join(", ")));
        }
        s
    })
}

/// The options every command opens the database with.
pub fn options(passphrase: Option<String>) -> OpenOptions {
    OpenOptions { passphrase, ..OpenOptions::default() }
}
