// updates.js: a new version of Rollcall, as the window shows it. Its notes, version and date in a
// dialog the user accepts or postpones; then the download with its progress and a Cancel, the signature
// check, a verified backup of the data and the install, after which the shell restarts the app. Any
// failure or a cancel changes nothing, and the dialog says so in plain words. Where the updater cannot
// replace this installation (a .deb or .rpm without an administrator prompt, a copy built from source),
// the dialog says so and shows where the new package is instead; the shell makes that happen once per
// version. The order of the steps and every check live in the shell (src-tauri/src/updates.rs).

import { api, job, listen } from '../api.js';
import { t, fmtDate, fmtNumber } from '../i18n.js';
import { h, button, openDialog, dialogOpen, toast } from './ui.js';

/** How long after the first screen the day's check starts, so it never slows that screen down. */
const AFTER_START_MS = 1000;
/** While another dialog is open (an import, a confirmation), the update waits this long and looks again. */
const RETRY_MS = 2000;

/** The catalogue's words for each refusal the shell can give, by its error code. */
const FAILURES = {
  update_signature: 'updates.refused',
  update_download_failed: 'updates.downloadFailed',
  update_backup_failed: 'updates.backupFailed',
  update_install_failed: 'updates.installFailed',
  update_wrong_package: 'updates.wrongPackage',
  update_by_hand: 'updates.byHandFailed',
  update_not_downloaded: 'updates.notDownloaded',
  update_busy: 'updates.busy',
  no_update: 'updates.gone',
};

let started = false;

/**
 * Once the window is usable (an open database: not locked, not failed), once per page: the shell checks
 * at most once a day, never when checks are off, and says whether a version found is to be shown now.
 * A failed check stays quiet (the shell logs it and tries again the next day).
 */
export function checkAtStart() {
  if (started) return;
  started = true;
  setTimeout(async () => {
    let outcome;
    try {
      outcome = await api.updatesCheck();
    } catch (_) {
      return;
    }
    if (outcome.status === 'available' && outcome.announce) whenNoDialog(() => showUpdate(outcome));
  }, AFTER_START_MS);
}

function whenNoDialog(show) {
  if (dialogOpen()) setTimeout(() => whenNoDialog(show), RETRY_MS);
  else show();
}

function size(bytes) {
  return bytes >= 1 << 20 ? `${fmtNumber(Math.round((10 * bytes) / (1 << 20)) / 10)} MB` : `${fmtNumber(Math.ceil(bytes / 1024))} KB`;
}

function failureText(e, version) {
  if (e.kind === 'cancelled') return t('updates.cancelled');
  const key = FAILURES[e.code];
  return key ? t(key, { version }) : e.message;
}

/** Where the new package is: the address, selectable, with a button that copies it. */
function pageField(page) {
  const field = h('input', { type: 'text', id: 'update-page', class: 'update-page', readOnly: true, value: page, 'aria-label': t('updates.pageLabel') });
  field.addEventListener('focus', () => field.select());
  const copy = button(t('updates.copy'), async () => {
    try {
      await navigator.clipboard.writeText(page);
      toast(t('updates.copied'));
    } catch (_) {
      field.focus();
    }
  }, 'secondary');
  return h('div', { class: 'update-page-row' }, field, copy);
}

/** What this installation needs instead of the in-app install: the package from the release page. */
function byHand(u) {
  const why = u.install === 'by_hand' ? 'updates.byHand' : u.kind === 'rpm' ? 'updates.packageManagerRpm' : 'updates.packageManagerDeb';
  return [
    h('p', { id: 'update-by-hand' }, t(why, { version: u.version })),
    u.page ? pageField(u.page) : h('p', {}, t('updates.seeReleases')),
    u.install === 'package_manager' ? h('p', { class: 'hint' }, t(u.kind === 'rpm' ? 'updates.howRpm' : 'updates.howDeb')) : null,
    h('p', { class: 'hint' }, t('updates.saidOnce')),
  ];
}

/**
 * The dialog for the update `u` (an `available` outcome of api.updatesCheck): from the start of the
 * day's check, or from "Your data".
 */
export function showUpdate(u) {
  const inApp = u.install === 'in_app';
  const status = h('p', { id: 'update-status', role: 'status', 'aria-live': 'polite' });
  const bar = h('progress', { id: 'update-progress', max: 1, value: 0, hidden: true, 'aria-label': t('updates.downloading') });
  const counter = h('p', { class: 'hint', id: 'update-progress-text' });
  const actions = h('div', { class: 'dialog-actions' });
  const box = h('div', { class: 'dialog wide', id: 'update-dialog', role: 'dialog', 'aria-modal': 'true', 'aria-labelledby': 'update-title' },
    h('h2', { id: 'update-title' }, t('updates.title', { version: u.version })),
    u.date ? h('p', { class: 'hint', id: 'update-date' }, t('updates.published', { date: fmtDate(u.date) })) : null,
    h('h3', {}, t('updates.whatsNew')),
    h('div', { class: 'update-notes', id: 'update-notes' }, u.notes && u.notes.trim() ? u.notes : t('updates.noNotes')),
    inApp ? h('p', { class: 'hint' }, t('updates.steps')) : byHand(u),
    bar, counter, status, actions);

  // Busy while downloading (Escape cancels) and while backing up and installing (Escape does nothing).
  let phase = 'offer';
  let unlisten = null;
  const close = openDialog(box, () => {
    if (phase === 'download') cancel.click();
    else if (phase !== 'install') done();
  });
  function done() {
    if (unlisten) unlisten.then((off) => off());
    // Closed without installing: not offered again this session.
    api.updatesPostpone().catch(() => {});
    close();
  }
  const setActions = (...buttons) => {
    actions.replaceChildren(...buttons);
    if (buttons.length) buttons[buttons.length - 1].focus();
  };

  function showProgress(received, total) {
    bar.hidden = false;
    if (total) {
      bar.max = total;
      bar.value = received;
      counter.textContent = t('updates.progress', { received: size(received), total: size(total), percent: fmtNumber(Math.floor((100 * received) / total)) });
    } else {
      bar.removeAttribute('value');
      counter.textContent = t('updates.received', { received: size(received) });
    }
  }

  function failed(e) {
    phase = 'failed';
    status.className = e.kind === 'cancelled' ? 'hint' : 'form-error';
    status.textContent = failureText(e, u.version);
    setActions(button(t('common.close'), done, 'primary'));
  }

  const cancel = button(t('common.cancel'), () => {
    cancel.disabled = true;
    status.textContent = t('updates.cancelling');
    api.updatesCancel().catch(() => {});
  });

  async function accept() {
    phase = 'download';
    status.className = '';
    status.textContent = t('updates.downloading');
    showProgress(0, 0);
    setActions(cancel);
    // Progress events stay heard until the dialog closes: the last one may arrive after the answer.
    unlisten = listen('update-progress', (p) => { if (p.version === u.version) showProgress(p.received, p.total); });
    await unlisten;
    let downloaded;
    try {
      downloaded = await api.updatesDownload();
    } catch (e) {
      failed(e);
      return;
    }
    showProgress(downloaded.bytes, downloaded.bytes);
    phase = 'install';
    setActions();
    status.textContent = t('updates.installing');
    try {
      await job('updates_install', {}).result;
      // The shell restarts Rollcall now; this is shown only until it does.
      status.textContent = t('updates.restarting', { version: u.version });
    } catch (e) {
      failed(e);
    }
  }

  if (inApp) {
    setActions(
      button(t('updates.postpone'), () => { done(); toast(t('updates.postponed')); }, 'secondary'),
      button(t('updates.install'), accept, 'primary'));
  } else {
    setActions(button(t('common.close'), done, 'primary'));
  }
}
