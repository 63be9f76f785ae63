// The officer's home: the work queues with their counts, oldest first (issue 14): handwritten
// authorisations to review (R-PAP-1), inspections due (R-PAP-6, R-PAP-7), service-provider requests to decide
// (R-SPID-2), late closures given with a reason to assess (R-CLO-5, R-CLO-6) and employer
// identification requests (R-WIDE-1..3). Each queue is worked from here.

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
}`;
const ASSESS = `mutation($input: AssessLateClosureInput!) { assessLateClosure(input: $input) {
  mandate { reference } userErrors { code field message } } }`;
const DECIDE = `mutation($input: DecideProviderIdentificationInput!) { decideProviderIdentification(input: $input) {
  userErrors { code field message } } }`;

function queue(key, total, items) {
  const titleId = uid('queue');
  return h('section', { class: 'queue-section', 'data-queue': key, 'data-count': total, 'aria-labelledby': titleId },
    h('h2', { id: titleId }, t(`work.${key}`), ' ', h('span', { class: 'badge' }, count(total, 'work.count'))),
    items.length ? h('ol', { class: 'queue' }, items) : h('p', {}, t('work.empty')));
}

function parties(mandate) {
  return [`${t('mandate.principal')}: ${mandate.principal.name} (${mandate.principal.enterpriseNumber})`, h('br'),
    `${t('mandate.mandatary')}: ${mandate.mandatary.name} (${mandate.mandatary.enterpriseNumber})`];
}

async function scanItem(mandate) {
  const item = h('li', { class: 'panel', 'data-reference': mandate.reference },
    h('h3', {}, h('a', { href: `#/mandate/${encodeURIComponent(mandate.id)}` }, mandate.reference)),
    h('p', {}, parties(mandate), h('br'),
      `${t('mandate.groups')}: ${mandate.groups.map((g) => groupName(g.group)).join(', ')}`, h('br'),
      `${t('mandate.created')}: ${dateTimeText(mandate.createdAt)}`,
      mandate.inspectionDue ? [h('br'), h('strong', {}, `${t('mandate.inspectionDue')}: ${dateText(mandate.inspectionDue)}`)] : null));
  item.append(await reviewForm(mandate, (message) => item.replaceChildren(h('p', { class: 'banner', role: 'status' }, message))));
  return item;
}

function providerItem(request) {
  const name = uid('decision');
  const reason = h('textarea', { name: 'reason', rows: 2 });
  const general = errorBox();
  const form = h('form', { class: 'decide-form', novalidate: true },
    fieldset(t('work.decision'), ['APPROVE', 'REFUSE'].map((value, i) => radio(t(`work.provider.${value}`), { name, value, checked: i === 0 })),
      { name: 'decision' }),
    field(t('work.reason'), reason, { name: 'reason', hint: t('work.reason.hint') }),
    general,
    h('button', { type: 'submit', class: 'primary' }, t('work.decide')));
  const item = h('li', { class: 'panel', 'data-request': request.enterprise.enterpriseNumber },
    h('h3', {}, h('a', { href: `#/enterprise/${encodeURIComponent(request.enterprise.enterpriseNumber)}` },
      `${request.enterprise.name} (${request.enterprise.enterpriseNumber})`)),
    h('p', {}, `${t('work.submitted')}: ${dateTimeText(request.submittedAt)}`,
      request.applicantName ? [h('br'), `${t('work.applicant')}: ${request.applicantName}`] : null, h('br'),
      `${t('work.declarations')}: ${request.declarations.length}`),
    form);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const decision = form.querySelector(`input[name="${name}"]:checked`).value;
    const input = { requestId: request.id, decision, reason: reason.value.trim() || null };
    try {
      const { decideProviderIdentification: payload } = await gql(DECIDE, { input });
      if (refused(payload, form, general)) return;
      const message = t(`work.provider.done.${decision}`, { name: request.enterprise.name });
      announce(message);
      item.replaceChildren(h('p', { class: 'banner', role: 'status' }, message));
    } catch (error) {
      failure(error, form);
    }
  });
  return item;
}

function closureItem(mandate) {
  const name = uid('assessment');
  const reason = h('textarea', { name: 'reason', rows: 2 });
  const general = errorBox();
  const closed = mandate.groups.filter((g) => g.endQuarter && (g.closureReason || g.closureText));
  const form = h('form', { class: 'assess-form', novalidate: true },
    fieldset(t('work.assessment'), ['ACCEPT', 'REVERSE'].map((value, i) => radio(t(`work.closure.${value}`), { name, value, checked: i === 0 })),
      { name: 'assessment' }),
    field(t('work.reason'), reason, { name: 'reason', hint: t('work.closure.reason.hint') }),
    general,
    h('button', { type: 'submit', class: 'primary' }, t('work.decide')));
  const item = h('li', { class: 'panel', 'data-reference': mandate.reference },
    h('h3', {}, h('a', { href: `#/mandate/${encodeURIComponent(mandate.id)}` }, mandate.reference)),
    h('p', {}, parties(mandate), h('br'),
      `${t('work.closedOn')}: ${dateTimeText(mandate.lateClosureSince)}`),
    h('ul', {}, closed.map((g) => h('li', {}, `${groupName(g.group)} — ${t('mandate.end')} ${g.endQuarter} — `,
      g.closureReason ? t(`reason.${g.closureReason}`) : '', g.closureText ? ` (${g.closureText})` : ''))),
    form);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const assessment = form.querySelector(`input[name="${name}"]:checked`).value;
    const input = { mandateId: mandate.id, assessment, reason: reason.value.trim() || null };
    try {
      const { assessLateClosure: payload } = await gql(ASSESS, { input });
      if (refused(payload, form, general)) return;
      const message = t(`work.closure.done.${assessment}`, { reference: mandate.reference });
      announce(message);
      item.replaceChildren(h('p', { class: 'banner', role: 'status' }, message));
    } catch (error) {
      failure(error, form);
    }
  });
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
  const totalScans = data.reviewQueue.totalCount - inspections.length;
  root.append(
    h('ul', { class: 'queue-counts' },
      [['scans', totalScans], ['inspections', inspections.length], ['closures', data.lateClosures.totalCount],
        ['providers', data.providerIdentificationRequests.totalCount],
        ['employers', data.employerIdentificationRequests.totalCount]]
        .map(([key, n]) => h('li', { 'data-count-of': key }, `${t(`work.${key}`)}: ${n}`))),
    queue('scans', totalScans, await Promise.all(scans.map(scanItem))),
    queue('inspections', inspections.length, await Promise.all(inspections.map(scanItem))),
    queue('closures', data.lateClosures.totalCount, closures.map(closureItem)),
    queue('providers', data.providerIdentificationRequests.totalCount, providers.map(providerItem)),
    queue('employers', data.employerIdentificationRequests.totalCount, employers.map(employerItem)));
}
