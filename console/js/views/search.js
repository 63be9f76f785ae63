// Search (R-SRCH-1..8): mandatary, principal, groups, period N/YYYY and statuses, combined; no criteria
// means every mandate the viewer has or had; newest first; every column sortable (the reference by
// series); pages; "Export to Excel" for the same search. The criteria live in the address.

import { download, gql } from '../api.js';
import { failure, navigate, statusBadge } from '../core.js';
import { announce, checkbox, checkedValues, errorBox, field, fieldset, h, showErrors, validate } from '../dom.js';
import { parseQuarter } from '../quarters.js';
import { count, dateText, groupName, lang, t } from '../i18n.js';

const PAGE = 20;
const STATUSES = ['TO_BE_FINALISED', 'PENDING', 'TO_BE_VALIDATED', 'ACTIVE', 'IDENTIFICATION', 'REJECTED', 'CLOSED', 'CANCELLED'];
const COLUMNS = ['REFERENCE', 'PRINCIPAL_NAME', 'MANDATARY_NAME', 'STATUS', 'START_QUARTER', 'END_QUARTER', 'CREATED_AT'];
const CRITERIA = ['mandataryNumber', 'principalNumber', 'groups', 'period', 'statuses'];
// The count is asked for with a search's first page only (it reads up to the server's bound of rows);
// the next pages carry it in their address (`total`, and `more` when it is a lower bound).
const search = (counted) => `query($filter: MandateFilter, $orderBy: MandateOrder, $first: Int, $after: String, $last: Int, $before: String) {
  mandates(filter: $filter, orderBy: $orderBy, first: $first, after: $after, last: $last, before: $before) {
    ${counted ? 'totalCount countIsLowerBound ' : ''}pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { node { id reference status startQuarter endQuarter createdAt
      principal { name enterpriseNumber } mandatary { name enterpriseNumber }
      groups { group { code name nameFr nameNl nameDe } endQuarter } } }
  } }`;

const list = (params, name) => (params.get(name) || '').split(',').map((v) => v.trim()).filter(Boolean);

/** The address of a search: its criteria, order and page. */
function address(criteria, order, page = {}) {
  const query = new URLSearchParams();
  for (const name of CRITERIA) {
    const value = Array.isArray(criteria[name]) ? criteria[name].join(',') : criteria[name];
    if (value) query.set(name, value);
  }
  if (order.field !== 'CREATED_AT' || order.direction !== 'DESC') {
    query.set('sort', order.field);
    query.set('dir', order.direction);
  }
  for (const [name, value] of Object.entries(page)) if (value !== undefined && value !== null) query.set(name, value);
  const text = query.toString();
  return text ? `/search?${text}` : '/search';
}

export async function searchView({ root, params }) {
  root.append(h('h1', {}, t('search.title')));
  const { applicationGroups } = await gql('{ applicationGroups { code name nameFr nameNl nameDe } }');
  const criteria = {
    mandataryNumber: params.get('mandataryNumber') || '',
    principalNumber: params.get('principalNumber') || '',
    groups: list(params, 'groups'),
    period: params.get('period') || '',
    statuses: list(params, 'statuses'),
  };
  const order = {
    field: COLUMNS.includes(params.get('sort')) ? params.get('sort') : 'CREATED_AT',
    direction: params.get('dir') === 'ASC' ? 'ASC' : 'DESC',
  };

  // The criteria form.
  const mandatary = h('input', { type: 'text', name: 'mandataryNumber', value: criteria.mandataryNumber, autocomplete: 'off' });
  const principal = h('input', { type: 'text', name: 'principalNumber', value: criteria.principalNumber, autocomplete: 'off' });
  const period = h('input', { type: 'text', name: 'period', value: criteria.period, inputmode: 'numeric', placeholder: '1/2022', autocomplete: 'off' });
  const general = errorBox();
  const form = h('form', { class: 'panel search-form', role: 'search', 'aria-label': t('search.criteria') },
    general,
    h('div', { class: 'grid' },
      field(t('search.mandatary'), mandatary, { hint: t('search.mandatary.hint'), name: 'mandataryNumber' }),
      field(t('search.principal'), principal, { hint: t('search.principal.hint'), name: 'principalNumber' }),
      field(t('search.period'), period, { hint: t('search.period.hint'), name: 'period' })),
    fieldset(t('search.groups'), h('div', { class: 'columns' }, applicationGroups.map((g) => checkbox(groupName(g),
      { name: 'groups', value: g.code, checked: criteria.groups.includes(g.code) }))), { name: 'groups' }),
    fieldset(t('search.statuses'), h('div', { class: 'columns' }, STATUSES.map((s) => checkbox(t(`status.${s}`),
      { name: 'statuses', value: s, checked: criteria.statuses.includes(s) }))), { name: 'statuses' }),
    h('div', { class: 'actions' },
      h('button', { type: 'submit', class: 'primary' }, t('search.submit')),
      h('a', { href: '#/search', class: 'button-link' }, t('search.reset'))));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (!validate(form, general, [[period.value.trim() && !parseQuarter(period.value), 'period', t('action.close.badQuarter')]])) return;
    navigate(address({
      mandataryNumber: mandatary.value.trim(),
      principalNumber: principal.value.trim(),
      groups: checkedValues(form, 'groups'),
      period: period.value.trim(),
      statuses: checkedValues(form, 'statuses'),
    }, order));
  });
  root.append(form);

  // The results of the search in the address.
  const results = h('section', { class: 'results', 'aria-labelledby': 'results-title' }, h('h2', { id: 'results-title' }, t('search.results')));
  root.append(results);
  const filter = {};
  for (const name of CRITERIA) {
    const value = criteria[name];
    if (Array.isArray(value) ? value.length : value) filter[name] = value;
  }
  const variables = { filter, orderBy: order };
  if (params.get('before')) Object.assign(variables, { last: PAGE, before: params.get('before') });
  else Object.assign(variables, { first: PAGE, after: params.get('after') || null });
  const counted = !params.has('total');
  let data;
  try {
    data = (await gql(search(counted), variables)).mandates;
  } catch (error) {
    // A refused criterion is shown next to its field, as a userError would be.
    const name = error.field && error.field[error.field.length - 1];
    if (name && error.code !== 'UNAUTHENTICATED' && form.querySelector(`[data-field="${CSS.escape(name)}"]`)) {
      showErrors(form, [error], general);
      return;
    }
    failure(error, results);
    return;
  }

  const exportButton = h('button', { type: 'button', id: 'export' }, t('search.export'));
  exportButton.addEventListener('click', async () => {
    const query = new URLSearchParams();
    for (const [name, value] of Object.entries(filter)) query.set(name, Array.isArray(value) ? value.join(',') : value);
    query.set('orderBy', order.field);
    query.set('direction', order.direction);
    query.set('lang', lang());
    exportButton.disabled = true;
    announce(t('search.exporting'));
    try {
      await download(`/exports/mandates.xlsx?${query}`, 'mandates.xlsx');
      announce(t('search.exported'));
    } catch (error) {
      failure(error, results);
    } finally {
      exportButton.disabled = false;
    }
  });
  const total = counted ? data.totalCount : Number(params.get('total'));
  const more = counted ? data.countIsLowerBound : params.get('more') === '1';
  const shown = more ? `${total}+` : total; // beyond the server's bound: "500+"
  const tally = { total, more: more ? '1' : null };
  results.append(h('div', { class: 'results-bar' },
    h('p', { class: 'total', 'data-total': total }, more ? t('search.total.many', { n: shown }) : count(total, 'search.total')),
    exportButton));
  if (more || total > 100) results.append(h('p', { class: 'hint' }, t('search.tooMany')));
  if (!data.edges.length) {
    results.append(h('p', {}, t('search.none')));
    return;
  }

  const headers = COLUMNS.map((column) => {
    const sorted = order.field === column;
    const next = { field: column, direction: sorted && order.direction === 'ASC' ? 'DESC' : 'ASC' };
    return h('th', { scope: 'col', 'aria-sort': sorted ? (order.direction === 'ASC' ? 'ascending' : 'descending') : 'none' },
      h('a', { href: `#${address(criteria, next)}`, class: 'sort', 'data-sort': column, title: t('search.sortBy', { column: t(`search.col.${column}`) }) },
        t(`search.col.${column}`), h('span', { class: 'arrow', 'aria-hidden': 'true' }, sorted ? (order.direction === 'ASC' ? ' ▲' : ' ▼') : ' ↕')));
  });
  headers.splice(3, 0, h('th', { scope: 'col' }, t('search.col.groups')));
  headers.push(h('th', { scope: 'col' }, t('search.col.actions')));
  const rows = data.edges.map(({ node: m }) => {
    const target = `#/mandate/${encodeURIComponent(m.id)}`;
    const modifiable = m.status === 'ACTIVE' && !m.endQuarter;
    // data-label: the column's name, shown beside each cell where the table is stacked (narrow screens).
    const label = (column) => t(`search.col.${column}`);
    return h('tr', { 'data-reference': m.reference },
      h('th', { scope: 'row', 'data-label': label('REFERENCE') }, h('a', { href: target }, m.reference)),
      h('td', { 'data-label': label('PRINCIPAL_NAME') }, m.principal.name, h('br'), h('small', {}, m.principal.enterpriseNumber)),
      h('td', { 'data-label': label('MANDATARY_NAME') }, m.mandatary.name, h('br'), h('small', {}, m.mandatary.enterpriseNumber)),
      h('td', { 'data-label': label('groups'), class: 'groups' }, h('ul', { class: 'group-list' }, m.groups.map((g) => h('li', { 'data-group': g.group.code },
        groupName(g.group), g.endQuarter ? h('small', {}, ` (${t('search.groupEnds', { quarter: g.endQuarter })})`) : null)))),
      h('td', { 'data-status': m.status, 'data-label': label('STATUS') }, statusBadge(m.status)),
      h('td', { 'data-label': label('START_QUARTER') }, m.startQuarter),
      h('td', { 'data-label': label('END_QUARTER') }, m.endQuarter || '—'),
      h('td', { 'data-label': label('CREATED_AT') }, dateText(m.createdAt.slice(0, 10))),
      h('td', { class: 'row-actions', 'data-label': label('actions') },
        h('a', { href: target, class: 'icon-link', 'aria-label': t('search.consult', { reference: m.reference }), title: t('search.consult', { reference: m.reference }) }, t('search.consultShort')),
        modifiable ? h('a', { href: `${target}?close=1`, class: 'icon-link', 'aria-label': t('search.modify', { reference: m.reference }), title: t('search.modify', { reference: m.reference }) }, t('search.modifyShort')) : null));
  });
  const direction = t(order.direction === 'ASC' ? 'search.asc' : 'search.desc');
  const wrap = h('div', { class: 'table-wrap', role: 'region', 'aria-label': t('search.results'), tabindex: '0' },
    h('table', { class: 'results-table' },
      h('caption', {}, t('search.caption', { column: t(`search.col.${order.field}`), direction })),
      h('thead', {}, h('tr', {}, headers)),
      h('tbody', {}, rows)));
  results.append(wrap);

  const from = Number(params.get('from') || 0);
  const info = data.pageInfo;
  const backwards = params.has('before');
  const hasPrevious = from > 0 && (backwards ? info.hasPreviousPage : true);
  const hasNext = backwards ? true : info.hasNextPage;
  results.append(h('nav', { class: 'pager', 'aria-label': t('search.pages') },
    hasPrevious ? h('a', { href: `#${address(criteria, order, { before: info.startCursor, from: Math.max(0, from - PAGE), ...tally })}`, rel: 'prev' }, t('search.previous')) : null,
    h('span', { class: 'range' }, t('search.range', { from: from + 1, to: from + data.edges.length, total: shown })),
    hasNext ? h('a', { href: `#${address(criteria, order, { after: info.endCursor, from: from + data.edges.length, ...tally })}`, rel: 'next' }, t('search.next')) : null));
}
