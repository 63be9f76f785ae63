// Home: the blocks To be finalised, Pending and Rejected (R-DASH-1..5) and the buttons of the home page (R-USR-5).

import { gql } from '../api.js';
import { state } from '../core.js';
import { h } from '../dom.js';
import { count, t } from '../i18n.js';

const DASHBOARD = `{ dashboard {
  toBeFinalised { status count countIsLowerBound colour mandateId }
  pending { status count countIsLowerBound colour mandateId }
  rejected { status count countIsLowerBound colour mandateId }
} }`;

/** One block: grey (or red for Rejected) when it holds mandates, white otherwise; its count links
 * to the one mandate's action screen, or to the list of them (R-DASH-2..4). The API counts up to a
 * bound: beyond it the count reads "99+". */
function block(data) {
  const titleId = `block-${data.status.toLowerCase()}`;
  let content;
  if (data.count === 0) content = h('span', { class: 'count' }, count(0, 'dash.count'));
  else {
    const target = data.count === 1 ? `#/mandate/${encodeURIComponent(data.mandateId)}` : `#/search?statuses=${data.status}`;
    const shown = data.countIsLowerBound ? `${data.count}+` : data.count;
    content = h('a', { class: 'count', href: target }, count(shown, 'dash.count'));
  }
  return h('section', {
    class: `block block-${data.colour.toLowerCase()}`,
    'data-status': data.status,
    'data-colour': data.colour,
    'data-count': data.count,
    'aria-labelledby': titleId,
  }, h('h2', { id: titleId }, t(`status.${data.status}`)), content);
}

function menuButton(href, title, hint, name) {
  return h('li', {}, h('a', { class: 'menu-button', href, 'data-button': name },
    h('span', { class: 'menu-title' }, title), h('span', { class: 'menu-hint' }, hint)));
}

export async function dashboardView({ root }) {
  const { dashboard } = await gql(DASHBOARD);
  const viewer = state.viewer;
  root.append(
    h('h1', {}, t('dash.title')),
    h('p', {}, viewer.isOfficer ? t('dash.officer') : t('dash.intro')),
    h('div', { class: 'blocks' }, block(dashboard.toBeFinalised), block(dashboard.pending), block(dashboard.rejected)),
    h('h2', {}, t('dash.menu')),
    h('ul', { class: 'menu' },
      menuButton('#/mandates', t('dash.mandates'), t('dash.mandates.hint'), 'mandates'),
      menuButton('#/representatives', t('dash.representatives'), t('dash.representatives.hint'), 'representatives'),
      menuButton('#/identification', t('dash.identification'), t('dash.identification.hint'), 'identification'),
      viewer.isOfficer ? menuButton('#/review', t('dash.review'), t('dash.review.hint'), 'review') : null),
  );
}

/** The "Mandates" button: Create and Search, as in Mahis's menu. */
export async function mandatesMenuView({ root }) {
  root.append(
    h('h1', {}, t('mandates.title')),
    h('ul', { class: 'menu' },
      state.viewer.canManage ? menuButton('#/create', t('nav.create'), t('mandates.create.hint'), 'create') : null,
      menuButton('#/search', t('nav.search'), t('mandates.search.hint'), 'search')),
  );
}
