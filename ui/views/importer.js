// importer.js: importing a participant report into an event: pick the file, preview what would change
// (format, people new / matched / ambiguous, rows skipped and why), settle ambiguous matches and the
// column mapping, then import in one transaction with a progress bar and Cancel; imports can be undone.

import { api, job } from '../api.js';
import { t, fmtNumber, fmtDate, reasonText } from '../i18n.js';
import { h, button, table, pagedTable, panel, facts, modal, withProgress, toast, showError, replace, confirmDialog } from '../lib/ui.js';

/** The formats the core reads (auto, each report format, generic), asked once. */
let formatNames = null;
async function formats() {
  if (!formatNames) formatNames = await api.importFormats();
  return formatNames;
}

/** A format's name in the interface language; a format the catalogue does not know yet, by its own name. */
function formatLabel(f) {
  const label = t(`format.${f}`);
  return label === `format.${f}` ? f : label;
}

const WORKBOOK = /\.(xlsx|xlsm|xlsb|xls|ods)$/i;

/**
 * A workbook with more than one sheet holding data asks which to read; resolves to the sheet's name,
 * null for a CSV file or a workbook with one such sheet, or undefined when the user cancels.
 */
async function chooseSheet(path) {
  if (!WORKBOOK.test(path)) return null;
  const sheets = (await api.importSheets(path)).filter((s) => s.visible && !s.empty);
  if (sheets.length < 2) return null;
  const picked = await modal(t('import.sheetTitle'), (close) => {
    const select = h('select', { id: 'import-sheet', 'aria-label': t('import.sheet') },
      sheets.map((s) => h('option', { value: s.name }, t('import.sheetOption', { name: s.name, rows: s.rows }))));
    return [
      h('p', { class: 'hint' }, t('import.sheetHint')),
      h('label', { class: 'inline' }, h('span', {}, t('import.sheet')), select),
      h('div', { class: 'dialog-actions' },
        button(t('common.cancel'), () => close(null)),
        button(t('import.readSheet'), () => close(select.value), 'primary')),
    ];
  }, { wide: false });
  return picked === null ? undefined : picked;
}

/** Asks for a report file and walks the user through preview and import; resolves when done. */
export async function importInto(eventId, onDone) {
  const path = await api.pickReport();
  if (!path) return;
  let sheet;
  try {
    sheet = await chooseSheet(path);
  } catch (e) {
    await errorDialog(e);
    return;
  }
  if (sheet === undefined) return;
  let options = { format: 'auto', mapping: null, sheet };
  // The coordinator's decisions so far (people to decide, rows skipped or renamed): every preview is
  // made with them, so its counts are exactly what the import will write.
  let decided = [];
  for (;;) {
    let preview;
    try {
      preview = await withProgress(t('import.reading'), (onProgress) => job('import_preview', { eventId, path, options, resolutions: decided }, onProgress), { bytes: true });
    } catch (e) {
      if (e.kind === 'cancelled') return;
      // A sheet whose columns were not recognised can still be read once the user says which is which.
      const mapping = e.kind === 'parse' && !options.mapping ? await mappingFromScratch(path, e, sheet) : null;
      if (mapping) { options = { ...options, format: 'generic', mapping }; continue; }
      if (!mapping && e.kind !== 'parse') await errorDialog(e);
      return;
    }
    const choice = await previewDialog(preview, options, await formats(), { eventId, path, decided });
    if (!choice) return;
    if (choice.again) { options = choice.options; decided = choice.resolutions || decided; continue; }
    try {
      const summary = await withProgress(t('import.importing'), (onProgress) =>
        job('import_commit', { eventId, path, options: choice.options, resolutions: choice.resolutions }, onProgress), { bytes: true });
      toast(t('import.done', {
        rows: summary.rows,
        created: summary.people_created,
        matched: summary.people_matched,
        attendances: summary.attendances,
      }));
      onDone();
    } catch (e) {
      if (e.kind === 'cancelled') toast(t('job.cancelled'));
      else await errorDialog(e);
    }
    return;
  }
}

/**
 * The file could not be read as any known report. If it has a header row, offers to map its columns by
 * hand (a sign-in sheet with unusual headings); resolves to the mapping, or null after showing the error.
 */
async function mappingFromScratch(path, error, sheet = null) {
  let headers = [];
  try { headers = await api.importHeaders(path, sheet); } catch (_) { headers = []; }
  if (!headers.length) { await errorDialog(error); return null; }
  return modal(t('import.mapTitle'), (close) => {
    const editor = mappingEditor({ headers, fields: {} });
    return [
      h('p', { class: 'form-error', role: 'alert' }, error.message),
      h('p', { class: 'hint' }, t('import.mapHint')),
      editor.el,
      h('div', { class: 'dialog-actions' },
        button(t('common.cancel'), () => close(null)),
        button(t('import.applyMapping'), () => close(editor.value()), 'primary')),
    ];
  });
}

/** A parse error names the file, line and column; it gets a dialog rather than a passing toast. */
function errorDialog(e) {
  return modal(t('import.failed'), (close) => [
    h('p', { class: 'form-error', role: 'alert' }, e.message),
    h('p', { class: 'hint' }, t('import.untouched')),
    h('div', { class: 'dialog-actions' }, button(t('common.close'), () => close(null), 'primary')),
  ], { wide: false });
}

/**
 * Shows the preview; resolves to null (cancelled), {again, options, resolutions} (format, mapping or a
 * row's decision changed: read again with them) or {options, resolutions} (import). `run` holds the
 * event, the file and the decisions the preview was made with.
 */
function previewDialog(p, options, names, run) {
  return modal(t('import.previewTitle', { file: p.file_name }), (close) => {
    const format = h('select', { 'aria-label': t('import.format'), onchange: () => close({ again: true, options: { ...options, format: format.value, mapping: null } }) },
      names.map((f) => h('option', { value: f }, formatLabel(f))));
    format.value = options.format === 'auto' ? 'auto' : p.format;
    const detected = options.format === 'auto' ? t('import.detected', { format: formatLabel(p.format) }) : null;

    // Decisions: people to decide (by their ambiguity key) and rows skipped or renamed (`line:N`).
    const earlier = new Map((run.decided || []).map((r) => [r.key, r]));
    const resolutions = {};
    for (const r of run.decided || []) {
      if (r.action === 'person') resolutions[r.key] = `person:${r.person_id}`;
      else if (r.action === 'new' || r.action === 'skip') resolutions[r.key] = r.action;
    }
    const rowDecisions = () => [...earlier.values()].filter((r) => r.key.startsWith('line:'));
    const allResolutions = () => [...toResolutions(resolutions).filter((r) => !r.key.startsWith('line:')), ...rowDecisions()];
    const ambiguous = (p.ambiguous || []).map((a) => {
      const select = h('select', { 'aria-label': t('import.decideFor', { name: a.name }) },
        h('option', { value: '' }, t('import.choose')),
        a.candidates.map((c) => h('option', { value: `person:${c.id}` },
          [c.full_name, c.email, c.organisation_name].filter(Boolean).join(' · '))),
        h('option', { value: 'new' }, t('import.newPerson')),
        h('option', { value: 'skip' }, t('import.skipRow')));
      if (resolutions[a.key]) select.value = resolutions[a.key];
      select.addEventListener('change', () => { resolutions[a.key] = select.value; update(); recount(); });
      return { a, select };
    });

    const mapping = p.mapping ? mappingEditor(p.mapping) : null;
    // A large report can hold more people to decide than the list shows (the first 500): the rest, and
    // any left undecided, can all be made new people or left out at once. It sits at the top, with the
    // live totals, so a list of a thousand people to decide never hides it.
    const undecided = h('select', { id: 'import-undecided', 'aria-label': t('import.undecided') },
      ['ask', 'new', 'skip'].map((v) => h('option', { value: v }, t(`import.undecided-${v}`))));
    undecided.value = options.ambiguous && options.ambiguous !== 'ask' ? options.ambiguous : 'ask';
    undecided.addEventListener('change', () => { update(); recount(); });
    const currentOptions = () => ({ ...options, format: p.format, mapping: mapping ? mapping.value() : options.mapping, ambiguous: undecided.value, allow_skips: confirmSkips ? confirmSkips.checked : false });
    const importButton = button(t('import.confirm', { n: p.attendances_created + p.attendances_updated }), () => {
      close({ options: currentOptions(), resolutions: allResolutions() });
    }, 'primary');
    importButton.id = 'import-confirm';
    // A file that gives no person or skips most of its rows is refused by the core unless confirmed
    // (`allow_skips`): the coordinator sees why and ticks the box to import it anyway.
    const confirmSkips = p.needs_confirmation ? h('input', { type: 'checkbox', id: 'import-allow-skips' }) : null;
    if (confirmSkips) confirmSkips.addEventListener('change', () => update());
    const pending = h('p', { class: 'hint', 'aria-live': 'polite' });
    const figures = h('div', { class: 'figures', id: 'import-figures' });
    const drawFigures = (q) => replace(figures,
      figure(q.people_created, t('import.peopleNew'), 'people_created'),
      figure(q.people_matched, t('import.peopleMatched'), 'people_matched'),
      figure(q.ambiguous_total ?? (q.ambiguous || []).length, t('import.peopleAmbiguous'), 'ambiguous'),
      figure(q.attendances_created, t('import.attendancesNew'), 'attendances_created'),
      figure(q.attendances_updated, t('import.attendancesUpdated'), 'attendances_updated'),
      figure(q.skipped_total ?? (q.skipped || []).length, t('import.skipped'), 'skipped'));
    drawFigures(p);
    let open = 0;
    const update = () => {
      const decided = ambiguous.filter(({ a }) => resolutions[a.key]).length;
      open = undecided.value === 'ask' ? (p.ambiguous_total ?? ambiguous.length) - decided : 0;
      importButton.disabled = busy || open > 0 || (confirmSkips !== null && !confirmSkips.checked);
      pending.textContent = open > 0 ? t('import.pending', { n: open }) : '';
    };
    // Each decision is previewed again in the background, so the totals and the Import button's count
    // are exactly what the import will write (a person decided "new" adds one, "skip" none).
    // Decisions made in quick succession (a long list, worked down with the keyboard) are previewed once,
    // after a short pause: each preview of a large report reads the whole file again.
    let busy = false;
    let seq = 0;
    let pause = null;
    const recount = () => {
      const mine = ++seq;
      busy = true;
      update();
      clearTimeout(pause);
      pause = setTimeout(() => previewAgain(mine), 300);
    };
    const previewAgain = async (mine) => {
      if (mine !== seq) return;
      try {
        const q = await job('import_preview', { eventId: run.eventId, path: run.path, options: currentOptions(), resolutions: allResolutions() }).result;
        if (mine !== seq) return;
        drawFigures(q);
        importButton.textContent = t('import.confirm', { n: q.attendances_created + q.attendances_updated });
      } catch (e) {
        if (mine === seq) showError(e);
      } finally {
        if (mine === seq) { busy = false; update(); }
      }
    };
    update();

    // A row's own decision (skip it, or correct its name) reads the file again with it, so the list
    // shows whom the corrected name now matches.
    const decideRow = (r) => close({ again: true, options: currentOptions(), resolutions: [...allResolutions().filter((x) => x.key !== r.key), ...(r.action ? [r] : [])] });

    return [
      facts([
        [t('import.format'), h('span', {}, format, detected ? h('span', { class: 'hint' }, ` ${detected}`) : null)],
        p.sheet ? [t('import.sheet'), p.sheet] : null,
        [t('import.encoding'), `${p.encoding}${p.delimiter ? ` · ${t(`delimiter.${p.delimiter}`)}` : ''}`],
        [t('import.rows'), fmtNumber(p.rows)],
      ].filter(Boolean)),
      figures,
      (p.ambiguous_total || 0) > 0 ? h('label', { class: 'inline decide-all' }, h('span', {}, t('import.undecided')), undecided) : null,
      p.already_imported ? h('p', { class: 'hint' }, t('import.already')) : null,
      mapping ? panel(t('import.mapping'), h('p', { class: 'hint' }, t('import.mappingHint')), mapping.el,
        button(t('import.applyMapping'), () => close({ again: true, options: { ...options, format: 'generic', mapping: mapping.value() } }))) : null,
      ambiguous.length ? panel(t('import.ambiguousTitle'), h('p', { class: 'hint' }, t('import.ambiguousHint')),
        table([
          { label: t('import.line'), cls: 'num', cell: ({ a }) => fmtNumber(a.line) },
          { label: t('import.inFile'), cell: ({ a }) => [a.name, a.email ? h('div', { class: 'hint email' }, a.email) : null] },
          { label: t('import.why'), cell: ({ a }) => t(`import.reason-${a.reason}`) },
          { label: t('import.decision'), cell: ({ select }) => select },
        ], ambiguous, { cls: 'decide' }),
        p.ambiguous_total > ambiguous.length ? h('p', { class: 'hint' }, t('import.moreToDecide', { n: p.ambiguous_total - ambiguous.length })) : null) : null,
      (p.people || []).length ? reviewPanel(p, earlier, decideRow) : null,
      (p.skipped || []).length ? panel(t('import.skippedTitle'),
        h('ul', { class: 'skipped' }, p.skipped.slice(0, 50).map((s) => h('li', {}, t('import.skippedLine', { line: fmtNumber(s.line), reason: reasonText(s) }))))) : null,
      (p.ignored_columns || []).length ? h('p', { class: 'hint' }, t('import.ignoredColumns', { columns: p.ignored_columns.join(', ') })) : null,
      (p.warnings || []).length ? panel(t('import.warningsTitle'),
        h('ul', { class: 'skipped' }, p.warnings.slice(0, 50).map((w) => h('li', {}, t('import.skippedLine', { line: fmtNumber(w.line), reason: reasonText(w) }))))) : null,
      confirmSkips ? h('label', { class: 'inline', for: 'import-allow-skips' }, confirmSkips,
        h('span', {}, t('import.allowSkips', { why: p.people_created + p.people_matched + p.ambiguous_total === 0 ? t('import.noPerson', { rows: p.rows }) : t('import.mostlySkipped', { skipped: p.skipped_total, rows: p.rows }) }))) : null,
      pending,
      h('div', { class: 'dialog-actions' }, button(t('common.cancel'), () => close(null)), importButton),
    ];
  });
}

const OUTCOMES = ['all', 'flagged', 'new', 'matched', 'decide', 'skipped'];

/**
 * The report's rows as people, before anything is written: new, matched to whom (and by what), to
 * decide, or skipped; rows that do not look like a person (a device, a phone number, one word, a
 * bracket that may be an organisation) are flagged, each with a Skip and a name fix.
 */
function reviewPanel(p, earlier, decideRow) {
  const filter = h('select', { id: 'review-filter', 'aria-label': t('review.show') },
    OUTCOMES.map((o) => h('option', { value: o }, t(`review.filter-${o}`, { n: count(p.people, o) }))));
  const flagged = count(p.people, 'flagged');
  filter.value = flagged ? 'flagged' : 'all';
  const box = h('div', {});
  const skipKey = (r) => `line:${r.line}`;
  const columns = [
    { label: t('import.line'), cls: 'num', cell: (r) => fmtNumber(r.line) },
    { label: t('review.person'), cell: (r) => [
      h('span', { class: 'review-name' }, r.name || r.email || ''),
      r.renamed_from ? h('div', { class: 'hint' }, t('review.renamedFrom', { name: r.renamed_from })) : null,
      r.email && r.name ? h('div', { class: 'hint email' }, r.email) : null] },
    { label: t('review.outcome'), cell: (r) => [
      h('span', { class: `badge outcome-${r.outcome}` }, t(`review.outcome-${r.outcome}`)),
      r.outcome === 'matched' && r.person_name ? h('div', { class: 'hint' }, t(`review.rule-${r.rule || 'name'}`, { name: r.person_name })) : null,
      r.outcome === 'skipped' && r.code ? h('div', { class: 'hint' }, reasonText({ code: r.code, params: null, reason: r.code })) : null] },
    { label: t('review.flags'), cell: (r) => (r.flags || []).map((f) => h('span', { class: 'badge flag', title: t(`review.flagHint-${f}`) }, t(`review.flag-${f}`))) },
    { label: '', cls: 'actions', cell: (r) => {
      const decided = earlier.get(skipKey(r));
      const skipped = decided && decided.action === 'skip';
      return h('span', { class: 'row-actions' },
        button(skipped ? t('review.unskip') : t('review.skip'), () => decideRow(skipped ? { key: skipKey(r) } : { key: skipKey(r), action: 'skip' }), 'link'),
        r.outcome !== 'skipped' ? button(t('review.fix'), () => fixName(r).then((fixed) => { if (fixed) decideRow({ key: skipKey(r), action: 'rename', ...fixed }); }), 'link') : null);
    } },
  ];
  const draw = () => {
    const rows = p.people.filter((r) => matches(r, filter.value));
    replace(box, rows.length ? pagedTable(columns, rows, { cls: 'review' }, { limit: 50 }) : h('p', { class: 'empty' }, t('review.none')));
  };
  filter.addEventListener('change', draw);
  draw();
  return panel(t('importReview.title'),
    h('p', { class: 'hint' }, t('importReview.hint')),
    h('label', { class: 'inline' }, h('span', {}, t('review.show')), filter),
    p.people_total > p.people.length ? h('p', { class: 'hint' }, t('review.firstOnly', { shown: p.people.length, total: p.people_total })) : null,
    box);
}

function matches(r, what) {
  if (what === 'all') return true;
  if (what === 'flagged') return (r.flags || []).length > 0;
  return r.outcome === what;
}

function count(people, what) {
  return people.filter((r) => matches(r, what)).length;
}

/** Asks for the corrected name (and organisation, for a bracket); resolves to {name, organisation} or null. */
function fixName(r) {
  return modal(t('review.fixTitle'), (close) => {
    const suggested = r.suggested || {};
    const name = h('input', { type: 'text', id: 'review-fix-name', value: suggested.name || r.name || '', 'aria-label': t('person.name') });
    const org = h('input', { type: 'text', id: 'review-fix-org', value: suggested.organisation || '', 'aria-label': t('person.organisation') });
    const error = h('p', { class: 'form-error', role: 'alert', hidden: true });
    return [
      h('p', { class: 'hint' }, t('review.fixHint', { name: r.name || r.email || '' })),
      h('label', { class: 'field' }, h('span', {}, t('person.name')), name),
      h('label', { class: 'field' }, h('span', {}, t('person.organisation')), org),
      error,
      h('div', { class: 'dialog-actions' },
        button(t('common.cancel'), () => close(null)),
        button(t('review.fixApply'), () => {
          if (!name.value.trim()) { error.textContent = t('error.rule.required'); error.hidden = false; name.focus(); return; }
          close({ name: name.value.trim(), organisation: org.value.trim() || null });
        }, 'primary')),
    ];
  }, { wide: false });
}

function figure(n, label, key = null) {
  return h('div', { class: 'figure', dataset: key ? { figure: key, value: String(n || 0) } : {} }, h('span', { class: 'n' }, fmtNumber(n || 0)), h('span', { class: 'l' }, label));
}

function toResolutions(chosen) {
  return Object.entries(chosen).map(([key, value]) => (value.startsWith('person:')
    ? { key, action: 'person', person_id: Number(value.slice(7)) }
    : { key, action: value }));
}

/** For generic sheets: which column holds what. `m` is {headers: [...], fields: {field: index}}. */
function mappingEditor(m) {
  const FIELDS = ['name', 'first_name', 'last_name', 'email', 'organisation', 'country', 'gender', 'role', 'status', 'minutes', 'join', 'leave'];
  const selects = FIELDS.map((f) => {
    const s = h('select', { 'aria-label': t(`field.${f}`) }, h('option', { value: '' }, '—'),
      m.headers.map((header, i) => h('option', { value: String(i) }, header || t('import.column', { n: i + 1 }))));
    s.value = m.fields[f] == null ? '' : String(m.fields[f]);
    return [f, s];
  });
  return {
    el: h('div', { class: 'mapping' }, selects.map(([f, s]) => h('label', {}, h('span', {}, t(`field.${f}`)), s))),
    value: () => ({ headers: m.headers, fields: Object.fromEntries(selects.filter(([, s]) => s.value !== '').map(([f, s]) => [f, Number(s.value)])) }),
  };
}

/** The event page's list of imports, each with Undo. */
export async function importsPanel(eventId, onChange) {
  const box = h('div', {});
  const draw = async () => {
    const list = await api.imports(eventId);
    replace(box, list.length ? table([
      { label: t('import.file'), cell: (i) => i.file_name },
      { label: t('import.format'), cell: (i) => t(`format.${i.format}`) },
      { label: t('import.when'), cell: (i) => fmtDate(i.created_at) },
      { label: t('import.rows'), cls: 'num', cell: (i) => fmtNumber(i.rows_read) },
      { label: t('import.peopleNew'), cls: 'num', cell: (i) => fmtNumber(i.people_created) },
      { label: '', cls: 'actions', cell: (i) => (i.undone_at ? t('import.undone') : button(t('import.undo'), async () => {
        if (!(await confirmDialog({ title: t('import.undo'), message: t('import.undoConfirm', { file: i.file_name }), confirm: t('import.undo'), danger: true }))) return;
        try {
          await api.undoImport(i.id);
          toast(t('import.undoneToast'));
          onChange();
        } catch (e) { showError(e); }
      }, 'link')) },
    ], list, { caption: t('import.history') }) : h('p', { class: 'hint' }, t('import.none')));
  };
  await draw();
  return box;
}

/**
 * Paste names or emails (one per line, or rows copied from a spreadsheet) to mark them attended. "Check"
 * shows what would happen; lines that could be more than one person are listed and left out.
 */
export function pasteBox(eventId, onDone) {
  const text = h('textarea', { id: 'paste-text', rows: 5, 'aria-label': t('import.pasteLabel'), placeholder: t('import.pastePlaceholder') });
  const result = h('div', { 'aria-live': 'polite' });
  const run = async (dryRun) => {
    if (!text.value.trim()) { text.focus(); return; }
    try {
      const r = await api.paste(eventId, text.value, dryRun);
      replace(result, pasteSummary(r));
      if (!dryRun) {
        toast(t('import.pasted', { n: r.attendances_created + r.attendances_updated }));
        text.value = '';
        onDone();
      }
    } catch (e) { showError(e); }
  };
  return h('div', { class: 'paste' },
    h('p', { class: 'hint' }, t('import.pasteHint')),
    text,
    h('div', { class: 'row-actions' },
      button(t('import.pasteCheck'), () => run(true), 'secondary'),
      button(t('import.pasteCommit'), () => run(false), 'primary')),
    result);
}

function pasteSummary(r) {
  return [
    h('div', { class: 'figures' },
      figure(r.people_matched, t('import.peopleMatched')),
      figure(r.people_created, t('import.peopleNew')),
      figure(r.attendances_created + r.attendances_updated, t('import.attendancesNew')),
      figure(r.ambiguous.length, t('import.peopleAmbiguous')),
      figure(r.skipped.length, t('import.skipped'))),
    r.ambiguous.length ? h('ul', { class: 'skipped' }, r.ambiguous.map((a) =>
      h('li', {}, t('import.pasteAmbiguous', { line: fmtNumber(a.line), name: a.name, n: a.candidates.length })))) : null,
    r.skipped.length ? h('ul', { class: 'skipped' }, r.skipped.map((sk) =>
      h('li', {}, t('import.skippedLine', { line: fmtNumber(sk.line), reason: reasonText(sk) })))) : null,
  ];
}
