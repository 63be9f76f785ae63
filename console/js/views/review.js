// Officers: the queue of handwritten authorisations to validate, each with the scan and the decision
// ACCEPT (with the NISS read on the paper) / REJECT (with a reason) / REFER_TO_INSPECTION (R-PAP-1..8).

import { gql } from '../api.js';
import { failure } from '../core.js';
import { announce, errorBox, field, fieldset, h, radio, refused, uid, validate } from '../dom.js';
import { dateText, dateTimeText, groupName, t } from '../i18n.js';
import { pdfLink } from './parts.js';

// What a decision needs: who may sign for each party, and the scan.
const PAPERS = `principal { representatives { niss name canSign } } mandatary { representatives { niss name canSign } }
  authorisations { method uploadedUrl uploadedAt }`;
const QUEUE = `query($first: Int) { reviewQueue(first: $first) { totalCount edges { node {
  id reference createdAt startQuarter inspectionDue
  principal { name enterpriseNumber } mandatary { name enterpriseNumber }
  groups { group { code name nameFr nameNl nameDe } }
  ${PAPERS}
} } } }`;
const MANDATE_PAPERS = `query($id: ID!) { node(id: $id) { ... on Mandate { ${PAPERS} } } }`;
const REVIEW = `mutation($input: ReviewAuthorisationInput!) { reviewAuthorisation(input: $input) {
  mandate { id reference status } userErrors { code field message } } }`;

export async function reviewView({ root }) {
  root.append(h('h1', {}, t('review.title')));
  const { reviewQueue } = await gql(QUEUE, { first: 100 });
  if (!reviewQueue.edges.length) {
    root.append(h('p', {}, t('review.empty')));
    return;
  }
  root.append(h('p', {}, t('review.count', { n: reviewQueue.totalCount })));
  const list = h('ol', { class: 'queue' });
  for (const { node: mandate } of reviewQueue.edges) {
    const item = h('li', { class: 'panel', 'data-reference': mandate.reference },
      h('h2', {}, h('a', { href: `#/mandate/${encodeURIComponent(mandate.id)}` }, mandate.reference)),
      h('p', {}, `${t('mandate.principal')}: ${mandate.principal.name} (${mandate.principal.enterpriseNumber})`, h('br'),
        `${t('mandate.mandatary')}: ${mandate.mandatary.name} (${mandate.mandatary.enterpriseNumber})`, h('br'),
        `${t('mandate.groups')}: ${mandate.groups.map((g) => groupName(g.group)).join(', ')} · ${t('mandate.start')} ${mandate.startQuarter}`, h('br'),
        `${t('mandate.created')}: ${dateTimeText(mandate.createdAt)}`,
        mandate.inspectionDue ? [h('br'), `${t('mandate.inspectionDue')}: ${dateText(mandate.inspectionDue)}`] : null));
    item.append(await reviewForm(mandate, (message) => item.replaceChildren(h('p', { class: 'banner', role: 'status' }, message))));
    list.append(item);
  }
  root.append(list);
}

/** The decision form for one mandate to validate; `done(message)` runs once a decision is recorded.
 * The papers come with the mandates of the queue (one query for all); a mandate read without them
 * (the mandate screen) has them read here. */
export async function reviewForm(mandate, done) {
  const papers = mandate.principal.representatives ? mandate : (await gql(MANDATE_PAPERS, { id: mandate.id })).node;
  const scans = papers.authorisations.filter((a) => a.method === 'HANDWRITTEN' && a.uploadedUrl);
  const scan = scans[scans.length - 1];
  const general = errorBox();
  const name = uid('decision');

  function signatories(party, list) {
    const listId = uid('signatories');
    const input = h('input', { type: 'text', name: party, inputmode: 'numeric', autocomplete: 'off', list: listId });
    const allowed = list.filter((r) => r.canSign);
    return [field(t(party === 'principalSignerNiss' ? 'review.principalNiss' : 'review.mandataryNiss'), input, {
      name: party, hint: allowed.length ? t('review.signatories', { list: allowed.map((r) => `${r.name} (${r.niss})`).join(', ') }) : null,
    }), h('datalist', { id: listId }, allowed.map((r) => h('option', { value: r.niss }, r.name)))];
  }
  const acceptFields = h('div', { class: 'decision-accept', hidden: true },
    signatories('principalSignerNiss', papers.principal.representatives),
    signatories('mandatarySignerNiss', papers.mandatary.representatives));
  const reason = h('textarea', { name: 'reason', rows: 2 });
  const rejectFields = h('div', { class: 'decision-reject', hidden: true }, field(t('review.reason'), reason, { name: 'reason', hint: t('review.reason.hint') }));
  // No decision is selected at first: the officer chooses one (a default would be recorded by a slip).
  const decisions = ['ACCEPT', 'REJECT', 'REFER_TO_INSPECTION'].map((value) => radio(t(`review.${value}`), {
    name, value,
    onchange: () => {
      acceptFields.hidden = value !== 'ACCEPT';
      rejectFields.hidden = value !== 'REJECT';
    },
  }));
  const form = h('form', { class: 'review-form', novalidate: true },
    general,
    h('p', {}, scan ? pdfLink(scan.uploadedUrl, `${t('review.scan')} (${dateTimeText(scan.uploadedAt)})`) : t('review.noScan')),
    fieldset(t('review.decision'), decisions, { name: 'decision' }),
    acceptFields,
    rejectFields,
    h('button', { type: 'submit', class: 'primary' }, t('review.submit')));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const chosen = form.querySelector(`input[name="${name}"]:checked`);
    const decision = chosen && chosen.value;
    const principalNiss = form.querySelector('input[name="principalSignerNiss"]').value.trim();
    const mandataryNiss = form.querySelector('input[name="mandatarySignerNiss"]').value.trim();
    if (!validate(form, general, [
      [!decision, 'decision', t('review.missing.decision')],
      [decision === 'ACCEPT' && !principalNiss, 'principalSignerNiss', t('review.missing.niss')],
      [decision === 'ACCEPT' && !mandataryNiss, 'mandatarySignerNiss', t('review.missing.niss')],
      [decision === 'REJECT' && !reason.value.trim(), 'reason', t('review.missing.reason')],
    ])) return;
    const input = { mandateId: mandate.id, decision };
    if (decision === 'ACCEPT') Object.assign(input, { principalSignerNiss: principalNiss, mandatarySignerNiss: mandataryNiss });
    if (decision === 'REJECT') input.reason = reason.value.trim();
    try {
      const { reviewAuthorisation } = await gql(REVIEW, { input });
      if (refused(reviewAuthorisation, form, general)) return;
      const { reference, status } = reviewAuthorisation.mandate;
      const message = t('review.done', { reference, status: t(`status.${status}`) });
      announce(message);
      done(message);
    } catch (error) {
      failure(error, form);
    }
  });
  return form;
}
