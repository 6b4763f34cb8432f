// export.js: exporting tables from any screen: the file options (an Excel workbook or CSV with its
// separator and byte order mark, pseudonymous), the native save dialog opened in the folder used last,
// and the export job behind a progress bar with Cancel. The file type, separator and BOM choices and the
// last folder are remembered.

import { api } from '../api.js';
import { t, fmtNumber, systemLocale, lang } from '../i18n.js';
import { h, button, modal, withProgress, toast, showError } from './ui.js';

const PREFS = 'rollcall.export';
const EXTENSIONS = ['csv', 'tsv', 'txt'];

function loadPrefs() {
  try {
    return JSON.parse(localStorage.getItem(PREFS)) || {};
  } catch (_) {
    return {};
  }
}

function savePrefs(patch) {
  try {
    localStorage.setItem(PREFS, JSON.stringify({ ...loadPrefs(), ...patch }));
  } catch (_) {
    // Storage can be full or disabled; the export itself does not depend on it.
  }
}

/**
 * Excel splits CSV on the list separator of the system's region, which is a semicolon wherever decimals
 * are written with a comma (most of Europe), so that is the first-time default there.
 */
function regionalDelimiter() {
  try {
    return new Intl.NumberFormat(systemLocale).format(1.5).includes(',') ? 'semicolon' : 'comma';
  } catch (_) {
    return 'comma';
  }
}

/** The folder part of a path from the save dialog (either kind of slash), or null. */
function folderOf(path) {
  const i = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  if (i < 0) return null;
  return i === 0 ? path.slice(0, 1) : path.slice(0, i);
}

function joinPath(folder, name) {
  const sep = folder.includes('\\') && !folder.includes('/') ? '\\' : '/';
  return folder.endsWith(sep) ? folder + name : folder + sep + name;
}

/** A file name from free text (a project or event title): no path separators or characters Windows refuses. */
export function fileName(...parts) {
  const name = parts.filter(Boolean).join('-')
    .replace(/[\\/:*?"<>|\u0000-\u001f]+/g, '-')
    .replace(/\s+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '');
  return name.slice(0, 80) || 'export';
}

/**
 * The file options as form controls (#export-delimiter, #export-bom, #export-pseudonymous); `value()`
 * gives { delimiter, bom, pseudonymous } as the export commands take them.
 */
export function exportOptionsControls() {
  const prefs = loadPrefs();
  const delimiter = h('select', { id: 'export-delimiter' },
    h('option', { value: 'comma' }, t('export.comma')),
    h('option', { value: 'semicolon' }, t('export.semicolon')),
    h('option', { value: 'tab' }, t('export.tab')));
  delimiter.value = ['comma', 'semicolon', 'tab'].includes(prefs.delimiter) ? prefs.delimiter : regionalDelimiter();
  const format = h('select', { id: 'export-format' },
    h('option', { value: 'xlsx' }, t('export.formatXlsx')),
    h('option', { value: 'csv' }, t('export.formatCsv')));
  format.value = prefs.format === 'xlsx' ? 'xlsx' : 'csv';
  const bom = h('input', { type: 'checkbox', id: 'export-bom', checked: prefs.bom !== false });
  const pseudonymous = h('input', { type: 'checkbox', id: 'export-pseudonymous' });
  // Donors usually want English headings; a coordinator may want the window's language instead.
  const localHeadings = h('input', { type: 'checkbox', id: 'export-local-headings', checked: prefs.localHeadings === true });
  // The separator and the byte order mark are CSV's own: a workbook needs neither.
  const csvOnly = h('span', { class: 'csv-only' },
    h('label', { class: 'control', for: 'export-delimiter' }, h('span', {}, t('export.delimiter')), delimiter),
    h('label', { class: 'check' }, bom, h('span', {}, t('export.bom'))),
    h('p', { class: 'hint' }, t('export.delimiterHint')));
  const showCsv = () => { csvOnly.hidden = format.value !== 'csv'; };
  format.addEventListener('change', showCsv);
  showCsv();
  const el = h('div', { class: 'export-options' },
    h('label', { class: 'control', for: 'export-format' }, h('span', {}, t('export.format')), format),
    csvOnly,
    h('label', { class: 'check' }, pseudonymous, h('span', {}, t('export.pseudonymous'))),
    lang !== 'en' ? h('label', { class: 'check' }, localHeadings, h('span', {}, t('export.localHeadings'))) : null);
  return {
    el,
    value: () => ({ format: format.value, delimiter: delimiter.value, bom: bom.checked, pseudonymous: pseudonymous.checked, localHeadings: lang !== 'en' && localHeadings.checked }),
  };
}

/**
 * Asks where to save (starting in the last folder used), then runs `start(path, options, onProgress)`
 * (an api.export* call) behind the progress dialog. Resolves to {path, rows}, or null when the user
 * cancelled or the export failed (the error has been shown).
 */
export async function exportFile({ title, name, options, start }) {
  const xlsx = options.format === 'xlsx';
  const ext = xlsx ? 'xlsx' : (options.delimiter === 'tab' ? 'tsv' : 'csv');
  const file = `${fileName(name)}.${ext}`;
  const prefs = loadPrefs();
  let path;
  try {
    path = await api.saveFile({
      defaultPath: prefs.folder ? joinPath(prefs.folder, file) : file,
      filters: xlsx ? [{ name: t('export.filterXlsx'), extensions: ['xlsx'] }] : [{ name: t('export.filter'), extensions: EXTENSIONS }],
    });
  } catch (e) {
    showError(e);
    return null;
  }
  if (!path) return null;
  // Some platforms' dialogs do not add the extension of the filter: a bare name gets it. A name with
  // another extension is passed as chosen, so the user is told why it is refused (the database itself,
  // or not a table file) instead of a different file being written beside it.
  const chosen = path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
  if (!chosen.includes('.')) path += `.${ext}`;
  savePrefs({ folder: folderOf(path), delimiter: options.delimiter, bom: options.bom, format: options.format, localHeadings: options.localHeadings });
  // `localHeadings` is the window's choice, turned into `labels` by the screen that exports.
  const { localHeadings: _local, ...fileOptions } = options;
  try {
    const out = await withProgress(title, (onProgress) => start(path, fileOptions, onProgress));
    toast(t('export.done', { rows: out.rows, path: out.path }), 'ok', openActions(out.path));
    return out;
  } catch (e) {
    if (e && e.kind === 'cancelled') toast(t('export.cancelled'));
    else showError(e);
    return null;
  }
}

/**
 * "Open" and "Show in folder" for a file just written, as a toast's actions (see toast). A file no
 * other program reads (a partners' bundle) gets only "Show in folder", to attach it to a message.
 */
export function openActions(path, { open = true } = {}) {
  const run = (call) => () => call(path).catch(showError);
  return [
    open ? { label: t('export.open'), id: 'toast-open', run: run(api.fileOpen) } : null,
    { label: t('export.showInFolder'), id: 'toast-reveal', run: run(api.fileReveal) },
  ].filter(Boolean);
}

/** The file options in a dialog (#export-choose continues), then exportFile; for one-button exports. */
export async function exportWithDialog({ title, name, start }) {
  const controls = exportOptionsControls();
  const options = await modal(title, (close) => [
    h('p', { class: 'hint' }, t('export.dialogHint')),
    controls.el,
    h('div', { class: 'dialog-actions' },
      button(t('common.cancel'), () => close(null)),
      h('button', { type: 'button', class: 'primary', id: 'export-choose', onclick: () => close(controls.value()) }, t('export.choose'))),
  ], { wide: false });
  if (!options) return null;
  return exportFile({ title, name, options, start });
}
