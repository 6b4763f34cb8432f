// ui.js: the small set of widgets every view uses: page headers, tables, forms with messages next to
// their fields, a pager, toasts and an in-window confirmation dialog. All text is set as text.

import { h, append, replace, focusFirst } from './dom.js';
import { t, fmtNumber, countries, countryName } from '../i18n.js';

/** A page title with optional actions on the right. */
export function header(title, ...actions) {
  return h('header', { class: 'page-header' }, h('h1', {}, title), h('div', { class: 'actions' }, actions));
}

export function button(label, onclick, cls = '') {
  return h('button', { type: 'button', class: cls, onclick }, label);
}

/** A link to one of the app's own screens. */
export function link(route, label) {
  return h('a', { href: `#${route}` }, label);
}

/**
 * A short notice in the corner that goes away by itself. `actions` ([{label, run, id?}]) add buttons
 * (an export's "Open" and "Show in folder"): such a notice stays longer, and does not go while the
 * pointer or the keyboard is on it.
 */
export function toast(message, kind = 'ok', actions = []) {
  const box = document.getElementById('toasts');
  const el = h('div', { class: `toast ${kind}` }, h('div', {}, message));
  if (actions.length) {
    el.append(h('div', { class: 'toast-actions' }, actions.map((a) => h('button', {
      type: 'button', class: 'link', id: a.id || null, onclick: () => { el.remove(); a.run(); },
    }, a.label))));
  }
  box.append(el);
  const ms = actions.length ? 12000 : (kind === 'error' ? 8000 : 3500);
  let timer = setTimeout(() => el.remove(), ms);
  if (actions.length) {
    const hold = () => clearTimeout(timer);
    const release = () => { clearTimeout(timer); timer = setTimeout(() => el.remove(), 4000); };
    el.addEventListener('mouseenter', hold);
    el.addEventListener('focusin', hold);
    el.addEventListener('mouseleave', release);
    el.addEventListener('focusout', release);
  }
}

/** Shows an error from the API (or anything else) as a toast. */
export function showError(e) {
  toast(e && e.message ? e.message : String(e), 'error');
}

// Open dialogs, innermost last. While one is open the window behind it is `inert` (no click, no Tab, no
// Enter on a sidebar link reaches it), Tab and Shift+Tab cycle inside the innermost dialog, Escape closes
// it wherever focus is, and closing returns focus where it was before the dialog opened.
const dialogs = [];
const FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]):not([type=hidden]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

function focusables(el) {
  return [...el.querySelectorAll(FOCUSABLE)].filter((e) => e.getClientRects().length && !e.closest('[inert]'));
}

function setInert() {
  const shell = document.querySelector('.shell');
  if (shell) shell.inert = dialogs.length > 0;
  dialogs.forEach((d, i) => { d.overlay.inert = i < dialogs.length - 1; });
}

// Tab moves natively inside the dialog (so a date field's own parts still take Tab); only at the ends
// does it wrap around. Whatever still moves focus out (WebKitGTK may report Shift+Tab under another key
// name; the skip link sits outside the inert shell) is caught by `focusin` and brought back in.
document.addEventListener('keydown', (e) => {
  const top = dialogs[dialogs.length - 1];
  if (!top) return;
  if (e.key === 'Escape' || e.key === 'Esc') {
    e.preventDefault();
    e.stopPropagation();
    top.onEscape();
  } else if (e.key === 'Tab' || e.keyCode === 9) {
    const items = focusables(top.box);
    const active = document.activeElement;
    if (!items.length) {
      e.preventDefault();
      top.box.focus();
    } else if (!top.box.contains(active)) {
      e.preventDefault();
      items[e.shiftKey ? items.length - 1 : 0].focus();
    } else if (e.shiftKey && (active === items[0] || active === top.box)) {
      e.preventDefault();
      items[items.length - 1].focus();
    } else if (!e.shiftKey && active === items[items.length - 1]) {
      e.preventDefault();
      items[0].focus();
    }
  }
}, true);

document.addEventListener('focusin', (e) => {
  const top = dialogs[dialogs.length - 1];
  if (!top) return;
  if (top.box.contains(e.target)) {
    top.last = e.target;
    return;
  }
  const items = focusables(top.box);
  if (!items.length) { top.box.focus(); return; }
  // Leaving from the first element means Shift+Tab: go round to the last; otherwise to the first.
  (top.last === items[0] ? items[items.length - 1] : items[0]).focus();
}, true);

/**
 * Shows `box` (a .dialog) over the window in an overlay; `onEscape` is called for Escape. Returns
 * `close()`, which removes it and gives focus back to what had it before.
 */
export function openDialog(box, onEscape) {
  const previous = document.activeElement;
  const overlay = h('div', { class: 'overlay' }, box);
  box.tabIndex = -1;
  const entry = { overlay, box, onEscape };
  dialogs.push(entry);
  document.body.append(overlay);
  setInert();
  let closed = false;
  return () => {
    if (closed) return;
    closed = true;
    const at = dialogs.indexOf(entry);
    if (at >= 0) dialogs.splice(at, 1);
    overlay.remove();
    setInert();
    if (previous && previous.focus && document.contains(previous) && !previous.closest('[inert]')) previous.focus();
    else if (dialogs.length) focusFirst(dialogs[dialogs.length - 1].box);
  };
}

/** True while a dialog is open (the app does not change screens under it). */
export function dialogOpen() {
  return dialogs.length > 0;
}

/**
 * A modal dialog; resolves to true when confirmed. Escape and Cancel resolve to false. Focus is trapped
 * inside and returns where it was.
 */
export function confirmDialog({ title, message, confirm = t('common.confirm'), danger = false }) {
  return new Promise((resolve) => {
    const done = (answer) => {
      close();
      resolve(answer);
    };
    const ok = button(confirm, () => done(true), danger ? 'danger' : 'primary');
    const cancel = button(t('common.cancel'), () => done(false));
    const dialog = h('div', { class: 'dialog', role: 'alertdialog', 'aria-modal': 'true', 'aria-labelledby': 'dialog-title' },
      h('h2', { id: 'dialog-title' }, title),
      h('div', { class: 'dialog-body' }, h('p', {}, message)),
      h('div', { class: 'dialog-actions' }, cancel, ok));
    const close = openDialog(dialog, () => done(false));
    ok.focus();
  });
}

/**
 * Deletes with the core's "ask first" rule: the first call refuses with a conflict that says what would
 * go too; the user confirms and the call is repeated with cascade.
 */
export async function deleteWithConfirm(name, remove) {
  if (!(await confirmDialog({ title: t('common.delete'), message: `${t('common.confirm')} ${name}`, confirm: t('common.delete'), danger: true }))) return false;
  try {
    await remove(false);
  } catch (e) {
    if (e.kind !== 'conflict') throw e;
    if (!(await confirmDialog({ title: t('common.deleteAll'), message: e.message, confirm: t('common.deleteAll'), danger: true }))) return false;
    await remove(true);
  }
  toast(t('common.deleted'));
  return true;
}

/**
 * A data table; `columns` are {label, cell(row) -> node|text, cls?}; rows can link somewhere. Column
 * classes: `num` (right-aligned tabular figures that never wrap), `email` and `path` (the only cells that
 * may break anywhere inside a word). The table sits in a box that scrolls sideways by itself, so a long
 * word never widens the page.
 */
export function table(columns, rows, { onOpen = null, empty = t('common.empty'), caption = null, cls = '' } = {}) {
  if (!rows.length) return h('p', { class: 'empty' }, empty);
  return h('div', { class: 'table-scroll' }, h('table', { class: `data ${cls}`.trim() },
    caption ? h('caption', { class: 'sr-only' }, caption) : null,
    h('thead', {}, h('tr', {}, columns.map((c) => h('th', { scope: 'col', class: c.cls || '' }, c.label)))),
    h('tbody', {}, rows.map((row) => {
      const tr = h('tr', {}, columns.map((c) => h('td', { class: c.cls || '' }, c.cell(row))));
      if (onOpen) {
        tr.classList.add('clickable');
        tr.addEventListener('click', (e) => { if (!e.target.closest('a, button, select, input, label')) onOpen(row); });
      }
      return tr;
    }))));
}

/** Previous/next paging for long lists. */
export function pager({ offset, limit, total }, go) {
  if (total <= limit) return null;
  const to = Math.min(offset + limit, total);
  return h('nav', { class: 'pager', 'aria-label': t('common.pages') },
    h('button', { type: 'button', disabled: offset === 0, onclick: () => go(Math.max(0, offset - limit)) }, t('common.previous')),
    h('span', { class: 'pager-where' }, t('common.pageOf', { from: fmtNumber(offset + 1), to: fmtNumber(to), total: fmtNumber(total) })),
    h('button', { type: 'button', disabled: to >= total, onclick: () => go(offset + limit) }, t('common.next')));
}

/**
 * Items already in memory drawn `limit` at a time by `draw(slice)`, with the pager under them: a long
 * list draws one page (a few milliseconds) instead of all of it (an event of 17,000 records took about
 * 14 s with the window frozen). `state.offset` is kept by the caller so a redraw stays on the same page;
 * `onPage(box)` runs after the user turned a page.
 */
export function paged(items, draw, { limit = 100, state = { offset: 0 }, onPage = () => {} } = {}) {
  const box = h('div', { class: 'paged', dataset: { total: String(items.length) } });
  const show = () => {
    if (state.offset >= items.length) state.offset = Math.max(0, Math.floor((items.length - 1) / limit) * limit);
    replace(box, draw(items.slice(state.offset, state.offset + limit)),
      pager({ offset: state.offset, limit, total: items.length }, (offset) => {
        state.offset = offset;
        show();
        onPage(box);
      }));
  };
  show();
  return box;
}

/** After a page of a table is turned: the table's top in view, focus on its first row's control. */
export function focusFirstRow(box) {
  const first = box.querySelector('tbody a, tbody button, tbody select');
  box.scrollIntoView({ block: 'start' });
  if (first) first.focus({ preventScroll: true });
}

/** A table of rows already in memory, drawn one page at a time (see `paged`). */
export function pagedTable(columns, rows, opts = {}, { limit = 100, state = { offset: 0 } } = {}) {
  return paged(rows, (slice) => table(columns, slice, opts), { limit, state, onPage: focusFirstRow });
}

/**
 * A date field that looks empty when it is empty: WebKit draws an empty <input type=date> with today's
 * date in grey, which reads as a filter already set, so the class `empty` hides the text until the
 * field is focused or holds a date (see app.css). Its value is always '' or YYYY-MM-DD.
 */
export function dateInput(props = {}) {
  const el = h('input', { ...props, type: 'date', class: `date ${props.class || ''}` });
  const mark = () => el.classList.toggle('empty', !el.value);
  el.addEventListener('input', mark);
  el.addEventListener('change', mark);
  mark();
  return el;
}

let fieldCounter = 0;

/**
 * A form built from field descriptions: {name, label, type, options: [[value, label]], required,
 * placeholder, list}. `submit(values)` returns a promise; when it rejects with an error whose `field`
 * matches, the message is shown next to that field, otherwise at the top of the form.
 */
/**
 * An organisation chosen by typing: the existing ones are offered as the user types (a datalist that
 * searches within names); a name that matches none will be created on save, and a hint under the field
 * says so. The form's value is the typed name; `organisationId` turns it into an id.
 */
function organisationInput(common, organisations, current) {
  const listId = `${common.id}-list`;
  const input = h('input', { ...common, type: 'text', list: listId, placeholder: t('org.pickPlaceholder') });
  const byId = organisations.find((o) => o.id === current);
  input.value = byId ? byId.name : (typeof current === 'string' ? current : '');
  const hint = h('span', { class: 'hint create-hint', 'aria-live': 'polite' });
  const update = () => {
    const name = input.value.trim();
    hint.textContent = name && !findOrganisation(name, organisations) ? t('org.willCreate', { name }) : '';
  };
  input.addEventListener('input', update);
  update();
  // The list of names lives outside the screen, as the time zones' does: WebDriver cannot read the text
  // of an element that holds a datalist's options. Lists of pickers no longer on screen go with it.
  for (const old of document.querySelectorAll('datalist.org-list')) {
    if (!document.querySelector(`[list="${old.id}"]`)) old.remove();
  }
  document.body.append(h('datalist', { id: listId, class: 'org-list' },
    organisations.map((o) => h('option', { value: o.name }, o.short_name || null))));
  const wrap = h('span', { class: 'org-picker' }, input, hint);
  // The form reads, checks and focuses the input itself; the wrapper is what it places on the page.
  return Object.assign(input, { picker: wrap });
}

function findOrganisation(name, organisations) {
  const key = name.trim().toLocaleLowerCase();
  return organisations.find((o) => o.name.toLocaleLowerCase() === key || (o.short_name && o.short_name.toLocaleLowerCase() === key)) || null;
}

/**
 * The id of the organisation named `name` (as typed in an organisation field): an existing one, or one
 * created now with that name (and `country`, when given). Null for an empty name.
 */
export async function organisationId(name, organisations, create, country = null) {
  if (!name || !name.trim()) return null;
  const found = findOrganisation(name, organisations);
  if (found) return found.id;
  const made = await create({ name: name.trim(), country });
  toast(t('org.created', { name: made.name }));
  return made.id;
}

export function form({ fields, values = {}, submitLabel = t('common.save'), submit, onCancel = null }) {
  const inputs = {};
  const messages = {};
  const formError = h('p', { class: 'form-error', role: 'alert', hidden: true });
  const rows = fields.map((f) => {
    const id = `f${++fieldCounter}-${f.name}`;
    const errId = `${id}-err`;
    let input;
    const common = { id, name: f.name, 'aria-describedby': errId, required: !!f.required, autocomplete: 'off' };
    if (f.type === 'select') {
      input = h('select', common, f.options.map(([v, label]) => h('option', { value: String(v ?? '') }, label)));
      input.value = values[f.name] == null ? '' : String(values[f.name]);
    } else if (f.type === 'country') {
      // Countries by name in the UI language; the ISO code is what is stored. A code Rollcall does not
      // know (from an import) stays selectable rather than being lost on save.
      const current = values[f.name] ? String(values[f.name]).toUpperCase() : '';
      const list = countries();
      const known = !current || list.some(([code]) => code === current);
      input = h('select', common,
        h('option', { value: '' }, t('report.notStated')),
        known ? null : h('option', { value: current }, countryName(current)),
        list.map(([code, name]) => h('option', { value: code }, name)));
      input.value = current;
    } else if (f.type === 'organisation') {
      input = organisationInput(common, f.organisations || [], values[f.name]);
    } else if (f.type === 'textarea') {
      input = h('textarea', { ...common, rows: 3 });
      input.value = values[f.name] ?? '';
    } else if (f.type === 'date') {
      input = dateInput({ ...common, value: values[f.name] || null });
    } else {
      input = h('input', { ...common, type: f.type || 'text', placeholder: f.placeholder || null, list: f.list || null, step: f.step || null, min: f.min ?? null });
      input.value = values[f.name] ?? '';
    }
    inputs[f.name] = input;
    messages[f.name] = h('span', { class: 'field-error', id: errId, 'aria-live': 'polite' });
    return h('div', { class: `field ${f.wide ? 'wide' : ''}` },
      h('label', { for: id }, f.label, f.required ? h('span', { class: 'req', 'aria-hidden': 'true' }, ' *') : null),
      input.picker || input, messages[f.name]);
  });
  const saveButton = h('button', { type: 'submit', class: 'primary' }, submitLabel);
  const el = h('form', { class: 'form', novalidate: true },
    formError,
    h('div', { class: 'fields' }, rows),
    h('div', { class: 'form-actions' }, onCancel ? button(t('common.cancel'), onCancel) : null, saveButton));
  el.addEventListener('submit', async (e) => {
    e.preventDefault();
    for (const m of Object.values(messages)) m.textContent = '';
    for (const i of Object.values(inputs)) i.removeAttribute('aria-invalid');
    formError.hidden = true;
    const out = {};
    for (const f of fields) {
      // Passphrases are taken exactly as typed (the CLI does the same); other fields lose stray spaces.
      const raw = f.type === 'password' ? inputs[f.name].value : inputs[f.name].value.trim();
      out[f.name] = f.type === 'number' ? (raw === '' ? null : Number(raw)) : (raw === '' ? null : raw);
    }
    // A required field left empty is said at once, next to it, before anything is sent.
    const missing = fields.filter((f) => f.required && out[f.name] == null);
    if (missing.length) {
      for (const f of missing) {
        messages[f.name].textContent = t('error.rule.required');
        inputs[f.name].setAttribute('aria-invalid', 'true');
      }
      inputs[missing[0].name].focus();
      return;
    }
    saveButton.disabled = true;
    try {
      await submit(out);
    } catch (err) {
      const field = err && err.field && inputs[err.field] ? err.field : null;
      if (field) {
        messages[field].textContent = err.message;
        inputs[field].setAttribute('aria-invalid', 'true');
        inputs[field].focus();
      } else {
        formError.textContent = err && err.message ? err.message : String(err);
        formError.hidden = false;
      }
    } finally {
      saveButton.disabled = false;
    }
  });
  return el;
}

/** A titled panel (card) holding a section of a detail page. */
export function panel(title, ...children) {
  return h('section', { class: 'panel' }, title ? h('h2', {}, title) : null, children);
}

/** A small read-only list of label/value pairs. */
export function facts(pairs) {
  return h('dl', { class: 'facts' }, pairs.filter(([, v]) => v != null && v !== '').map(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]));
}

/** Options for a select from a list of values and a catalogue prefix ("role." -> t("role.speaker")). */
export function options(values, prefix) {
  return values.map((v) => [v, t(prefix + v)]);
}

/** Opens a form in a modal dialog; resolves when it is saved or cancelled. */
export function formDialog(title, formSpec) {
  return new Promise((resolve) => {
    const done = (value) => {
      close();
      resolve(value);
    };
    const f = form({
      ...formSpec,
      onCancel: () => done(null),
      submit: async (values) => done(await formSpec.submit(values)),
    });
    const box = h('div', { class: 'dialog wide', role: 'dialog', 'aria-modal': 'true', 'aria-labelledby': 'form-dialog-title' },
      h('h2', { id: 'form-dialog-title' }, title), f);
    const close = openDialog(box, () => done(null));
    focusFirst(f);
  });
}

/**
 * A modal dialog with any content. `build(close)` returns the body's children and may call close(value);
 * Escape closes with null. Resolves to the value. Focus moves in and returns where it was.
 */
export function modal(title, build, { wide = true } = {}) {
  return new Promise((resolve) => {
    let close = null;
    const done = (value) => {
      if (close) close();
      resolve(value);
    };
    const box = h('div', { class: `dialog ${wide ? 'wide' : ''}`, role: 'dialog', 'aria-modal': 'true', 'aria-labelledby': 'modal-title' },
      h('h2', { id: 'modal-title' }, title), build(done));
    close = openDialog(box, () => done(null));
    focusFirst(box);
  });
}

/**
 * Runs a job from api.job() behind a modal progress bar with a Cancel button; resolves to the job's
 * result, rejects with its error (kind "cancelled" when the user stopped it). `bytes`: the job counts
 * bytes (an import reading its file), shown as a percentage (`percentKey`: its words, "{percent}% read" by
 * default). `cancellable: false`: no Cancel.
 */
export async function withProgress(title, start, { bytes = false, cancellable = true, percentKey = 'job.percent' } = {}) {
  const bar = h('progress', { max: 1, 'aria-label': title });
  const counter = h('p', { class: 'hint', 'aria-live': 'polite' }, t('job.starting'));
  const cancel = button(t('common.cancel'), () => { cancel.disabled = true; counter.textContent = t('job.cancelling'); running.cancel(); });
  // Work that cannot stop halfway (encryption) has no Cancel, and Escape does not close its dialog.
  if (!cancellable) cancel.disabled = true;
  const box = h('div', { class: 'dialog', role: 'dialog', 'aria-modal': 'true', 'aria-labelledby': 'progress-title', tabindex: '-1' },
    h('h2', { id: 'progress-title' }, title), bar, counter, cancellable ? h('div', { class: 'dialog-actions' }, cancel) : null);
  let close = null;
  const running = start((done, total) => {
    if (total > 0) { bar.max = total; bar.value = done; } else { bar.removeAttribute('value'); }
    // Imports count bytes of the file read, which mean nothing to a user: they see a percentage.
    if (total > 0 && bytes) counter.textContent = t(percentKey, { percent: fmtNumber(Math.floor((100 * done) / total)) });
    else counter.textContent = total > 0 ? t('job.progress', { done: fmtNumber(done), total: fmtNumber(total) }) : t('job.rows', { done });
  });
  // Quick jobs finish before the dialog would flash on screen.
  const shown = setTimeout(() => {
    close = openDialog(box, () => { if (!cancel.disabled) cancel.click(); });
    (cancellable ? cancel : box).focus();
  }, 250);
  try {
    return await running.result;
  } finally {
    clearTimeout(shown);
    if (close) close();
  }
}

export { h, append, replace };
