// partners.js: the "Partners' data" screen: this installation's partner card (with the fingerprint to
// compare by voice), the partners it trusts, sending a project's changes to them as an encrypted,
// signed bundle, applying a partner's bundle (preview, decisions about people, apply) and the history.
// Bundles travel by any channel the coordinators already use; Rollcall itself sends nothing anywhere.

import { api, job } from '../api.js';
import { t, fmtNumber, fmtDate } from '../i18n.js';
import { h, header, button, table, formDialog, panel, facts, modal, withProgress, confirmDialog, toast, showError, replace } from '../lib/ui.js';
import { openActions } from '../lib/export.js';

/** The organisations as select options, the current one first when given. */
async function organisationOptions() {
  const orgs = await api.organisations();
  return [['', t('partners.chooseOrg')], ...orgs.map((o) => [o.id, o.name])];
}

/** A read-only line of text with a Copy button (the card is pasted into a message). */
function copyable(text, label) {
  const input = h('input', { type: 'text', readonly: true, value: text, class: 'copy-text', 'aria-label': label });
  const copy = button(t('partners.copy'), async () => {
    input.select();
    try {
      await navigator.clipboard.writeText(text);
    } catch (_) {
      // Without clipboard access the text stays selected, for Ctrl+C.
      document.execCommand && document.execCommand('copy');
    }
    toast(t('partners.copied'));
  });
  return h('div', { class: 'copy-line' }, input, copy);
}

export async function list(root) {
  const [identity, contacts, bundles, projects] = await Promise.all([
    api.identity(), api.contacts(), api.bundles(), api.projects(),
  ]);
  const reload = () => list(root).catch(showError);

  const setOrganisation = async () => {
    const saved = await formDialog(t('partners.ourOrg'), {
      fields: [{ name: 'organisation_id', label: t('partners.ourOrg'), type: 'select', required: true, options: await organisationOptions() }],
      values: { organisation_id: identity.organisation_id },
      submit: async (v) => api.setIdentityOrganisation(Number(v.organisation_id) || 0),
    });
    if (saved) reload();
  };

  const addContact = async () => {
    const saved = await formDialog(t('partners.add'), {
      fields: [
        { name: 'card', label: t('partners.card'), type: 'textarea', required: true, wide: true },
        { name: 'organisation_id', label: t('partners.contactOrg'), type: 'select', required: true, options: await organisationOptions() },
      ],
      submitLabel: t('partners.trust'),
      submit: async (v) => api.addContact(v.card || '', Number(v.organisation_id) || 0),
    });
    if (saved) {
      toast(t('partners.added', { name: saved.name, fingerprint: saved.fingerprint }));
      reload();
    }
  };

  const removeContact = async (c) => {
    const ok = await confirmDialog({ title: t('partners.remove'), message: t('partners.removeConfirm', { name: c.name }), confirm: t('partners.remove'), danger: true });
    if (!ok) return;
    try { await api.removeContact(c.id); toast(t('partners.removed')); reload(); } catch (e) { showError(e); }
  };

  const card = panel(t('partners.yourCard'),
    h('p', { class: 'hint' }, t('partners.cardHint')),
    facts([
      [t('partners.fingerprint'), h('strong', { class: 'fingerprint', id: 'own-fingerprint' }, identity.fingerprint)],
      [t('partners.ourOrg'), h('span', {}, identity.organisation_name || t('partners.noOrg'), ' ', button(t('common.edit'), setOrganisation, 'link'))],
    ]),
    copyable(identity.card, t('partners.card')));

  const trusted = panel(t('partners.trusted'),
    h('div', { class: 'toolbar' }, button(t('partners.add'), addContact, 'primary')),
    table([
      { label: t('partners.name'), cell: (c) => c.name },
      { label: t('partners.contactOrg'), cell: (c) => c.organisation_name },
      { label: t('partners.fingerprint'), cell: (c) => h('span', { class: 'fingerprint nowrap' }, c.fingerprint) },
      { label: t('partners.lastApplied'), cell: (c) => (c.last_applied_at ? fmtDate(c.last_applied_at) : t('common.none')) },
      { label: '', cls: 'actions', cell: (c) => button(t('partners.remove'), () => removeContact(c), 'link') },
    ], contacts, { empty: t('partners.noneTrusted'), caption: t('partners.trusted') }));

  const send = panel(t('partners.send'),
    h('p', { class: 'hint' }, t('partners.sendHint')),
    h('div', { class: 'toolbar' },
      button(t('partners.sendButton'), () => sendDialog(projects, contacts).then((r) => { if (r) reload(); }), contacts.length ? 'primary' : ''),
      button(t('partners.apply'), () => applyBundle().then((r) => { if (r) reload(); }), 'primary')));

  const history = panel(t('partners.history'),
    table([
      { label: t('partners.when'), cell: (b) => fmtDate(b.created_at) },
      { label: t('partners.direction'), cell: (b) => t(`partners.direction-${b.direction}`) },
      { label: t('partners.file'), cls: 'path', cell: (b) => b.file_name },
      { label: t('partners.events'), cls: 'num', cell: (b) => fmtNumber(b.events) },
      { label: t('partners.attendances'), cls: 'num', cell: (b) => fmtNumber(b.attendances) },
      { label: t('partners.people'), cls: 'num', cell: (b) => fmtNumber(b.people) },
    ], bundles, { empty: t('partners.noBundles'), caption: t('partners.history') }));

  replace(root, header(t('partners.title')), h('p', { class: 'lead' }, t('partners.lead')), card, trusted, send, history);
}

/** Chooses a project and partners, then writes the bundle where the user says. */
async function sendDialog(projects, contacts) {
  if (!contacts.length) {
    toast(t('partners.addFirst'), 'error');
    return null;
  }
  const choice = await modal(t('partners.send'), (close) => {
    const project = h('select', { id: 'bundle-project', 'aria-label': t('partners.project') },
      projects.map((p) => h('option', { value: String(p.id) }, p.name)));
    const boxes = contacts.map((c) => {
      const box = h('input', { type: 'checkbox', value: c.fingerprint, checked: true, id: `to-${c.id}` });
      return { box, row: h('label', { class: 'inline', for: `to-${c.id}` }, box, ` ${c.name} (${c.fingerprint})`) };
    });
    const pseudonymous = h('input', { type: 'checkbox', id: 'bundle-pseudonymous' });
    const full = h('input', { type: 'checkbox', id: 'bundle-full' });
    return [
      h('label', { class: 'field' }, h('span', {}, t('partners.project')), project),
      h('fieldset', {}, h('legend', {}, t('partners.to')), boxes.map((b) => h('div', {}, b.row))),
      h('div', {}, h('label', { class: 'inline', for: 'bundle-pseudonymous' }, pseudonymous, ` ${t('partners.pseudonymous')}`)),
      h('p', { class: 'hint' }, t('partners.pseudonymousHint')),
      h('div', {}, h('label', { class: 'inline', for: 'bundle-full' }, full, ` ${t('partners.full')}`)),
      h('div', { class: 'dialog-actions' },
        button(t('common.cancel'), () => close(null)),
        button(t('partners.sendButton'), () => close({
          projectId: Number(project.value),
          to: boxes.filter((b) => b.box.checked).map((b) => b.box.value),
          pseudonymous: pseudonymous.checked,
          full: full.checked,
        }), 'primary')),
    ];
  }, { wide: false });
  if (!choice) return null;
  const day = new Date().toISOString().slice(0, 10);
  const path = await api.saveFile({ defaultPath: `rollcall-bundle-${day}.rollcall`, filters: [{ name: t('partners.bundleFiles'), extensions: ['rollcall'] }] });
  if (!path) return null;
  try {
    const sent = await withProgress(t('partners.sending'), (onProgress) => api.exportBundle({ ...choice, path }, onProgress));
    toast(t('partners.sent', { events: sent.events, people: sent.people, path: sent.path }), 'ok', openActions(sent.path, { open: false }));
    return sent;
  } catch (e) {
    if (e.kind !== 'cancelled') showError(e);
    return null;
  }
}

/** Picks a bundle, shows what it would change and who needs a decision, then applies it. */
export async function applyBundle() {
  const path = await api.pickBundle();
  if (!path) return null;
  let preview;
  try {
    preview = await withProgress(t('partners.reading'), (onProgress) => api.applyBundle({ path, dry_run: true }, onProgress));
  } catch (e) {
    if (e.kind !== 'cancelled') showError(e);
    return null;
  }
  const decision = await previewDialog(preview);
  if (!decision) return null;
  try {
    const applied = await withProgress(t('partners.applying'), (onProgress) => api.applyBundle({ path, dry_run: false, ...decision }, onProgress));
    toast(applied.already_applied ? t('partners.alreadyApplied') : t('partners.applied', {
      name: applied.contact_name, events: applied.events_new + applied.events_changed, people: applied.people_new + applied.people_matched,
    }));
    return applied;
  } catch (e) {
    if (e.kind !== 'cancelled') showError(e);
    return null;
  }
}

function figure(n, label) {
  return h('div', { class: 'figure' }, h('span', { class: 'n' }, fmtNumber(n || 0)), h('span', { class: 'l' }, label));
}

/** The preview of a bundle; resolves to null (cancelled) or { ambiguous, resolutions } to apply. */
function previewDialog(p) {
  return modal(t('partners.previewTitle', { name: p.contact_name }), (close) => {
    const resolutions = {};
    const rows = (p.ambiguous || []).map((a) => {
      const select = h('select', { 'aria-label': t('import.decideFor', { name: a.name }) },
        h('option', { value: '' }, t('import.choose')),
        a.candidates.map((c) => h('option', { value: `person:${c.id}` }, [c.full_name, c.email, c.organisation_name].filter(Boolean).join(' · '))),
        h('option', { value: 'new' }, t('import.newPerson')),
        h('option', { value: 'skip' }, t('import.skipRow')));
      select.addEventListener('change', () => { resolutions[a.key] = select.value; update(); });
      return h('tr', {}, h('td', {}, a.name), h('td', { class: 'email' }, a.email || ''), h('td', {}, t(`partners.reason-${a.reason}`)), h('td', {}, select));
    });
    const applyButton = button(t('partners.applyNow'), () => {
      const list = Object.entries(resolutions).filter(([, v]) => v).map(([key, v]) => (v.startsWith('person:')
        ? { key, action: 'person', person_id: Number(v.slice(7)) } : { key, action: v }));
      close({ resolutions: list });
    }, 'primary');
    const pending = h('p', { class: 'hint', 'aria-live': 'polite' });
    const update = () => {
      const open = (p.ambiguous_total ?? rows.length) - Object.values(resolutions).filter(Boolean).length;
      applyButton.disabled = open > 0;
      pending.textContent = open > 0 ? t('import.pending', { n: open }) : '';
    };
    update();
    return [
      p.already_applied ? h('p', { class: 'hint' }, t('partners.alreadyApplied')) : null,
      facts([
        [t('partners.from'), `${p.contact_name} (${p.fingerprint})`],
        [t('partners.project'), p.project_name],
        [t('partners.pseudonymous'), p.pseudonymous ? t('common.yes') : t('common.no')],
      ]),
      h('div', { class: 'figures' },
        figure(p.events_new, t('partners.eventsNew')),
        figure(p.events_changed, t('partners.eventsChanged')),
        figure(p.attendances_new, t('partners.attendancesNew')),
        figure(p.people_new, t('partners.peopleNew')),
        figure(p.people_matched, t('partners.peopleMatched')),
        figure(p.ambiguous_total, t('partners.peopleToDecide')),
        figure(p.people_erased, t('partners.peopleErased'))),
      rows.length ? h('div', { class: 'table-wrap' }, h('table', { class: 'table decide' },
        h('caption', {}, t('partners.decide')),
        h('thead', {}, h('tr', {}, [t('partners.name'), t('person.email'), t('partners.reason'), t('partners.decision')].map((x) => h('th', {}, x)))),
        h('tbody', {}, rows))) : null,
      pending,
      h('div', { class: 'dialog-actions' }, button(t('common.cancel'), () => close(null)), applyButton),
    ];
  });
}
