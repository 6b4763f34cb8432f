//! The import review: the rows of a report listed as people (new, matched to whom and by which rule, to
//! decide, skipped), with flags on rows that do not look like a person, and the per-row decisions
//! (`line:N` resolutions: skip, rename) applied before matching. The preview and the commit both run
//! this, so the list the coordinator reviews is the one the commit writes.
//!
//! A person of the report is a row's email, or (no email) its folded name: their later rows add to the
//! first one's entry (`rows`) and take the same per-row decision. The list holds the first
//! `REVIEW_LIMIT` people; `people_total` counts them all (8 bytes per person of the file).

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};

use super::apply::{Hint, Run};
use super::options::Action;
use super::report::{Flag, MatchRule, Reason, RenameHint, ReviewOutcome, ReviewRow, Skipped};
use super::row::{looks_like_organisation, Row};
use super::words;
use crate::error::Result;
use crate::organisations;
use crate::text;

/// At most this many people are listed in `ImportReport::people`.
pub(super) const REVIEW_LIMIT: usize = 2000;

/// Who a row is within the file: its email, else its folded name.
fn identity(row: &Row) -> String {
    match &row.email {
        Some(e) => format!("email:{e}"),
        None => format!("name:{}", text::fold(&row.name)),
    }
}

fn hash(s: &str) -> u64 {
    let mut h = DefaultHasher::new();
    s.hash(&mut h);
    h.finish()
}

/// The flags of a name: why it may not be a person's name. Advisory: flagged rows are imported unless
/// the coordinator skips or renames them.
pub fn flags(name: &str, email: Option<&str>) -> Vec<Flag> {
    let mut out = Vec::new();
    let trimmed = name.trim();
    let folded = text::fold(trimmed);
    let words: Vec<&str> =
        folded.split(|c: char| c.is_whitespace() || c == '-' || c == '_').filter(|w| !w.is_empty()).collect();
    let digits = trimmed.chars().filter(char::is_ascii_digit).count();
    if trimmed.contains('@') && crate::validate::email("name", Some(trimmed)).is_ok() {
        out.push(Flag::EmailAsName);
        return out;
    }
    if digits >= 6 && trimmed.chars().all(|c| c.is_ascii_digit() || c.is_whitespace() || "+-()./".contains(c)) {
        out.push(Flag::PhoneNumber);
        return out;
    }
    let strong = words.iter().any(|w| words::DEVICE_WORDS_STRONG.contains(w));
    let weak = words.iter().filter(|w| words::DEVICE_WORDS_WEAK.contains(w)).count();
    // A model code: letters and digits mixed in one word ("sm-a525f", "p30", "a52"), beside a brand.
    let model = trimmed
        .split_whitespace()
        .any(|w| w.chars().any(|c| c.is_ascii_digit()) && w.chars().any(|c| c.is_ascii_alphabetic()));
    let placeholder = words::PLACEHOLDER_NAMES.contains(&folded.as_str())
        || (words.len() == 1 && words::GUEST_TAGS.iter().any(|g| text::fold(g) == words[0]));
    if strong || placeholder || (weak > 0 && (digits > 0 || model || weak > 1)) {
        out.push(Flag::DeviceName);
        return out;
    }
    if email.is_none() && words.len() == 1 && trimmed.split_whitespace().count() == 1 {
        out.push(Flag::OneWord);
    }
    out
}

/// Whether a bracket Zoom's convention took for the original name ("Iryna Marchenko (Krok)" read as
/// "Krok") may rather be an organisation or a nickname: it has one word, or fewer words than the name
/// shown before it. "Giorgi (გიორგი კაპანაძე)" is a rename and is not flagged.
fn doubtful_original(display: &str, original: &str) -> bool {
    let (d, o) = (display.split_whitespace().count(), original.split_whitespace().count());
    o == 1 || o < d || looks_like_organisation(original)
}

impl Run<'_> {
    /// A row of the report: its per-row decision, then matching (`match.rs`), then its review entry.
    pub(super) fn row(&mut self, mut row: Row) -> Result<()> {
        let id_text = identity(&row);
        let id_hash = hash(&id_text);
        let first = self.review.seen.insert(id_hash);
        if first {
            self.review.total += 1;
        }
        let decision = match self.lines.get(&row.line) {
            Some(&r) => {
                self.line_people.insert(id_text.clone(), r);
                Some(r)
            }
            None if self.line_people.is_empty() => None,
            None => self.line_people.get(&id_text).copied(),
        };
        let listed = self.review.listed.get(&id_text).copied();
        if let Some(i) = listed {
            self.review.people[i].rows += 1;
        }
        let list = listed.is_none() && first && self.review.people.len() < REVIEW_LIMIT;
        let read_name = row.name.clone();
        let mut renamed_from = None;
        if let Some(r) = decision {
            match r.action {
                Action::Rename => {
                    // The corrected name replaces what was read, and nothing of the bracket is kept.
                    row.name = r.name.clone().unwrap_or_default();
                    row.display = None;
                    row.bracket = None;
                    if let Some(o) = r.organisation.as_deref().map(str::trim).filter(|o| !o.is_empty()) {
                        row.organisation = Some(o.to_string());
                    }
                    renamed_from = Some(read_name.clone());
                }
                _ => {
                    self.skip(Skipped::new(row.line, Reason::DecidedSkip));
                    self.out.skipped_by_decision += 1;
                    if list {
                        let mut entry = self.entry(&row, ReviewOutcome::Skipped, None)?;
                        entry.code = Some("decided_skip".into());
                        self.push_entry(id_text, entry);
                    }
                    return Ok(());
                }
            }
        }
        let display = row.display.clone();
        self.review.hint = Hint::default();
        let person = self.match_row(&mut row)?;
        if !list {
            return Ok(());
        }
        let hint = std::mem::take(&mut self.review.hint);
        let outcome = match person {
            Some(id) if id > self.w.max_person => ReviewOutcome::New,
            Some(_) => ReviewOutcome::Matched,
            None if hint.pending => ReviewOutcome::Decide,
            None => ReviewOutcome::Skipped,
        };
        let mut entry = self.entry(&row, outcome, person)?;
        entry.renamed_from = renamed_from;
        entry.key = hint.key;
        match outcome {
            ReviewOutcome::Matched => entry.rule = Some(hint.rule.unwrap_or(MatchRule::Name)),
            ReviewOutcome::Skipped => entry.code = Some(hint.code.unwrap_or("decided_skip").into()),
            _ => {}
        }
        if entry.renamed_from.is_none() {
            // The bracket: taken for Zoom's original name and doubtful, or kept aside as unknown.
            match (&display, &row.bracket) {
                (Some(d), _) if *d != row.name && doubtful_original(d, &row.name) => {
                    entry.flags.push(Flag::Bracket);
                    entry.suggested = Some(RenameHint { name: d.clone(), organisation: Some(row.name.clone()) });
                }
                (_, Some(b)) if organisations::find_by_name(self.w.tx, b)?.is_none() => {
                    entry.flags.push(Flag::Bracket);
                    entry.suggested = Some(RenameHint { name: row.name.clone(), organisation: Some(b.clone()) });
                }
                _ => {}
            }
        }
        self.push_entry(id_text, entry);
        Ok(())
    }

    fn push_entry(&mut self, identity: String, entry: ReviewRow) {
        self.review.listed.insert(identity, self.review.people.len());
        self.review.people.push(entry);
    }

    /// A review entry for a row, with the matched person's name and the row's flags.
    fn entry(&mut self, row: &Row, outcome: ReviewOutcome, person: Option<i64>) -> Result<ReviewRow> {
        let person_name = match (outcome, person) {
            (ReviewOutcome::Matched, Some(id)) => Some(self.candidate(id)?.full_name),
            _ => None,
        };
        Ok(ReviewRow {
            line: row.line,
            name: row.name.clone(),
            email: row.email.clone(),
            organisation: row.organisation.clone().or_else(|| row.bracket.clone()),
            outcome,
            person_id: if outcome == ReviewOutcome::Matched { person } else { None },
            person_name,
            rule: None,
            key: None,
            code: None,
            flags: flags(&row.name, row.email.as_deref()),
            renamed_from: None,
            suggested: None,
            rows: 1,
        })
    }
}
