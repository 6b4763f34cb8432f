// data.js: the "Your data" screen: where the database is, its health (check), backups (now, save as,
// restore), encryption at rest (encrypt, change passphrase, decrypt) and retention (erase people not
// seen since a date). Every action that replaces or removes data asks first.

import { api, job } from '../api.js';
import { t, fmtNumber, fmtDate, fmtDateTime } from '../i18n.js';
import { h, header, button, table, form, panel, facts, modal, withProgress, confirmDialog, toast, showError, replace } from '../lib/ui.js';
import { showUpdate } from '../lib/updates.js';
import { openActions } from '../lib/export.js';

/** The shortest passphrase the core accepts (rollcall_core::encryption::MIN_PASSPHRASE_CHARS). */
const MIN_PASSPHRASE_CHARS = 8;

/** Where a message waits for the reloaded window (a toast would vanish with the reload). */
const FLASH = 'rollcall.flash';

/**
 * Restarts the UI after the database was replaced or re-keyed, so every screen reads the new one;
 * `message` is shown once the screen is back.
 */
function reloadApp(message = null) {
  if (message) sessionStorage.setItem(FLASH, message);
  location.hash = '#/data';
  location.reload();
}

function fmtBytes(n) {
  return n >= 1 << 20 ? `${fmtNumber(Math.round(n / (1 << 20)))} MB` : `${fmtNumber(Math.max(1, Math.round(n / 1024)))} KB`;
}

/** Backup kinds: daily, manual, before-restore, before-restore-damaged, before-update, before-vN (a migration). */
function kindLabel(kind) {
  const migration = /^before-v(\d+)$/.exec(kind);
  if (migration) return t('backupKind.migration', { version: migration[1] });
  return ['daily', 'manual', 'before-restore', 'before-restore-damaged', 'before-update'].includes(kind) ? t(`backupKind.${kind}`) : kind;
}

/** A verified backup in the backups folder, now (the button and File > Back Up Now); true when made. */
export async function backupNow() {
  try {
    const b = await withProgress(t('data.backingUp'), (onProgress) => job('backup_now', {}, onProgress));
    toast(t('data.backedUp', { file: b.file_name }));
    return true;
  } catch (e) {
    if (e.kind !== 'cancelled') showError(e);
    return false;
  }
}

/** A verified backup where the user chooses (the button and File > Save a Backup As). */
export async function backupSaveAs() {
  const day = new Date().toISOString().slice(0, 10);
  const path = await api.saveFile({ defaultPath: `rollcall-backup-${day}.sqlite3`, filters: [{ name: t('data.backupFiles'), extensions: ['sqlite3'] }] });
  if (!path) return;
  try {
    const b = await withProgress(t('data.backingUp'), (onProgress) => job('backup_save', { path }, onProgress));
    toast(t('data.savedTo', { path: b.path }), 'ok', openActions(b.path, { open: false }));
  } catch (e) { if (e.kind !== 'cancelled') showError(e); }
}

export async function list(root) {
  const flash = sessionStorage.getItem(FLASH);
  if (flash) {
    sessionStorage.removeItem(FLASH);
    toast(flash);
  }
  const status = await api.status();
  const db = status.database || {};
  const checkBox = h('div', { id: 'check-result', 'aria-live': 'polite' });
  const backupsBox = h('div', {});

  const drawBackups = async () => {
    const backups = await api.backups();
    replace(backupsBox, table([
      { label: t('data.backupWhen'), cls: 'nowrap', cell: (b) => fmtDateTime(b.created_at) },
      { label: t('data.backupKind'), cell: (b) => kindLabel(b.kind) },
      { label: t('data.backupSize'), cls: 'num', cell: (b) => fmtBytes(b.bytes) },
      { label: t('data.backupFile'), cls: 'path', cell: (b) => b.file_name },
      { label: '', cls: 'actions', cell: (b) => button(t('data.restore'), () => restore(b.path, b.file_name), 'link') },
    ], backups, { empty: t('data.noBackups'), caption: t('data.backups') }));
  };

  const runCheck = async () => {
    try {
      const r = await withProgress(t('data.checking'), (onProgress) => job('safety_check', {}, onProgress));
      replace(checkBox, h('p', { class: r.ok ? 'ok' : 'form-error', role: r.ok ? 'status' : 'alert' }, r.summary));
    } catch (e) { if (e.kind !== 'cancelled') showError(e); }
  };

  const backupNowAndList = async () => { if (await backupNow()) await drawBackups(); };

  const restore = async (path, name) => {
    const ok = await confirmDialog({ title: t('data.restore'), message: t('data.restoreConfirm', { file: name }), confirm: t('data.restore'), danger: true });
    if (!ok) return;
    // An encrypted database stays encrypted: a plain backup is encrypted on its way in.
    const done = (report) => reloadApp(t(report && report.encrypted ? 'data.restoredEncrypted' : 'data.restored'));
    try {
      done(await api.restore(path));
    } catch (e) {
      if (e.kind === 'passphrase_required' || e.kind === 'wrong_passphrase') {
        const passphrase = await askPassphrase(t('data.backupPassphrase'), e.message);
        if (passphrase) {
          try { done(await api.restore(path, passphrase)); } catch (e2) { showError(e2); }
        }
      } else showError(e);
    }
  };

  const restoreFromFile = async () => {
    const path = await api.pickBackup();
    if (path) await restore(path, path.split(/[\\/]/).pop());
  };

  replace(root,
    header(t('data.title')),
    db.read_only ? h('div', { class: 'banner danger', role: 'alert' }, t('data.readOnly', { problem: db.problem || '' })) : null,
    panel(t('data.where'), facts([
      [t('data.path'), h('span', { class: 'path' }, status.database_path)],
      [t('data.schema'), status.schema_version == null ? null : String(status.schema_version)],
      [t('data.encrypted'), db.encrypted ? t('data.encryptedYes') : t('data.encryptedNo')],
      [t('data.latestBackup'), db.latest_backup ? fmtDateTime(db.latest_backup.created_at) : t('data.noBackups')],
    ]), h('p', { class: 'hint' }, t('data.promise'))),
    panel(t('data.health'),
      h('p', { class: 'hint' }, t('data.checkHint')),
      h('div', { class: 'row-actions' }, button(t('data.check'), runCheck, 'secondary')),
      checkBox),
    panel(t('data.backups'),
      h('p', { class: 'hint' }, t('data.backupsHint')),
      h('div', { class: 'row-actions' },
        button(t('data.backupNow'), backupNowAndList, 'primary'),
        button(t('data.backupSaveAs'), backupSaveAs, 'secondary'),
        button(t('data.restoreFile'), restoreFromFile, 'secondary')),
      backupsBox),
    panel(t('data.encryption'), encryptionBox(db.encrypted)),
    panel(t('data.retention'), retentionBox()),
    panel(t('data.updates'), await updatesBox()));
  await drawBackups();
}

/** A passphrase prompt; resolves to the passphrase or null. */
export function askPassphrase(title, message = null) {
  return modal(title, (close) => [
    message ? h('p', { class: 'form-error', role: 'alert' }, message) : null,
    form({
      fields: [{ name: 'passphrase', label: t('data.passphrase'), type: 'password', required: true }],
      submitLabel: t('common.confirm'),
      submit: async (v) => close(v.passphrase),
      onCancel: () => close(null),
    }),
  ], { wide: false });
}

/** Encrypt a plain database; change the passphrase of, or decrypt, an encrypted one. */
function encryptionBox(encrypted) {
  // Checked here, before any confirmation, with the core's own rule (MIN_PASSPHRASE_CHARS in
  // encryption.rs), which still checks again.
  const same = (v, a, b) => {
    const chars = [...(v[a] || '')].length;
    if (chars < MIN_PASSPHRASE_CHARS || !(v[a] || '').trim()) {
      throw Object.assign(new Error(t('data.passphraseShort', { n: MIN_PASSPHRASE_CHARS })), { kind: 'invalid', field: a });
    }
    if (v[a] !== v[b]) throw Object.assign(new Error(t('data.passphraseMismatch')), { kind: 'invalid', field: b });
  };
  if (!encrypted) {
    return [
      h('p', { class: 'hint' }, t('data.encryptHint')),
      form({
        fields: [
          { name: 'passphrase', label: t('data.newPassphrase'), type: 'password', required: true, autocomplete: 'new-password' },
          { name: 'confirm', label: t('data.confirmPassphrase'), type: 'password', required: true, autocomplete: 'new-password' },
        ],
        submitLabel: t('data.encrypt'),
        submit: async (v) => {
          same(v, 'passphrase', 'confirm');
          const ok = await confirmDialog({ title: t('data.encrypt'), message: t('data.encryptConfirm'), confirm: t('data.encrypt') });
          if (!ok) return;
          await withProgress(t('data.encrypting'), (onProgress) => api.encrypt(v.passphrase, onProgress), { bytes: true, cancellable: false, percentKey: 'job.percentDone' });
          toast(t('data.encryptedToast'));
          reloadApp();
        },
      }),
    ];
  }
  return [
    h('p', { class: 'hint' }, t('data.encryptedHint')),
    h('h3', {}, t('data.changePassphrase')),
    form({
      fields: [
        { name: 'old', label: t('data.currentPassphrase'), type: 'password', required: true, autocomplete: 'current-password' },
        { name: 'passphrase', label: t('data.newPassphrase'), type: 'password', required: true, autocomplete: 'new-password' },
        { name: 'confirm', label: t('data.confirmPassphrase'), type: 'password', required: true, autocomplete: 'new-password' },
      ],
      submitLabel: t('data.changePassphrase'),
      submit: async (v) => {
        same(v, 'passphrase', 'confirm');
        await withProgress(t('data.changingPassphrase'), (onProgress) => api.changePassphrase(v.old, v.passphrase, onProgress), { bytes: true, cancellable: false, percentKey: 'job.percentDone' });
        toast(t('data.passphraseChanged'));
        reloadApp();
      },
    }),
    h('h3', {}, t('data.decrypt')),
    form({
      fields: [{ name: 'passphrase', label: t('data.currentPassphrase'), type: 'password', required: true, autocomplete: 'current-password' }],
      submitLabel: t('data.decrypt'),
      submit: async (v) => {
        const ok = await confirmDialog({ title: t('data.decrypt'), message: t('data.decryptConfirm'), confirm: t('data.decrypt'), danger: true });
        if (!ok) return;
        await withProgress(t('data.decrypting'), (onProgress) => api.decrypt(v.passphrase, onProgress), { bytes: true, cancellable: false, percentKey: 'job.percentDone' });
        toast(t('data.decryptedToast'));
        reloadApp();
      },
    }),
  ];
}

/** Find people with no attendance since a date and erase them (after a confirmation). */
function retentionBox() {
  const result = h('div', { id: 'retention-result' });
  const find = form({
    fields: [{ name: 'before', label: t('data.retentionBefore'), type: 'date', required: true }],
    submitLabel: t('data.retentionFind'),
    submit: async (v) => {
      const people = await api.retentionCandidates(v.before);
      replace(result,
        h('p', {}, t('data.retentionFound', { n: people.length, date: fmtDate(v.before) })),
        people.length ? table([
          { label: t('person.name'), cell: (p) => h('a', { href: `#/people/${p.id}` }, p.full_name) },
          { label: t('person.organisation'), cell: (p) => p.organisation_name || '' },
          { label: t('data.lastEvent'), cell: (p) => (p.last_event ? fmtDate(p.last_event) : t('data.never')) },
        ], people.slice(0, 100), { caption: t('data.retention') }) : null,
        people.length > 100 ? h('p', { class: 'hint' }, t('data.andMore', { n: people.length - 100 })) : null,
        people.length ? button(t('data.retentionErase', { n: people.length }), async () => {
          const ok = await confirmDialog({ title: t('data.retention'), message: t('data.retentionConfirm', { n: people.length }), confirm: t('data.eraseConfirm'), danger: true });
          if (!ok) return;
          try {
            const s = await api.retentionErase(people.map((p) => p.id));
            toast(t('data.erased', { n: s.people }));
            replace(result);
          } catch (e) { showError(e); }
        }, 'danger') : null);
    },
  });
  return [h('p', { class: 'hint' }, t('data.retentionHint')), find, result];
}

/**
 * Update checks: on or off (off means Rollcall never contacts a server, which some users must be sure
 * of), and a check now (a request when pressed, unless checks are off) that says what it found and
 * opens the update's dialog.
 */
async function updatesBox() {
  const settings = await api.updatesSettings();
  const box = h('input', { type: 'checkbox', id: 'updates-enabled', checked: settings.enabled });
  const result = h('p', { class: 'hint', id: 'updates-result', 'aria-live': 'polite' });
  const check = button(t('data.updatesCheck'), async () => {
    check.disabled = true;
    try {
      const o = await api.updatesCheck(true);
      if (o.status === 'available') {
        // The same dialog as at start: what is new, then install (or where the package is).
        replace(result, t('data.updatesAvailable', { version: o.version }), ' ',
          button(t('updates.show'), () => showUpdate(o), 'secondary'));
      } else {
        result.textContent = t(`data.updates-${o.status}`);
      }
    } catch (e) {
      showError(e);
    } finally {
      check.disabled = !box.checked;
    }
  });
  check.disabled = !settings.enabled;
  box.addEventListener('change', async () => {
    try {
      const now = await api.updatesSetEnabled(box.checked);
      check.disabled = !now.enabled;
      toast(t(now.enabled ? 'data.updatesOn' : 'data.updatesOff'));
    } catch (e) {
      box.checked = !box.checked;
      showError(e);
    }
  });
  return [
    h('label', { class: 'check', for: 'updates-enabled' }, box, h('span', {}, t('data.updatesEnabled'))),
    h('p', { class: 'hint' }, t('data.updatesHint')),
    check,
    result,
  ];
}
