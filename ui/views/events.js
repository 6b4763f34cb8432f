// events.js: the Events screens: the list (optionally of one project) and an event's page with its
// attendance list, where roles and statuses are edited in place and people are added.

import { api } from '../api.js';
import { t, fmtNumber, fmtLocalDateTime } from '../i18n.js';
import { h, header, button, table, pagedTable, pager, focusFirstRow, form, formDialog, panel, facts, options, deleteWithConfirm, confirmDialog, toast, showError, replace } from '../lib/ui.js';
import { EVENT_KINDS, ROLES, STATUSES, timeZones } from '../lib/constants.js';
import { exportWithDialog } from '../lib/export.js';
import { importInto, importsPanel, pasteBox } from './importer.js';
import { rememberProject } from './reports.js';

/** Rows of an event's attendance list asked for at a time. */
const ATTENDANCE_PAGE = 100;
/** Rows of the expected people drawn at a time (the core offers up to 500). */
const EXPECTED_PAGE = 50;

/** The event form's fields and values; `projects` fills the project choice. */
export function eventForm(projects, values = {}) {
  if (!document.getElementById('tz-list')) {
    document.body.append(h('datalist', { id: 'tz-list' }, timeZones().map((z) => h('option', { value: z }))));
  }
  return {
    fields: [
      { name: 'title', label: t('event.name'), required: true, wide: true },
      { name: 'project_id', label: t('event.project'), type: 'select', options: projects.map((p) => [p.id, p.name]) },
      { name: 'kind', label: t('event.kind'), type: 'select', options: options(EVENT_KINDS, 'eventKind.') },
      { name: 'starts_at', label: t('event.starts'), type: 'datetime-local', required: true },
      { name: 'timezone', label: t('event.timezone'), list: 'tz-list', required: true },
      { name: 'duration_minutes', label: t('event.duration'), type: 'number', min: 1 },
      { name: 'platform', label: t('event.platform'), placeholder: 'Zoom' },
      { name: 'language', label: t('event.language') },
      { name: 'link', label: t('event.link'), placeholder: 'https://' },
      { name: 'recording_link', label: t('event.recording'), placeholder: 'https://' },
      { name: 'notes', label: t('event.notes'), type: 'textarea', wide: true },
    ],
    values: { kind: 'webinar', timezone: Intl.DateTimeFormat().resolvedOptions().timeZone || 'Europe/Kyiv', ...values },
  };
}

function when(e) {
  return `${fmtLocalDateTime(e.starts_at)} ${e.timezone} (UTC${e.utc_offset})`;
}

export async function list(root) {
  const projects = await api.projects();
  const filter = h('select', { 'aria-label': t('event.project') },
    h('option', { value: '' }, t('event.allProjects')), projects.map((p) => h('option', { value: p.id }, p.name)));
  const results = h('div', {});
  const draw = async () => {
    const events = await api.events(filter.value ? Number(filter.value) : null);
    replace(results, pagedTable([
      { label: t('event.when'), cell: (e) => fmtLocalDateTime(e.starts_at) },
      { label: t('event.name'), cell: (e) => h('a', { href: `#/events/${e.id}` }, e.title) },
      { label: t('event.project'), cell: (e) => e.project_name },
      { label: t('event.kind'), cell: (e) => t(`eventKind.${e.kind}`) },
      { label: t('event.attended'), cell: (e) => fmtNumber(e.attended), cls: 'num' },
    ], events, { onOpen: (e) => { location.hash = `#/events/${e.id}`; }, caption: t('event.title'),
      empty: projects.length ? t('event.emptyList') : t('event.emptyNoProject') }, { limit: 50 }));
  };
  filter.addEventListener('change', () => draw().catch(showError));
  const create = () => {
    if (!projects.length) { location.hash = '#/projects'; return; }
    formDialog(t('event.new'), {
      ...eventForm(projects, { project_id: filter.value || projects[0].id }),
      submit: async (v) => { const e = await api.createEvent({ ...v, project_id: Number(v.project_id) }); location.hash = `#/events/${e.id}`; return e; },
    });
  };
  replace(root, header(t('event.title'), button(t('event.new'), create, 'primary')), h('div', { class: 'toolbar' }, filter), results);
  await draw();
}

export async function detail(root, id) {
  const [event, projects] = await Promise.all([api.event(id), api.projects()]);
  rememberProject(event.project_id);
  const reload = () => detail(root, id).catch(showError);
  const edit = () => formDialog(t('event.edit'), {
    ...eventForm(projects, event),
    submit: async (v) => { const e = await api.updateEvent(id, { ...v, project_id: Number(v.project_id) }); toast(t('common.saved')); reload(); return e; },
  });
  const remove = async () => {
    if (await deleteWithConfirm(event.title, (cascade) => api.deleteEvent(id, cascade))) location.hash = `#/projects/${event.project_id}`;
  };
  const attendanceBox = h('div', { id: 'attendance-list' });
  // One import at a time: a second Enter or click while the file chooser or preview is open does nothing.
  let importing = false;
  const startImport = async () => {
    if (importing) return;
    importing = true;
    try { await importInto(id, reload); } catch (e) { showError(e); } finally { importing = false; }
  };
  const expectedBox = h('div', {});
  const importsBox = await importsPanel(id, reload);
  // The page of the attendance list and its filter survive a redraw after an edit.
  const pageState = { offset: 0 };
  const filter = h('input', { type: 'search', id: 'attendance-filter', class: 'search', placeholder: t('event.filterPlaceholder'), 'aria-label': t('event.filter') });
  const filterCount = h('span', { class: 'count', 'aria-live': 'polite' });
  const filterBar = h('div', { class: 'toolbar', hidden: true }, filter, filterCount);
  // The list comes from the core a page at a time, filtered there (issue 19: a 17,000-record event sent
  // whole cost 110 to 180 ms and about 20 MB of the page's memory at every visit). A newer draw makes an
  // older answer stale.
  let listToken = 0;
  const drawRows = async ({ focus = false } = {}) => {
    const mine = ++listToken;
    const text = filter.value.trim();
    const page = await api.attendancePage(id, { filter: text || null, offset: pageState.offset, limit: ATTENDANCE_PAGE });
    if (mine !== listToken) return;
    pageState.offset = page.offset;
    // A short list needs no filter; a webinar of hundreds does.
    filterBar.hidden = page.all <= 20 && !filter.value;
    filterCount.textContent = text ? t('event.filterCount', { shown: fmtNumber(page.total), total: fmtNumber(page.all) }) : '';
    const go = (offset) => { pageState.offset = offset; drawRows({ focus: true }).catch(showError); };
    replace(attendanceBox, text && !page.total
      ? h('p', { class: 'empty' }, t('event.filterNone', { text }))
      : attendanceTable(id, page, drawAttendance, go));
    if (focus) focusFirstRow(attendanceBox);
  };
  let filterTimer;
  filter.addEventListener('input', () => { clearTimeout(filterTimer); filterTimer = setTimeout(() => { pageState.offset = 0; drawRows().catch(showError); }, 120); });
  // The list is drawn first; the people expected (counted over every other event of the project, up to a
  // second on a project of a million records, on a connection of their own: see jobs::read) are asked
  // for once it is on screen and fill their panel afterwards. A newer draw makes an older answer stale.
  let expectedToken = 0;
  const drawAttendance = async () => {
    const token = ++expectedToken;
    await drawRows();
    api.expected(id).then((list) => {
      if (token === expectedToken && root.isConnected !== false) replace(expectedBox, list.length ? expectedTable(id, list, drawAttendance) : []);
    }).catch(showError);
  };

  replace(root,
    h('p', { class: 'crumbs' }, h('a', { href: `#/projects/${event.project_id}` }, event.project_name)),
    header(event.title,
      h('button', { type: 'button', class: 'primary', id: 'import-report', onclick: startImport }, t('event.import')),
      h('button', { type: 'button', id: 'export-event-attendance', onclick: () => exportWithDialog({
        title: t('export.eventTitle'),
        name: `${event.title}-${t('export.fileAttendance')}`,
        start: (path, options, onProgress) => api.exportEventAttendance(id, path, options, onProgress),
      }) }, t('event.export')),
      button(t('common.edit'), edit), button(t('common.delete'), remove, 'danger')),
    panel(null, facts([
      [t('event.when'), when(event)],
      [t('event.kind'), t(`eventKind.${event.kind}`)],
      [t('event.duration'), event.duration_minutes ? t('common.minutes', { n: event.duration_minutes }) : null],
      [t('event.platform'), event.platform],
      [t('event.language'), event.language],
      [t('event.link'), event.link],
      [t('event.recording'), event.recording_link],
      [t('event.notes'), event.notes],
    ])),
    panel(t('event.attendance'), addPersonBox(id, drawAttendance), filterBar, attendanceBox),
    expectedBox,
    panel(t('import.pasteTitle'), pasteBox(id, reload)),
    panel(t('import.history'), importsBox));
  await drawAttendance();
}

/** The project's regulars who are not on the list yet, each marked attended or absent with one click. */
function expectedTable(eventId, rows, redraw) {
  const mark = (row, status) => button(t(status === 'attended' ? 'event.markAttended' : 'event.markAbsent'), async () => {
    try {
      await api.setAttendance({ event_id: eventId, person_id: row.person_id, status });
      toast(t('event.marked', { name: row.name, status: t(`attStatus.${status}`) }));
      redraw();
    } catch (e) { showError(e); }
  }, status === 'attended' ? 'small' : 'small secondary');
  return panel(t('event.expected'),
    h('p', { class: 'hint' }, t('event.expectedHint')),
    pagedTable([
      { label: t('attendance.person'), cell: (a) => h('a', { href: `#/people/${a.person_id}` }, a.name) },
      { label: t('attendance.organisation'), cell: (a) => a.organisation_name || '' },
      { label: t('attendance.country'), cell: (a) => a.country || '' },
      { label: t('event.expectedEvents'), cls: 'num', cell: (a) => fmtNumber(a.events) },
      { label: '', cls: 'actions', cell: (a) => h('span', { class: 'row-actions' }, mark(a, 'attended'), mark(a, 'absent')) },
    ], rows, { caption: t('event.expected') }, { limit: EXPECTED_PAGE }));
}

/**
 * The attendance grid, one page of the core's list (`page`: items, total, offset, limit): role, status
 * and minutes are edited in place and saved at once (a "Saved" toast says so); Remove asks first.
 * `go(offset)` draws another page.
 */
function attendanceTable(eventId, page, redraw, go) {
  const save = async (row, change) => {
    try {
      await api.setAttendance({ event_id: eventId, person_id: row.person_id, ...change });
      toast(t('event.savedFor', { name: row.name }));
    } catch (e) {
      showError(e);
      redraw();
    }
  };
  const select = (row, field, values, prefix) => {
    const el = h('select', { 'aria-label': `${t(`attendance.${field}`)}: ${row.name}`, onchange: () => save(row, { [field]: el.value }) },
      options(values, prefix).map(([v, l]) => h('option', { value: v }, l)));
    el.value = row[field];
    return el;
  };
  const columns = [
    { label: t('attendance.person'), cell: (a) => [h('a', { href: `#/people/${a.person_id}` }, a.name),
      h('span', { class: 'sub' }, [a.organisation_name, a.country].filter(Boolean).join(' · '))] },
    { label: t('attendance.organisation'), cls: 'wide-only', cell: (a) => a.organisation_name || '' },
    { label: t('attendance.country'), cls: 'wide-only', cell: (a) => a.country || '' },
    { label: t('attendance.role'), cell: (a) => select(a, 'role', ROLES, 'role.') },
    { label: t('attendance.status'), cell: (a) => select(a, 'status', STATUSES, 'attStatus.') },
    { label: t('attendance.minutes'), cls: 'num', cell: (a) => {
      const input = h('input', { type: 'number', min: 0, class: 'minutes', value: a.minutes ?? '', 'aria-label': `${t('attendance.minutes')}: ${a.name}` });
      input.addEventListener('change', () => save(a, { minutes: input.value === '' ? null : Number(input.value) }));
      return input;
    } },
    { label: '', cls: 'actions', cell: (a) => button(t('common.remove'), async () => {
      const ok = await confirmDialog({ title: t('event.removeTitle'), message: t('event.removeConfirm', { name: a.name }), confirm: t('common.remove'), danger: true });
      if (!ok) return;
      try {
        await api.removeAttendance(eventId, a.person_id);
        toast(t('event.removed', { name: a.name }));
        redraw();
      } catch (e) { showError(e); }
    }, 'link') },
  ];
  return h('div', { class: 'paged', dataset: { total: String(page.total) } },
    table(columns, page.items, { empty: t('event.noAttendance'), caption: t('event.attendance') }),
    pager(page, go));
}

/** Finds an existing person to add, or creates one from a name and email. */
function addPersonBox(eventId, redraw) {
  const results = h('ul', { class: 'suggestions' });
  const search = h('input', { type: 'search', placeholder: t('event.personSearch'), 'aria-label': t('event.personSearch'), class: 'search' });
  const add = async (personId) => {
    await api.setAttendance({ event_id: eventId, person_id: personId, status: 'attended' });
    toast(t('event.added'));
    search.value = '';
    results.replaceChildren();
    redraw();
  };
  let seq = 0;
  search.addEventListener('input', async () => {
    const text = search.value.trim();
    const mine = ++seq;
    if (!text) { results.replaceChildren(); return; }
    try {
      const page = await api.people({ search: text, limit: 8, offset: 0 });
      if (mine !== seq) return;
      replace(results, page.items.map((p) => h('li', {}, button(`${p.full_name}${p.email ? ` · ${p.email}` : ''}`, () => add(p.id).catch(showError), 'link'))));
    } catch (e) { showError(e); }
  });
  const quick = form({
    fields: [
      { name: 'full_name', label: t('event.newPersonName'), required: true },
      { name: 'email', label: t('event.newPersonEmail'), type: 'email' },
    ],
    submitLabel: t('event.quickAdd'),
    submit: async (v) => {
      const p = await api.createPerson(v);
      await add(p.id);
      quick.reset();
    },
  });
  quick.classList.add('inline');
  return h('div', { class: 'add-person' }, h('div', {}, search, results), quick);
}
