// "Identification": a CBE representative's request to register the company as a service provider
// (R-USR-5, R-SPID-1, R-SPID-2). One labelled box per condition, in plain words; then "check your
// answers"; then the request is filed and the server's answer is shown as it is.

import { capabilities, enumValues, gql } from '../api.js';
import { failure, state } from '../core.js';
import { announce, checkbox, checkedValues, errorBox, facts, fieldset, h, refused, validate, whileBusy } from '../dom.js';
import { dateTimeText, t } from '../i18n.js';

const OPERATION = 'requestProviderIdentification';
const REQUEST = `mutation($input: RequestProviderIdentificationInput!) { requestProviderIdentification(input: $input) {
  request { id status submittedAt declarations enterprise { name enterpriseNumber } } userErrors { code field message } } }`;

export async function identificationView({ root }) {
  root.append(h('h1', {}, t('ident.title')), h('p', {}, t('ident.intro')));
  const own = state.viewer.enterprise;
  if (!capabilities().mutations.has(OPERATION)) {
    root.append(h('p', { class: 'alert alert-info' }, t('ident.unavailable')));
    return;
  }
  if (!own || !state.viewer.canManage) {
    root.append(h('p', { class: 'alert alert-info' }, t('ident.noEnterprise')));
    return;
  }
  if (own.kinds.some((kind) => kind === 'SERVICE_PROVIDER' || kind === 'SOCIAL_SECRETARIAT')) {
    root.append(h('p', { class: 'alert alert-info' }, t('ident.already', { enterprise: own.name })));
    return;
  }
  const conditions = enumValues('ProviderDeclaration');
  const slot = h('div', {});
  root.append(slot);
  entry(slot, own, conditions, new Set());
}

/** Step 1: the company and one box per condition; every box must be ticked (R-SPID-2). */
function entry(slot, own, conditions, ticked, errors = null) {
  const general = errorBox();
  const form = h('form', { class: 'panel', novalidate: true },
    general,
    facts([[t('ident.company'), `${own.name} (${own.enterpriseNumber})`], [t('ident.applicant'), state.viewer.name || state.viewer.niss]]),
    fieldset(t('ident.conditions', { enterprise: own.name }), conditions.map((code) => checkbox(t(`ident.condition.${code}`),
      { name: 'declarations', value: code, id: `condition-${code}`, checked: ticked.has(code) })), { hint: t('ident.conditions.hint'), name: 'declarations' }),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary', id: 'ident-continue' }, t('ident.continue'))));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const declared = checkedValues(form, 'declarations');
    if (!validate(form, general, [[declared.length < conditions.length, 'declarations', t('ident.missing')]])) return;
    review(slot, own, conditions, declared);
  });
  slot.replaceChildren(form);
  if (errors) refused({ userErrors: errors }, form, general);
}

/** Step 2: check your answers, change them, or file the request. */
function review(slot, own, conditions, declared) {
  const general = errorBox();
  const change = h('button', { type: 'button', id: 'ident-change' }, t('ident.change'));
  const submit = h('button', { type: 'submit', class: 'primary', id: 'ident-submit' }, t('ident.submit'));
  const form = h('form', { class: 'panel', novalidate: true, 'aria-labelledby': 'ident-check-title' },
    general,
    h('h2', { id: 'ident-check-title', tabindex: '-1' }, t('ident.check')),
    h('dl', { class: 'facts answers' },
      h('div', {}, h('dt', {}, t('ident.company')), h('dd', {}, `${own.name} (${own.enterpriseNumber})`)),
      h('div', {}, h('dt', {}, t('ident.applicant')), h('dd', {}, state.viewer.name || state.viewer.niss)),
      h('div', {}, h('dt', {}, t('ident.declared')), h('dd', {}, h('ul', {}, declared.map((code) => h('li', {}, t(`ident.condition.${code}`))))))),
    h('p', { class: 'declaration' }, t('ident.statement', { enterprise: own.name })),
    h('div', { class: 'actions' }, submit, change));
  change.addEventListener('click', () => entry(slot, own, conditions, new Set(declared)));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    return whileBusy(submit, async () => {
      try {
        const { requestProviderIdentification: payload } = await gql(REQUEST, { input: { declarations: declared } });
        if (payload.userErrors.length) {
          entry(slot, own, conditions, new Set(declared), payload.userErrors);
          return;
        }
        filed(slot, payload.request);
      } catch (error) {
        failure(error, form);
      }
    });
  });
  slot.replaceChildren(form);
  form.querySelector('h2').focus();
}

/** Step 3: the server's answer, and what happens next. */
function filed(slot, request) {
  const done = t('ident.done');
  slot.replaceChildren(h('div', { class: 'banner', role: 'status', id: 'ident-filed' },
    h('p', {}, h('strong', {}, done)),
    h('p', {}, t('ident.filedAt', {
      date: dateTimeText(request.submittedAt), enterprise: request.enterprise.name, status: t(`ident.status.${request.status}`),
    })),
    h('p', {}, t('ident.next'))));
  announce(done);
}
