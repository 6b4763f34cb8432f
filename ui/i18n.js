// i18n.js: every text the UI shows comes from this catalogue, so a translation (Ukrainian, Georgian,
// Romanian) is one more object here and no view changes. Dates and numbers use the user's locale.

const en = {
  'app.name': 'Rollcall',
  'app.skip': 'Skip to content',
  'nav.projects': 'Projects',
  'nav.events': 'Events',
  'nav.people': 'People',
  'nav.organisations': 'Organisations',
  'nav.reports': 'Reports',
  'nav.data': 'Your data',

  'common.save': 'Save',
  'common.saved': 'Saved',
  'common.cancel': 'Cancel',
  'common.delete': 'Delete',
  'common.deleted': 'Deleted',
  'common.edit': 'Edit',
  'common.add': 'Add',
  'common.new': 'New',
  'common.close': 'Close',
  'common.back': 'Back',
  'common.search': 'Search',
  'common.loading': 'Loading…',
  'common.none': '—',
  'common.yes': 'Yes',
  'common.no': 'No',
  'common.remove': 'Remove',
  'common.confirm': 'Are you sure?',
  'common.deleteAll': 'Delete everything',
  'common.notFound': 'Not found.',
  'common.previous': 'Previous',
  'common.next': 'Next',
  'common.pageOf': '{from}–{to} of {total}',
  'common.empty': 'Nothing here yet.',
  'common.required': 'required',
  'common.error': 'Something went wrong',
  'common.details': 'Details',
  'common.minutes': '{n} min',

  'welcome.title': 'Welcome to Rollcall',
  'welcome.text': 'Rollcall keeps your projects, events and the people who attend them, and gives you the figures donors ask for.',
  'welcome.sample': 'Load sample data',
  'welcome.sampleHint': 'The "In Search of Solidarity" project with its partners, a webinar and 57 participants, to look around.',
  'welcome.empty': 'Start with an empty database',
  'welcome.loaded': 'Sample data loaded: {people} people, {attendances} attendance records.',
  'welcome.dbError': 'The database could not be opened',
  'welcome.dbPath': 'Database file: {path}',

  'project.title': 'Projects',
  'project.new': 'New project',
  'project.edit': 'Edit project',
  'project.name': 'Name',
  'project.code': 'Code',
  'project.donor': 'Donor / funder',
  'project.start': 'Start date',
  'project.end': 'End date',
  'project.status': 'Status',
  'project.description': 'Description',
  'project.events': 'Events',
  'project.partners': 'Partners',
  'project.dates': 'Dates',
  'project.noPartners': 'No partner organisations yet.',
  'project.noEvents': 'No events yet.',
  'project.addPartner': 'Add partner',
  'project.partnerOrg': 'Organisation',
  'project.partnerRole': 'Role',
  'project.created': 'Project created',
  'status.planned': 'Planned',
  'status.active': 'Active',
  'status.closed': 'Closed',
  'partnerRole.lead': 'Lead',
  'partnerRole.partner': 'Partner',
  'partnerRole.supporter': 'Supporter',
  'partnerRole.funder': 'Funder',
  'partnerRole.associate': 'Associate',

  'org.title': 'Organisations',
  'org.new': 'New organisation',
  'org.edit': 'Edit organisation',
  'org.name': 'Name',
  'org.shortName': 'Short name',
  'org.country': 'Country (two letters)',
  'org.kind': 'Kind',
  'org.website': 'Website',
  'org.notes': 'Notes',
  'org.people': 'People',
  'org.projects': 'Projects',
  'org.noProjects': 'Not a partner in any project.',
  'orgKind.ngo': 'NGO',
  'orgKind.foundation': 'Foundation',
  'orgKind.donor': 'Donor',
  'orgKind.government': 'Government',
  'orgKind.media': 'Media',
  'orgKind.informal_group': 'Informal group',
  'orgKind.other': 'Other',

  'event.title': 'Events',
  'event.new': 'New event',
  'event.edit': 'Edit event',
  'event.name': 'Title',
  'event.project': 'Project',
  'event.kind': 'Kind',
  'event.starts': 'Starts (local time)',
  'event.timezone': 'Time zone',
  'event.duration': 'Duration (minutes)',
  'event.platform': 'Platform',
  'event.link': 'Link',
  'event.recording': 'Recording link',
  'event.language': 'Language',
  'event.notes': 'Notes',
  'event.when': 'When',
  'event.attended': 'Attended',
  'event.attendance': 'Attendance',
  'event.noAttendance': 'Nobody is recorded for this event yet.',
  'event.addPerson': 'Add a person',
  'event.quickAdd': 'Quick add',
  'event.personSearch': 'Find a person by name or email',
  'event.newPersonName': 'Full name',
  'event.newPersonEmail': 'Email',
  'event.added': 'Added to the event',
  'event.allProjects': 'All projects',
  'job.starting': 'Starting…',
  'job.cancelling': 'Cancelling…',
  'job.progress': '{done} of {total}',
  'job.rows': '{done} rows',
  'job.cancelled': 'Cancelled: nothing was changed.',
  'event.expected': 'Expected from the project\'s other events',
  'event.expectedHint': 'People who came to this project\'s other events but are not on this list yet. Mark each one.',
  'event.expectedEvents': 'Events',
  'event.markAttended': 'Attended',
  'event.markAbsent': 'Absent',
  'event.marked': '{name}: {status}',
  'eventKind.webinar': 'Webinar',
  'eventKind.conference': 'Conference',
  'eventKind.training': 'Training',
  'eventKind.meeting': 'Meeting',
  'eventKind.contest': 'Contest',
  'eventKind.other': 'Other',

  'person.title': 'People',
  'person.new': 'New person',
  'person.edit': 'Edit person',
  'person.name': 'Full name',
  'person.email': 'Email',
  'person.organisation': 'Organisation',
  'person.country': 'Country (two letters)',
  'person.gender': 'Gender (as the person describes it)',
  'person.notes': 'Notes',
  'person.events': 'Events',
  'person.history': 'Attendance history',
  'person.noHistory': 'Not recorded at any event yet.',
  'person.searchPlaceholder': 'Search names and emails, in any script',
  'person.consents': 'Consent',
  'person.noConsents': 'No consent recorded.',
  'person.consentPurpose': 'Purpose',
  'person.consentDate': 'Given on',
  'person.consentMethod': 'How it was given',
  'person.consentWithdrawn': 'Withdrawn on {date}',
  'person.addConsent': 'Record consent',
  'person.withdraw': 'Withdraw',
  'person.noOrganisation': '(none)',

  'attendance.person': 'Person',
  'attendance.organisation': 'Organisation',
  'attendance.country': 'Country',
  'attendance.role': 'Role',
  'attendance.status': 'Status',
  'attendance.minutes': 'Minutes',
  'attendance.source': 'Source',
  'role.participant': 'Participant',
  'role.speaker': 'Speaker',
  'role.moderator': 'Moderator',
  'role.organiser': 'Organiser',
  'attStatus.registered': 'Registered',
  'attStatus.attended': 'Attended',
  'attStatus.absent': 'Absent',
  'attStatus.cancelled': 'Cancelled',
};

const catalogues = { en };

function pickLocale() {
  const wanted = (navigator.languages && navigator.languages.length ? navigator.languages : [navigator.language || 'en']);
  for (const tag of wanted) {
    const base = String(tag).toLowerCase().split('-')[0];
    if (catalogues[base]) return base;
  }
  return 'en';
}

const lang = pickLocale();
const messages = catalogues[lang];
/**
 * The locale used for dates and numbers: the user's own, whatever the UI language. A system without a
 * locale (LANG=C) reports tags that Intl rejects, so those fall back to English.
 */
export const locale = (() => {
  try {
    return Intl.getCanonicalLocales(navigator.language || 'en')[0];
  } catch (_) {
    return 'en';
  }
})();

/** The message for `key` with `{name}` placeholders filled in; the key itself when missing. */
export function t(key, params = {}) {
  const template = messages[key] ?? en[key] ?? key;
  return template.replace(/\{(\w+)\}/g, (_, name) => (name in params ? String(params[name]) : `{${name}}`));
}

const numberFormat = new Intl.NumberFormat(locale);
export function fmtNumber(n) {
  return n == null ? t('common.none') : numberFormat.format(n);
}

const dateFormat = new Intl.DateTimeFormat(locale, { dateStyle: 'medium' });
/** Formats an ISO date (YYYY-MM-DD) for display, without shifting it through a time zone. */
export function fmtDate(iso) {
  if (!iso) return t('common.none');
  const [y, m, d] = iso.slice(0, 10).split('-').map(Number);
  return dateFormat.format(new Date(Date.UTC(y, m - 1, d, 12)));
}

const dateTimeFormat = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' });
/** Formats a local wall-clock time as announced (YYYY-MM-DDTHH:MM), as it was typed, in the user's style. */
export function fmtLocalDateTime(local) {
  if (!local) return t('common.none');
  const [date, time = '00:00'] = local.split('T');
  const [y, m, d] = date.split('-').map(Number);
  const [hh, mm] = time.split(':').map(Number);
  return dateTimeFormat.format(new Date(Date.UTC(y, m - 1, d, hh, mm)));
}
