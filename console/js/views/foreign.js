// An officer registers a foreign entity (unknown in the CBE) with its representative, its mandate and
// the checklist of documents the NSSO requires, each one uploaded (R-ENT-11, R-SIGN-9).

import { enumValues, gqlWithFiles } from '../api.js';
import { failure } from '../core.js';
import { announce, errorBox, field, fieldset, h, refused } from '../dom.js';
import { t } from '../i18n.js';

const REGISTER = `mutation($input: RegisterForeignEntityInput!) { registerForeignEntity(input: $input) {
  enterprise { enterpriseNumber name } mandate { id reference status } userErrors { code field message } } }`;
const TEXT = ['enterpriseNumber', 'name', 'address', 'legalForm'];
const REPRESENTATIVE = ['niss', 'name', 'functionCode'];
const MANDATE = ['mandataryNumber', 'mandatarySignerNiss', 'groups', 'startQuarter'];

function input(name, type = 'text') {
  return h('input', { type, name, autocomplete: 'off' });
}

export async function foreignView({ root }) {
  root.append(h('h1', {}, t('foreign.title')), h('p', {}, t('foreign.intro')));
  const general = errorBox();
  const controls = {};
  const entity = [...TEXT.map((name) => [name, input(name)]), ['activeFrom', input('activeFrom', 'date')]];
  const person = REPRESENTATIVE.map((name) => [name, input(name)]);
  const mandate = MANDATE.map((name) => [name, input(name)]);
  const kinds = enumValues('ForeignDocumentKind');
  const documents = kinds.map((kind) => [kind, h('input', { type: 'file', name: kind })]);
  const form = h('form', { class: 'panel', novalidate: true },
    fieldset(t('foreign.entity'), entity.map(([name, control]) => field(t(`foreign.${name}`), control, { name }))),
    fieldset(t('foreign.representative'), person.map(([name, control]) => field(t(`foreign.representative.${name}`), control, { name }))),
    fieldset(t('foreign.mandate'), mandate.map(([name, control]) => field(t(`foreign.${name}`), control,
      { name, hint: name === 'groups' ? t('foreign.groups.hint') : null }))),
    fieldset(t('foreign.documents'), documents.map(([kind, control]) => field(t(`foreign.document.${kind}`), control, { name: kind })),
      { hint: t('foreign.documents.hint'), name: 'documents' }),
    general,
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, t('foreign.submit'))));
  for (const [name, control] of [...entity, ...mandate]) controls[name] = control;
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const chosen = documents.filter(([, control]) => control.files.length);
    const value = (name) => controls[name].value.trim();
    const payloadInput = {
      ...Object.fromEntries([...TEXT, 'activeFrom', 'mandataryNumber', 'mandatarySignerNiss', 'startQuarter'].map((name) => [name, value(name)])),
      groups: value('groups').split(',').map((code) => code.trim()).filter(Boolean),
      representative: Object.fromEntries(person.map(([name, control]) => [name, control.value.trim()])),
      documents: chosen.map(([kind]) => ({ kind, file: null })),
    };
    try {
      const data = await gqlWithFiles(REGISTER, { input: payloadInput },
        chosen.map(([, control], i) => [`input.documents.${i}.file`, control.files[0]]));
      const payload = data.registerForeignEntity;
      if (refused(payload, form, general)) return;
      const message = t('foreign.done', { name: payload.enterprise.name, reference: payload.mandate.reference });
      announce(message);
      form.replaceWith(h('p', { class: 'banner', role: 'status' }, message, ' ',
        h('a', { href: `#/mandate/${encodeURIComponent(payload.mandate.id)}` }, payload.mandate.reference)));
    } catch (error) {
      failure(error, form);
    }
  });
  root.append(form);
}
