// The delegations of the viewer's enterprise: those it gave as main mandatary, which it may end (R-DEL-2,
// R-DEL-5), and those it received as delegate, for whom and from whom (R-COMP-6); each with its groups, period
// and status. A delegate does not see the main mandate (API: delegationsReceived). The newest 100 of each.

import { gql } from '../api.js';
import { failure, state, statusBadge } from '../core.js';
import { announce, errorBox, h, table } from '../dom.js';
import { groupName, t } from '../i18n.js';

const PAGE = 100;
const GROUPS = 'groups { code name nameFr nameNl nameDe }';
const LISTS = `query($first: Int!) {
  delegationsGiven(first: $first) { totalCount edges { node { id fromQuarter toQuarter status ${GROUPS}
    delegate { name enterpriseNumber } mandate { id reference principal { name enterpriseNumber } } } } }
  delegationsReceived(first: $first) { totalCount edges { node { fromQuarter toQuarter status ${GROUPS}
    principal { name enterpriseNumber } mainMandatary { name enterpriseNumber } } } } }`;
const END = `mutation($input: EndDelegationInput!) { endDelegation(input: $input) {
  delegation { id status } userErrors { code field message } } }`;
const STATUS = 'query($id: ID!) { node(id: $id) { ... on Delegation { status } } }';

const named = (enterprise) => `${enterprise.name} (${enterprise.enterpriseNumber})`;

function endButton(delegation, row, general) {
  if (delegation.status === 'CANCELLED') return '—';
  const button = h('button', { type: 'button', 'data-end': delegation.id }, t('deleg.end'));
  const show = (status) => {
    const cell = row.querySelector('.status');
    cell.replaceChildren(statusBadge(status));
    if (status !== 'CANCELLED') return;
    // The focused button goes: the focus moves to the row's new status rather than to the page's top.
    const focused = document.activeElement === button;
    button.replaceWith('—');
    if (focused) {
      cell.tabIndex = -1;
      cell.focus();
    }
  };
  button.addEventListener('click', async () => {
    if (!window.confirm(t('deleg.end.confirm', { delegate: delegation.delegate.name }))) return;
    try {
      const { endDelegation: payload } = await gql(END, { input: { delegationId: delegation.id } });
      if (payload.userErrors.length) {
        general.hidden = false;
        general.textContent = payload.userErrors.map((e) => e.message).join(' ');
        general.focus();
        // Ended meanwhile (elsewhere, or by the end of its main groups): the row says so too.
        const { node } = await gql(STATUS, { id: delegation.id });
        if (node) show(node.status);
        return;
      }
      show(payload.delegation.status);
      announce(t('deleg.ended', { delegate: delegation.delegate.name }));
    } catch (error) {
      failure(error, general);
      general.hidden = false;
    }
  });
  return button;
}

function givenTable(delegations, general) {
  return table(t('deleg.given'),
    [t('mandate.reference'), t('mandate.principal'), t('mandate.delegate'), t('mandate.groups'), t('mandate.period'), t('mandate.status'), t('search.col.actions')],
    delegations.map((d) => {
      const row = h('tr', { 'data-delegation': d.id },
        h('th', { scope: 'row' }, h('a', { href: `#/mandate/${encodeURIComponent(d.mandate.id)}` }, d.mandate.reference)),
        h('td', {}, named(d.mandate.principal)),
        h('td', {}, named(d.delegate)),
        h('td', {}, d.groups.map(groupName).join(', ')),
        h('td', { class: 'period' }, `${d.fromQuarter} – ${d.toQuarter}`),
        h('td', { class: 'status' }, statusBadge(d.status)));
      row.append(h('td', {}, endButton(d, row, general)));
      return row;
    }));
}

function receivedTable(delegations) {
  return table(t('deleg.received'),
    [t('mandate.principal'), t('deleg.givenBy'), t('mandate.groups'), t('mandate.period'), t('mandate.status')],
    delegations.map((d) => h('tr', { 'data-principal': d.principal.enterpriseNumber },
      h('th', { scope: 'row' }, named(d.principal)),
      h('td', {}, named(d.mainMandatary)),
      h('td', {}, d.groups.map(groupName).join(', ')),
      h('td', { class: 'period' }, `${d.fromQuarter} – ${d.toQuarter}`),
      h('td', { class: 'status' }, statusBadge(d.status)))));
}

function section(id, title, connection, none, render) {
  const rows = connection.edges.map((edge) => edge.node);
  return h('section', { 'aria-labelledby': id, 'data-list': id },
    h('h2', { id }, title),
    rows.length ? render(rows) : h('p', {}, none),
    connection.totalCount > rows.length ? h('p', { class: 'hint' }, t('deleg.more', { n: rows.length })) : null);
}

export async function delegationsView({ root }) {
  root.append(h('h1', {}, t('deleg.title')), h('p', {}, t('deleg.intro')));
  if (!state.viewer.enterprise) {
    root.append(h('p', {}, t('deleg.noEnterprise')));
    return;
  }
  const { delegationsGiven: given, delegationsReceived: received } = await gql(LISTS, { first: PAGE });
  const general = errorBox();
  root.append(general,
    section('deleg-given', t('deleg.given'), given, t('deleg.none'), (rows) => givenTable(rows, general)),
    section('deleg-received', t('deleg.received'), received, t('deleg.received.none'), receivedTable));
}
