// The delegations the viewer's enterprise gave as main mandatary, with their periods, and ending one
// (R-DEL-1, R-DEL-2, R-DEL-5). Read from the mandates it holds as mandatary; paged by 100 mandates.

import { gql } from '../api.js';
import { failure, state, statusBadge } from '../core.js';
import { announce, errorBox, h, table } from '../dom.js';
import { groupName, t } from '../i18n.js';

const GIVEN = `query($number: String!, $after: String) {
  mandates(filter: { mandataryNumber: $number }, first: 100, after: $after) {
    pageInfo { hasNextPage endCursor }
    edges { node { id reference principal { name enterpriseNumber }
      delegations { id delegate { name enterpriseNumber } groups { code name nameFr nameNl nameDe } fromQuarter toQuarter status } } } } }`;
const END = `mutation($input: EndDelegationInput!) { endDelegation(input: $input) {
  delegation { id status } userErrors { code field message } } }`;

function endButton(delegation, row, general) {
  if (delegation.status === 'CANCELLED') return '—';
  const button = h('button', { type: 'button', 'data-end': delegation.id }, t('deleg.end'));
  button.addEventListener('click', async () => {
    if (!window.confirm(t('deleg.end.confirm', { delegate: delegation.delegate.name }))) return;
    try {
      const { endDelegation: payload } = await gql(END, { input: { delegationId: delegation.id } });
      if (payload.userErrors.length) {
        general.hidden = false;
        general.textContent = payload.userErrors.map((e) => e.message).join(' ');
        general.focus();
        return;
      }
      row.querySelector('.status').replaceChildren(statusBadge(payload.delegation.status));
      button.replaceWith('—');
      announce(t('deleg.ended', { delegate: delegation.delegate.name }));
    } catch (error) {
      failure(error, general);
      general.hidden = false;
    }
  });
  return button;
}

export async function delegationsView({ root }) {
  root.append(h('h1', {}, t('deleg.title')), h('p', {}, t('deleg.intro')));
  const own = state.viewer.enterprise;
  if (!own) {
    root.append(h('p', {}, t('deleg.noEnterprise')));
    return;
  }
  const rows = [];
  let after = null;
  do {
    const { mandates } = await gql(GIVEN, { number: own.enterpriseNumber, after });
    for (const { node: mandate } of mandates.edges) {
      for (const d of mandate.delegations) rows.push({ mandate, delegation: d });
    }
    after = mandates.pageInfo.hasNextPage ? mandates.pageInfo.endCursor : null;
  } while (after);
  const general = errorBox();
  root.append(general, h('h2', {}, t('deleg.given')));
  if (!rows.length) {
    root.append(h('p', {}, t('deleg.none')));
    return;
  }
  root.append(table(t('deleg.given'),
    [t('mandate.reference'), t('mandate.principal'), t('mandate.delegate'), t('mandate.groups'), t('mandate.period'), t('mandate.status'), t('search.col.actions')],
    rows.map(({ mandate, delegation }) => {
      const row = h('tr', { 'data-delegation': delegation.id },
        h('th', { scope: 'row' }, h('a', { href: `#/mandate/${encodeURIComponent(mandate.id)}` }, mandate.reference)),
        h('td', {}, `${mandate.principal.name} (${mandate.principal.enterpriseNumber})`),
        h('td', {}, `${delegation.delegate.name} (${delegation.delegate.enterpriseNumber})`),
        h('td', {}, delegation.groups.map(groupName).join(', ')),
        h('td', {}, `${delegation.fromQuarter} – ${delegation.toQuarter}`),
        h('td', { class: 'status' }, statusBadge(delegation.status)));
      row.append(h('td', {}, endButton(delegation, row, general)));
      return row;
    })));
}
