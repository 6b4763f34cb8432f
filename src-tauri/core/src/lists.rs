//! The fixed value sets of the domain in one answer, for front ends that offer them as choices (the
//! window's selects): each comes from the module that owns and validates it, so no front end keeps its
//! own copy.

use serde::Serialize;

/// Every fixed list, as the window's `vocabulary` command returns it.
#[derive(Debug, Clone, Serialize)]
pub struct Lists {
    pub project_statuses: &'static [&'static str],
    pub partner_roles: &'static [&'static str],
    pub organisation_kinds: &'static [&'static str],
    pub event_kinds: &'static [&'static str],
    pub attendance_roles: &'static [&'static str],
    pub attendance_statuses: &'static [&'static str],
    /// Gender categories, "not stated" included.
    pub genders: &'static [&'static str],
    /// The donor table's dimensions.
    pub dimensions: Vec<&'static str>,
    pub indicator_measures: &'static [&'static str],
    /// The default participant types (a project may name its own).
    pub participant_types: Vec<&'static str>,
    pub disability_domains: &'static [&'static str],
    pub disability_answers: &'static [&'static str],
}

/// The lists, from their owners.
pub fn all() -> Lists {
    Lists {
        project_statuses: crate::projects::STATUSES,
        partner_roles: crate::partners::ROLES,
        organisation_kinds: crate::organisations::KINDS,
        event_kinds: crate::events::KINDS,
        attendance_roles: crate::attendance::ROLES,
        attendance_statuses: crate::attendance::STATUSES,
        genders: crate::gender::CATEGORIES,
        dimensions: crate::reports::Dimension::ALL.iter().map(|d| d.as_str()).collect(),
        indicator_measures: crate::indicators::MEASURES,
        participant_types: crate::projects::DEFAULT_PARTICIPANT_TYPES.iter().map(|(key, _)| *key).collect(),
        disability_domains: &crate::disability::DOMAINS,
        disability_answers: &crate::disability::ANSWERS,
    }
}
