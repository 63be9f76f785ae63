// "Identification": a CBE representative's request to be registered as a service provider (R-USR-5,
// R-SPID-1). The form follows the input type of the server's operation, when the server has one.

import { capabilities, enumValues, gql, inputFields, mutationInput } from '../api.js';
import { failure } from '../core.js';
import { announce, checkbox, errorBox, field, h, showErrors } from '../dom.js';
import { t } from '../i18n.js';

const OPERATION = 'requestProviderIdentification';

function unwrap(type) {
  let required = false;
  let list = false;
  let current = type;
  while (current.kind === 'NON_NULL' || current.kind === 'LIST') {
    if (current.kind === 'NON_NULL') required = true;
    if (current.kind === 'LIST') list = true;
    current = current.ofType;
  }
  return { kind: current.kind, name: current.name, required, list };
}

export async function identificationView({ root }) {
  root.append(h('h1', {}, t('ident.title')), h('p', {}, t('ident.intro')));
  const caps = capabilities();
  if (!caps.mutations.has(OPERATION)) {
    root.append(h('p', { class: 'alert alert-info' }, t('ident.unavailable')));
    return;
  }
  const inputType = mutationInput(OPERATION);
  const fields = inputFields(inputType) || [];
  const controls = [];
  const general = errorBox();
  const form = h('form', { class: 'panel', novalidate: true });
  for (const definition of fields) {
    const type = unwrap(definition.type);
    const label = definition.description || definition.name;
    let control;
    if (type.kind === 'SCALAR' && type.name === 'Boolean') {
      const box = checkbox(label, { name: definition.name });
      box.dataset.field = definition.name;
      box.append(h('p', { class: 'error', hidden: true }));
      form.append(box);
      controls.push([definition.name, () => box.querySelector('input').checked]);
      continue;
    }
    if (type.kind === 'ENUM') {
      control = h('select', { name: definition.name }, enumValues(type.name).map((v) => h('option', { value: v }, v)));
    } else {
      control = h('input', { type: type.name === 'Date' ? 'date' : 'text', name: definition.name, required: type.required });
    }
    form.append(field(label, control, { name: definition.name }));
    controls.push([definition.name, () => (type.list ? control.value.split(',').map((v) => v.trim()).filter(Boolean) : control.value.trim() || null)]);
  }
  form.append(general, h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, t('ident.submit'))));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const input = Object.fromEntries(controls.map(([name, read]) => [name, read()]));
    try {
      const data = await gql(`mutation($input: ${inputType}!) { ${OPERATION}(input: $input) { userErrors { code field message } } }`, { input });
      const payload = data[OPERATION];
      if (payload.userErrors.length) {
        showErrors(form, payload.userErrors, general);
        return;
      }
      form.replaceChildren(h('p', { class: 'banner', role: 'status' }, t('ident.done')));
      announce(t('ident.done'));
    } catch (error) {
      failure(error, form);
    }
  });
  root.append(form);
}
