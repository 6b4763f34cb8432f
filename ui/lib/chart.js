// chart.js: simple horizontal bar charts drawn as HTML elements (no library, no canvas), so labels are
// plain text, the chart scales with the window, and screen readers get a table-like list.

import { h } from './dom.js';
import { t, fmtNumber, fmtPercent } from '../i18n.js';

/** One bar; its width is set through the CSSOM because the CSP forbids inline style attributes. */
function bar(percent) {
  const el = h('span', { class: 'bar' });
  el.style.width = `${Math.max(0.5, percent).toFixed(2)}%`;
  return el;
}

/**
 * A horizontal bar chart: items are { label, value, sub?, key? }. Bars are proportional to the largest
 * value; every bar carries its number, so nothing depends on reading the length alone. With `total`,
 * each row also shows its share of it. `key` lands in the row's data-key, `id` on the figure, so tests
 * and styles can find a row whatever the language of its label.
 */
export function barChart(items, { title = '', max = null, total = null, id = null } = {}) {
  const top = max ?? Math.max(1, ...items.map((i) => i.value));
  const share = total != null && total > 0;
  return h('figure', { class: 'chart', id },
    title ? h('figcaption', {}, title) : null,
    items.length
      ? h('ul', { class: `bars ${share ? 'with-share' : ''}`, role: 'list' }, items.map((i) =>
        h('li', { class: 'bar-row', dataset: i.key != null ? { key: String(i.key) } : {} },
          h('span', { class: 'bar-label', title: i.sub || i.label }, i.label),
          h('span', { class: 'bar-track', 'aria-hidden': 'true' },
            bar((100 * i.value) / top)),
          h('span', { class: 'bar-value' }, fmtNumber(i.value)),
          share ? h('span', { class: 'bar-share' }, fmtPercent(i.value / total, true)) : null)))
      : h('p', { class: 'empty' }, t('common.empty')));
}
