// projects.js: the Projects screens: the list, and a project's page with its partners and events.

import { api } from '../api.js';
import { t, fmtDate, fmtNumber, fmtLocalDateTime, countryName } from '../i18n.js';
import { h, header, button, table, pagedTable, form, formDialog, panel, facts, options, deleteWithConfirm, toast, showError, replace, organisationId } from '../lib/ui.js';
import { PROJECT_STATUSES, PARTNER_ROLES } from '../lib/constants.js';
import { eventForm } from './events.js';
import { rememberProject } from './reports.js';

export function projectFields() {
  return [
    { name: 'name', label: t('project.name'), required: true, wide: true },
    { name: 'code', label: t('project.code') },
    { name: 'donor', label: t('project.donor') },
    { name: 'start_date', label: t('project.start'), type: 'date' },
    { name: 'end_date', label: t('project.end'), type: 'date' },
    { name: 'status', label: t('project.status'), type: 'select', options: options(PROJECT_STATUSES, 'status.') },
    { name: 'description', label: t('project.description'), type: 'textarea', wide: true },
  ];
}

export async function list(root) {
  const projects = await api.projects();
  const newProject = () => formDialog(t('project.new'), {
    fields: projectFields(),
    values: { status: 'active' },
    submit: async (values) => {
      const p = await api.createProject(values);
      toast(t('project.created'));
      location.hash = `#/projects/${p.id}`;
      return p;
    },
  });
  replace(root,
    header(t('project.title'), button(t('project.new'), newProject, 'primary')),
    table([
      { label: t('project.name'), cell: (p) => h('a', { href: `#/projects/${p.id}` }, p.name) },
      { label: t('project.code'), cell: (p) => p.code || '' },
      { label: t('project.donor'), cell: (p) => p.donor || '' },
      { label: t('project.dates'), cell: (p) => dates(p) },
      { label: t('project.status'), cell: (p) => h('span', { class: `badge ${p.status}` }, t(`status.${p.status}`)) },
      { label: t('project.events'), cell: (p) => fmtNumber(p.events), cls: 'num' },
    ], projects, { onOpen: (p) => { location.hash = `#/projects/${p.id}`; }, caption: t('project.title'), empty: t('project.emptyList') }));
}

function dates(p) {
  if (!p.start_date && !p.end_date) return '';
  return `${fmtDate(p.start_date)} – ${fmtDate(p.end_date)}`;
}

export async function detail(root, id) {
  const [project, partners, events, organisations] = await Promise.all([
    api.project(id), api.partners(id), api.events(id), api.organisations(),
  ]);
  rememberProject(id);
  const reload = () => detail(root, id).catch(showError);

  const edit = () => formDialog(t('project.edit'), {
    fields: projectFields(),
    values: project,
    submit: async (values) => { const p = await api.updateProject(id, values); toast(t('common.saved')); reload(); return p; },
  });
  const remove = async () => {
    if (await deleteWithConfirm(project.name, (cascade) => api.deleteProject(id, cascade))) location.hash = '#/projects';
  };

  const partnerRows = table([
    { label: t('project.partnerOrg'), cell: (p) => h('a', { href: `#/organisations/${p.organisation_id}` }, p.organisation_name) },
    { label: t('org.country'), cell: (p) => (p.organisation_country ? countryName(p.organisation_country) : '') },
    { label: t('project.partnerRole'), cell: (p) => {
      const select = h('select', { 'aria-label': `${t('project.partnerRole')}: ${p.organisation_name}`, onchange: async () => {
        try { await api.setPartnerRole(p.id, select.value); toast(t('common.saved')); } catch (e) { showError(e); }
      } }, options(PARTNER_ROLES, 'partnerRole.').map(([v, l]) => h('option', { value: v }, l)));
      select.value = p.role;
      return select;
    } },
    { label: '', cls: 'actions', cell: (p) => button(t('common.remove'), async () => {
      try { await api.removePartner(p.id); reload(); } catch (e) { showError(e); }
    }, 'link') },
  ], partners, { empty: t('project.noPartners') });

  // A partner is picked by typing: an organisation already known, or a new one added on the spot.
  const available = organisations.filter((o) => !partners.some((p) => p.organisation_id === o.id));
  const addPartner = form({
    fields: [
      { name: 'organisation_id', label: t('project.partnerOrg'), type: 'organisation', organisations: available, required: true },
      { name: 'role', label: t('project.partnerRole'), type: 'select', options: options(PARTNER_ROLES, 'partnerRole.') },
    ],
    values: { role: 'partner' },
    submitLabel: t('project.addPartner'),
    submit: async (v) => {
      if (!v.organisation_id) throw Object.assign(new Error(t('error.rule.required')), { field: 'organisation_id' });
      const taken = partners.find((p) => p.organisation_name.toLocaleLowerCase() === v.organisation_id.toLocaleLowerCase());
      if (taken) throw Object.assign(new Error(t('project.alreadyPartner', { name: taken.organisation_name })), { field: 'organisation_id' });
      const organisationIdValue = await organisationId(v.organisation_id, available, api.createOrganisation);
      await api.addPartner({ project_id: id, organisation_id: organisationIdValue, role: v.role });
      toast(t('project.partnerAdded'));
      // The page is drawn again; focus goes back to the partner form instead of dropping to the page.
      await detail(root, id).catch(showError);
      const next = root.querySelector('[name=organisation_id]') || root.querySelector('table.data a');
      if (next) next.focus();
    },
  });

  const newEvent = () => formDialog(t('event.new'), {
    ...eventForm([project], { project_id: id }),
    submit: async (values) => {
      const e = await api.createEvent({ ...values, project_id: Number(values.project_id) });
      location.hash = `#/events/${e.id}`;
      return e;
    },
  });

  replace(root,
    h('p', { class: 'crumbs' }, h('a', { href: '#/projects' }, t('project.title'))),
    header(project.name, h('a', { href: `#/reports/${id}`, class: 'button-link' }, t('project.report')), button(t('common.edit'), edit), button(t('common.delete'), remove, 'danger')),
    panel(null, facts([
      [t('project.code'), project.code],
      [t('project.donor'), project.donor],
      [t('project.dates'), dates(project)],
      [t('project.status'), t(`status.${project.status}`)],
      [t('project.description'), project.description],
    ])),
    panel(t('project.partners'), partnerRows, addPartner),
    panel(t('project.events'),
      h('div', { class: 'panel-actions' }, button(t('event.new'), newEvent, 'primary')),
      // 100 rows at a time, as every long list: the full stress database's project has 2,000 events.
      pagedTable([
        { label: t('event.when'), cell: (e) => fmtLocalDateTime(e.starts_at) },
        { label: t('event.name'), cell: (e) => h('a', { href: `#/events/${e.id}` }, e.title) },
        { label: t('event.kind'), cell: (e) => t(`eventKind.${e.kind}`) },
        { label: t('event.attended'), cell: (e) => fmtNumber(e.attended), cls: 'num' },
      ], events, { empty: t('project.noEventsNext'), onOpen: (e) => { location.hash = `#/events/${e.id}`; } })));
}
