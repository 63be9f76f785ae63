// "Who may act for this employer in this group on this day, and why" (R-COMP-1..7): the API's
// competentMandataries answer, for officers, the principal and its mandataries or delegates.

import { gql } from '../api.js';
import { failure, state } from '../core.js';
import { errorBox, field, h, table } from '../dom.js';
import { dateText, groupName, t } from '../i18n.js';

const COMPETENCE = `query($principal: String!, $group: String!, $on: Date!) {
  competentMandataries(principalNumber: $principal, group: $group, on: $on) {
    via role mandatary { name enterpriseNumber }
    mandate { id reference startQuarter endQuarter }
    delegatedFrom delegatedTo delegation { id mandate { mandatary { name } } } } }`;

// Via DELEGATION: the delegated period, told to the delegate too; who gave it, to whoever sees the delegation.
function why(answer) {
  const parts = [t(`comp.via.${answer.via}`)];
  if (answer.delegatedFrom) parts.push(t('comp.delegation', { from: answer.delegatedFrom, to: answer.delegatedTo }));
  if (answer.delegation) parts.push(t('comp.delegation.by', { mandatary: answer.delegation.mandate.mandatary.name }));
  return parts.join(' · ');
}

export async function competenceView({ root, params }) {
  root.append(h('h1', {}, t('comp.title')), h('p', {}, t('comp.intro')));
  const { applicationGroups } = await gql('{ applicationGroups { code name nameFr nameNl nameDe } }');
  const own = state.viewer.enterprise;
  const principal = h('input', { type: 'text', name: 'principalNumber', autocomplete: 'off',
    value: params.get('principal') || (own && !params.get('principal') ? own.enterpriseNumber : '') });
  const group = h('select', { name: 'group' }, applicationGroups.map((g) =>
    h('option', { value: g.code, selected: g.code === params.get('group') }, groupName(g))));
  const on = h('input', { type: 'date', name: 'on', value: params.get('on') || state.today });
  const general = errorBox();
  const form = h('form', { class: 'panel', role: 'search', 'aria-label': t('comp.title'), novalidate: true },
    field(t('comp.principal'), principal, { name: 'principalNumber', hint: t('comp.principal.hint') }),
    field(t('comp.group'), group, { name: 'group' }),
    field(t('comp.on'), on, { name: 'on' }),
    general,
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, t('comp.submit'))));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const query = new URLSearchParams({ principal: principal.value.trim(), group: group.value, on: on.value });
    location.hash = `/competence?${query}`;
  });
  root.append(form);
  if (!params.get('principal')) return;
  try {
    const { competentMandataries: answers } = await gql(COMPETENCE,
      { principal: params.get('principal'), group: params.get('group'), on: params.get('on') });
    const caption = t('comp.answer', { principal: params.get('principal'), on: dateText(params.get('on')) });
    root.append(h('section', { class: 'competence', 'aria-labelledby': 'comp-answer' },
      h('h2', { id: 'comp-answer' }, caption),
      answers.length === 0 ? h('p', {}, t('comp.none')) : table(caption, [t('comp.who'), t('mandate.role'), t('comp.why'), t('comp.mandate')],
        answers.map((a) => h('tr', { 'data-via': a.via, 'data-number': a.mandatary.enterpriseNumber },
          h('th', { scope: 'row' }, `${a.mandatary.name} (${a.mandatary.enterpriseNumber})`),
          h('td', {}, t(`role.${a.role}`)),
          h('td', {}, why(a)),
          h('td', {}, a.mandate ? h('a', { href: `#/mandate/${encodeURIComponent(a.mandate.id)}` }, a.mandate.reference) : '—'))))));
  } catch (error) {
    failure(error, general);
    general.hidden = false;
  }
}
