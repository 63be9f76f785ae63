// The mandate screen: the actions the viewer may take now, then all its data (R-SRCH-9), and the
// history in a tab of its own (R-LIFE-10). Opening a refusal counts as consulting it (R-DASH-5).

import { capabilities, enumValues } from '../api.js';
import { failure, navigate, sideIn, state, statusBadge } from '../core.js';
import { announce, append, checkbox, checkedValues, errorBox, field, fieldset, h, radio, refused, uid, validate, whileBusy } from '../dom.js';
import { dateText, dateTimeText, groupName, t } from '../i18n.js';
import { markRejectionConsulted, mutate, requestAuthorisation, signMandate, uploadAuthorisation } from '../mutations.js';
import { compareQuarters, lastDay, parseQuarter, quarterText } from '../quarters.js';
import { reviewForm } from './review.js';
import { AWAITING, authorisationMethods, authorisationsTable, delegationsTable, groupsTable, historyTable, loadMandate, mandateFacts, nextSteps, pdfLink, signaturesTable, signingStatement } from './parts.js';

const FLASH = 'mandates.flash';
const TERMINAL = ['CLOSED', 'CANCELLED'];
// The statuses of a mandate that took effect: an action on it may issue a new version of its authorisation (R-PDF-8).
const VERSIONED = ['ACTIVE', 'IDENTIFICATION', 'CLOSED'];

function path(id, tab) {
  return `/mandate/${encodeURIComponent(id)}${tab === 'history' ? '/history' : ''}`;
}

/** Re-reads the screen after an action, with a confirmation on top: `message`, the `lines` that detail it,
 * with `next`, what happens next (nextSteps), and with `version`, the signed link to the new version of the
 * authorisation the action issued. */
function after(id, message, { lines = [], next = false, version = null } = {}) {
  sessionStorage.setItem(FLASH, JSON.stringify({ message, lines, next, version }));
  announce([message, ...lines].join(' '));
  navigate(path(id));
}

function confirmation(flash, mandate) {
  const { message, lines, next, version } = JSON.parse(flash);
  return [
    h('div', { class: 'banner', role: 'status' }, h('p', {}, message), lines.length ? h('ul', {}, lines.map((line) => h('li', {}, line))) : null,
      version ? [h('p', { class: 'new-version' }, pdfLink(version, t('action.version.issued', { reference: mandate.reference }))), h('p', { class: 'hint' }, t('validate.pdf.hint'))] : null),
    next ? nextSteps(mandate) : null,
  ];
}

export async function mandateView({ root, match, params }) {
  const id = decodeURIComponent(match[1]);
  const tab = match[2] || 'data';
  const mandate = await loadMandate(id, tab === 'history');
  if (!mandate) {
    root.append(h('h1', {}, t('mandate.notFound')));
    return;
  }
  root.append(h('h1', {}, t('mandate.title', { reference: mandate.reference }), ' ', statusBadge(mandate.status)));
  root.append(h('nav', { class: 'tabs', 'aria-label': t('mandate.tabs') }, h('ul', {},
    ['data', 'history'].map((name) => h('li', {}, h('a', { href: `#${path(id, name)}`, 'aria-current': tab === name ? 'page' : null },
      t(`mandate.tab.${name}`)))))));
  const flash = sessionStorage.getItem(FLASH);
  sessionStorage.removeItem(FLASH);
  if (flash) append(root, confirmation(flash, mandate));

  if (tab === 'history') {
    root.append(historyTable(mandate));
    return;
  }
  if (mandate.rejection) root.append(await rejection(mandate, id));
  root.append(await actions(mandate, id, params.has('close')));
  root.append(
    h('section', { 'aria-labelledby': 'data-title' }, h('h2', { id: 'data-title' }, t('mandate.data')), mandateFacts(mandate)),
    h('section', { 'aria-labelledby': 'groups-title' }, h('h2', { id: 'groups-title' }, t('mandate.groups')), groupsTable(mandate)),
    h('section', { 'aria-labelledby': 'signatures-title' }, h('h2', { id: 'signatures-title' }, t('mandate.signatures')), signaturesTable(mandate)),
    h('section', { 'aria-labelledby': 'authorisations-title' }, h('h2', { id: 'authorisations-title' }, t('mandate.authorisations')), authorisationsTable(mandate)),
  );
  if (mandate.delegations.length) {
    const caps = capabilities();
    const side = sideIn(mandate);
    const canEnd = caps.mutations.has('endDelegation') && state.viewer.canManage && side === 'MANDATARY';
    root.append(h('section', { 'aria-labelledby': 'delegations-title' }, h('h2', { id: 'delegations-title' }, t('mandate.delegations')),
      delegationsTable(mandate, canEnd ? (d) => (TERMINAL.includes(d.status) ? '—' : endDelegationButton(d, id)) : null)));
  }
}

/** The refusal, consulted on opening by a manager of the side that sees it (R-DASH-5). */
async function rejection(mandate, id) {
  const side = sideIn(mandate);
  const column = side === 'PRINCIPAL' ? 'consultedByPrincipalAt' : 'consultedByMandataryAt';
  let consulted = side ? mandate.rejection[column] : null;
  if (mandate.status === 'REJECTED' && side && !consulted && state.viewer.canManage) {
    const payload = await markRejectionConsulted(id);
    if (!payload.userErrors.length) {
      consulted = payload.mandate.rejection[column];
      announce(t('action.consulted'));
    }
  }
  return h('section', { class: 'panel rejection', 'aria-labelledby': 'rejection-title' },
    h('h2', { id: 'rejection-title' }, t('mandate.rejection')),
    h('dl', { class: 'facts' },
      h('div', {}, h('dt', {}, t('mandate.rejection.reason')), h('dd', { class: 'rejection-reason' }, mandate.rejection.reason)),
      h('div', {}, h('dt', {}, t('mandate.rejection.at')), h('dd', {}, dateTimeText(mandate.rejection.rejectedAt)))),
    consulted ? h('p', { class: 'hint consulted' }, t('mandate.rejection.consulted', { date: dateTimeText(consulted) })) : null);
}

async function actions(mandate, id, closing) {
  const caps = capabilities();
  const viewer = state.viewer;
  const side = sideIn(mandate);
  const manager = viewer.canManage && side !== null;
  const status = mandate.status;
  const signedBy = new Set(mandate.signatures.map((s) => s.party));
  const items = [];

  // Validation by authentication: the encoder first, then the counterparty; never after an eID signature (R-SIGN-4, R-SIGN-6).
  const mayAuthenticate = (status === 'TO_BE_FINALISED' && side === mandate.encoder) || (status === 'PENDING' && side !== mandate.encoder);
  if (manager && !signedBy.has(side) && mayAuthenticate && !mandate.signatures.some((s) => s.method === 'EID')) {
    items.push(signAction(mandate, id));
  }
  if (manager && AWAITING.includes(status)) {
    items.push(requestAction(id, authorisationMethods(status)));
    if (mandate.authorisations.length) items.push(uploadAction(id));
  }
  // The new version of the authorisation a closure or a branch change issued, still to upload (R-PDF-8).
  const last = mandate.authorisations[mandate.authorisations.length - 1];
  if (manager && VERSIONED.includes(status) && last && !last.uploadedAt) items.push(uploadAction(id));
  if ((manager || viewer.isOfficer) && status === 'ACTIVE' && mandate.groups.some((g) => !g.endQuarter)) {
    items.push(caps.mutations.has('closeMandate') ? await closeAction(mandate, id, closing, manager) : missing(t('action.close')));
  }
  if (viewer.isOfficer && status === 'TO_BE_VALIDATED') {
    items.push(h('details', { class: 'action', open: true }, h('summary', {}, t('action.review')), await reviewForm(mandate, (message) => after(id, message))));
  }
  if (viewer.isOfficer && caps.mutations.has('annulMandate') && status !== 'CANCELLED') items.push(await annulAction(id));
  if (manager && side === 'MANDATARY' && mandate.mandatary.branches.length && !TERMINAL.includes(status) && caps.mutations.has('changeBranch')) {
    items.push(branchAction(mandate, id, VERSIONED.includes(status)));
  }
  if (manager && side === 'MANDATARY' && status === 'ACTIVE' && caps.mutations.has('createDelegation')) items.push(await delegateAction(mandate, id));

  return h('section', { class: 'panel actions-panel', 'aria-labelledby': 'actions-title' },
    h('h2', { id: 'actions-title' }, t('mandate.actions')),
    items.length ? items : h('p', {}, t('mandate.actions.none')));
}

function missing(name) {
  return h('p', { class: 'hint' }, t('action.missing', { action: name }));
}

function signAction(mandate, id) {
  const general = errorBox();
  const button = h('button', { type: 'button', class: 'primary', id: 'action-sign' }, t('action.sign'));
  const form = h('form', { class: 'action', onsubmit: (e) => e.preventDefault() },
    general, h('h3', {}, t('validate.acceptSign')), h('p', { class: 'hint' }, t('action.sign.hint')), signingStatement(mandate), button);
  button.addEventListener('click', () => whileBusy(button, async () => {
    try {
      const payload = await signMandate(id);
      if (!refused(payload, form, general)) after(id, t('action.signed', { status: t(`status.${payload.mandate.status}`) }), { next: true });
    } catch (error) {
      failure(error, form);
    }
  }));
  return form;
}

function requestAction(id, methods) {
  const general = errorBox();
  const form = h('form', { class: 'action' },
    h('h3', {}, t('action.request')),
    fieldset(t('action.request.method'), methods.map((method, i) => radio(t(`validate.method.${method}`), { name: 'method', value: method, checked: i === 0 })), { name: 'method' }),
    general,
    h('button', { type: 'submit', id: 'action-request' }, t('validate.getPdf')));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      const payload = await requestAuthorisation(id, form.querySelector('input[name="method"]:checked').value);
      if (!refused(payload, form, general)) after(id, t('action.requested'));
    } catch (error) {
      failure(error, form);
    }
  });
  return form;
}

function uploadAction(id) {
  const general = errorBox();
  const input = h('input', { type: 'file', name: 'file', accept: 'application/pdf,.pdf', id: 'action-file' });
  const form = h('form', { class: 'action' },
    h('h3', {}, t('action.upload')),
    field(t('validate.upload'), input, { hint: t('validate.upload.hint'), name: 'file' }),
    general,
    h('button', { type: 'submit', class: 'primary', id: 'action-upload' }, t('validate.acceptSign')));
  const button = form.querySelector('#action-upload');
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    return whileBusy(button, async () => {
      if (!validate(form, general, [[!input.files.length, 'file', t('validate.upload.missing')]])) return;
      try {
        const payload = await uploadAuthorisation(id, input.files[0]);
        if (!refused(payload, form, general)) after(id, t('action.uploaded', { status: t(`status.${payload.mandate.status}`) }), { next: true });
      } catch (error) {
        failure(error, form);
      }
    });
  });
  return form;
}

/** The new version of the authorisation a closure or a branch change may issue in the same request, for a manager
 * of either party (R-PDF-8): none, or the method it is to be signed by. `chosen()` is the method, or null. */
function versionChoice() {
  const name = uid('version');
  const element = fieldset(t('action.version'), [
    radio(t('action.version.none'), { name, value: '', checked: true }),
    // Both methods a PDF is issued for; paper, once closed for this principal, is refused next to this choice (R-SIGN-9).
    ...['EID', 'HANDWRITTEN'].map((method) => radio(t(`validate.method.${method}`), { name, value: method })),
  ], { hint: t('action.version.hint'), name: 'method' });
  return { element, chosen: () => element.querySelector(`input[name="${name}"]:checked`).value || null };
}

/** What a mutation that may issue a new version returns: the mandate's authorisations, its new version last. */
const WITH_VERSIONS = 'mandate { id authorisations { downloadUrl } }';

function newVersionLink(payload, method) {
  return method ? payload.mandate.authorisations[payload.mandate.authorisations.length - 1].downloadUrl : null;
}

/** Closing some or all groups with an end quarter and a reason, confirmed by a second step "Next" (R-MOD-2..4);
 * a manager may ask for the new version of the authorisation with it. */
async function closeAction(mandate, id, closing, manager) {
  const open = mandate.groups.filter((g) => !g.endQuarter);
  const reasons = enumValues('ClosureReason');
  const general = errorBox();
  const all = h('input', { type: 'checkbox', id: 'close-all' });
  const boxes = open.map((g) => checkbox(groupName(g.group), { name: 'groups', value: g.group.code, id: `close-${g.group.code}` }));
  all.addEventListener('change', () => {
    for (const box of boxes) box.querySelector('input').checked = all.checked;
  });
  const endInput = h('input', { type: 'text', name: 'endQuarter', inputmode: 'numeric', placeholder: quarterText(state.currentQuarter), autocomplete: 'off' });
  const reasonSelect = h('select', { name: 'reason' }, h('option', { value: '' }, t('action.close.reason.none')),
    reasons.map((r) => h('option', { value: r }, t(`reason.${r}`))));
  const reasonText = h('textarea', { name: 'reasonText', rows: 2 });
  const preview = h('div', { class: 'preview', hidden: true, tabindex: '-1' });
  const version = manager ? versionChoice() : null;
  const entry = h('div', { class: 'close-entry' },
    fieldset(t('action.close.groups'), [h('div', { class: 'check' }, all, h('label', { for: 'close-all' }, t('action.close.all'))), ...boxes], { name: 'groups' }),
    field(t('action.close.end'), endInput, { hint: t('action.close.end.hint'), name: 'endQuarter' }),
    field(t('action.close.reason'), reasonSelect, { hint: t('action.close.reason.hint'), name: 'reason' }),
    field(t('action.close.text'), reasonText, { name: 'reasonText' }),
    version ? version.element : null,
    h('div', { class: 'actions' }, h('button', { type: 'submit', id: 'close-next' }, t('next'))));
  const form = h('form', { class: 'close-form', novalidate: true }, general, entry, preview);

  const chosen = () => checkedValues(form, 'groups');
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const quarter = parseQuarter(endInput.value);
    if (!validate(form, general, [
      [!chosen().length, 'groups', t('action.close.noGroup')],
      [!quarter, 'endQuarter', t('action.close.badQuarter')],
    ])) return;
    // Step 2: what will change, before anything is recorded.
    const codes = chosen();
    const names = open.filter((g) => codes.includes(g.group.code)).map((g) => groupName(g.group));
    const ending = names.map((name) => t('action.close.previewLine', { group: name, date: dateText(lastDay(quarter)), quarter: quarterText(quarter) }));
    const delegations = mandate.delegations.filter((d) => !TERMINAL.includes(d.status) && d.groups.some((g) => codes.includes(g.code)));
    const method = version ? version.chosen() : null;
    const back = h('button', { type: 'button', id: 'close-back' }, t('back'));
    const confirm = h('button', { type: 'button', class: 'primary', id: 'close-confirm' }, t('action.close.confirm'));
    preview.replaceChildren();
    append(preview, [
      h('h4', {}, t('action.close.preview')),
      h('ul', {}, ending.map((line) => h('li', {}, line))),
      compareQuarters(quarter, state.currentQuarter) < 0 ? h('p', { class: 'alert alert-warning' }, t('action.close.late', { quarter: quarterText(quarter) })) : null,
      delegations.length ? h('p', {}, t('action.close.delegations', { list: delegations.map((d) => `${d.delegate.name} (${d.fromQuarter} – ${d.toQuarter})`).join('; ') })) : null,
      reasonSelect.value ? h('p', {}, `${t('action.close.reason')}: ${t(`reason.${reasonSelect.value}`)}${reasonText.value ? ` — ${reasonText.value}` : ''}`) : null,
      method ? h('p', {}, t('action.version.preview')) : null,
      h('div', { class: 'actions' }, back, confirm)]);
    entry.hidden = true;
    preview.hidden = false;
    preview.focus();
    back.addEventListener('click', () => {
      preview.hidden = true;
      entry.hidden = false;
      endInput.focus();
    });
    confirm.addEventListener('click', async () => {
      confirm.disabled = true;
      try {
        const input = {
          mandateId: id,
          endQuarter: quarterText(quarter),
          groups: codes,
          reason: reasonSelect.value || null,
          reasonText: reasonText.value.trim() || null,
          newAuthorisation: method ? { method } : null,
        };
        const payload = await mutate('closeMandate', 'CloseMandateInput', input, WITH_VERSIONS);
        if (payload.userErrors.length) {
          preview.hidden = true;
          entry.hidden = false;
          refused(payload, form, general);
          return;
        }
        after(id, t('action.closed'), { lines: ending, version: newVersionLink(payload, method) });
      } catch (error) {
        failure(error, form);
      } finally {
        confirm.disabled = false;
      }
    });
  });
  return h('details', { class: 'action', id: 'close-action', open: closing }, h('summary', {}, t('action.close')), h('p', { class: 'hint' }, t('action.close.hint')), form);
}

async function annulAction(id) {
  const general = errorBox();
  const reason = h('textarea', { name: 'reason', rows: 2, required: true });
  const form = h('form', { class: 'action' }, field(t('action.annul.reason'), reason, { name: 'reason' }), general,
    h('button', { type: 'submit', class: 'danger' }, t('action.annul')));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!validate(form, general, [[!reason.value.trim(), 'reason', t('action.annul.missing')]])) return;
    try {
      const payload = await mutate('annulMandate', 'AnnulMandateInput', { mandateId: id, reason: reason.value.trim() });
      if (!refused(payload, form, general)) after(id, t('action.annulled'));
    } catch (error) {
      failure(error, form);
    }
  });
  return h('details', { class: 'action' }, h('summary', {}, t('action.annul')), form);
}

/** Moving the file to another branch of the SSA, or back to its head office; once the mandate took effect,
 * with the new version of the authorisation if asked (R-ENT-3, R-PDF-8). */
function branchAction(mandate, id, versioned) {
  const general = errorBox();
  const select = h('select', { name: 'branchCode' }, mandate.mandatary.branches.map((b) => h('option', {
    value: b.code, selected: mandate.branch && mandate.branch.code === b.code,
  }, `${b.code} — ${b.name}`)));
  const version = versioned ? versionChoice() : null;
  const form = h('form', { class: 'action' }, field(t('mandate.branch'), select, { name: 'branchCode' }), version ? version.element : null, general,
    h('button', { type: 'submit' }, t('action.branch')));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const method = version ? version.chosen() : null;
    try {
      const input = { mandateId: id, branchCode: select.value, newAuthorisation: method ? { method } : null };
      const payload = await mutate('changeBranch', 'ChangeBranchInput', input, WITH_VERSIONS);
      if (!refused(payload, form, general)) after(id, t('action.branch.done'), { version: newVersionLink(payload, method) });
    } catch (error) {
      failure(error, form);
    }
  });
  return h('details', { class: 'action' }, h('summary', {}, t('action.branch')), form);
}

async function delegateAction(mandate, id) {
  const general = errorBox();
  const number = h('input', { type: 'text', name: 'delegateNumber', autocomplete: 'off' });
  const from = h('input', { type: 'text', name: 'fromQuarter', inputmode: 'numeric', placeholder: 'N/YYYY' });
  const to = h('input', { type: 'text', name: 'toQuarter', inputmode: 'numeric', placeholder: 'N/YYYY' });
  const form = h('form', { class: 'action' },
    field(t('action.delegate.number'), number, { name: 'delegateNumber' }),
    fieldset(t('action.delegate.groups'), mandate.groups.filter((g) => g.group.delegable !== false)
      .map((g) => checkbox(groupName(g.group), { name: 'groups', value: g.group.code })), { name: 'groups' }),
    field(t('action.delegate.from'), from, { name: 'fromQuarter' }),
    field(t('action.delegate.to'), to, { name: 'toQuarter' }),
    general,
    h('button', { type: 'submit' }, t('action.delegate')));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const groups = checkedValues(form, 'groups');
    if (!validate(form, general, [
      [!number.value.trim(), 'delegateNumber', t('action.delegate.missing.number')],
      [!groups.length, 'groups', t('action.delegate.missing.groups')],
      [!parseQuarter(from.value), 'fromQuarter', t('action.close.badQuarter')],
      [!parseQuarter(to.value), 'toQuarter', t('action.close.badQuarter')],
    ])) return;
    try {
      const input = {
        mandateId: id, delegateNumber: number.value.trim(), groups, fromQuarter: from.value.trim(), toQuarter: to.value.trim(),
      };
      const payload = await mutate('createDelegation', 'CreateDelegationInput', input, 'delegation { id }');
      if (!refused(payload, form, general)) after(id, t('action.delegate.done'));
    } catch (error) {
      failure(error, form);
    }
  });
  return h('details', { class: 'action' }, h('summary', {}, t('action.delegate')), form);
}

function endDelegationButton(delegation, id) {
  const button = h('button', { type: 'button' }, t('action.delegate.end'));
  button.addEventListener('click', async () => {
    try {
      const payload = await mutate('endDelegation', 'EndDelegationInput', { delegationId: delegation.id }, 'delegation { id }');
      if (payload.userErrors.length) announce(payload.userErrors.map((e) => e.message).join(' '));
      else after(id, t('action.delegate.ended'));
    } catch (error) {
      failure(error, button.parentElement);
    }
  });
  return button;
}
