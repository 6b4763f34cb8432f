// constants.js: the fixed value sets of the domain, mirrored from rollcall-core (the core validates).

export const PROJECT_STATUSES = ['planned', 'active', 'closed'];
export const PARTNER_ROLES = ['lead', 'partner', 'supporter', 'funder', 'associate'];
export const ORG_KINDS = ['ngo', 'foundation', 'donor', 'government', 'media', 'informal_group', 'other'];
export const EVENT_KINDS = ['webinar', 'conference', 'training', 'meeting', 'contest', 'other'];
export const ROLES = ['participant', 'speaker', 'moderator', 'organiser'];
export const STATUSES = ['registered', 'attended', 'absent', 'cancelled'];
/** Gender categories ('' is not stated); any spelling typed elsewhere is mapped by the core. */
export const GENDERS = ['', 'woman', 'man', 'non_binary', 'self_described', 'prefers_not_to_say'];

/** The breakdowns of the donor table (rollcall-core's `reports::Dimension`). */
export const DIMENSIONS = ['gender', 'age_band', 'disability', 'country', 'organisation', 'organisation_kind',
  'participant_type', 'organiser', 'event'];

/** The default participant types (a project may name its own; see rollcall-core's `projects`). */
export const PARTICIPANT_TYPES = ['civil_society', 'human_rights_defender', 'journalist', 'public_official', 'academic', 'student', 'other'];

/** What an indicator counts (rollcall-core's `indicators::MEASURES`). */
export const MEASURES = ['unique_people', 'attendances', 'events', 'people_min_events', 'people_min_minutes'];

/** A gender category's name in the interface language; an unknown one (older data) as stored. */
export function genderName(code, t) {
  const key = code || '';
  return GENDERS.includes(key) ? t(`gender.${key}`) : code;
}

/** IANA zones offered in the time-zone field (any other valid name can be typed). */
export function timeZones() {
  try {
    if (Intl.supportedValuesOf) return Intl.supportedValuesOf('timeZone');
  } catch (_) { /* older WebKit: fall back to the zones the NGOs use most */ }
  return ['Europe/Kyiv', 'Europe/Chisinau', 'Asia/Tbilisi', 'Europe/Moscow', 'Europe/Minsk', 'Europe/Warsaw',
    'Europe/Berlin', 'Europe/Brussels', 'Europe/London', 'Europe/Vilnius', 'Europe/Oslo', 'UTC'];
}
