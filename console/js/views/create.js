// Creating a mandate in three steps (R-CRE-2): data introduction → validation → summary.
// The mandate is registered at the end of the first step; the second validates it by authentication
// ("accept and sign") or through the authorisation PDF; the third reads it back under a banner.

import { gql } from '../api.js';
import { failure, navigate, sideIn, state } from '../core.js';
import { announce, checkbox, checkedValues, clearErrors, errorBox, field, fieldset, h, radio, refused, showErrors, validate } from '../dom.js';
import { groupName, t } from '../i18n.js';
import { addQuarters, quarterText } from '../quarters.js';
import { requestAuthorisation, signMandate, uploadAuthorisation } from '../mutations.js';
import { AWAITING, authorisationMethods, groupsTable, loadMandate, mandateFacts, nextSteps, pdfLink, signaturesTable, signingStatement } from './parts.js';

const GROUPS = '{ applicationGroups { code name nameFr nameNl nameDe category maxMandataries requires employerOnly delegable } }';
const CREATE = `mutation($input: CreateMandateInput!) { createMandate(input: $input) { mandate { id reference } userErrors { code field message } } }`;
const LOOKUP = 'query($number: String!) { enterprise(number: $number) { name enterpriseNumber ssaNumber kinds branches { code name } } }';

function steps(current) {
  return h('ol', { class: 'steps', 'aria-label': t('create.steps') },
    [1, 2, 3].map((n) => h('li', { 'aria-current': n === current ? 'step' : null, class: n < current ? 'done' : '' }, t(`create.step${n}`))));
}

function header(root, n) {
  root.append(h('h1', {}, t('create.title')), steps(n), h('h2', { class: 'step-title' }, t('create.step', { n, name: t(`create.step${n}`) })));
}

/** The header of step `n` (2 or 3) and the mandate it is about; null, said on screen, when there is none. */
async function stepMandate(root, n, id) {
  header(root, n);
  const mandate = await loadMandate(id);
  if (!mandate) root.append(h('p', { class: 'alert alert-error', role: 'alert' }, t('mandate.notFound')));
  return mandate;
}

export async function createView({ root, match }) {
  const [, step, id] = match;
  if (step === 'validate') return validation(root, decodeURIComponent(id));
  if (step === 'summary') return summary(root, decodeURIComponent(id));
  return introduction(root);
}

/** The rules of a group, as shown under its box. */
function rules(group, all) {
  const parts = [];
  if (group.maxMandataries === 1) parts.push(t('rules.single'));
  else if (group.maxMandataries == null) parts.push(t('rules.unlimited'));
  else if (group.code === 'DIMONA' || group.code === 'FLEXI' || all.some((g) => g.requires.includes(group.code))) {
    parts.push(t('rules.masterSecondary', { n: group.maxMandataries }));
  } else parts.push(t('rules.max', { n: group.maxMandataries }));
  if (group.requires.length) {
    parts.push(t('rules.requires', { groups: group.requires.map((code) => groupName(all.find((g) => g.code === code) || { name: code })).join(', ') }));
  }
  if (group.employerOnly) parts.push(t('rules.employerOnly'));
  if (!group.delegable) parts.push(t('rules.notDelegable'));
  return parts.join(' · ');
}

async function introduction(root) {
  header(root, 1);
  const viewer = state.viewer;
  if (!viewer.canManage) {
    root.append(h('p', { class: 'alert alert-error', role: 'alert' }, t('create.notAllowed')));
    return;
  }
  const { applicationGroups } = await gql(GROUPS);
  const own = viewer.enterprise;
  const provider = own && own.kinds.some((kind) => kind === 'SERVICE_PROVIDER' || kind === 'SOCIAL_SECRETARIAT');
  const general = errorBox();

  // The counterparty: the mandatary when the viewer's enterprise gives the mandate, the principal otherwise.
  const mandataryInput = h('input', { type: 'text', name: 'mandataryNumber', autocomplete: 'off', inputmode: 'text', spellcheck: 'false' });
  const principalInput = h('input', { type: 'text', name: 'principalNumber', autocomplete: 'off', spellcheck: 'false' });
  const found = h('p', { class: 'found', 'aria-live': 'polite' });
  const branchSelect = h('select', { name: 'branchCode' });
  const branchField = field(t('create.branch'), branchSelect, { hint: t('create.branch.hint'), name: 'branchCode' });
  const mandataryField = field(t('create.mandatary'), mandataryInput, { hint: t('create.mandatary.hint'), name: 'mandataryNumber' });
  const principalField = field(t('create.principal'), principalInput, { hint: t('create.principal.hint'), name: 'principalNumber' });
  mandataryField.append(found);

  function setBranches(branches) {
    branchSelect.replaceChildren(h('option', { value: '' }, t('create.branch.head')),
      ...branches.map((b) => h('option', { value: b.code }, `${b.code} — ${b.name}`)));
    branchField.hidden = branches.length === 0;
  }

  let side = provider ? 'MANDATARY' : 'PRINCIPAL';
  function showSide() {
    mandataryField.hidden = side !== 'PRINCIPAL';
    principalField.hidden = side !== 'MANDATARY';
    setBranches(side === 'MANDATARY' && own ? own.branches : []);
    found.textContent = '';
  }
  const sideChoice = provider
    ? fieldset(t('create.side'), ['PRINCIPAL', 'MANDATARY'].map((value) => radio(t(`create.side.${value}`), {
      name: 'side', value, checked: value === side, onchange: () => { side = value; showSide(); },
    })), { name: 'side' })
    : null;

  mandataryInput.addEventListener('change', async () => {
    const number = mandataryInput.value.trim();
    found.textContent = '';
    setBranches([]);
    if (!number) return;
    try {
      const { enterprise } = await gql(LOOKUP, { number });
      found.textContent = enterprise ? t('create.found', { name: enterprise.name }) : t('create.notFound');
      if (enterprise) setBranches(enterprise.branches);
    } catch {
      found.textContent = ''; // a malformed number is refused next to the field on "Validate"
    }
  });

  const categories = [...new Set(applicationGroups.map((g) => g.category))];
  const groupBoxes = categories.map((category) => h('div', { class: 'group-category' },
    h('p', { class: 'category' }, t(`category.${category}`)),
    applicationGroups.filter((g) => g.category === category).map((group) => checkbox(groupName(group),
      { name: 'groups', value: group.code, id: `group-${group.code}`, 'aria-describedby': `group-${group.code}-rules` },
      rules(group, applicationGroups)))));

  const current = state.currentQuarter;
  const startSelect = h('select', { name: 'startQuarter' },
    [-4, -3, -2, -1, 0, 1, 2, 3, 4].map((k) => {
      const q = quarterText(addQuarters(current, k));
      return h('option', { value: q, selected: k === 0 }, q);
    }));

  const form = h('form', { class: 'panel', novalidate: true },
    general,
    sideChoice,
    mandataryField,
    principalField,
    branchField,
    fieldset(t('create.groups'), groupBoxes, { hint: t('create.groups.hint'), name: 'groups' }),
    field(t('create.start'), startSelect, { hint: t('create.start.hint'), name: 'startQuarter' }),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, t('create.validate'))));
  showSide();

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const number = (side === 'PRINCIPAL' ? mandataryInput : principalInput).value.trim();
    if (!validate(form, general, [
      [!number, side === 'PRINCIPAL' ? 'mandataryNumber' : 'principalNumber', t('create.number.missing')],
      [!checkedValues(form, 'groups').length, 'groups', t('create.groups.missing')],
    ])) return;
    const input = {
      groups: checkedValues(form, 'groups'),
      startQuarter: startSelect.value,
      branchCode: branchField.hidden || !branchSelect.value ? null : branchSelect.value,
    };
    if (side === 'PRINCIPAL') input.mandataryNumber = mandataryInput.value.trim();
    else input.principalNumber = principalInput.value.trim();
    const button = form.querySelector('button[type="submit"]');
    button.disabled = true;
    try {
      const { createMandate } = await gql(CREATE, { input });
      if (refused(createMandate, form, general)) return;
      navigate(`/create/validate/${encodeURIComponent(createMandate.mandate.id)}`);
    } catch (error) {
      failure(error, form);
    } finally {
      button.disabled = false;
    }
  });
  root.append(form);
}

async function validation(root, id) {
  const mandate = await stepMandate(root, 2, id);
  if (!mandate) return;
  root.append(h('p', {}, t('validate.intro')), mandateFacts(mandate), groupsTable(mandate));
  if (!AWAITING.includes(mandate.status) || !sideIn(mandate)) {
    root.append(h('p', {}, h('a', { href: `#/create/summary/${encodeURIComponent(id)}` }, t('create.step3'))));
    return;
  }
  const problem = errorBox();
  const show = (errors) => {
    const shown = errors.map(({ field, message }) => ({ field, message }));
    if (errors.some((e) => e.code === 'NOT_ALLOWED_TO_SIGN')) shown.push({ message: t('validate.notSignatory') });
    showErrors(form, shown, problem);
  };
  const done = (payload) => {
    if (payload.userErrors.length) {
      show(payload.userErrors);
      return;
    }
    navigate(`/create/summary/${encodeURIComponent(id)}`);
  };

  // "Accept and sign" by authentication, unless the electronic version of the authorisation is wanted.
  const wantsPdf = h('input', { type: 'checkbox', id: 'eversion', name: 'eversion' });
  const signButton = h('button', { type: 'button', class: 'primary', id: 'accept-sign' }, t('validate.acceptSign'));
  signButton.addEventListener('click', async () => {
    clearErrors(form);
    try {
      done(await signMandate(id));
    } catch (error) {
      failure(error, form);
    }
  });
  const byAuthentication = h('div', { class: 'by-authentication' }, signingStatement(mandate), h('div', { class: 'actions' }, signButton));

  const methodSet = fieldset(t('validate.method'), authorisationMethods(mandate.status).map((method, i) => radio(t(`validate.method.${method}`),
    { name: 'method', value: method, checked: i === 0 })), { name: 'method' });
  const pdfSlot = h('div', { class: 'pdf-slot', 'aria-live': 'polite' });
  const getPdf = h('button', { type: 'button', id: 'get-pdf' }, t('validate.getPdf'));
  getPdf.addEventListener('click', async () => {
    clearErrors(form);
    const method = form.querySelector('input[name="method"]:checked').value;
    try {
      const payload = await requestAuthorisation(id, method);
      if (payload.userErrors.length) {
        show(payload.userErrors);
        return;
      }
      pdfSlot.replaceChildren(pdfLink(payload.authorisation.downloadUrl, t('validate.pdf', { reference: mandate.reference })),
        h('p', { class: 'hint' }, t('validate.pdf.hint')));
      announce(t('action.requested'));
    } catch (error) {
      failure(error, form);
    }
  });
  const fileInput = h('input', { type: 'file', name: 'file', accept: 'application/pdf,.pdf' });
  const uploadButton = h('button', { type: 'button', class: 'primary', id: 'upload-sign' }, t('validate.acceptSign'));
  uploadButton.addEventListener('click', async () => {
    if (!validate(form, problem, [[!fileInput.files.length, 'file', t('validate.upload.missing')]])) return;
    try {
      done(await uploadAuthorisation(id, fileInput.files[0]));
    } catch (error) {
      failure(error, form);
    }
  });
  const byPdf = h('div', { class: 'by-pdf', hidden: true },
    methodSet,
    h('div', { class: 'actions' }, getPdf),
    pdfSlot,
    field(t('validate.upload'), fileInput, { hint: t('validate.upload.hint'), name: 'file' }),
    h('div', { class: 'actions' }, uploadButton));
  wantsPdf.addEventListener('change', () => {
    byAuthentication.hidden = wantsPdf.checked;
    byPdf.hidden = !wantsPdf.checked;
  });

  const form = h('form', { class: 'panel', onsubmit: (event) => event.preventDefault() },
    problem,
    h('div', { class: 'check' }, wantsPdf, h('label', { for: 'eversion' }, t('validate.eversion'))),
    h('p', { class: 'hint' }, t('validate.eversion.hint')),
    byAuthentication,
    byPdf);
  root.append(form, h('p', {}, h('a', { href: `#/mandate/${encodeURIComponent(id)}` }, t('validate.later'))));
}

async function summary(root, id) {
  const mandate = await stepMandate(root, 3, id);
  if (!mandate) return;
  root.append(
    h('div', { class: 'banner', role: 'status' },
      h('p', {}, h('strong', {}, t('summary.banner', { reference: mandate.reference }))),
      h('p', {}, t('summary.status', { status: t(`status.${mandate.status}`) }))),
    nextSteps(mandate),
    mandateFacts(mandate),
    groupsTable(mandate),
    h('h3', {}, t('mandate.signatures')),
    signaturesTable(mandate),
    h('ul', { class: 'links' },
      h('li', {}, h('a', { href: `#/mandate/${encodeURIComponent(id)}` }, t('summary.open'))),
      h('li', {}, h('a', { href: '#/' }, t('summary.home')))));
}
