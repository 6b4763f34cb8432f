// dom.js: builds elements from data without ever parsing HTML. Strings always become text nodes, so a
// name like "<img onerror=...>" is shown as those characters and never runs.

const FORBIDDEN = new Set(['innerHTML', 'outerHTML', 'srcdoc', 'insertAdjacentHTML']);

/**
 * h('button', {class: 'primary', onclick: fn}, 'Save') creates an element. Props: `class`, `dataset`,
 * `on<event>` handlers, DOM properties (value, checked, disabled...) and plain attributes.
 */
export function h(tag, props, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props || {})) {
    if (value == null || value === false || FORBIDDEN.has(key)) continue;
    if (key === 'class') el.className = value;
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
    else if (key === 'href' && !/^(#|https?:)/i.test(String(value))) continue;
    else if (key in el && typeof value !== 'string') el[key] = value;
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

/** Appends children: nodes as they are, everything else as text; null, false and arrays handled. */
export function append(el, children) {
  for (const child of [children].flat(Infinity)) {
    if (child == null || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
  return el;
}

/** Replaces the content of `el` with `children`. */
export function replace(el, ...children) {
  el.replaceChildren();
  return append(el, children);
}

/** Moves focus to the first focusable element inside `el` (for dialogs and new screens). */
export function focusFirst(el) {
  const target = el.querySelector('[autofocus], input:not([type=hidden]), select, textarea, button, [href], [tabindex]:not([tabindex="-1"])');
  if (target) target.focus();
}
