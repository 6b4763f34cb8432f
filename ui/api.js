// api.js: the only module that talks to the Rust side. Every call goes through `call`, which turns a
// rejected invoke into an ApiError carrying the core's {kind, message, field, code, params}, its message
// worded in the window's language.

import { errorText, t } from './i18n.js';

const tauri = window.__TAURI__;

export class ApiError extends Error {
  constructor({ kind = 'unknown', message = String(kind), field = null, code = null, params = null } = {}) {
    super(errorText({ kind, message, code, params }));
    this.kind = kind;
    this.field = field;
    this.code = code;
    this.params = params;
    /** The core's own (English) message, for the log and for an unknown kind. */
    this.detail = message;
  }
}

async function call(command, args = {}) {
  if (!tauri || !tauri.core) {
    throw new ApiError({ kind: 'no_backend', message: 'Rollcall must run inside its desktop window.' });
  }
  try {
    return await tauri.core.invoke(command, args);
  } catch (e) {
    if (e && typeof e === 'object' && 'message' in e) throw new ApiError(e);
    throw new ApiError({ kind: 'unknown', message: String(e) });
  }
}

/** Subscribes to an event from the Rust side; resolves to an unsubscribe function. */
export function listen(event, handler) {
  return tauri.event.listen(event, (e) => handler(e.payload));
}

/** The native "Open" dialog; resolves to the chosen path, or null when the user cancels. */
async function openFile(options) {
  if (!tauri || !tauri.dialog) {
    throw new ApiError({ kind: 'no_backend', message: 'Rollcall must run inside its desktop window.' });
  }
  const chosen = await tauri.dialog.open({ multiple: false, directory: false, ...options });
  return Array.isArray(chosen) ? (chosen[0] ?? null) : (chosen ?? null);
}

let nextJob = 1;

/**
 * Starts a long command (import, export, backup) that runs off the UI thread. `onProgress(done, total)`
 * receives its `job-progress` events. Returns { result, cancel }: `result` settles with the command's
 * outcome (a cancelled job rejects with kind "cancelled"), `cancel()` asks it to stop.
 */
export function job(command, args, onProgress = () => {}) {
  const id = Date.now() * 1000 + (nextJob++ % 1000);
  const unlisten = listen('job-progress', (p) => { if (p.job === id) onProgress(p.done, p.total); });
  const result = unlisten.then(() => call(command, { ...args, job: id })).finally(() => unlisten.then((off) => off()));
  return { result, cancel: () => call('job_cancel', { job: id }) };
}

export const api = {
  status: () => call('app_status'),
  ready: () => call('app_ready'),
  vocabulary: () => call('vocabulary'),
  startMaintenance: () => call('maintenance_start'),
  loadSampleData: () => call('sample_data_load'),

  projects: () => call('project_list'),
  project: (id) => call('project_get', { id }),
  createProject: (input) => call('project_create', { input }),
  updateProject: (id, input) => call('project_update', { id, input }),
  deleteProject: (id, cascade = false) => call('project_delete', { id, cascade }),

  partners: (projectId) => call('partner_list', { projectId }),
  addPartner: (input) => call('partner_add', { input }),
  setPartnerRole: (id, role) => call('partner_set_role', { id, role }),
  removePartner: (id) => call('partner_remove', { id }),

  organisations: (search = null) => call('organisation_list', { search }),
  organisation: (id) => call('organisation_get', { id }),
  createOrganisation: (input) => call('organisation_create', { input }),
  updateOrganisation: (id, input) => call('organisation_update', { id, input }),
  deleteOrganisation: (id, cascade = false) => call('organisation_delete', { id, cascade }),

  events: (projectId = null) => call('event_list', { projectId }),
  event: (id) => call('event_get', { id }),
  createEvent: (input) => call('event_create', { input }),
  updateEvent: (id, input) => call('event_update', { id, input }),
  deleteEvent: (id, cascade = false) => call('event_delete', { id, cascade }),

  people: (query) => call('person_list', { query }),
  /** Sets country, gender and/or organisation of many people at once: {ids, country?, gender?, organisation_id?}. */
  bulkUpdatePeople: (input) => call('person_bulk_update', { input }),
  /** Suggested countries and organisations from email domains, never applied by themselves: {ids?, missing?, limit?}. */
  personSuggestions: (query) => call('person_suggestions', { query }),
  /** The people behind one figure of the donor table: `cell` is {projectId, dim, value, dim2?, value2?, from, to, minMinutes, minEvents}. */
  cellPeople: (cell) => call('report_cell_people', { from: null, to: null, minMinutes: null, minEvents: null, dim2: null, value2: null, offset: 0, limit: 200, ...cell }),
  person: (id) => call('person_get', { id }),
  createPerson: (input) => call('person_create', { input }),
  updatePerson: (id, input) => call('person_update', { id, input }),
  deletePerson: (id, cascade = false) => call('person_delete', { id, cascade }),
  personHistory: (id) => call('person_history', { id }),
  consents: (id) => call('person_consents', { id }),
  addConsent: (id, input) => call('person_consent_add', { id, input }),
  withdrawConsent: (id, purpose = null) => call('person_consent_withdraw', { id, purpose }),

  /** One page of an event's list: { items, total (matching the filter), all, offset, limit }. */
  attendancePage: (eventId, { filter = null, offset = 0, limit = 100 } = {}) =>
    call('attendance_page', { eventId, query: { filter, offset, limit } }),
  setAttendance: (input) => call('attendance_set', { input }),
  removeAttendance: (eventId, personId) => call('attendance_remove', { eventId, personId }),
  expected: (eventId) => call('attendance_expected', { eventId }),

  /** The native "Open" dialog for a participant report; resolves to its path, or null. */
  pickReport: () => openFile({ filters: [
    { name: t('import.filterReports'), extensions: ['csv', 'tsv', 'txt', 'xlsx', 'xlsm', 'xls', 'ods'] },
    { name: t('import.filterAll'), extensions: ['*'] }] }),
  /** The native "Open" dialog for a backup; resolves to its path, or null. */
  pickBackup: (defaultPath = null) => openFile({ defaultPath, filters: [{ name: t('data.filterBackups'), extensions: ['sqlite3', 'db', 'bak'] }, { name: t('import.filterAll'), extensions: ['*'] }] }),
  importHeaders: (path, sheet = null) => call('import_headers', { path, sheet }),
  /** A workbook's sheets: [{index, name, rows, empty, visible}]; [] for a CSV file. */
  importSheets: (path) => call('import_sheets', { path }),
  importFormats: () => call('import_formats'),
  imports: (eventId = null) => call('import_list', { eventId }),
  undoImport: (id) => call('import_undo', { id }),
  paste: (eventId, text, dryRun) => call('import_paste', { eventId, text, dryRun }),

  unlock: (passphrase) => call('db_unlock', { passphrase }),
  updatesSettings: () => call('updates_settings'),
  updatesSetEnabled: (enabled) => call('updates_set_enabled', { enabled }),
  /**
   * {status: disabled | not_due | not_configured | up_to_date | available}; when available also version,
   * notes, date, install (in_app | package_manager | by_hand), kind (deb, rpm, appimage...), page (where
   * the new package is) and announce (whether to show it now). At most one request a day, except for
   * a `manual` check (the user's "Check now").
   */
  updatesCheck: (manual = false) => call('updates_check', { manual }),
  /** Not now: the update found is not offered again this session. */
  updatesPostpone: () => call('updates_postpone'),
  /** Downloads the update found and verifies its signature; progress arrives as `update-progress` events. */
  updatesDownload: () => call('updates_download'),
  /** Stops a running download; resolves to false when none was running. */
  updatesCancel: () => call('updates_cancel'),
  backups: () => call('backup_list'),
  restore: (path, passphrase = null) => call('backup_restore', { path, passphrase }),
  // Jobs with progress in bytes of the database and its backups; they cannot be cancelled.
  encrypt: (passphrase, onProgress) => job('db_encrypt', { passphrase }, onProgress),
  decrypt: (passphrase, onProgress) => job('db_decrypt', { passphrase }, onProgress),
  changePassphrase: (old, next, onProgress) => job('db_change_passphrase', { old, new: next }, onProgress),
  personExport: (id, path, format) => call('person_export', { id, path, format }),
  personErase: (id) => call('person_erase', { id }),
  retentionCandidates: (before) => call('retention_candidates', { before }),
  retentionErase: (ids) => call('retention_erase', { ids }),

  // The partners' exchange. Bundles are written and applied as jobs, like exports.
  identity: () => call('identity_show'),
  setIdentityOrganisation: (organisationId) => call('identity_set_organisation', { organisationId }),
  contacts: () => call('contact_list'),
  addContact: (card, organisationId) => call('contact_add', { card, organisationId }),
  removeContact: (id) => call('contact_remove', { id }),
  bundles: () => call('bundle_list'),
  /** A job (like the exports): `choice` is { projectId, to: [fingerprint], path, full, pseudonymous }. */
  exportBundle: (choice, onProgress) => job('bundle_export', choice, onProgress),
  /** `request` is { path, dry_run, ambiguous?, resolutions? }. */
  applyBundle: (request, onProgress) => job('bundle_apply', { request }, onProgress),
  mergePeople: (keep, drop) => call('person_merge', { keep, drop }),
  /** The native "Open" dialog for a partner's bundle; resolves to its path, or null. */
  pickBundle: () => openFile({ filters: [{ name: t('partners.filterBundles'), extensions: ['rollcall'] }, { name: t('import.filterAll'), extensions: ['*'] }] }),

  reportEvent: (eventId) => call('report_event', { eventId }),
  reportProject: (projectId, { from = null, to = null } = {}) => call('report_project', { projectId, from, to }),
  /** `rows` and `cols` are dimensions (see lib/constants.js DIMENSIONS); gender x country when null. */
  reportDonor: (projectId, { from = null, to = null, minMinutes = null, minEvents = null, rows = null, cols = null } = {}) =>
    call('report_donor', { projectId, from, to, minMinutes, minEvents, rows, cols }),
  disability: (personId) => call('disability_get', { personId }),
  setDisability: (personId, input) => call('disability_set', { personId, input }),
  clearDisability: (personId) => call('disability_clear', { personId }),
  genderReview: () => call('gender_review'),
  mapGender: (spelling, category) => call('gender_map', { spelling, category }),
  reportRegistration: (projectId, { from = null, to = null } = {}) => call('report_registration', { projectId, from, to }),
  reportIndicators: (projectId, { from = null, to = null } = {}) => call('report_indicators', { projectId, from, to }),
  addIndicator: (projectId, input) => call('indicator_add', { projectId, input }),
  removeIndicator: (id) => call('indicator_remove', { id }),
  reportOrganisation: (orgId) => call('report_organisation', { orgId }),
  reportPartners: (projectId) => call('report_partners', { projectId }),
  /** Builds the native menu again with these labels ({file, backup_now, …}; see src-tauri/src/menu.rs). */
  menuLabels: (labels) => call('menu_labels', { labels }),

  // CSV exports are jobs: each returns { result, cancel } like job(). `options` is
  // { delimiter: 'comma'|'semicolon'|'tab', bom, pseudonymous }; `path` comes from saveFile().
  exportEventAttendance: (eventId, path, options, onProgress) =>
    job('export_event_attendance', { eventId, path, options }, onProgress),
  exportProjectAttendance: (projectId, path, options, onProgress) =>
    job('export_project_attendance', { projectId, path, options }, onProgress),
  exportPeople: (path, options, onProgress) => job('export_people', { path, options }, onProgress),
  // A file written in this session (an export, a person's data, a bundle): its program, or its folder.
  fileOpen: (path) => call('file_open', { path }),
  fileReveal: (path) => call('file_reveal', { path }),
  /** kind "project" (the summary), "donor" (two dimensions), "indicators" or "registration"; `report` holds from, to, minMinutes, minEvents, rows, cols. */
  exportReport: (kind, projectId, report, path, options, onProgress) =>
    job('export_report', { kind, projectId, from: null, to: null, minMinutes: null, minEvents: null, rows: null, cols: null, ...report, path, options }, onProgress),

  /**
   * The native "Save as" dialog; resolves to the chosen path, or null when the user cancels.
   * `filters` are [{ name, extensions: ['csv'] }].
   */
  saveFile: async ({ defaultPath = null, filters = [] } = {}) => {
    if (!tauri || !tauri.dialog) {
      throw new ApiError({ kind: 'no_backend', message: 'Rollcall must run inside its desktop window.' });
    }
    const options = { filters };
    if (defaultPath) options.defaultPath = defaultPath;
    try {
      return (await tauri.dialog.save(options)) ?? null;
    } catch (e) {
      throw new ApiError({ kind: 'unknown', message: String(e && e.message ? e.message : e) });
    }
  },
};
