// The notifications the registry sent to the viewer's enterprise, newest first, each with the mandate
// it concerns and where its delivery stands, in words (R-NOT-1..5; issue 14: waiting, delivered on a day,
// or could not be delivered and the NSSO handles it); an officer sees every enterprise's. Paged by 20,
// as the API's connection.

import { gql } from '../api.js';
import { h } from '../dom.js';
import { dateTimeText, t } from '../i18n.js';

const PAGE = 20;
const NOTIFICATIONS = `query($first: Int, $after: String) { notifications(first: $first, after: $after) {
  totalCount pageInfo { hasNextPage endCursor }
  edges { node { id channel subject body createdAt recipient { name enterpriseNumber } mandate { id reference }
  delivery { state attempts sentAt } } } } }`;

/** Where the delivery stands, in words; a notification written before delivery existed has none. */
function deliveryText(delivery) {
  if (!delivery) return null;
  if (delivery.state === 'SENT') return t('notif.delivery.SENT', { date: dateTimeText(delivery.sentAt) });
  if (delivery.state === 'PENDING' && delivery.attempts > 0) return t('notif.delivery.retrying', { n: delivery.attempts });
  return t(`notif.delivery.${delivery.state}`);
}

function notification(node, officer) {
  const delivery = deliveryText(node.delivery);
  return h('li', { class: 'panel notification', 'data-channel': node.channel, 'data-delivery': node.delivery?.state ?? '' },
    h('h2', {}, node.subject),
    h('p', { class: 'meta' }, dateTimeText(node.createdAt), ' · ', t(`notif.channel.${node.channel}`),
      officer ? [' · ', `${node.recipient.name} (${node.recipient.enterpriseNumber})`] : null),
    delivery ? h('p', { class: 'delivery' }, h('strong', {}, delivery)) : null,
    h('p', {}, node.body),
    node.mandate ? h('p', {}, `${t('notif.mandate')}: `,
      h('a', { href: `#/mandate/${encodeURIComponent(node.mandate.id)}` }, node.mandate.reference)) : null);
}

export async function notificationsView({ root, state }) {
  root.append(h('h1', {}, t('notif.title')));
  const officer = state.viewer.isOfficer;
  const list = h('ol', { class: 'notifications' });
  const total = h('p', { 'aria-live': 'polite' });
  const more = h('button', { type: 'button', hidden: true }, t('notif.more'));
  let cursor = null;
  async function load() {
    const { notifications } = await gql(NOTIFICATIONS, { first: PAGE, after: cursor });
    total.textContent = notifications.totalCount ? t('notif.count', { n: notifications.totalCount }) : t('notif.none');
    list.append(...notifications.edges.map((edge) => notification(edge.node, officer)));
    cursor = notifications.pageInfo.endCursor;
    more.hidden = !notifications.pageInfo.hasNextPage;
  }
  more.addEventListener('click', load);
  await load();
  root.append(total, list, more);
}
