// The officer's home: the work queues with their counts, oldest first (issue 14): handwritten
// authorisations to review (R-PAP-1), inspections due (R-PAP-6, R-PAP-7), service-provider requests to decide
// (R-SPID-2), late closures given with a reason to assess (R-CLO-5, R-CLO-6), employer
// identification requests (R-WIDE-1..3) and notifications that could not be delivered (dead letters:
// tried again, or handled another way with a reason). Each queue is worked from here.

import { gql } from '../api.js';
import { failure } from '../core.js';
import { announce, errorBox, field, fieldset, h, radio, refused, uid } from '../dom.js';
import { count, dateText, dateTimeText, groupName, t } from '../i18n.js';
import { reviewForm } from './review.js';

const QUEUES = `{
  reviewQueue(first: 100) { totalCount edges { node {
    id reference createdAt startQuarter inspectionDue
    principal { name enterpriseNumber representatives { niss name canSign } }
    mandatary { name enterpriseNumber representatives { niss name canSign } }
    groups { group { code name nameFr nameNl nameDe } }
    authorisations { method uploadedUrl uploadedAt } } } }
  providerIdentificationRequests(first: 100) { totalCount edges { node {
    id status submittedAt applicantName declarations enterprise { name enterpriseNumber } } } }
  lateClosures(first: 100) { totalCount edges { node {
    id reference lateClosureSince principal { name enterpriseNumber } mandatary { name enterpriseNumber }
    groups { group { code name nameFr nameNl nameDe } endQuarter closureReason closureText } } } }
  employerIdentificationRequests(first: 100) { totalCount edges { node {
    id status createdAt blockedReason principal { name enterpriseNumber } provider { name enterpriseNumber }
    mandate { id reference } } } }
  undeliveredNotifications(first: 100) { totalCount edges { node {
    id channel subject createdAt recipient { name enterpriseNumber } mandate { id reference }
    delivery { attempts lastAttemptAt lastError } } } }
}`;
const ASSESS = `mutation($input: AssessLateClosureInput!) { assessLateClosure(input: $input) {
  mandate { reference } userErrors { code field message } } }`;
const DECIDE = `mutation($input: DecideProviderIdentificationInput!) { decideProviderIdentification(input: $input) {
  userErrors { code field message } } }`;
const DEAD_LETTER = `mutation($input: DecideDeadLetterInput!) { decideDeadLetter(input: $input) {
  userErrors { code field message } } }`;

const titleOf = (key) => `queue-${key}`;

function queue(key, total, items) {
  const titleId = titleOf(key);
  return h('section', { class: 'queue-section', 'data-queue': key, 'data-count': total, 'aria-labelledby': titleId },
    h('h2', { id: titleId, tabindex: '-1' }, t(`work.${key}`), ' ', h('span', { class: 'badge' }, count(total, 'work.count'))),
    items.length ? h('ol', { class: 'queue' }, items) : h('p', {}, t('work.empty')));
}

/** A count leading to its queue: the queues follow each other with their forms, a long way by Tab. The
 * address is the page's (hash routes): the link moves the focus to the queue's title itself. */
function jump(key, text) {
  return h('a', {
    href: `#${titleOf(key)}`,
    onclick: (event) => {
      event.preventDefault();
      const title = document.getElementById(titleOf(key));
      title.scrollIntoView({ block: 'start' });
      title.focus();
    },
  }, text);
}

function parties(mandate) {
  return [`${t('mandate.principal')}: ${mandate.principal.name} (${mandate.principal.enterpriseNumber})`, h('br'),
    `${t('mandate.mandatary')}: ${mandate.mandatary.name} (${mandate.mandatary.enterpriseNumber})`];
}

/** A decided item: its form (and the focused button) gives way to the outcome, which takes the focus so that
 * a keyboard user goes on from there rather than from the page's top. */
function settle(item, message) {
  const outcome = h('p', { class: 'banner', role: 'status', tabindex: '-1' }, message);
  item.replaceChildren(outcome);
  outcome.focus();
}

async function scanItem(mandate) {
  const item = h('li', { class: 'panel', 'data-reference': mandate.reference },
    h('h3', {}, h('a', { href: `#/mandate/${encodeURIComponent(mandate.id)}` }, mandate.reference)),
    h('p', {}, parties(mandate), h('br'),
      `${t('mandate.groups')}: ${mandate.groups.map((g) => groupName(g.group)).join(', ')}`, h('br'),
      `${t('mandate.created')}: ${dateTimeText(mandate.createdAt)}`,
      mandate.inspectionDue ? [h('br'), h('strong', {}, `${t('mandate.inspectionDue')}: ${dateText(mandate.inspectionDue)}`)] : null));
  item.append(await reviewForm(mandate, (message) => settle(item, message)));
  return item;
}

/** An item's decision form: the choices as radios (the first checked), a reason, the error summary; on
 * success the item is replaced by `done(choice)`'s message. `send(choice, reason)` returns the payload. */
function decisionForm(item, { legend, name, choices, label, hint, send, done }) {
  const group = uid(name);
  const reason = h('textarea', { name: 'reason', rows: 2 });
  const general = errorBox();
  const form = h('form', { class: `${name}-form`, novalidate: true },
    fieldset(legend, choices.map((value, i) => radio(label(value), { name: group, value, checked: i === 0 })), { name }),
    field(t('work.reason'), reason, { name: 'reason', hint }),
    general,
    h('button', { type: 'submit', class: 'primary' }, t('work.decide')));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const choice = form.querySelector(`input[name="${group}"]:checked`).value;
    try {
      if (refused(await send(choice, reason.value.trim() || null), form, general)) return;
      const message = done(choice);
      announce(message);
      settle(item, message);
    } catch (error) {
      failure(error, form);
    }
  });
  return form;
}

function providerItem(request) {
  const item = h('li', { class: 'panel', 'data-request': request.enterprise.enterpriseNumber },
    h('h3', {}, h('a', { href: `#/enterprise/${encodeURIComponent(request.enterprise.enterpriseNumber)}` },
      `${request.enterprise.name} (${request.enterprise.enterpriseNumber})`)),
    h('p', {}, `${t('work.submitted')}: ${dateTimeText(request.submittedAt)}`,
      request.applicantName ? [h('br'), `${t('work.applicant')}: ${request.applicantName}`] : null, h('br'),
      `${t('work.declarations')}: ${request.declarations.length}`));
  item.append(decisionForm(item, {
    legend: t('work.decision'), name: 'decision', choices: ['APPROVE', 'REFUSE'],
    label: (value) => t(`work.provider.${value}`), hint: t('work.reason.hint'),
    send: async (decision, reason) => (await gql(DECIDE, { input: { requestId: request.id, decision, reason } }))
      .decideProviderIdentification,
    done: (decision) => t(`work.provider.done.${decision}`, { name: request.enterprise.name }),
  }));
  return item;
}

function closureItem(mandate) {
  const closed = mandate.groups.filter((g) => g.endQuarter && (g.closureReason || g.closureText));
  const item = h('li', { class: 'panel', 'data-reference': mandate.reference },
    h('h3', {}, h('a', { href: `#/mandate/${encodeURIComponent(mandate.id)}` }, mandate.reference)),
    h('p', {}, parties(mandate), h('br'),
      `${t('work.closedOn')}: ${dateTimeText(mandate.lateClosureSince)}`),
    h('ul', {}, closed.map((g) => h('li', {}, `${groupName(g.group)} — ${t('mandate.end')} ${g.endQuarter} — `,
      g.closureReason ? t(`reason.${g.closureReason}`) : '', g.closureText ? ` (${g.closureText})` : ''))));
  item.append(decisionForm(item, {
    legend: t('work.assessment'), name: 'assessment', choices: ['ACCEPT', 'REVERSE'],
    label: (value) => t(`work.closure.${value}`), hint: t('work.closure.reason.hint'),
    send: async (assessment, reason) => (await gql(ASSESS, { input: { mandateId: mandate.id, assessment, reason } }))
      .assessLateClosure,
    done: (assessment) => t(`work.closure.done.${assessment}`, { reference: mandate.reference }),
  }));
  return item;
}

// A notification whose delivery failed for good: the officer reads why (the receiving system's answer)
// and sends it back for a new round of tries, or records how it reached its recipient another way.
function undeliveredItem(notification) {
  const { recipient, delivery } = notification;
  const item = h('li', { class: 'panel', 'data-notification': notification.id },
    h('h3', {}, notification.subject),
    h('p', {}, `${t('work.undelivered.recipient')}: ${recipient.name} (${recipient.enterpriseNumber})`, h('br'),
      `${t('work.undelivered.written')}: ${dateTimeText(notification.createdAt)} · ${t(`notif.channel.${notification.channel}`)}`,
      notification.mandate ? [h('br'), `${t('notif.mandate')}: `,
        h('a', { href: `#/mandate/${encodeURIComponent(notification.mandate.id)}` }, notification.mandate.reference)] : null,
      delivery.lastAttemptAt ? [h('br'),
        t('work.undelivered.tries', { n: delivery.attempts, date: dateTimeText(delivery.lastAttemptAt) })] : null,
      delivery.lastError ? [h('br'), `${t('work.undelivered.answer')}: `, h('q', {}, delivery.lastError)] : null));
  item.append(decisionForm(item, {
    legend: t('work.decision'), name: 'decision', choices: ['RETRY', 'HANDLED'],
    label: (value) => t(`work.undelivered.${value}`), hint: t('work.undelivered.reason.hint'),
    send: async (decision, reason) => (await gql(DEAD_LETTER, { input: { notificationId: notification.id, decision, reason } }))
      .decideDeadLetter,
    done: (decision) => t(`work.undelivered.done.${decision}`, { name: recipient.name }),
  }));
  return item;
}

function employerItem(request) {
  return h('li', { class: 'panel', 'data-request': request.principal.enterpriseNumber },
    h('h3', {}, h('a', { href: `#/enterprise/${encodeURIComponent(request.principal.enterpriseNumber)}` },
      `${request.principal.name} (${request.principal.enterpriseNumber})`)),
    h('p', {}, `${t('work.submitted')}: ${dateTimeText(request.createdAt)}`, h('br'),
      `${t('work.status')}: ${t(`work.employer.${request.status}`)}`,
      request.provider ? [h('br'), `${t('mandate.mandatary')}: ${request.provider.name}`] : null,
      request.mandate ? [h('br'), h('a', { href: `#/mandate/${encodeURIComponent(request.mandate.id)}` }, request.mandate.reference)] : null,
      request.blockedReason ? [h('br'), `${t('work.blocked')}: ${request.blockedReason}`] : null));
}

export async function workView({ root }) {
  root.append(h('h1', {}, t('work.title')), h('p', {}, t('work.intro')));
  const data = await gql(QUEUES);
  const mandates = data.reviewQueue.edges.map((e) => e.node);
  const scans = mandates.filter((m) => !m.inspectionDue);
  const inspections = mandates.filter((m) => m.inspectionDue)
    .sort((a, b) => a.inspectionDue.localeCompare(b.inspectionDue));
  const providers = data.providerIdentificationRequests.edges.map((e) => e.node);
  const employers = data.employerIdentificationRequests.edges.map((e) => e.node);
  const closures = data.lateClosures.edges.map((e) => e.node);
  const undelivered = data.undeliveredNotifications.edges.map((e) => e.node);
  const totalScans = data.reviewQueue.totalCount - inspections.length;
  root.append(
    h('ul', { class: 'queue-counts' },
      [['scans', totalScans], ['inspections', inspections.length], ['closures', data.lateClosures.totalCount],
        ['providers', data.providerIdentificationRequests.totalCount],
        ['employers', data.employerIdentificationRequests.totalCount],
        ['undelivered', data.undeliveredNotifications.totalCount]]
        .map(([key, n]) => h('li', { 'data-count-of': key }, jump(key, `${t(`work.${key}`)}: ${n}`))),
      // Foreign entities ask by e-mail (R-FOR-6): no request waits in the registry, the officer registers them.
      h('li', {}, t('work.foreign'), ' ', h('a', { href: '#/foreign' }, t('work.foreign.register')))),
    queue('scans', totalScans, await Promise.all(scans.map(scanItem))),
    queue('inspections', inspections.length, await Promise.all(inspections.map(scanItem))),
    queue('closures', data.lateClosures.totalCount, closures.map(closureItem)),
    queue('providers', data.providerIdentificationRequests.totalCount, providers.map(providerItem)),
    queue('employers', data.employerIdentificationRequests.totalCount, employers.map(employerItem)),
    queue('undelivered', data.undeliveredNotifications.totalCount, undelivered.map(undeliveredItem)));
}
