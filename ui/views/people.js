// people.js: the People screens: a paged, searchable list that stays fast with 100,000 people, and a
// person's page with their details, attendance history and consent records.

import { api } from '../api.js';
import { disabilityPanel } from './disability.js';
import { GENDERS, PARTICIPANT_TYPES, genderName } from '../lib/constants.js';
import { t, fmtNumber, fmtDate, fmtLocalDateTime, countryName, countries } from '../i18n.js';
import { h, header, button, table, formDialog, organisationId, modal, panel, facts, pager, deleteWithConfirm, confirmDialog, toast, showError, replace } from '../lib/ui.js';
import { exportWithDialog, openActions } from '../lib/export.js';

const PAGE = 50;

async function fields() {
  const orgs = await api.organisations();
  return [
    { name: 'full_name', label: t('person.name'), required: true, wide: true },
    { name: 'email', label: t('person.email'), type: 'email' },
    { name: 'organisation_id', label: t('person.organisation'), type: 'organisation', organisations: orgs },
    { name: 'country', label: t('person.country'), type: 'country' },
    { name: 'gender', label: t('person.gender'), type: 'select', options: GENDERS.map((g) => [g, t(`gender.${g}`)]) },
    { name: 'gender_text', label: t('person.genderText') },
    { name: 'birth_year', label: t('person.birthYear'), type: 'number', min: 1900 },
    { name: 'age_band', label: t('person.ageBand'), placeholder: '25-34' },
    { name: 'participant_type', label: t('person.participantType'), type: 'select',
      options: [['', t('common.none')], ...PARTICIPANT_TYPES.map((p) => [p, t(`participantType.${p}`)])] },
    { name: 'notes', label: t('person.notes'), type: 'textarea', wide: true },
  ];
}

/** The form's values as the core takes them: the organisation typed by name becomes its id (created when new). */
async function toInput(v, fs) {
  const orgs = fs.find((f) => f.name === 'organisation_id').organisations;
  return { ...v, organisation_id: await organisationId(v.organisation_id, orgs, api.createOrganisation, v.country) };
}

// The search text, page and the people ticked for merging survive moving to a person and back.
const state = { search: '', offset: 0, picked: new Map(), missing: [] };

const MISSING = ['country', 'gender', 'organisation'];

/** Opens the People list showing only the people who lack these details (from a report's "Not stated"). */
export function showMissing(fields) {
  state.missing = fields.filter((f) => MISSING.includes(f));
  state.offset = 0;
  state.search = '';
  location.hash = '#/people';
}

export async function list(root) {
  const results = h('div', {});
  const search = h('input', { type: 'search', value: state.search, placeholder: t('person.searchPlaceholder'), 'aria-label': t('common.search'), class: 'search' });
  let seq = 0;
  const mergeButton = h('button', { type: 'button', id: 'merge-people', onclick: () => mergeDialog().catch(showError) });
  const pickedNote = h('span', { class: 'hint', id: 'merge-picked', 'aria-live': 'polite' });
  const drawPicked = () => {
    mergeButton.textContent = t('merge.button');
    mergeButton.disabled = state.picked.size !== 2;
    pickedNote.textContent = state.picked.size ? t('merge.picked', { n: state.picked.size }) : t('merge.pickHint');
  };
  const pick = (p) => {
    const box = h('input', { type: 'checkbox', checked: state.picked.has(p.id), 'aria-label': t('merge.pickOne', { name: p.full_name }) });
    box.addEventListener('change', () => {
      if (box.checked) {
        // Two at most: ticking a third replaces the oldest choice.
        if (state.picked.size >= 2) state.picked.delete(state.picked.keys().next().value);
        state.picked.set(p.id, p);
      } else state.picked.delete(p.id);
      for (const other of results.querySelectorAll('input[type=checkbox][data-id]')) other.checked = state.picked.has(Number(other.dataset.id));
      drawPicked();
    });
    box.dataset.id = String(p.id);
    return box;
  };
  const draw = async () => {
    const mine = ++seq;
    const page = await api.people({ search: state.search || null, offset: state.offset, limit: PAGE, missing: state.missing });
    if (mine !== seq) return;
    drawPicked();
    replace(results,
      h('p', { class: 'count' }, fmtNumber(page.total)),
      state.missing.length && page.items.length ? await completingPanel(page.items, draw) : null,
      table([
        { label: h('span', { class: 'sr-only' }, t('merge.pickColumn')), cls: 'check-cell', cell: pick },
        { label: t('person.name'), cell: (p) => h('a', { href: `#/people/${p.id}` }, p.full_name) },
        { label: t('person.email'), cls: 'email', cell: (p) => p.email || '' },
        { label: t('person.organisation'), cell: (p) => p.organisation_name || '' },
        { label: t('person.country'), cell: (p) => (p.country ? countryName(p.country) : '') },
        { label: t('person.gender'), cell: (p) => (p.gender && p.gender !== 'not_stated' ? genderName(p.gender, t) : '') },
        { label: t('person.events'), cell: (p) => fmtNumber(p.events_attended), cls: 'num' },
      ], page.items, { onOpen: (p) => { location.hash = `#/people/${p.id}`; }, caption: t('person.title'), empty: t(state.search ? 'person.noMatch' : 'person.emptyList') }),
      pager(page, (offset) => { state.offset = offset; draw().catch(showError); }));
  };
  let timer;
  search.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => { state.search = search.value.trim(); state.offset = 0; draw().catch(showError); }, 120);
  });
  const create = async () => { const fs = await fields(); return formDialog(t('person.new'), {
    fields: fs,
    submit: async (v) => { const p = await api.createPerson(await toInput(v, fs)); toast(t('common.saved')); location.hash = `#/people/${p.id}`; return p; },
  }); };
  const exportPeople = () => exportWithDialog({
    title: t('export.peopleTitle'),
    name: t('export.filePeople'),
    start: (path, options, onProgress) => api.exportPeople(path, options, onProgress),
  });
  replace(root,
    header(t('person.title'),
      h('button', { type: 'button', id: 'export-people', onclick: exportPeople }, t('person.export')),
      button(t('person.new'), create, 'primary')),
    h('div', { class: 'toolbar' }, search, mergeButton, pickedNote),
    missingFilter(() => { state.offset = 0; draw().catch(showError); }),
    results);
  await draw();
  search.focus();
}

/**
 * "Merge two people": the two ticked people side by side with everything that tells them apart; the user
 * chooses which record stays. The other one's attendance, consents and missing details move to it.
 */
async function mergeDialog() {
  const [a, b] = await Promise.all([...state.picked.keys()].map((id) => api.person(id)));
  const counts = Object.fromEntries([...state.picked.values()].map((p) => [p.id, p.events_attended]));
  let keep = a.id;
  const card = (p) => {
    const radio = h('input', { type: 'radio', name: 'merge-keep', value: String(p.id), checked: p.id === keep, id: `merge-keep-${p.id}` });
    const box = h('section', { class: `panel ${p.id === keep ? 'keep' : ''}`, dataset: { person: String(p.id) } },
      h('label', { class: 'check', for: radio.id }, radio, h('strong', {}, t('merge.keepThis'))),
      h('h3', {}, p.full_name),
      facts([
        [t('person.email'), p.email || t('common.none')],
        [t('person.organisation'), p.organisation_name || t('common.none')],
        [t('person.country'), p.country || t('common.none')],
        [t('person.gender'), p.gender ? [genderName(p.gender, t), p.gender_text].filter(Boolean).join(' · ') : t('common.none')],
        [t('person.events'), fmtNumber(p.events_attended ?? counts[p.id])],
        [t('person.notes'), p.notes],
      ]));
    radio.addEventListener('change', () => {
      keep = p.id;
      for (const el of box.parentElement.children) el.classList.toggle('keep', el === box);
    });
    return box;
  };
  const merged = await modal(t('merge.title'), (close) => [
    h('p', { class: 'hint' }, t('merge.hint')),
    h('div', { class: 'merge-grid' }, card(a), card(b)),
    h('div', { class: 'dialog-actions' },
      button(t('common.cancel'), () => close(null)),
      h('button', { type: 'button', class: 'primary', id: 'merge-confirm', onclick: async (e) => {
        e.target.disabled = true;
        try {
          close(await api.mergePeople(keep, keep === a.id ? b.id : a.id));
        } catch (err) {
          e.target.disabled = false;
          showError(err);
        }
      } }, t('merge.confirm'))),
  ]);
  if (!merged) return;
  state.picked.clear();
  toast(t('merge.done', { name: merged.person.full_name, moved: merged.attendances_moved + merged.attendances_merged }));
  location.hash = `#/people/${merged.person.id}`;
}

export async function detail(root, id) {
  const [person, history, consents] = await Promise.all([api.person(id), api.personHistory(id), api.consents(id)]);
  const reload = () => detail(root, id).catch(showError);
  const edit = async () => { const fs = await fields(); return formDialog(t('person.edit'), {
    fields: fs,
    values: person,
    submit: async (v) => { const p = await api.updatePerson(id, await toInput(v, fs)); toast(t('common.saved')); reload(); return p; },
  }); };
  const remove = async () => {
    if (await deleteWithConfirm(person.full_name, (cascade) => api.deletePerson(id, cascade))) location.hash = '#/people';
  };
  // Right of access: everything about the person, as JSON (complete) or CSV (one fact per row).
  const exportData = async () => {
    const safeName = person.full_name.replace(/[\\/:*?"<>|\u0000-\u001f]/g, '').trim() || `person-${id}`;
    const path = await api.saveFile({ defaultPath: `${safeName}.json`, filters: [{ name: 'JSON', extensions: ['json'] }, { name: 'CSV', extensions: ['csv'] }] });
    if (!path) return;
    try {
      const f = await api.personExport(id, path, /\.csv$/i.test(path) ? 'csv' : 'json');
      toast(t('person.exported', { path: f.path }), 'ok', openActions(f.path));
    } catch (e) { showError(e); }
  };
  const erase = async () => {
    const ok = await confirmDialog({ title: t('person.erase'), message: t('person.eraseConfirm', { name: person.full_name }), confirm: t('data.eraseConfirm'), danger: true });
    if (!ok) return;
    try {
      await api.personErase(id);
      toast(t('person.erased'));
      location.hash = '#/people';
    } catch (e) { showError(e); }
  };
  const addConsent = () => formDialog(t('person.addConsent'), {
    fields: [
      { name: 'purpose', label: t('person.consentPurpose'), required: true, wide: true },
      { name: 'given_on', label: t('person.consentDate'), type: 'date' },
      { name: 'method', label: t('person.consentMethod') },
    ],
    values: { given_on: new Date().toISOString().slice(0, 10) },
    submit: async (v) => { const c = await api.addConsent(id, v); reload(); return c; },
  });
  replace(root,
    h('p', { class: 'crumbs' }, h('a', { href: '#/people' }, t('person.title'))),
    header(person.full_name, button(t('common.edit'), edit), button(t('person.exportData'), exportData),
      button(t('common.delete'), remove, 'danger'), button(t('person.erase'), erase, 'danger')),
    panel(null, facts([
      [t('person.email'), person.email],
      [t('person.organisation'), person.organisation_id ? h('a', { href: `#/organisations/${person.organisation_id}` }, person.organisation_name) : null],
      [t('person.country'), person.country ? countryName(person.country) : null],
      [t('person.gender'), [genderName(person.gender, t), person.gender_text].filter(Boolean).join(' · ')],
      [t('person.birthYear'), person.birth_year == null ? null : String(person.birth_year)],
      [t('person.ageBand'), person.age_band],
      [t('person.participantType'), person.participant_type ? t(`participantType.${person.participant_type}`) : null],
      [t('person.notes'), person.notes],
    ])),
    panel(t('person.history'), table([
      { label: t('event.when'), cell: (e) => fmtLocalDateTime(e.starts_at) },
      { label: t('event.name'), cell: (e) => h('a', { href: `#/events/${e.event_id}` }, e.event_title) },
      { label: t('event.project'), cell: (e) => e.project_name },
      { label: t('attendance.role'), cell: (e) => t(`role.${e.role}`) },
      { label: t('attendance.status'), cell: (e) => t(`attStatus.${e.status}`) },
      { label: t('attendance.minutes'), cell: (e) => (e.minutes == null ? '' : fmtNumber(e.minutes)), cls: 'num' },
    ], history, { empty: t('person.noHistory') })),
    panel(t('person.consents'),
      h('div', { class: 'panel-actions' }, button(t('person.addConsent'), addConsent)),
      table([
        { label: t('person.consentPurpose'), cell: (c) => c.purpose },
        { label: t('person.consentDate'), cell: (c) => fmtDate(c.given_on) },
        { label: t('person.consentMethod'), cell: (c) => c.method || '' },
        { label: '', cell: (c) => (c.withdrawn_on
          ? t('person.consentWithdrawn', { date: fmtDate(c.withdrawn_on) })
          : button(t('person.withdraw'), async () => { try { await api.withdrawConsent(id, c.purpose); reload(); } catch (e) { showError(e); } }, 'link')) },
      ], consents, { empty: t('person.noConsents') })));
  root.append(await disabilityPanel(id, consents, reload));
}

/** "Missing: country, gender, organisation": shows only the people who lack the ticked details. */
function missingFilter(onChange) {
  return h('div', { class: 'toolbar missing-filter', role: 'group', 'aria-label': t('person.missing') },
    h('span', { class: 'hint' }, t('person.missing')),
    MISSING.map((f) => {
      const box = h('input', { type: 'checkbox', id: `missing-${f}`, checked: state.missing.includes(f) });
      box.addEventListener('change', () => {
        state.missing = MISSING.filter((m) => (m === f ? box.checked : state.missing.includes(m)));
        onChange();
      });
      return h('label', { class: 'check', for: `missing-${f}` }, box, h('span', {}, t(`person.missing-${f}`)));
    }));
}

/**
 * Filling in what is missing for the people shown: suggestions from their email addresses (a country's
 * domain, an organisation's known domain), each applied only when the coordinator says so, and one
 * value set for everyone on the page at once.
 */
async function completingPanel(people, redraw) {
  const ids = people.map((p) => p.id);
  const suggestions = await api.personSuggestions({ ids, missing: state.missing.filter((f) => f !== 'gender'), limit: 200 });
  const byId = new Map(people.map((p) => [p.id, p]));
  const apply = async (list) => {
    const groups = new Map();
    for (const s of list) {
      const key = `${s.field}:${s.value}`;
      if (!groups.has(key)) groups.set(key, { field: s.field, value: s.value, ids: [] });
      groups.get(key).ids.push(s.person_id);
    }
    try {
      let n = 0;
      for (const g of groups.values()) {
        const input = { ids: g.ids };
        if (g.field === 'country') input.country = g.value;
        else input.organisation_id = Number(g.value);
        n += (await api.bulkUpdatePeople(input)).updated;
      }
      toast(t('person.suggestionsApplied', { n }));
      redraw().catch(showError);
    } catch (e) { showError(e); }
  };
  const suggestionTable = suggestions.length ? [
    h('p', { class: 'hint' }, t('person.suggestionsHint')),
    table([
      { label: t('person.name'), cell: (s) => (byId.get(s.person_id) || {}).full_name || `#${s.person_id}` },
      { label: t('person.suggestion'), cell: (s) => `${t(`person.missing-${s.field}`)}: ${s.field === 'country' ? countryName(s.value) : (s.label || s.value)}` },
      { label: t('person.suggestionWhy'), cell: (s) => t(`person.reason-${s.reason}`, { domain: s.domain || '' }) },
      { label: '', cls: 'actions', cell: (s) => button(t('person.suggestionApply'), () => apply([s]), 'link') },
    ], suggestions, { cls: 'suggestions' }),
    button(t('person.suggestionsApplyAll', { n: suggestions.length }), () => apply(suggestions)),
  ] : [h('p', { class: 'hint' }, t('person.noSuggestions'))];

  // One value for everyone on this page.
  const field = h('select', { id: 'bulk-field', 'aria-label': t('person.bulkField') },
    MISSING.map((f) => h('option', { value: f }, t(`person.missing-${f}`))));
  field.value = state.missing[0] || 'country';
  const valueBox = h('span', {});
  let valueInput;
  const orgs = await api.organisations();
  const drawValue = () => {
    if (field.value === 'country') {
      valueInput = h('select', { id: 'bulk-value', 'aria-label': t('person.bulkValue') }, countries().map(([code, name]) => h('option', { value: code }, name)));
    } else if (field.value === 'gender') {
      valueInput = h('select', { id: 'bulk-value', 'aria-label': t('person.bulkValue') }, GENDERS.filter((g) => g !== 'not_stated' && g !== 'self_described').map((g) => h('option', { value: g }, t(`gender.${g}`))));
    } else {
      valueInput = h('select', { id: 'bulk-value', 'aria-label': t('person.bulkValue') }, orgs.map((o) => h('option', { value: String(o.id) }, o.name)));
    }
    replace(valueBox, valueInput);
  };
  field.addEventListener('change', drawValue);
  drawValue();
  const setAll = button(t('person.bulkApply', { n: ids.length }), async () => {
    const label = valueInput.selectedOptions[0] ? valueInput.selectedOptions[0].textContent : valueInput.value;
    const ok = await confirmDialog({ title: t('person.bulkTitle'), message: t('person.bulkConfirm', { n: ids.length, field: t(`person.missing-${field.value}`), value: label }), confirm: t('person.bulkApply', { n: ids.length }) });
    if (!ok) return;
    const input = { ids };
    if (field.value === 'country') input.country = valueInput.value;
    else if (field.value === 'gender') input.gender = valueInput.value;
    else input.organisation_id = Number(valueInput.value);
    try {
      const done = await api.bulkUpdatePeople(input);
      toast(t('person.bulkDone', { n: done.updated }));
      redraw().catch(showError);
    } catch (e) { showError(e); }
  });
  setAll.id = 'bulk-apply';
  return panel(t('person.completeTitle'),
    suggestionTable,
    h('div', { class: 'toolbar bulk-bar' }, h('span', {}, t('person.bulkLead')), field, valueBox, setAll));
}
