// The pieces of a mandate shown by the validation, summary and mandate screens.

import { gql } from '../api.js';
import { state, statusBadge } from '../core.js';
import { facts, h, table } from '../dom.js';
import { dateText, dateTimeText, groupName, t } from '../i18n.js';

const ENTERPRISE = 'id enterpriseNumber nssoNumber ssaNumber name address kinds branches { code name }';

export const MANDATE = `
  id reference status encoder startQuarter endQuarter createdAt finaliseBefore inspectionDue
  principal { ${ENTERPRISE} }
  mandatary { ${ENTERPRISE} }
  branch { code name }
  groups { group { code name nameFr nameNl nameDe requires delegable } role startQuarter endQuarter closureReason closureText }
  signatures { party method signerNiss signerName signedAt }
  authorisations { id method templateVersion issuedAt downloadUrl uploadedUrl uploadedAt verdict }
  delegations { id delegate { name enterpriseNumber } groups { code name nameFr nameNl nameDe } fromQuarter toQuarter status }
  rejection { reason rejectedAt consultedByPrincipalAt consultedByMandataryAt }
`;

/** The statuses in which the parties still validate a mandate: sign, request or upload an authorisation. */
export const AWAITING = ['TO_BE_FINALISED', 'PENDING', 'REJECTED'];

/** The methods an authorisation PDF is offered with in one of those statuses: eID while signatures are
 * gathered, handwritten before any signature or as a correction after a refusal (R-SIGN-5, R-PAP-3).
 * The API decides (models/authorisation.py); the screens only leave out what it would refuse. */
export function authorisationMethods(status) {
  return [status !== 'REJECTED' ? 'EID' : null, status !== 'PENDING' ? 'HANDWRITTEN' : null].filter(Boolean);
}

/** Before "Accept and sign": what the signer signs (the parties, the groups, from when) and that signing
 * declares the signer authorised to sign for its enterprise (R-SIGN-2, R-USR-3). */
export function signingStatement(mandate) {
  const own = state.viewer.enterprise;
  return h('div', { class: 'statement' },
    h('h3', {}, t('sign.what')),
    h('p', {}, t('sign.summary', {
      principal: mandate.principal.name,
      mandatary: mandate.mandatary.name,
      groups: mandate.groups.map((g) => groupName(g.group)).join(', '),
      start: mandate.startQuarter,
    })),
    h('p', { class: 'declaration' }, t('sign.declaration', { enterprise: own.name, number: own.enterpriseNumber })));
}

/** What happens next, after a signature or an upload: who must still sign and by when (the 60-day
 * limit, R-EXP-1), or the NSSO's review, or the mandate in force; and who is notified (R-NOT-1). */
export function nextSteps(mandate) {
  const lines = [];
  if (mandate.status === 'PENDING' || mandate.status === 'TO_BE_FINALISED') {
    const signed = new Set(mandate.signatures.map((s) => s.party));
    const waiting = ['PRINCIPAL', 'MANDATARY'].filter((party) => !signed.has(party))
      .map((party) => (party === 'PRINCIPAL' ? mandate.principal : mandate.mandatary).name);
    if (waiting.length) lines.push(t('next.mustSign', { parties: waiting.join(', '), date: dateText(mandate.finaliseBefore) }));
    lines.push(t('next.limit'));
  } else if (mandate.status === 'TO_BE_VALIDATED') lines.push(t('next.review'));
  else if (mandate.status === 'ACTIVE') {
    lines.push(t('next.active', { mandatary: mandate.mandatary.name, principal: mandate.principal.name, start: mandate.startQuarter }));
  } else return null;
  lines.push(t('next.notified', { principal: mandate.principal.name, mandatary: mandate.mandatary.name }));
  return h('section', { class: 'next-steps', 'aria-labelledby': 'next-title' },
    h('h2', { id: 'next-title' }, t('next.title')),
    h('ul', {}, lines.map((line) => h('li', {}, line))));
}

export async function loadMandate(id, withHistory = false) {
  const history = withHistory ? 'history { at actorNiss actorEnterprise action summary method detail }' : '';
  const data = await gql(`query($id: ID!) { node(id: $id) { ... on Mandate { ${MANDATE} ${history} } } }`, { id });
  return data.node && data.node.reference ? data.node : null;
}

function plate(enterprise, branch) {
  return h('div', { class: 'plate' },
    h('strong', {}, enterprise.name), h('br'),
    enterprise.enterpriseNumber,
    enterprise.nssoNumber ? ` · NSSO ${enterprise.nssoNumber}` : '',
    enterprise.ssaNumber ? ` · ${enterprise.ssaNumber}` : '',
    enterprise.address ? [h('br'), enterprise.address] : null,
    branch ? [h('br'), `${t('mandate.branch')}: ${branch.code} — ${branch.name}`] : null);
}

/** Identification of both parties, period, status and dates (the consult view, R-SRCH-9). */
export function mandateFacts(mandate) {
  return facts([
    [t('mandate.reference'), mandate.reference],
    [t('mandate.status'), statusBadge(mandate.status)],
    [t('mandate.principal'), plate(mandate.principal)],
    [t('mandate.mandatary'), plate(mandate.mandatary, mandate.branch)],
    [t('mandate.start'), mandate.startQuarter],
    [t('mandate.end'), mandate.endQuarter || t('mandate.openEnded')],
    [t('mandate.encoder'), mandate.encoder ? t(`party.${mandate.encoder}`) : null],
    [t('mandate.created'), dateTimeText(mandate.createdAt)],
    [t('mandate.finaliseBefore'), dateText(mandate.finaliseBefore)],
    [t('mandate.inspectionDue'), dateText(mandate.inspectionDue)],
  ]);
}

export function groupsTable(mandate) {
  return table(t('mandate.groups'),
    [t('mandate.group'), t('mandate.role'), t('mandate.start'), t('mandate.end'), t('mandate.closure')],
    mandate.groups.map((g) => h('tr', { 'data-group': g.group.code },
      h('th', { scope: 'row' }, groupName(g.group)),
      h('td', {}, t(`role.${g.role}`)),
      h('td', {}, g.startQuarter),
      h('td', {}, g.endQuarter || '—'),
      h('td', {}, g.closureReason ? [t(`reason.${g.closureReason}`), g.closureText ? ` (${g.closureText})` : ''] : '—'))));
}

export function signaturesTable(mandate) {
  if (!mandate.signatures.length) return h('p', {}, t('mandate.signatures.none'));
  return table(t('mandate.signatures'),
    [t('mandate.party'), t('mandate.method'), t('mandate.signer'), t('mandate.signedAt')],
    mandate.signatures.map((s) => h('tr', {},
      h('th', { scope: 'row' }, t(`party.${s.party}`)),
      h('td', {}, t(`method.${s.method}`)),
      h('td', {}, [s.signerName, s.signerNiss && `(${s.signerNiss})`].filter(Boolean).join(' ') || '—'),  // the NISS is null for another party's signer
      h('td', {}, dateTimeText(s.signedAt)))));
}

export function pdfLink(url, label) {
  return h('a', { class: 'pdf-link', href: url, download: '', type: 'application/pdf' }, h('span', { class: 'pdf-icon', 'aria-hidden': 'true' }, 'PDF'), ' ', label);
}

export function authorisationsTable(mandate) {
  if (!mandate.authorisations.length) return h('p', {}, t('mandate.authorisations.none'));
  return table(t('mandate.authorisations'),
    [t('mandate.method'), t('mandate.template'), t('mandate.issued'), t('mandate.uploaded'), t('mandate.verdict'), t('mandate.files')],
    mandate.authorisations.map((a) => h('tr', {},
      h('th', { scope: 'row' }, t(`method.${a.method}`)),
      h('td', {}, a.templateVersion),
      h('td', {}, dateTimeText(a.issuedAt)),
      h('td', {}, a.uploadedAt ? dateTimeText(a.uploadedAt) : '—'),
      h('td', {}, a.verdict || '—'),
      h('td', {}, pdfLink(a.downloadUrl, t('mandate.download')), a.uploadedUrl ? [h('br'), pdfLink(a.uploadedUrl, t('mandate.downloadUploaded'))] : null))));
}

export function delegationsTable(mandate, extra) {
  return table(t('mandate.delegations'),
    [t('mandate.delegate'), t('mandate.groups'), t('mandate.period'), t('mandate.status'), extra ? t('search.col.actions') : null].filter(Boolean),
    mandate.delegations.map((d) => h('tr', {},
      h('th', { scope: 'row' }, `${d.delegate.name} (${d.delegate.enterpriseNumber})`),
      h('td', {}, d.groups.map(groupName).join(', ')),
      h('td', {}, `${d.fromQuarter} – ${d.toQuarter}`),
      h('td', {}, statusBadge(d.status)),
      extra ? h('td', {}, extra(d)) : null)));
}

export function historyTable(mandate) {
  return table(t('mandate.history'),
    [t('mandate.history.at'), t('mandate.history.who'), t('mandate.history.action'), t('mandate.history.detail')],
    mandate.history.map((e) => h('tr', {},
      h('td', {}, dateTimeText(e.at)),
      h('td', {}, [e.actorNiss, e.actorEnterprise].filter(Boolean).join(' · ') || '—'),
      h('td', {}, e.summary || e.action, e.method ? ` (${t(`method.${e.method}`)})` : ''),
      h('td', {}, e.detail || ''))));
}
