// reports.js: the Reports screen. Pick a project and a period to see what it reached: the headline
// figures, unique people by country, gender, organisation and role, attendance per event, the donor
// table (gender by country, with minimum minutes and events), the partners, and CSV exports of them.
// `#/reports/ID` opens the screen on project ID.

import { api } from '../api.js';
import { genderName, DIMENSIONS, GENDERS, MEASURES } from '../lib/constants.js';
import { t, has, fmtNumber, fmtDate, countryName, withLanguage, lang } from '../i18n.js';
import { h, header, table, panel, facts, button, replace, dateInput, formDialog, confirmDialog, showError, toast, modal, paged } from '../lib/ui.js';
import { barChart } from '../lib/chart.js';
import { showMissing } from './people.js';
import { exportOptionsControls, exportFile, fileName } from '../lib/export.js';

const LAST_PROJECT = 'rollcall.report.project';
/** Rows of a breakdown shown before "Show all"; a project can have hundreds of organisations. */
const BREAKDOWN_ROWS = 12;
/**
 * Events shown at a time in the per-event chart and the registration table: the full stress database's
 * project has 2,000 events, which drew 26,000 elements on this screen (about 90 MB more in the web
 * process while it was open).
 */
const EVENT_ROWS = 100;

/** A country's name in the UI language, or "Not stated". */
function countryLabel(code) {
  return code ? countryName(code) : t('report.notStated');
}

function remembered() {
  try {
    return Number(localStorage.getItem(LAST_PROJECT)) || null;
  } catch (_) {
    return null;
  }
}

/** The project the user works on now (its page or one of its events): Reports opens on it. */
export function rememberProject(projectId) {
  remember(projectId);
}

function remember(projectId) {
  try {
    localStorage.setItem(LAST_PROJECT, String(projectId));
  } catch (_) {
    // Only a convenience: the screen opens on the first project instead.
  }
}

/** A labelled control; the label wraps the input so clicking the text focuses it. */
function control(label, input) {
  return h('label', { class: 'control' }, h('span', {}, label), input);
}

/** A number input for a threshold: empty (no threshold) or a whole number from 0. */
function numberOrNull(input) {
  const raw = input.value.trim();
  return raw === '' ? null : Number(raw);
}

export function list(root) {
  return show(root, null);
}

export function detail(root, id) {
  return show(root, id);
}

async function show(root, wanted) {
  const projects = await api.projects();
  if (!projects.length) {
    replace(root, header(t('report.title')),
      h('p', { class: 'empty', id: 'report-empty' }, t('report.noProjects')),
      h('p', {}, h('a', { href: '#/projects' }, t('nav.projects'))));
    return;
  }
  const initial = [wanted, remembered()].find((id) => id && projects.some((p) => p.id === id)) || projects[0].id;
  const select = h('select', { id: 'report-project' }, projects.map((p) => h('option', { value: String(p.id) }, p.name)));
  select.value = String(initial);
  const from = dateInput({ id: 'report-from' });
  const to = dateInput({ id: 'report-to' });
  const rangeError = h('p', { class: 'form-error', role: 'alert', id: 'report-error', hidden: true });
  const minMinutes = h('input', { type: 'number', id: 'donor-min-minutes', min: 0, step: 1, class: 'minutes', placeholder: '0' });
  const minEvents = h('input', { type: 'number', id: 'donor-min-events', min: 0, step: 1, class: 'minutes', placeholder: '1' });
  const donorError = h('p', { class: 'form-error', role: 'alert', id: 'donor-error', hidden: true });
  // The two breakdowns of the donor table (the core's dimensions), gender down and country across at first.
  const dimensionSelect = (id, initial) => {
    const el = h('select', { id }, DIMENSIONS.map((d) => h('option', { value: d }, t(`dimension.${d}`))));
    el.value = initial;
    return el;
  };
  const donorRows = dimensionSelect('donor-rows', 'gender');
  const donorCols = dimensionSelect('donor-cols', 'country');
  const summaryBox = h('div', { id: 'report-summary' });
  let lastDonor = null;
  const donorBox = h('div', {});
  const partnersBox = h('div', {});
  const registrationBox = h('div', { id: 'report-registration' });
  const indicatorsBox = h('div', { id: 'report-indicators' });
  const reviewBox = h('div', { id: 'gender-review' });
  const fileOptions = exportOptionsControls();
  const results = h('div', { id: 'report-results', class: 'report', dataset: { state: 'loading' } });

  const projectId = () => Number(select.value);
  const projectName = () => (projects.find((p) => p.id === projectId()) || {}).name || '';
  const range = () => ({ from: from.value || null, to: to.value || null });
  const donorParams = () => ({
    ...range(), minMinutes: numberOrNull(minMinutes), minEvents: numberOrNull(minEvents), rows: donorRows.value, cols: donorCols.value,
  });

  /** Shows an error next to the inputs it is about (the core names the field), or above the results. */
  const fail = (e, box, inputs) => {
    const input = e && e.field ? inputs[e.field] : null;
    if (input) input.setAttribute('aria-invalid', 'true');
    box.textContent = e && e.message ? e.message : String(e);
    box.hidden = false;
  };
  const clear = (box, inputs) => {
    box.hidden = true;
    for (const i of Object.values(inputs)) i.removeAttribute('aria-invalid');
  };
  const rangeInputs = { from, to };
  const donorInputs = { from, to, min_minutes: minMinutes, min_events: minEvents, rows: donorRows, cols: donorCols };

  // Later draws win: an answer to an earlier choice of project or period is dropped.
  let drawToken = 0;
  let donorToken = 0;

  const drawDonor = async () => {
    const mine = ++donorToken;
    clear(donorError, { min_minutes: minMinutes, min_events: minEvents });
    donorBox.dataset.state = 'loading';
    try {
      const d = await api.reportDonor(projectId(), donorParams());
      lastDonor = d;
      if (mine !== donorToken) return;
      replace(donorBox, donorTable(d, (cellKeys) => cellPeopleDialog({ projectId: projectId(), ...donorParams() }, d, cellKeys)));
      donorBox.dataset.state = 'ready';
    } catch (e) {
      if (mine !== donorToken) return;
      replace(donorBox);
      donorBox.dataset.state = 'error';
      fail(e, donorError, donorInputs);
    }
  };

  const drawAll = async () => {
    const mine = ++drawToken;
    results.dataset.state = 'loading';
    clear(rangeError, rangeInputs);
    const id = projectId();
    try {
      const [summary, partners, registration, indicators, review] = await Promise.all([
        api.reportProject(id, range()), api.reportPartners(id), api.reportRegistration(id, range()), api.reportIndicators(id, range()),
        api.genderReview(),
      ]);
      if (mine !== drawToken) return;
      replace(summaryBox, summaryView(summary));
      replace(partnersBox, partnersView(partners));
      replace(registrationBox, registrationView(registration));
      replace(indicatorsBox, indicatorsView(indicators, drawAll));
      replace(reviewBox, genderReviewView(review, drawAll));
      await drawDonor();
      if (mine !== drawToken) return;
      results.dataset.project = String(id);
      results.dataset.state = 'ready';
    } catch (e) {
      if (mine !== drawToken) return;
      replace(summaryBox);
      replace(donorBox);
      replace(partnersBox);
      results.dataset.state = 'error';
      fail(e, rangeError, rangeInputs);
    }
  };

  select.addEventListener('change', () => { remember(projectId()); drawAll(); });
  from.addEventListener('change', drawAll);
  to.addEventListener('change', drawAll);
  minMinutes.addEventListener('change', drawDonor);
  donorRows.addEventListener('change', drawDonor);
  donorCols.addEventListener('change', drawDonor);
  minEvents.addEventListener('change', drawDonor);

  const runExport = (kind) => {
    const options = fileOptions.value();
    // The donor table is written in the words the screen shows: English by default, for donors, or the
    // window's language when asked; the CSV then reads like the table on screen.
    if (kind === 'donor' && lastDonor) options.labels = withLanguage(options.localHeadings ? lang : 'en', () => donorLabels(lastDonor));
    const { from: f, to: tt } = range();
    let period = '';
    if (f && tt) period = `${f}_${tt}`;
    else if (f) period = t('export.fileFrom', { date: f });
    else if (tt) period = t('export.fileTo', { date: tt });
    const starts = {
      donor: [t('export.fileDonor'), (path, o, p) => api.exportReport('donor', projectId(), donorParams(), path, o, p)],
      summary: [t('export.fileSummary'), (path, o, p) => api.exportReport('project', projectId(), range(), path, o, p)],
      indicators: [t('export.fileIndicators'), (path, o, p) => api.exportReport('indicators', projectId(), range(), path, o, p)],
      registration: [t('export.fileRegistration'), (path, o, p) => api.exportReport('registration', projectId(), range(), path, o, p)],
      attendance: [t('export.fileAttendance'), (path, o, p) => api.exportProjectAttendance(projectId(), path, o, p)],
    };
    const [what, start] = starts[kind];
    return exportFile({
      title: t('export.running'),
      name: fileName(projectName(), what, kind === 'attendance' ? '' : period),
      options,
      start,
    });
  };
  const exportButton = (id, label, kind, cls = '') =>
    h('button', { type: 'button', id, class: cls, onclick: () => runExport(kind) }, label);

  const donorPanel = panel(t('report.donorTitle'),
    h('div', { class: 'toolbar report-controls' },
      control(t('report.rows'), donorRows),
      control(t('report.cols'), donorCols),
      control(t('report.minMinutes'), minMinutes),
      control(t('report.minEvents'), minEvents)),
    h('p', { class: 'hint' }, t('report.donorHint')),
    donorError,
    donorBox);
  donorPanel.id = 'donor-panel';
  const partnersPanel = panel(t('report.partners'), partnersBox);
  partnersPanel.id = 'report-partners';
  const exportPanel = panel(t('report.export'),
    h('p', { class: 'hint' }, t('report.exportHint')),
    fileOptions.el,
    h('div', { class: 'export-actions' },
      exportButton('export-donor', t('report.exportDonor'), 'donor', 'primary'),
      exportButton('export-summary', t('report.exportSummary'), 'summary'),
      exportButton('export-indicators', t('report.exportIndicators'), 'indicators'),
      exportButton('export-registration', t('report.exportRegistration'), 'registration'),
      exportButton('export-attendance', t('report.exportAttendance'), 'attendance')));
  exportPanel.id = 'report-export';

  const registrationPanel = panel(t('report.registrationTitle'), h('p', { class: 'hint' }, t('report.registrationHint')), registrationBox);
  const indicatorsPanel = panel(t('report.indicatorsTitle'), indicatorsBox);
  indicatorsPanel.id = 'indicators-panel';
  replace(results, summaryBox, reviewBox, indicatorsPanel, donorPanel, registrationPanel, partnersPanel, exportPanel);
  replace(root,
    header(t('report.title')),
    panel(null,
      h('div', { class: 'toolbar report-controls' },
        control(t('report.project'), select),
        control(t('report.from'), from),
        control(t('report.to'), to)),
      rangeError),
    results);
  await drawAll();
}

/** "All events", or the period chosen. */
function periodText(s) {
  if (!s.from && !s.to) return t('report.allEvents');
  if (!s.to) return t('report.rangeFrom', { from: fmtDate(s.from) });
  if (!s.from) return t('report.rangeTo', { to: fmtDate(s.to) });
  return t('report.range', { from: fmtDate(s.from), to: fmtDate(s.to) });
}

/** One headline figure; data-value holds the raw number, whatever the locale shows. */
function figure(key, label, value, text = fmtNumber(value)) {
  return h('div', { class: 'figure', dataset: { figure: key, value: value == null ? '' : String(value) } },
    h('span', { class: 'n' }, text),
    h('span', { class: 'l' }, label));
}

/**
 * A breakdown as bars with counts and shares. Long ones are cut to BREAKDOWN_ROWS with "Show all", but
 * the "not stated" line (key "") always stays visible, since donors ask about it.
 */
function breakdown(title, id, lines, total, labelOf) {
  const items = lines.map((b) => ({ key: b.key, label: b.key === 'erased' ? t('report.erased') : labelOf(b), value: b.count }));
  const max = Math.max(1, ...items.map((i) => i.value));
  const box = h('div', {});
  const draw = (all) => {
    let shown = items;
    if (!all && items.length > BREAKDOWN_ROWS) {
      shown = items.slice(0, BREAKDOWN_ROWS);
      const blank = items.find((i) => i.key === '');
      if (blank && !shown.includes(blank)) shown.push(blank);
    }
    replace(box,
      barChart(shown, { id, total, max }),
      items.length > shown.length || all
        ? button(all ? t('report.showFewer') : t('report.showAll', { n: items.length }), () => draw(!all), 'link')
        : null);
  };
  draw(false);
  return panel(title, box);
}

function summaryView(s) {
  const people = s.unique_people;
  const average = s.average_minutes == null ? t('common.none') : fmtNumber(s.average_minutes);
  return [
    h('p', { class: 'hint', id: 'report-range' }, `${s.project_name}: ${periodText(s)}`),
    h('div', { class: 'figures', id: 'report-figures' },
      figure('events', t('report.events'), s.events),
      figure('attendances', t('report.attendances'), s.attendances),
      figure('unique_people', t('report.uniquePeople'), s.unique_people),
      figure('unique_organisations', t('report.uniqueOrganisations'), s.unique_organisations),
      figure('average_minutes', t('report.averageMinutes'), s.average_minutes, average),
      figure('total_minutes', t('report.totalMinutes'), s.total_minutes)),
    h('p', { class: 'hint' }, t('report.countHint')),
    s.attendances === 0 ? h('p', { class: 'empty', id: 'report-no-attendance' }, t('report.noAttendance')) : null,
    h('div', { class: 'grid-2' },
      breakdown(t('report.byCountry'), 'breakdown-country', s.people_by_country, people, (b) => countryLabel(b.key)),
      breakdown(t('report.byGender'), 'breakdown-gender', s.people_by_gender, people,
        (b) => (b.key === '' ? t('report.notStated') : genderName(b.key, t))),
      breakdown(t('report.byOrganisation'), 'breakdown-organisation', s.people_by_organisation, people,
        (b) => (b.key === '' ? t('report.noOrganisation') : b.label)),
      breakdown(t('report.byRole'), 'breakdown-role', s.people_by_role, people, (b) => t(`role.${b.key}`)),
      breakdown(t('report.byKind'), 'breakdown-kind', s.events_by_kind, s.events, (b) => t(`eventKind.${b.key}`))),
    panel(t('report.byEvent'),
      (() => {
        const items = s.attendance_by_event.map((e) => ({
          key: e.event_id,
          label: `${fmtDate(e.date)} · ${e.title}`,
          sub: `${e.title} (${t(`eventKind.${e.kind}`)})`,
          value: e.attended,
        }));
        // Bars keep one scale across pages: the largest event of the whole project.
        const max = Math.max(1, ...items.map((i) => i.value));
        return paged(items, (shown) => barChart(shown, { id: 'chart-events', max }), { limit: EVENT_ROWS });
      })()),
  ];
}

/** A value of a donor-table dimension in words: categories in the interface language, the rest as the core names it. */
function dimensionLabel(dimension, value) {
  if (value.key === '') return t('report.notStated');
  if (dimension === 'gender') return genderName(value.key, t);
  if (dimension === 'country') return countryLabel(value.key);
  if (dimension === 'organisation_kind') return t(`orgKind.${value.key}`);
  if (value.key === 'erased') return t('report.erased');
  if (dimension === 'disability' && has(`disability.status.${value.key}`)) return t(`disability.status.${value.key}`);
  if (dimension === 'participant_type' && has(`participantType.${value.key}`)) return t(`participantType.${value.key}`);
  return value.label;
}

/** The donor table: one dimension down, another across (gender by country at first), totals on the right and at the bottom. */
function donorTable(d, onCell = null) {
  if (!d.total) return h('p', { class: 'empty', id: 'donor-empty' }, t('report.noAttendance'));
  const down = d.rows_dimension || 'gender';
  const across = d.columns_dimension || 'country';
  // Every figure opens the list of the people it counts ("Not stated" included, so they can be completed).
  let rowKey = null;
  const cell = (n, key) => h('td', { class: 'num', dataset: { column: key, value: String(n) } },
    onCell && n > 0
      ? h('button', { type: 'button', class: 'link cell-people', onclick: ((row) => () => onCell({ row, column: key }))(rowKey) }, fmtNumber(n))
      : fmtNumber(n));
  return h('div', { class: 'table-scroll' },
    h('table', { class: 'data donor', id: 'donor-table', dataset: { rows: down, cols: across } },
      h('caption', { class: 'sr-only' }, t('report.donorTitle')),
      h('thead', {}, h('tr', {},
        h('th', { scope: 'col' }, t(`dimension.${down}`)),
        d.columns.map((c) => h('th', { scope: 'col', class: 'num', title: c.key || null, dataset: { column: c.key } }, dimensionLabel(across, c))),
        h('th', { scope: 'col', class: 'num' }, t('report.total')))),
      h('tbody', {}, d.rows.map((r) => {
        rowKey = r.key;
        return h('tr', { dataset: { row: r.key } },
          h('th', { scope: 'row' }, dimensionLabel(down, r)),
          r.counts.map((n, i) => cell(n, d.columns[i].key)),
          cell(r.total, 'total'));
      })),
      h('tfoot', {}, h('tr', { class: 'totals' },
        h('th', { scope: 'row' }, t('report.total')),
        (() => { rowKey = 'total'; return d.column_totals.map((n, i) => cell(n, d.columns[i].key)); })(),
        cell(d.total, 'total')))));
}

function partnersView(p) {
  return [
    p.donor ? facts([[t('report.donor'), p.donor]]) : null,
    table([
      { label: t('project.partnerOrg'), cell: (x) => h('a', { href: `#/organisations/${x.organisation_id}` }, x.organisation_name) },
      { label: t('attendance.country'), cell: (x) => (x.organisation_country ? countryLabel(x.organisation_country) : '') },
      { label: t('project.partnerRole'), cell: (x) => t(`partnerRole.${x.role}`) },
    ], p.partners, { empty: t('project.noPartners'), caption: t('report.partners') }),
  ];
}

/** A percentage to one decimal, or a dash. */
function percent(value) {
  return value == null ? t('common.none') : `${fmtNumber(value)} %`;
}

/** Registered, attended, no-shows and walk-ins per event, with the project's totals. */
function registrationView(r) {
  if (!r.total.registered && !r.total.attended) return h('p', { class: 'empty' }, t('report.noAttendance'));
  const line = (e, head) => h('tr', { dataset: { event: e.event_id == null ? 'total' : String(e.event_id) } },
    h(head ? 'th' : 'td', head ? { scope: 'row' } : {}, head ? t('report.total') : `${fmtDate(e.date)} · ${e.title}`),
    ['registered', 'attended', 'no_shows', 'walk_ins'].map((k) => h('td', { class: 'num', dataset: { figure: k, value: String(e[k]) } }, fmtNumber(e[k]))),
    h('td', { class: 'num' }, percent(e.attendance_rate)));
  return paged(r.events, (events) => h('div', { class: 'table-scroll' },
    h('table', { class: 'data', id: 'registration-table' },
      h('thead', {}, h('tr', {}, [t('report.event'), t('report.registered'), t('report.attended'), t('report.noShows'), t('report.walkIns'), t('report.attendanceRate')]
        .map((x, i) => h('th', { scope: 'col', class: i ? 'num' : '' }, x)))),
      h('tbody', {}, events.map((e) => line(e, false))),
      h('tfoot', {}, line(r.total, true)))), { limit: EVENT_ROWS });
}

/** The project's indicators: baseline, target, actual and how far along, with a bar; add and remove. */
function indicatorsView(report, reload) {
  const add = async () => {
    const projectId = report.project_id;
    const saved = await formDialog(t('indicator.new'), {
      fields: [
        { name: 'name', label: t('indicator.name'), required: true, wide: true },
        { name: 'measure', label: t('indicator.measure'), type: 'select', options: MEASURES.map((m) => [m, t(`measure.${m}`)]) },
        { name: 'threshold', label: t('indicator.threshold'), type: 'number', min: 0 },
        { name: 'filter', label: t('indicator.filter'), placeholder: 'gender=woman' },
        { name: 'share', label: t('indicator.share'), type: 'select', options: [['', t('common.no')], ['yes', t('common.yes')]] },
        { name: 'baseline', label: t('indicator.baseline'), type: 'number', min: 0 },
        { name: 'target', label: t('indicator.target'), type: 'number', min: 0 },
      ],
      values: { measure: 'unique_people' },
      submit: (v) => api.addIndicator(projectId, { ...v, share: v.share === 'yes' }),
    });
    if (saved) reload();
  };
  const remove = async (line) => {
    const ok = await confirmDialog({ title: t('indicator.remove'), message: t('indicator.removeConfirm', { name: line.indicator.name }), confirm: t('indicator.remove'), danger: true });
    if (!ok) return;
    try { await api.removeIndicator(line.indicator.id); reload(); } catch (e) { showError(e); }
  };
  const fmtValue = (line, v) => (v == null ? t('common.none') : (line.indicator.share ? percent(v) : fmtNumber(v)));
  return [
    h('div', { class: 'toolbar' }, button(t('indicator.new'), add)),
    report.indicators.length ? h('div', { class: 'table-scroll' }, h('table', { class: 'data', id: 'indicators-table' },
      h('thead', {}, h('tr', {}, [t('indicator.name'), t('indicator.baseline'), t('indicator.target'), t('indicator.actual'), t('indicator.progress'), '']
        .map((x, i) => h('th', { scope: 'col', class: i && i < 4 ? 'num' : '' }, x)))),
      h('tbody', {}, report.indicators.map((line) => h('tr', { dataset: { indicator: String(line.indicator.id) } },
        h('td', {}, line.indicator.name, line.indicator.filter ? h('div', { class: 'hint' }, line.indicator.filter) : null),
        h('td', { class: 'num' }, fmtValue(line, line.indicator.baseline)),
        h('td', { class: 'num' }, fmtValue(line, line.indicator.target)),
        h('td', { class: 'num', dataset: { actual: String(line.actual) } }, fmtValue(line, line.actual)),
        h('td', {}, line.percent_of_target == null ? t('common.none') : h('div', { class: 'progress-cell' },
          h('progress', { max: 100, value: Math.min(100, line.percent_of_target), 'aria-label': t('indicator.progress') }),
          h('span', { class: 'nowrap' }, percent(line.percent_of_target)))),
        h('td', { class: 'actions' }, button(t('indicator.remove'), () => remove(line), 'link'))))))) : h('p', { class: 'empty' }, t('indicator.none')),
  ];
}

/**
 * Gender words that no category matched ("needs review"): each with how many people wrote it, and one
 * choice that maps it for all of them (and for later imports). Shown only when there is something to do.
 */
function genderReviewView(review, reload) {
  if (!review.length) return null;
  const row = (r) => {
    const select = h('select', { 'aria-label': t('review.mapAs', { spelling: r.spelling }) },
      h('option', { value: '' }, t('import.choose')),
      GENDERS.filter((g) => g).map((g) => h('option', { value: g }, t(`gender.${g}`))));
    const map = button(t('review.map'), async () => {
      if (!select.value) return;
      try {
        const done = await api.mapGender(r.key, select.value);
        toast(t('review.mapped', { n: done.people }));
        reload();
      } catch (e) { showError(e); }
    });
    return h('tr', { dataset: { spelling: r.key } }, h('td', {}, r.spelling), h('td', { class: 'num' }, fmtNumber(r.people)), h('td', {}, select), h('td', {}, map));
  };
  return panel(t('review.title'),
    h('p', { class: 'hint' }, t('review.hint')),
    h('div', { class: 'table-scroll' }, h('table', { class: 'data', id: 'gender-review-table' },
      h('thead', {}, h('tr', {}, [t('review.spelling'), t('review.people'), t('review.category'), ''].map((x, i) => h('th', { scope: 'col', class: i === 1 ? 'num' : '' }, x)))),
      h('tbody', {}, review.map(row)))));
}

/**
 * The people behind one figure of the donor table, as a list with links; for "Not stated" of a detail
 * the People screen can fill in, a button opens People with that filter. Erased people are counted,
 * never listed.
 */
async function cellPeopleDialog(params, d, { row, column }) {
  const down = d.rows_dimension || 'gender';
  const across = d.columns_dimension || 'country';
  const query = { projectId: params.projectId, from: params.from, to: params.to, minMinutes: params.minMinutes, minEvents: params.minEvents };
  // A total is a figure of one dimension; the grand total is everyone.
  if (row !== 'total' && column !== 'total') Object.assign(query, { dim: down, value: row, dim2: across, value2: column });
  else if (row !== 'total') Object.assign(query, { dim: down, value: row });
  else if (column !== 'total') Object.assign(query, { dim: across, value: column });
  else Object.assign(query, { dim: down, value: '*' });
  let result;
  try {
    result = query.value === '*' ? null : await api.cellPeople(query);
  } catch (e) {
    showError(e);
    return;
  }
  if (!result) return;
  const label = (dim, key) => (key === 'total' ? t('report.total') : dimensionLabel(dim, { key, label: key }));
  const title = [row !== 'total' ? label(down, row) : null, column !== 'total' ? label(across, column) : null].filter(Boolean).join(' · ');
  const fillable = [[down, row], [across, column]].filter(([dim, key]) => key === '' && ['country', 'gender', 'organisation'].includes(dim)).map(([dim]) => dim);
  await modal(t('report.cellTitle', { title, n: result.total }), (close) => [
    result.people.length ? table([
      { label: t('person.name'), cell: (p) => h('a', { href: `#/people/${p.id}`, onclick: () => close(null) }, p.full_name) },
      { label: t('person.email'), cls: 'email', cell: (p) => p.email || '' },
      { label: t('person.organisation'), cell: (p) => p.organisation_name || '' },
    ], result.people, { cls: 'cell-people-list' }) : h('p', { class: 'empty' }, t('common.empty')),
    result.total > result.people.length + result.erased ? h('p', { class: 'hint' }, t('report.cellMore', { n: result.total - result.people.length - result.erased })) : null,
    result.erased ? h('p', { class: 'hint' }, t('report.cellErased', { n: result.erased })) : null,
    h('div', { class: 'dialog-actions' },
      fillable.length ? button(t('report.fillIn'), () => { close(null); showMissing(fillable); }, 'primary') : null,
      button(t('common.close'), () => close(null))),
  ]);
}

/** The donor table's headings and categories as shown (see ExportOptions::labels in the core). */
function donorLabels(d) {
  const down = d.rows_dimension || 'gender';
  const across = d.columns_dimension || 'country';
  const labels = { dimension: t(`dimension.${down}`), total: t('report.total') };
  for (const c of d.columns) labels[`column:${c.key}`] = dimensionLabel(across, c);
  for (const r of d.rows) labels[`row:${r.key}`] = dimensionLabel(down, r);
  return labels;
}
