//! Reports: who came to an event, what a project reached (events, attendances, unique people broken down
//! by country, gender, organisation and role), the donor indicator table (unique participants by gender and
//! country), a person's history, an organisation's participation and a project's partners.
//!
//! What counts as attending: only attendance with status `attended` ([`ATTENDED`]). Registered, absent
//! and cancelled records appear in the lists with their status, but never in a count.
//!
//! Every report struct serializes with the field names shown, which are stable: the desktop app and
//! `rollcall-cli report ... --json` use them as they are.

mod aggregate;
pub mod anonymous;
mod attributes;
mod cache;
mod donor;
mod lists;
mod registration;
pub(crate) mod roster;

pub use aggregate::{
    project_summary, Breakdown, Column, DonorOptions, DonorRow, DonorTable, EventCount, ProjectSummary, SummaryOptions,
    ERASED, ERASED_LABEL, NOT_STATED, NO_ORGANISATION,
};
pub use donor::{cell_people, dimension_values, donor_table, CellPeople, CellValue, Dimension, DimensionValue};
pub use lists::{
    event_attendance, organisation_participation, partners, person_history, EventAttendance, EventAttendanceRow,
    EventHeader, OrgParticipation, OrgParticipationRow, PersonHistory, ProjectPartners,
};
pub use registration::{registration_report, EventRegistration, RegistrationOptions, RegistrationReport};

/// The one status that counts as having attended.
pub const ATTENDED: &str = "attended";

/// The local date (`YYYY-MM-DD`) of an event's local start (`YYYY-MM-DDTHH:MM`).
pub(crate) fn local_date(starts_at: &str) -> String {
    starts_at.get(..10).unwrap_or(starts_at).to_string()
}

/// Checks an optional from/to date pair (ISO dates, inclusive, `from` not after `to`).
pub(crate) fn date_range(from: Option<&str>, to: Option<&str>) -> crate::Result<(Option<String>, Option<String>)> {
    let from = crate::validate::date("from", from)?;
    let to = crate::validate::date("to", to)?;
    if let (Some(f), Some(t)) = (&from, &to) {
        if f > t {
            return Err(crate::Error::invalid("to", format!("the range ends ({t}) before it starts ({f})")));
        }
    }
    Ok((from, to))
}

/// Checks a from/to pair for reports outside this module (indicators).
pub fn check_range(from: Option<&str>, to: Option<&str>) -> crate::Result<(Option<String>, Option<String>)> {
    date_range(from, to)
}
