// organisations.js: the Organisations screens: a searchable list and an organisation's page.

import { api } from '../api.js';
import { t, fmtNumber, fmtDate, countryName } from '../i18n.js';
import { h, header, button, table, pagedTable, formDialog, panel, facts, options, deleteWithConfirm, toast, showError, replace } from '../lib/ui.js';
import { ORG_KINDS } from '../lib/constants.js';

function fields() {
  return [
    { name: 'name', label: t('org.name'), required: true, wide: true },
    { name: 'short_name', label: t('org.shortName') },
    { name: 'country', label: t('org.country'), type: 'country' },
    { name: 'kind', label: t('org.kind'), type: 'select', options: options(ORG_KINDS, 'orgKind.') },
    { name: 'website', label: t('org.website'), placeholder: 'https://' },
    { name: 'notes', label: t('org.notes'), type: 'textarea', wide: true },
  ];
}

export async function list(root) {
  const results = h('div', {});
  const search = h('input', { type: 'search', placeholder: t('common.search'), 'aria-label': t('common.search'), class: 'search' });
  const draw = async () => {
    const orgs = await api.organisations(search.value.trim() || null);
    // 100 rows at a time, as every long list: the full stress database has 2,000 organisations.
    replace(results, pagedTable([
      { label: t('org.name'), cell: (o) => h('a', { href: `#/organisations/${o.id}` }, o.name) },
      { label: t('org.shortName'), cell: (o) => o.short_name || '' },
      { label: t('org.country'), cell: (o) => o.country || '' },
      { label: t('org.kind'), cell: (o) => t(`orgKind.${o.kind}`) },
      { label: t('org.people'), cell: (o) => fmtNumber(o.people), cls: 'num' },
    ], orgs, { onOpen: (o) => { location.hash = `#/organisations/${o.id}`; }, caption: t('org.title'), empty: t(search.value.trim() ? 'org.noMatch' : 'org.emptyList') }));
  };
  search.addEventListener('input', () => draw().catch(showError));
  const create = () => formDialog(t('org.new'), {
    fields: fields(),
    values: { kind: 'ngo' },
    submit: async (v) => { const o = await api.createOrganisation(v); toast(t('common.saved')); draw(); return o; },
  });
  replace(root, header(t('org.title'), button(t('org.new'), create, 'primary')), h('div', { class: 'toolbar' }, search), results);
  await draw();
}

export async function detail(root, id) {
  const org = await api.organisation(id);
  const [people, participation] = await Promise.all([
    api.people({ organisation_id: id, limit: 200, offset: 0 }),
    api.reportOrganisation(id),
  ]);
  const reload = () => detail(root, id).catch(showError);
  const edit = () => formDialog(t('org.edit'), {
    fields: fields(),
    values: org,
    submit: async (v) => { const o = await api.updateOrganisation(id, v); toast(t('common.saved')); reload(); return o; },
  });
  const remove = async () => {
    if (await deleteWithConfirm(org.name, (cascade) => api.deleteOrganisation(id, cascade))) location.hash = '#/organisations';
  };
  replace(root,
    h('p', { class: 'crumbs' }, h('a', { href: '#/organisations' }, t('org.title'))),
    header(org.name, button(t('common.edit'), edit), button(t('common.delete'), remove, 'danger')),
    panel(null, facts([
      [t('org.shortName'), org.short_name],
      [t('org.country'), org.country ? countryName(org.country) : null],
      [t('org.kind'), t(`orgKind.${org.kind}`)],
      [t('org.website'), org.website],
      [t('org.notes'), org.notes],
    ])),
    panel(t('org.projects'), table([
      { label: t('event.project'), cell: (p) => h('a', { href: `#/projects/${p.project_id}` }, p.project_name) },
      { label: t('project.partnerRole'), cell: (p) => t(`partnerRole.${p.role}`) },
    ], org.partnerships, { empty: t('org.noProjects') })),
    panel(`${t('org.people')} (${fmtNumber(people.total)})`, table([
      { label: t('person.name'), cell: (p) => h('a', { href: `#/people/${p.id}` }, p.full_name) },
      { label: t('person.email'), cls: 'email', cell: (p) => p.email || '' },
      { label: t('person.events'), cell: (p) => fmtNumber(p.events_attended), cls: 'num' },
    ], people.items)),
    // Which of its people came to what: the organisation participation report.
    panel(t('org.participation'),
      h('p', { class: 'hint' }, t('org.participationSummary', {
        people: participation.people, events: participation.events, attendances: participation.attendances,
      })),
      table([
        { label: t('event.when'), cell: (r) => fmtDate(r.date) },
        { label: t('event.name'), cell: (r) => h('a', { href: `#/events/${r.event_id}` }, r.event_title) },
        { label: t('event.project'), cell: (r) => r.project_name },
        { label: t('person.name'), cell: (r) => h('a', { href: `#/people/${r.person_id}` }, r.name) },
        { label: t('attendance.role'), cell: (r) => t(`role.${r.role}`) },
        { label: t('attendance.status'), cell: (r) => t(`attStatus.${r.status}`) },
        { label: t('attendance.minutes'), cls: 'num', cell: (r) => (r.minutes == null ? '' : fmtNumber(r.minutes)) },
      ], participation.rows.slice(0, 500), { empty: t('org.noParticipation'), caption: t('org.participation') })));
}
