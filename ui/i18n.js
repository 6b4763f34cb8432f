// i18n.js: every text the UI shows comes from a catalogue in ui/locales/, so a language is one more file
// there and no view changes. The language is the one chosen in the window (remembered), else the
// system's; dates, numbers and plural forms follow it. Changing it redraws the window without a restart.

import en from './locales/en.js';
import uk from './locales/uk.js';
import ka from './locales/ka.js';
import ro from './locales/ro.js';
import ru from './locales/ru.js';

export const catalogues = { en, uk, ka, ro, ru };
/** The languages offered, each named in itself (a user who cannot read English must still find theirs). */
export const languages = [
  { code: 'en', name: 'English' },
  { code: 'uk', name: 'Українська' },
  { code: 'ka', name: 'ქართული' },
  { code: 'ro', name: 'Română' },
  { code: 'ru', name: 'Русский' },
];

const CHOSEN = 'rollcall.language';

/** The system's language when it is one of ours, else English. */
export function systemLanguage(tags = navigator.languages && navigator.languages.length ? navigator.languages : [navigator.language || 'en']) {
  for (const tag of tags) {
    const base = String(tag).toLowerCase().split(/[-_]/)[0];
    if (catalogues[base]) return base;
  }
  return 'en';
}

function chosenLanguage() {
  try {
    const saved = localStorage.getItem(CHOSEN);
    if (saved && catalogues[saved]) return saved;
  } catch (_) { /* storage unavailable: use the system's language */ }
  return systemLanguage();
}

/**
 * The system's own locale, whatever the UI language: what a spreadsheet on this computer expects (its
 * decimal comma decides the CSV delimiter). A system without a locale (LANG=C) falls back to English.
 */
export const systemLocale = (() => {
  try {
    return Intl.getCanonicalLocales(navigator.language || 'en')[0];
  } catch (_) {
    return 'en';
  }
})();

/** The UI language's code (en, uk, ka, ro, ru). A live binding: it changes with setLanguage. */
export let lang = 'en';
/** The locale for dates and numbers: the UI language (so a Ukrainian window shows Ukrainian dates). */
export let locale = 'en';
let messages = en;
let pluralRules;
let numberFormat;
let dateFormat;
let dateTimeFormat;
let instantFormat;
let percentFormat;
let percentWhole;
let regionNames;

function apply(code) {
  lang = catalogues[code] ? code : 'en';
  locale = lang;
  messages = catalogues[lang];
  pluralRules = new Intl.PluralRules(locale);
  numberFormat = new Intl.NumberFormat(locale);
  percentFormat = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 });
  percentWhole = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 });
  dateFormat = new Intl.DateTimeFormat(locale, { dateStyle: 'medium' });
  dateTimeFormat = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' });
  instantFormat = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
  try {
    regionNames = new Intl.DisplayNames(locale, { type: 'region' });
  } catch (_) {
    regionNames = null;
  }
  document.documentElement.lang = lang;
}
apply(chosenLanguage());

/**
 * Runs `fn` with the UI language set to `code` for its duration (synchronously, nothing redrawn): the
 * words an export is written in can be English while the window speaks another language.
 */
export function withLanguage(code, fn) {
  const was = lang;
  if (code === was || !catalogues[code]) return fn();
  apply(code);
  try {
    return fn();
  } finally {
    apply(was);
  }
}

const listeners = [];
/** Calls `fn(lang)` after every change of language (the app redraws its screen and menu). */
export function onLanguageChange(fn) {
  listeners.push(fn);
}

/** Switches the UI language at once and remembers it for the next start. */
export function setLanguage(code) {
  if (!catalogues[code]) return;
  try {
    localStorage.setItem(CHOSEN, code);
  } catch (_) { /* not remembered, but still applied */ }
  if (code === lang) return;
  apply(code);
  listeners.forEach((fn) => fn(lang));
}

// `{n, plural, one {# day} other {# days}}`: the branch for the count's plural category in this language
// (Intl.PluralRules), `=0` style exact matches first, `#` replaced by the formatted count. Branches may
// hold `{name}` placeholders but no nested plurals.
const PLURAL = /\{(\w+), plural,((?:\s*=?\w+\s*\{[^{}]*(?:\{\w+\}[^{}]*)*\})+)\s*\}/g;
const BRANCH = /\s*(=?\w+)\s*\{([^{}]*(?:\{\w+\}[^{}]*)*)\}/g;

function plural(name, branches, params) {
  const count = Number(params[name]);
  const forms = {};
  for (const [, key, text] of branches.matchAll(BRANCH)) forms[key] = text;
  const text = forms[`=${count}`] ?? forms[pluralRules.select(count)] ?? forms.other ?? '';
  return text.replace(/#/g, Number.isFinite(count) ? numberFormat.format(count) : String(params[name]));
}

/** The plural blocks of a message: [{name, forms: [category…]}] (for the catalogue checks). */
export function pluralBlocks(template) {
  return [...template.matchAll(PLURAL)].map(([, name, branches]) => ({
    name,
    forms: [...branches.matchAll(BRANCH)].map((m) => m[1]),
  }));
}

/** The message for `key` in the UI language with its plurals and `{name}` placeholders filled in. */
export function t(key, params = {}) {
  const template = messages[key] ?? en[key] ?? key;
  return template
    .replace(PLURAL, (_, name, branches) => plural(name, branches, params))
    .replace(/\{(\w+)\}/g, (_, name) => (name in params ? text(params[name]) : `{${name}}`));
}

// A number placeholder is written in the language's style (12 345 in Ukrainian), anything else as is.
function text(value) {
  return typeof value === 'number' ? numberFormat.format(value) : String(value);
}

/** True when the catalogue has the key (an optional, more specific message). */
export function has(key) {
  return key in messages || key in en;
}

// The rules and known conflicts the core words in English; other languages get the catalogue's words.
const KINDS = ['not_found', 'newer_database', 'passphrase_required', 'wrong_passphrase', 'disk_full', 'cancelled', 'bad_database', 'file_in_use'];

/**
 * An error from the core ({kind, message, code, params}) in the UI language. English keeps the core's
 * own message, which can name the value at fault; an unknown kind keeps it in every language.
 */
export function errorText({ kind, message, code = null, params = null }) {
  if (lang === 'en') return message;
  const p = params || {};
  if (kind === 'invalid' && code && has(`error.rule.${code}`)) return t(`error.rule.${code}`, p);
  if (kind === 'conflict' && code && has(`error.${code}`)) return t(`error.${code}`);
  if (kind === 'not_found') {
    const entity = has(`entity.${p.entity}`) ? t(`entity.${p.entity}`) : String(p.entity ?? '');
    return t('error.not_found', { entity, id: String(p.id ?? '') });
  }
  if (KINDS.includes(kind)) return t(`error.${kind}`, p);
  if (kind === 'parse' && p.file) {
    const detail = p.detail ?? message;
    if (p.sheet != null) {
      return p.line != null
        ? t('error.parseSheetAt', { ...p, line: p.line, column: p.column_letters ?? '', detail })
        : t('error.parseSheet', { file: p.file, sheet: p.sheet, detail });
    }
    if (p.line != null && p.column != null) return t('error.parseAt', { ...p, detail });
    if (p.line != null) return t('error.parseLine', { ...p, detail });
    return t('error.parseFile', { file: p.file, detail });
  }
  return message;
}

/**
 * Why an import left a row out or doubted a value ({code, params, reason}) in the UI language; English
 * keeps the core's message, which quotes the validation at fault.
 */
export function reasonText({ code, params = null, reason = '' }) {
  const p = { ...(params || {}) };
  const key = code === 'invisible_name' && !p.email_used ? 'reason.invisible_name_no_email' : `reason.${code}`;
  if (lang === 'en' || !code || !has(key)) return reason;
  if (p.what) p.what = has(`reason.${p.what}`) ? t(`reason.${p.what}`) : p.what;
  if (p.counted_as) p.counted_as = has(`attStatus.${p.counted_as}`) ? t(`attStatus.${p.counted_as}`) : p.counted_as;
  return t(key, p);
}

export function fmtNumber(n) {
  return n == null ? t('common.none') : numberFormat.format(n);
}

/** A country's name in the UI language ("Україна" for UA); the code where the system has no name. */
export function countryName(code) {
  try {
    return (regionNames && regionNames.of(code)) || code;
  } catch (_) {
    return code;
  }
}

// Region codes that are not countries (the EU, the UN, the "unknown region", ICU's pseudo-regions).
const NOT_COUNTRIES = new Set(['EU', 'EZ', 'UN', 'QO', 'ZZ', 'AC', 'CP', 'DG', 'EA', 'IC', 'TA', 'XA', 'XB', 'CQ']);
let countryList = null;
let countryListLang = null;

/** Every country as [code, name in the UI language], sorted by name as the language sorts. */
export function countries() {
  if (countryList && countryListLang === lang) return countryList;
  const names = (() => {
    try {
      return new Intl.DisplayNames(locale, { type: 'region', fallback: 'none' });
    } catch (_) {
      return null;
    }
  })();
  const list = [];
  for (let a = 65; a <= 90; a++) {
    for (let b = 65; b <= 90; b++) {
      const code = String.fromCharCode(a, b);
      if (NOT_COUNTRIES.has(code)) continue;
      let name = null;
      try {
        name = names && names.of(code);
      } catch (_) { /* not a region code */ }
      if (name && name !== code) list.push([code, name]);
    }
  }
  const collator = new Intl.Collator(locale);
  list.sort((x, y) => collator.compare(x[1], y[1]));
  countryList = list;
  countryListLang = lang;
  return list;
}

/** A share (0.25) as a percentage in the UI language's style, to one decimal or (`whole`) none. */
export function fmtPercent(share, whole = false) {
  return share == null ? t('common.none') : (whole ? percentWhole : percentFormat).format(share);
}

/** Formats an ISO date (YYYY-MM-DD) for display, without shifting it through a time zone. */
export function fmtDate(iso) {
  if (!iso) return t('common.none');
  const [y, m, d] = iso.slice(0, 10).split('-').map(Number);
  return dateFormat.format(new Date(Date.UTC(y, m - 1, d, 12)));
}

/** Formats a local wall-clock time as announced (YYYY-MM-DDTHH:MM), as it was typed, in the user's style. */
export function fmtLocalDateTime(local) {
  if (!local) return t('common.none');
  const [date, time = '00:00'] = local.split('T');
  const [y, m, d] = date.split('-').map(Number);
  const [hh, mm] = time.split(':').map(Number);
  return dateTimeFormat.format(new Date(Date.UTC(y, m - 1, d, hh, mm)));
}

/** Formats a moment stored in UTC (RFC 3339, e.g. a backup's time) as date and time on this computer's clock. */
export function fmtDateTime(iso) {
  if (!iso) return t('common.none');
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : instantFormat.format(d);
}
