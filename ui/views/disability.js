// disability.js: a person's disability answers on their page (special-category data): the Washington
// Group short set (six domains, four answers each) or a plain yes / no / prefers not to say. The core
// stores them only under an open "disability data" consent, so the panel offers to record that first.

import { api } from '../api.js';
import { t } from '../i18n.js';
import { h, button, panel, facts, formDialog, confirmDialog, toast, showError } from '../lib/ui.js';

/** The consent purpose the core requires (rollcall-core's `disability::CONSENT_PURPOSE`). */
const CONSENT_PURPOSE = 'disability data';
const DOMAINS = ['seeing', 'hearing', 'walking', 'remembering', 'self_care', 'communicating'];
const ANSWERS = ['no_difficulty', 'some_difficulty', 'a_lot_of_difficulty', 'cannot_do_at_all'];
const PLAIN = ['yes', 'no', 'prefers_not_to_say'];

/** The panel for person `personId` with their `consents`; `reload` draws the page again. */
export async function disabilityPanel(personId, consents, reload) {
  const held = await api.disability(personId);
  const consented = consents.some((c) => c.purpose === CONSENT_PURPOSE && !c.withdrawn_on);
  const choose = (values, prefix) => [['', t('common.none')], ...values.map((v) => [v, t(`${prefix}${v}`)])];
  const edit = () => formDialog(t('disability.title'), {
    fields: [
      ...DOMAINS.map((d) => ({ name: d, label: t(`disability.domain.${d}`), type: 'select', options: choose(ANSWERS, 'disability.answer.') })),
      { name: 'answer', label: t('disability.plain'), type: 'select', options: choose(PLAIN, 'disability.plain.') },
    ],
    values: held || {},
    submit: async (v) => { const d = await api.setDisability(personId, v); toast(t('common.saved')); reload(); return d; },
  });
  const consent = async () => {
    try {
      await api.addConsent(personId, { purpose: CONSENT_PURPOSE, given_on: null, method: null });
      reload();
    } catch (e) { showError(e); }
  };
  const clear = async () => {
    if (!(await confirmDialog({ title: t('disability.clear'), message: t('disability.clearConfirm'), confirm: t('disability.clear'), danger: true }))) return;
    try { await api.clearDisability(personId); reload(); } catch (e) { showError(e); }
  };
  const body = !consented
    ? [h('p', { class: 'hint' }, t('disability.needsConsent')), button(t('disability.recordConsent'), consent)]
    : [
      held ? facts([
        [t('disability.status'), t(`disability.status.${held.status}`)],
        ...DOMAINS.filter((d) => held[d]).map((d) => [t(`disability.domain.${d}`), t(`disability.answer.${held[d]}`)]),
      ]) : h('p', { class: 'hint' }, t('disability.none')),
      h('div', { class: 'panel-actions' }, button(t('common.edit'), edit), held ? button(t('disability.clear'), clear, 'danger') : null),
    ];
  const el = panel(t('disability.title'), h('p', { class: 'hint' }, t('disability.hint')), body);
  el.id = 'disability-panel';
  return el;
}
