// check_catalogues.mjs: every UI catalogue in ui/locales/ has exactly the English catalogue's keys, the
// same placeholders, and every plural form its language needs (Intl.PluralRules). Run by `make lint`;
// exits 1 and lists each problem.

import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'ui', 'locales');
const PLURAL = /\{(\w+), plural,((?:\s*=?\w+\s*\{[^{}]*(?:\{\w+\}[^{}]*)*\})+)\s*\}/g;
const BRANCH = /\s*(=?\w+)\s*\{([^{}]*(?:\{\w+\}[^{}]*)*)\}/g;

/** The placeholders a message uses: plain `{name}` ones and the counts of its plural blocks. */
function placeholders(message) {
  const names = new Set();
  for (const [, name, branches] of message.matchAll(PLURAL)) {
    names.add(name);
    for (const [, , text] of branches.matchAll(BRANCH)) for (const [, n] of text.matchAll(/\{(\w+)\}/g)) names.add(n);
  }
  for (const [, n] of message.replace(PLURAL, '').matchAll(/\{(\w+)\}/g)) names.add(n);
  return [...names].sort().join(', ');
}

/** Problems with the plural blocks of one message in language `lang`. */
function pluralProblems(lang, message) {
  const needed = new Intl.PluralRules(lang).resolvedOptions().pluralCategories;
  const problems = [];
  for (const [, name, branches] of message.matchAll(PLURAL)) {
    const forms = [...branches.matchAll(BRANCH)].map((m) => m[1]);
    const missing = needed.filter((f) => !forms.includes(f));
    if (missing.length) problems.push(`plural {${name}} lacks ${missing.join(', ')}`);
    const unknown = forms.filter((f) => !f.startsWith('=') && !['zero', 'one', 'two', 'few', 'many', 'other'].includes(f));
    if (unknown.length) problems.push(`plural {${name}} has unknown forms ${unknown.join(', ')}`);
  }
  // A brace left over after the plural blocks are taken out is a broken block.
  if (/\{\w+,/.test(message.replace(PLURAL, ''))) problems.push('a plural block does not parse');
  return problems;
}

const files = readdirSync(dir).filter((f) => f.endsWith('.js')).sort();
// Loaded as data: URLs, which are ES modules by definition (the files sit in no "type": "module" package).
const load = async (f) => (await import(`data:text/javascript;charset=utf-8,${encodeURIComponent(readFileSync(join(dir, f), 'utf8'))}`)).default;
const en = await load('en.js');
const problems = [];
for (const file of files) {
  const lang = file.replace(/\.js$/, '');
  const catalogue = await load(file);
  for (const key of Object.keys(en)) {
    if (!(key in catalogue)) { problems.push(`${file}: missing key ${key}`); continue; }
    const message = catalogue[key];
    if (typeof message !== 'string' || !message.trim()) { problems.push(`${file}: ${key} is empty`); continue; }
    if (placeholders(message) !== placeholders(en[key])) {
      problems.push(`${file}: ${key} has placeholders {${placeholders(message)}}, English has {${placeholders(en[key])}}`);
    }
    for (const p of pluralProblems(lang, message)) problems.push(`${file}: ${key}: ${p}`);
  }
  for (const key of Object.keys(catalogue)) if (!(key in en)) problems.push(`${file}: extra key ${key}`);
}
// Every key the window asks for exists (a literal t('key') in ui/), so a typo cannot show a raw key.
const ui = join(dir, '..');
const walk = (d) => readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? (e.name === 'locales' ? [] : walk(join(d, e.name))) : e.name.endsWith('.js') ? [join(d, e.name)] : []));
for (const path of walk(ui)) {
  for (const [, key] of readFileSync(path, 'utf8').matchAll(/\bt\('([\w.-]+)'/g)) {
    if (!(key in en)) problems.push(`${path}: uses key ${key}, which en.js lacks`);
  }
}
if (problems.length) {
  console.error(problems.join('\n'));
  console.error(`${problems.length} catalogue problem(s)`);
  process.exit(1);
}
console.log(`catalogues: ${files.join(', ')} complete (${Object.keys(en).length} keys each)`);
