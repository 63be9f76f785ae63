// Building the DOM without HTML strings: every text from the server goes in as text, never as markup.

import { t } from './i18n.js';

/** h('a', {href: '#/', class: 'x', onclick: fn}, 'text', child, [more]) */
export function h(tag, props = {}, ...children) {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(props || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') element.className = value;
    else if (key === 'text') element.textContent = value;
    else if (key.startsWith('on') && typeof value === 'function') element.addEventListener(key.slice(2), value);
    else if (['value', 'checked', 'selected', 'disabled', 'multiple', 'required', 'hidden'].includes(key)) element[key] = value;
    else element.setAttribute(key, value === true ? '' : String(value));
  }
  append(element, children);
  return element;
}

export function append(parent, children) {
  for (const child of [children].flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    parent.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return parent;
}

export function clear(element) {
  while (element.firstChild) element.firstChild.remove();
  return element;
}

let unique = 0;
export function uid(prefix = 'f') {
  unique += 1;
  return `${prefix}-${unique}`;
}

/** Runs `action` with `button` disabled, so that a second click (or Enter) cannot send it twice. */
export async function whileBusy(button, action) {
  if (button.disabled) return;
  button.disabled = true;
  try {
    await action();
  } finally {
    button.disabled = false;
  }
}

/** A message for screen readers (the polite live region of index.html). */
export function announce(message) {
  const region = document.getElementById('announcer');
  if (!region) return;
  region.textContent = '';
  setTimeout(() => { region.textContent = message; }, 50);
}

/** A labelled control with its hint and its error slot, tied together by aria-describedby. */
export function field(label, control, { hint, name, wide } = {}) {
  const id = control.id || uid('field');
  control.id = id;
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  control.setAttribute('aria-describedby', hint ? `${hintId} ${errorId}` : errorId);
  const wrapper = h('div', { class: wide ? 'field wide' : 'field', 'data-field': name || '' },
    h('label', { for: id }, label),
    hint ? h('p', { class: 'hint', id: hintId }, hint) : null,
    control,
    h('p', { class: 'error', id: errorId, hidden: true }));
  return wrapper;
}

/** A fieldset of controls (checkboxes, radios) with a legend, a hint and an error slot. */
export function fieldset(legend, controls, { hint, name } = {}) {
  const errorId = uid('error');
  const hintId = hint ? uid('hint') : null;
  return h('fieldset', { class: 'field', 'data-field': name || '', 'aria-describedby': [hintId, errorId].filter(Boolean).join(' ') },
    h('legend', {}, legend),
    hint ? h('p', { class: 'hint', id: hintId }, hint) : null,
    controls,
    h('p', { class: 'error', id: errorId, hidden: true }));
}

export function checkbox(label, props = {}, describe) {
  const id = props.id || uid('check');
  return h('div', { class: 'check' },
    h('input', { type: 'checkbox', id, ...props }),
    h('label', { for: id }, label),
    describe ? h('span', { class: 'hint', id: `${id}-rules` }, describe) : null);
}

export function radio(label, props = {}) {
  const id = props.id || uid('radio');
  return h('div', { class: 'check' }, h('input', { type: 'radio', id, ...props }), h('label', { for: id }, label));
}

/** An empty, hidden, focusable alert: where a form puts the errors that name none of its fields. */
export function errorBox() {
  return h('div', { class: 'alert alert-error', role: 'alert', tabindex: '-1', hidden: true });
}

/** The values of the ticked boxes named `name` in `form`. */
export function checkedValues(form, name) {
  return [...form.querySelectorAll(`input[name="${name}"]:checked`)].map((box) => box.value);
}

/** Shows a payload's userErrors (showErrors) and reads them out; false when there are none. */
export function refused(payload, form, general) {
  if (!payload.userErrors.length) return false;
  showErrors(form, payload.userErrors, general);
  announce(payload.userErrors.map((e) => e.message).join(' '));
  return true;
}

/** Puts each userError next to the field it names (its last path element) and lists them all in the error
 * summary `general`, moved to the top of the form: each message there links to its field; the page's title
 * starts with "Error:" until the errors are cleared. The focus goes to the summary. */
export function showErrors(form, errors, general) {
  clearErrors(form);
  const items = [];
  for (const error of errors) {
    const name = (error.field || []).filter((part) => part !== 'input').slice(-1)[0];
    const wrapper = name ? form.querySelector(`[data-field="${CSS.escape(name)}"]`) : null;
    const slot = wrapper && wrapper.querySelector(':scope > .error');
    if (!slot) {
      items.push(h('li', {}, error.message));
      continue;
    }
    slot.hidden = false;
    slot.textContent = slot.textContent ? `${slot.textContent} ${error.message}` : error.message;
    wrapper.classList.add('invalid');
    const control = wrapper.querySelector('input, select, textarea');
    if (control) control.setAttribute('aria-invalid', 'true');
    const target = control || wrapper;
    if (!target.id) target.id = uid('invalid');
    items.push(h('li', {}, h('a', {
      href: `#${target.id}`,
      onclick: (event) => {
        event.preventDefault();
        target.scrollIntoView({ block: 'center' });
        target.focus();
      },
    }, error.message)));
  }
  if (!general) return;
  if (form.firstElementChild !== general) form.prepend(general);
  general.classList.add('error-summary');
  general.replaceChildren(h('h2', {}, t('error.summary')), h('ul', {}, items));
  general.hidden = false;
  document.title = t('error.title', { title: t('app.title') });
  general.focus();
}

export function clearErrors(form) {
  for (const slot of form.querySelectorAll('.error')) {
    slot.hidden = true;
    slot.textContent = '';
  }
  for (const wrapper of form.querySelectorAll('.invalid')) wrapper.classList.remove('invalid');
  for (const control of form.querySelectorAll('[aria-invalid]')) control.removeAttribute('aria-invalid');
  for (const summary of form.querySelectorAll('.error-summary')) {
    summary.hidden = true;
    summary.replaceChildren();
  }
  document.title = t('app.title');
}

/** Every failed check of a form at once: `checks` are [failed, field, message]; the failed ones are shown
 * (showErrors) and the result says whether the form may be sent. */
export function validate(form, general, checks) {
  const errors = checks.filter(([failed]) => failed).map(([, name, message]) => ({ field: [name], message }));
  if (errors.length) showErrors(form, errors, general);
  else clearErrors(form);
  return errors.length === 0;
}

/** A table in a keyboard-scrollable region (narrow screens scroll it sideways). Its caption is for
 * screen readers: on screen, the heading above it says the same. */
export function table(caption, headers, rows, { className } = {}) {
  return h('div', { class: 'table-wrap', role: 'region', 'aria-label': caption, tabindex: '0' },
    h('table', { class: className || '' },
      h('caption', { class: 'visually-hidden' }, caption),
      h('thead', {}, h('tr', {}, headers.map((header) => (header instanceof Node ? header : h('th', { scope: 'col' }, header))))),
      h('tbody', {}, rows)));
}

/** A definition list from [term, value] pairs; empty values are skipped. */
export function facts(pairs) {
  return h('dl', { class: 'facts' }, pairs.filter(([, value]) => value !== null && value !== undefined && value !== '')
    .map(([term, value]) => h('div', {}, h('dt', {}, term), h('dd', {}, value))));
}
