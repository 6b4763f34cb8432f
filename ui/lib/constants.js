// constants.js: the fixed value sets of the domain. They come from rollcall-core (the `vocabulary`
// command, which also validates them): app.js fills these arrays in place with fillVocabulary() before
// the first screen is drawn, so views import them as plain arrays and no copy of a list lives here.

export const PROJECT_STATUSES = [];
export const PARTNER_ROLES = [];
export const ORG_KINDS = [];
export const EVENT_KINDS = [];
export const ROLES = [];
export const STATUSES = [];
/** Gender categories, '' (not stated) first; any spelling typed elsewhere is mapped by the core. */
export const GENDERS = [];
/** The breakdowns of the donor table (rollcall-core's `reports::Dimension`). */
export const DIMENSIONS = [];
/** What an indicator counts (rollcall-core's `indicators::MEASURES`). */
export const MEASURES = [];
/** The default participant types (a project may name its own; see rollcall-core's `projects`). */
export const PARTICIPANT_TYPES = [];

/** Fills every list above from the core's answer to `vocabulary`; called once at start. */
export function fillVocabulary(v) {
  const fill = (list, values) => { list.length = 0; list.push(...values); };
  fill(PROJECT_STATUSES, v.project_statuses);
  fill(PARTNER_ROLES, v.partner_roles);
  fill(ORG_KINDS, v.organisation_kinds);
  fill(EVENT_KINDS, v.event_kinds);
  fill(ROLES, v.attendance_roles);
  fill(STATUSES, v.attendance_statuses);
  // The core's "not_stated" is no value a person holds: the forms offer it as the empty choice.
  fill(GENDERS, ['', ...v.genders.filter((g) => g !== 'not_stated')]);
  fill(DIMENSIONS, v.dimensions);
  fill(MEASURES, v.indicator_measures);
  fill(PARTICIPANT_TYPES, v.participant_types);
}

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
