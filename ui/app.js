// app.js: starts the UI: checks the database, offers the sample data on first run, draws the sidebar
// and routes #/section/id addresses to the views.

import { api, listen } from './api.js';
import { fillVocabulary } from './lib/constants.js';
import { h, replace } from './lib/dom.js';
import { t, lang, languages, setLanguage, onLanguageChange, errorText, fmtPercent } from './i18n.js';
import { showError, button, toast, form, dialogOpen } from './lib/ui.js';
import * as projects from './views/projects.js';
import * as events from './views/events.js';
import * as people from './views/people.js';
import * as organisations from './views/organisations.js';
import * as reports from './views/reports.js';
import * as data from './views/data.js';
import * as partners from './views/partners.js';
import { checkAtStart as checkForUpdates } from './lib/updates.js';

// Each section's glyph stands for it when the sidebar is collapsed (drawn by CSS, so it is never part of
// the link's text).
const sections = [
  { route: 'projects', label: 'nav.projects', view: projects, icon: '▦' },
  { route: 'events', label: 'nav.events', view: events, icon: '◷' },
  { route: 'people', label: 'nav.people', view: people, icon: '☺' },
  { route: 'organisations', label: 'nav.organisations', view: organisations, icon: '⌂' },
  { route: 'reports', label: 'nav.reports', view: reports, icon: '▤' },
  { route: 'partners', label: 'nav.partners', view: partners, icon: '⇄' },
  { route: 'data', label: 'nav.data', view: data, icon: '⛁' },
];

const main = document.getElementById('main');

function parseRoute() {
  const parts = location.hash.replace(/^#\/?/, '').split('/').filter(Boolean);
  return { section: parts[0] || 'projects', id: parts[1] ? Number(parts[1]) : null, rest: parts.slice(2) };
}

function drawNav(active) {
  const nav = document.getElementById('nav');
  const blocked = locked || failed;
  nav.classList.toggle('locked-nav', !!blocked);
  replace(nav, sections.map((s) => h('li', {},
    h('a', { href: `#/${s.route}`, class: s.route === active ? 'active' : '', 'aria-current': s.route === active ? 'page' : null,
      'aria-disabled': blocked ? 'true' : null, onclick: blocked ? lockedClick : null, title: t(s.label), dataset: { icon: s.icon } },
    h('span', { class: 'nav-label' }, t(s.label))))));
  drawToggle();
}

// The sidebar collapses to its glyphs (remembered), leaving the narrow window's width to the screen.
const COLLAPSED = 'rollcall.sidebar.collapsed';

function collapsed() {
  try {
    return localStorage.getItem(COLLAPSED) === 'true';
  } catch (_) {
    return false;
  }
}

function drawToggle() {
  const on = collapsed();
  document.body.classList.toggle('sidebar-collapsed', on);
  let toggle = document.getElementById('sidebar-toggle');
  if (!toggle) {
    toggle = h('button', { type: 'button', id: 'sidebar-toggle', class: 'sidebar-toggle', 'aria-controls': 'nav' });
    toggle.addEventListener('click', () => {
      try {
        localStorage.setItem(COLLAPSED, String(!collapsed()));
      } catch (_) { /* not remembered */ }
      drawToggle();
    });
    document.querySelector('.brand').append(toggle);
  }
  toggle.setAttribute('aria-expanded', String(!on));
  toggle.setAttribute('aria-label', t(on ? 'nav.expand' : 'nav.collapse'));
  toggle.title = t(on ? 'nav.expand' : 'nav.collapse');
  toggle.textContent = on ? '»' : '«';
}

// While an encrypted database waits for its passphrase, the window shows only the unlock screen: the
// sidebar's links, any address and the menu's items (all but Quit) lead back to it.
let locked = null;
// Likewise a database that could not be opened (a foreign or truncated file): its error stays on screen.
let failed = null;

function lockedClick(e) {
  e.preventDefault();
  lockedNotice();
}

function lockedNotice() {
  if (failed) {
    toast(t('welcome.dbErrorFirst'), 'error');
    if (!main.querySelector('#db-error')) databaseError(failed);
    return;
  }
  toast(t('unlock.first'), 'error');
  const input = main.querySelector('#unlock input');
  if (input) input.focus();
  else if (locked) unlockScreen(locked);
}

let renderToken = 0;

async function route() {
  if (locked) {
    // Any address while locked: the unlock screen stays (and is drawn again if something replaced it).
    renderToken++;
    if (!main.querySelector('#unlock')) unlockScreen(locked);
    document.body.dataset.shown = '#/unlock';
    return;
  }
  if (failed) {
    renderToken++;
    if (!main.querySelector('#db-error')) databaseError(failed);
    document.body.dataset.shown = '#/db-error';
    return;
  }
  const { section, id, rest } = parseRoute();
  const entry = sections.find((s) => s.route === section) || sections[0];
  drawNav(entry.route);
  const token = ++renderToken;
  const container = h('div', { class: 'view' });
  replace(main, h('p', { class: 'loading' }, t('common.loading')));
  try {
    if (id) await entry.view.detail(container, id, rest);
    else await entry.view.list(container);
    // A slower earlier render must not overwrite the screen the user has moved on to.
    if (token === renderToken) replace(main, container);
    // Marks which screen is fully drawn (the end-to-end tests wait for it).
    if (token === renderToken) document.body.dataset.shown = location.hash;
  } catch (e) {
    if (token === renderToken) replace(main, h('div', { class: 'view' }, h('p', { class: 'form-error' }, e.message || String(e))));
  }
  if (token === renderToken && document.activeElement === document.body) main.focus({ preventScroll: true });
}

function welcome(status) {
  const view = h('div', { class: 'view welcome' },
    h('h1', {}, t('welcome.title')),
    h('p', { class: 'lead' }, t('welcome.text')),
    h('div', { class: 'welcome-actions' },
      h('div', { class: 'choice' },
        button(t('welcome.sample'), async (e) => {
          e.target.disabled = true;
          try {
            const s = await api.loadSampleData();
            toast(t('welcome.loaded', s));
            location.hash = '#/projects';
            await route();
          } catch (err) {
            e.target.disabled = false;
            showError(err);
          }
        }, 'primary big'),
        h('p', { class: 'hint' }, t('welcome.sampleHint'))),
      h('div', { class: 'choice' },
        button(t('welcome.empty'), () => { location.hash = '#/projects'; route(); }, 'big'))),
    h('p', { class: 'hint path' }, t('welcome.dbPath', { path: status.database_path })));
  replace(main, view);
}

/** An encrypted database waits for its passphrase; a wrong one says so next to the field. */
function unlockScreen(status) {
  replace(main, h('div', { class: 'view welcome', id: 'unlock' },
    h('h1', {}, t('unlock.title')),
    h('p', { class: 'lead' }, t('unlock.text')),
    form({
      fields: [{ name: 'passphrase', label: t('data.passphrase'), type: 'password', required: true }],
      submitLabel: t('unlock.open'),
      submit: async (v) => {
        try {
          await api.unlock(v.passphrase || '');
        } catch (e) {
          e.field = 'passphrase';
          throw e;
        }
        // Today's backup (and check) can start now that the database is open.
        api.startMaintenance().catch(() => {});
        locked = null;
        document.body.removeAttribute('data-locked');
        start();
      },
    }),
    h('p', { class: 'hint path' }, t('welcome.dbPath', { path: status.database_path }))));
  main.querySelector('input').focus();
}

/** A database found damaged at open is read-only until a backup is restored; every screen says so. */
function readOnlyBanner(status) {
  const old = document.getElementById('read-only-banner');
  if (old) old.remove();
  if (!status.database || !status.database.read_only) return;
  const nav = document.getElementById('nav');
  nav.before(h('div', { class: 'banner danger', id: 'read-only-banner', role: 'alert' },
    t('data.readOnly', { problem: status.database.problem || '' }), ' ',
    h('a', { href: '#/data' }, t('nav.data'))));
}

function databaseError(status) {
  replace(main, h('div', { class: 'view welcome', id: 'db-error' },
    h('h1', {}, t('welcome.dbError')),
    h('p', { class: 'form-error', role: 'alert' }, errorText(status.open_error)),
    h('p', {}, t('welcome.dbErrorNext')),
    h('p', { class: 'hint path' }, t('welcome.dbPath', { path: status.database_path }))));
}

/** The native menu's items arrive as `menu` events (see src-tauri/src/menu.rs). */
function onMenu(id) {
  if (locked || failed) { lockedNotice(); return; }
  if (dialogOpen()) return;
  if (id === 'backup_now') {
    data.backupNow().then((made) => { if (made && location.hash === '#/data') route(); });
  } else if (id === 'backup_save') {
    data.backupSaveAs().catch(showError);
  } else if (id === 'open_data') {
    location.hash = '#/data';
  }
}

/** The native menu in the window's language (the shell builds it in English until this arrives). */
function relabelMenu() {
  api.menuLabels({
    file: t('menu.file'),
    backup_now: t('menu.backupNow'),
    backup_save: t('menu.backupSave'),
    open_data: t('menu.openData'),
    quit: t('menu.quit'),
    edit: t('menu.edit'),
    undo: t('menu.undo'),
    redo: t('menu.redo'),
    cut: t('menu.cut'),
    copy: t('menu.copy'),
    paste: t('menu.paste'),
    select_all: t('menu.selectAll'),
  }).catch(() => {});
}

/** The sidebar's foot: the language picker (each language named in itself) and the version. */
function drawFoot(version) {
  const id = 'language-picker';
  const picker = h('select', { id, class: 'language-picker', 'aria-label': t('lang.label') },
    languages.map((l) => h('option', { value: l.code, lang: l.code, selected: l.code === lang }, l.name)));
  picker.addEventListener('change', () => setLanguage(picker.value));
  replace(document.getElementById('sidebar-foot'),
    h('p', { class: 'maintenance-status', id: 'maintenance-status', role: 'status' }),
    h('label', { class: 'language', for: id }, h('span', { class: 'language-label' }, t('lang.label')), picker),
    h('span', { class: 'version' }, `v${version}`));
  drawMaintenance();
}

// The day's backup runs after the first paint, on its own connection; the foot of the sidebar says how
// far it has got, then that it is made (for a few seconds). `backup` is the last `maintenance-progress`
// payload ({done, total} in bytes), 'done' at the end, or null when there is nothing to say.
let backup = null;
let backupCleared = 0;

function drawMaintenance() {
  const status = document.getElementById('maintenance-status');
  if (!status) return;
  if (backup === 'done') status.textContent = t('maintenance.done');
  else if (backup && backup.total > 0 && backup.done >= backup.total) status.textContent = t('maintenance.checking');
  else if (backup) status.textContent = t('maintenance.copying', { percent: fmtPercent(backup.total ? backup.done / backup.total : 0, true) });
  else status.textContent = '';
  status.hidden = !backup;
}

function onMaintenance(m) {
  if (m && m.problem) {
    location.reload();
    return;
  }
  backup = m && m.backup ? 'done' : null;
  drawMaintenance();
  // "Your data", drawn before the day's backup was made, would still say "No backups yet": it is drawn
  // again, unless the user has started typing in it.
  const typing = [...document.querySelectorAll('main input')].some((i) => i.value && i.type !== 'checkbox');
  if (backup && location.hash.startsWith('#/data') && !typing && !document.querySelector('.overlay')) route();
  clearTimeout(backupCleared);
  if (backup) backupCleared = setTimeout(() => { backup = null; drawMaintenance(); }, 6000);
}

let version = '';

// A new language redraws everything on screen at once: the static texts, the sidebar, the menu and the
// current screen (or the unlock screen), without a restart. A dialog that is open keeps its words until
// it closes.
onLanguageChange(() => {
  document.getElementById('skip-link').textContent = t('app.skip');
  document.title = t('app.name');
  drawFoot(version);
  relabelMenu();
  if (locked) {
    drawNav(null);
    unlockScreen(locked);
  } else if (failed) {
    drawNav(null);
    databaseError(failed);
  } else if (document.querySelector('.welcome-actions')) {
    drawNav(null);
    api.status().then(welcome).catch(showError);
  } else {
    route();
  }
  toast(t('lang.changed'));
  document.getElementById('language-picker').focus();
});

async function start() {
  document.getElementById('skip-link').textContent = t('app.skip');
  document.title = t('app.name');
  window.addEventListener('hashchange', route);
  // start() runs again after an encrypted database is unlocked; what follows is set up once.
  const first = !start.started;
  start.started = true;
  // The domain's lists (roles, kinds, categories) come from the core before any screen uses them.
  if (first) fillVocabulary(await api.vocabulary());
  if (first) relabelMenu();
  if (first) listen('menu', onMenu).catch(() => {});
  // Today's full check runs after the first paint; damage found then reopens the database read-only,
  // and the window starts again to show the banner.
  if (first) listen('maintenance', onMaintenance).catch(() => {});
  if (first) listen('maintenance-progress', (p) => { backup = p; drawMaintenance(); }).catch(() => {});
  let status;
  try {
    status = await api.status();
  } catch (e) {
    replace(main, h('p', { class: 'form-error' }, e.message));
    return;
  }
  version = status.version;
  drawFoot(version);
  readOnlyBanner(status);
  if (status.locked) {
    locked = status;
    document.body.dataset.locked = 'true';
    drawNav(null);
    unlockScreen(status);
    document.body.dataset.shown = '#/unlock';
  } else if (status.open_error) {
    failed = status;
    drawNav(null);
    databaseError(status);
    document.body.dataset.shown = '#/db-error';
  } else if (status.empty && !location.hash) {
    drawNav(null);
    welcome(status);
  } else {
    await route();
  }
  // Tells the shell the first screen is drawn, after the browser has painted it (for the log and the
  // first-paint benchmark).
  if (first) requestAnimationFrame(() => setTimeout(() => api.ready().catch(() => {}), 0));
  // The day's update check, once the window is usable: not while it waits for a passphrase or shows a
  // database that could not be opened (after an unlock, start() runs again and gets here).
  if (!status.locked && !status.open_error) checkForUpdates();
}

start();
