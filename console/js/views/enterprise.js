// The enterprise file: its identification, activity, legal form and representatives, its mandates as
// principal and as mandatary with their delegations; for officers, the actions on it: the employer's
// deletion (R-EMP-1, R-EMP-2), a bankruptcy and the curator's answer (R-EMP-4..6), the NSSO number
// (R-WIDE-6). An enterprise's own users see their own file; officers any. The people who may sign for it
// besides its representatives (R-USR-3 b, R-EMP-4) and its history come only to them (the API gives others null).

import { gql } from '../api.js';
import { failure, statusBadge } from '../core.js';
import { announce, errorBox, facts, field, h, refused, table } from '../dom.js';
import { dateText, groupName, localised, t } from '../i18n.js';

const ENTERPRISE = `query($number: String!) { enterprise(number: $number) {
  id enterpriseNumber nssoNumber ssaNumber name address kinds activeFrom activeUntil deletedOn knownInCbe
  legalForm { code name descriptions { fr nl de } } branches { code name }
  representatives { niss name functionCode functionName canSign }
  competenceHolders { niss name curator } history { kind on summary } } }`;
const MANDATES = `query($filter: MandateFilter) { mandates(filter: $filter, first: 100) { totalCount edges { node {
  id reference status startQuarter endQuarter principal { name enterpriseNumber } mandatary { name enterpriseNumber }
  groups { group { code name nameFr nameNl nameDe } endQuarter }
  delegations { id delegate { name enterpriseNumber } fromQuarter toQuarter status } } } } }`;
const PAYLOAD = 'enterprise { id } mandates { id reference status endQuarter } userErrors { code field message }';
const ACTIONS = [
  ['deleteEmployer', 'DeleteEmployerInput', [['deletionDate', 'date'], ['requestedBy', ['EMPLOYER', 'SERVICE_PROVIDER', 'CURATOR']]]],
  ['recordBankruptcy', 'RecordBankruptcyInput', [['publishedOn', 'date'], ['curatorNiss', 'text'], ['curatorName', 'text']]],
  ['recordCuratorAnswer', 'RecordCuratorAnswerInput', [['answer', ['CONTINUE', 'DELETE', 'NO_ANSWER']]]],
  ['assignNssoNumber', 'AssignNssoNumberInput', [['nssoNumber', 'text']]],
];

function mandatesTable(caption, mandates) {
  if (!mandates.length) return h('p', {}, t('ent.mandates.none'));
  return table(caption,
    [t('mandate.reference'), t('mandate.principal'), t('mandate.mandatary'), t('mandate.groups'), t('mandate.period'), t('mandate.status'), t('mandate.delegations')],
    mandates.map((m) => h('tr', { 'data-reference': m.reference },
      h('th', { scope: 'row' }, h('a', { href: `#/mandate/${encodeURIComponent(m.id)}` }, m.reference)),
      h('td', {}, m.principal.name),
      h('td', {}, m.mandatary.name),
      h('td', {}, m.groups.map((g) => groupName(g.group)).join(', ')),
      h('td', { class: 'period' }, `${m.startQuarter} – ${m.endQuarter || t('mandate.openEnded')}`),
      h('td', {}, statusBadge(m.status)),
      h('td', {}, m.delegations.map((d) => `${d.delegate.name} ${d.fromQuarter} – ${d.toQuarter}`).join('; ') || '—'))));
}

function holdersSection(holders) {
  const title = t('ent.holders');
  return h('section', { 'aria-labelledby': 'ent-holders', 'data-part': 'holders' },
    h('h2', { id: 'ent-holders' }, title),
    h('p', { class: 'hint' }, t('ent.holders.hint')),
    holders.length
      ? table(title, [t('reps.name'), 'NISS', t('ent.holders.role')], holders.map((p) => h('tr', {},
        h('th', { scope: 'row' }, p.name), h('td', {}, p.niss), h('td', {}, t(p.curator ? 'ent.holders.curator' : 'ent.holders.signer')))))
      : h('p', {}, t('ent.holders.none')));
}

function historySection(events) {
  const title = t('ent.history');
  return h('section', { 'aria-labelledby': 'ent-history', 'data-part': 'history' },
    h('h2', { id: 'ent-history' }, title),
    events.length
      ? table(title, [t('ent.history.when'), t('ent.history.what')], events.map((e) => h('tr', { 'data-kind': e.kind },
        h('th', { scope: 'row' }, dateText(e.on)), h('td', {}, e.summary))))
      : h('p', {}, t('ent.history.none')));
}

function actionForm(enterprise, [operation, inputType, inputs], reload) {
  const general = errorBox();
  const controls = inputs.map(([name, kind]) => {
    const control = Array.isArray(kind)
      ? h('select', { name }, kind.map((value) => h('option', { value }, t(`ent.${name}.${value}`))))
      : h('input', { type: kind, name, autocomplete: 'off' });
    return [name, control];
  });
  const form = h('form', { class: 'panel action-form', 'data-action': operation, novalidate: true },
    h('h3', {}, t(`ent.${operation}`)),
    h('p', { class: 'hint' }, t(`ent.${operation}.hint`)),
    controls.map(([name, control]) => field(t(`ent.${name}`), control, { name })),
    general,
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, t(`ent.${operation}.submit`))));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const input = { principalNumber: enterprise.enterpriseNumber };
    for (const [name, control] of controls) input[name] = control.value.trim();
    try {
      const data = await gql(`mutation($input: ${inputType}!) { ${operation}(input: $input) { ${PAYLOAD} } }`, { input });
      const payload = data[operation];
      if (refused(payload, form, general)) return;
      const message = t('ent.done', { n: payload.mandates.length });
      sessionStorage.setItem('mandates.enterprise.done', message);
      reload();
    } catch (error) {
      failure(error, form);
    }
  });
  return form;
}

export async function enterpriseView({ root, params, match, state: { viewer } }) {
  root.append(h('h1', {}, t('ent.title')));
  const number = match[1] ? decodeURIComponent(match[1]) : params.get('number') || (viewer.enterprise && !viewer.isOfficer ? viewer.enterprise.enterpriseNumber : '');
  const lookup = h('input', { type: 'text', name: 'number', value: number, autocomplete: 'off' });
  const form = h('form', { class: 'panel', role: 'search', 'aria-label': t('ent.lookup') },
    field(t('ent.number'), lookup, { name: 'number', hint: t('ent.number.hint') }),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, t('ent.lookup'))));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    location.hash = `/enterprise/${encodeURIComponent(lookup.value.trim())}`;
  });
  root.append(form);
  if (!number) return;
  const done = sessionStorage.getItem('mandates.enterprise.done');
  if (done) {
    sessionStorage.removeItem('mandates.enterprise.done');
    root.append(h('p', { class: 'banner', role: 'status' }, done));
    announce(done);
  }
  const { enterprise } = await gql(ENTERPRISE, { number });
  if (!enterprise) {
    root.append(h('p', { class: 'alert alert-error', role: 'alert' }, t('ent.unknown', { number })));
    return;
  }
  root.append(h('section', { 'aria-labelledby': 'ent-name' },
    h('h2', { id: 'ent-name' }, enterprise.name),
    facts([
      [t('ent.number'), enterprise.enterpriseNumber],
      [t('ent.nsso'), enterprise.nssoNumber],
      [t('ent.ssa'), enterprise.ssaNumber],
      [t('ent.address'), enterprise.address],
      [t('ent.kinds'), enterprise.kinds.map((k) => t(`ent.kind.${k}`)).join(', ')],
      [t('ent.legalForm'), enterprise.legalForm ? `${enterprise.legalForm.code} — ${localised(enterprise.legalForm.descriptions, enterprise.legalForm.name)}` : null],
      [t('ent.activity'), `${dateText(enterprise.activeFrom)} – ${enterprise.activeUntil ? dateText(enterprise.activeUntil) : '…'}`],
      [t('ent.deletedOn'), dateText(enterprise.deletedOn)],
      [t('ent.knownInCbe'), t(enterprise.knownInCbe ? 'yes' : 'no')],
      [t('ent.branches'), enterprise.branches.map((b) => `${b.code} — ${b.name}`).join(', ')],
    ])));
  root.append(h('h2', {}, t('ent.representatives')), enterprise.representatives.length
    ? table(t('ent.representatives'), [t('reps.name'), 'NISS', t('reps.function'), t('reps.canSign')],
      enterprise.representatives.map((r) => h('tr', {}, h('th', { scope: 'row' }, r.name), h('td', {}, r.niss || '—'),
        h('td', {}, `${r.functionCode} — ${r.functionName}`), h('td', {}, t(r.canSign ? 'yes' : 'no')))))
    : h('p', {}, t('reps.own.none')));
  if (enterprise.competenceHolders) root.append(holdersSection(enterprise.competenceHolders));
  const sides = await Promise.all([{ principalNumber: number }, { mandataryNumber: number }]
    .map((filter) => gql(MANDATES, { filter })));
  for (const [key, { mandates }] of [['ent.asPrincipal', sides[0]], ['ent.asMandatary', sides[1]]]) {
    const caption = t(key, { n: mandates.totalCount });
    root.append(h('section', { 'data-side': key }, h('h2', {}, caption), mandatesTable(caption, mandates.edges.map((e) => e.node))));
  }
  if (enterprise.history) root.append(historySection(enterprise.history));
  if (viewer.isOfficer) {
    root.append(h('section', { class: 'officer-actions', 'aria-labelledby': 'ent-actions' },
      h('h2', { id: 'ent-actions' }, t('ent.actions')),
      ACTIONS.map((action) => actionForm(enterprise, action, () => {
        const { hash } = location;
        window.dispatchEvent(new HashChangeEvent('hashchange', { newURL: hash }));
      }))));
  }
}
