// The representatives matrix (R-ENT-10, R-USR-5): choose a legal form, see the function codes allowed
// to sign; and the viewer enterprise's own representatives in the CBE, with whether each may sign.

import { gql } from '../api.js';
import { state } from '../core.js';
import { field, h, table } from '../dom.js';
import { t } from '../i18n.js';

const MATRIX = 'query($form: String!) { representativesMatrix(legalForm: $form) { legalForm { code name } functions { code name } } }';

export async function representativesView({ root, params }) {
  root.append(h('h1', {}, t('reps.title')), h('p', {}, t('reps.intro')));
  const { legalForms } = await gql('{ legalForms { code name } }');
  const own = state.viewer.enterprise;
  const chosen = params.get('form') || (own && own.legalForm ? own.legalForm.code : '');
  const select = h('select', { name: 'legalForm' },
    h('option', { value: '' }, t('reps.choose')),
    legalForms.map((form) => h('option', { value: form.code, selected: form.code === chosen }, `${form.code} — ${form.name}`)));
  const form = h('form', { class: 'panel', role: 'search', 'aria-label': t('reps.form') },
    field(t('reps.form'), select, { name: 'legalForm' }),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, t('reps.consult'))));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (select.value) location.hash = `/representatives?form=${encodeURIComponent(select.value)}`;
  });
  root.append(form);

  if (params.get('form')) {
    const { representativesMatrix: matrix } = await gql(MATRIX, { form: params.get('form') });
    const section = h('section', { class: 'matrix', 'aria-labelledby': 'matrix-title' });
    if (!matrix) section.append(h('h2', { id: 'matrix-title' }, t('reps.noFunctions')));
    else {
      const name = `${matrix.legalForm.code} — ${matrix.legalForm.name}`;
      section.append(h('h2', { id: 'matrix-title' }, t('reps.functions', { form: name })));
      section.append(matrix.functions.length
        ? table(t('reps.functions', { form: name }), [t('reps.code'), t('reps.function')],
          matrix.functions.map((f) => h('tr', { 'data-function': f.code }, h('td', {}, f.code), h('td', {}, f.name))))
        : h('p', {}, t('reps.noFunctions')));
    }
    root.append(section);
  }

  if (own) {
    const section = h('section', { class: 'own-representatives', 'aria-labelledby': 'own-title' },
      h('h2', { id: 'own-title' }, t('reps.own', { enterprise: own.name })));
    section.append(own.representatives.length
      ? table(t('reps.own', { enterprise: own.name }), [t('reps.name'), 'NISS', t('reps.function'), t('reps.canSign')],
        own.representatives.map((r) => h('tr', { 'data-niss': r.niss, class: r.canSign ? 'can-sign' : '' },
          h('th', { scope: 'row' }, r.name), h('td', {}, r.niss), h('td', {}, `${r.functionCode} — ${r.functionName}`),
          h('td', {}, h('span', { class: r.canSign ? 'badge status-active' : 'badge' }, t(r.canSign ? 'yes' : 'no'))))))
      : h('p', {}, t('reps.own.none')));
    root.append(section);
  }
}
