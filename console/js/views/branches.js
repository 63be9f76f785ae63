// The bulk branch transfer (R-SSA-3): a social secretariat's spreadsheet of employer files moving to
// another of its branches, uploaded by an officer for any SSA or by the SSA's own manager for its own
// files (the file reaches the NSSO's registry either way); all or nothing, every refused line named
// with its row and reason. The template is a workbook with the three columns the import reads.

import { gqlWithFile } from '../api.js';
import { failure } from '../core.js';
import { announce, append, errorBox, field, h, table } from '../dom.js';
import { t } from '../i18n.js';

const IMPORT = `mutation($input: ImportBranchChangesInput!) { importBranchChanges(input: $input) {
  applied mandatesMoved refusedLines { line reason } userErrors { code field message } } }`;
export const TEMPLATE = 'templates/branch-changes.xlsx';

/** Who sends a file: an officer, or a manager acting for an approved social secretariat (its own files). */
export function sendsBranchFiles(viewer) {
  return viewer.isOfficer || (viewer.canManage && Boolean(viewer.enterprise?.kinds.includes('SOCIAL_SECRETARIAT')));
}

export async function branchesView({ root, state: { viewer } }) {
  const own = !viewer.isOfficer && viewer.enterprise;
  append(root, [h('h1', {}, t('branches.title')), h('p', {}, t('branches.intro')),
    own ? h('p', {}, t('branches.intro.ssa', { ssa: `${own.name}, ${own.ssaNumber || own.enterpriseNumber}` })) : null,
    h('p', {}, h('a', { href: TEMPLATE, download: 'branch-changes.xlsx', 'data-template': '' }, t('branches.template')))]);
  const file = h('input', { type: 'file', name: 'file', accept: '.xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' });
  const general = errorBox();
  const confirm = h('div', { class: 'confirm', hidden: true });
  const result = h('div', { class: 'result', 'aria-live': 'polite' });
  const form = h('form', { class: 'panel', novalidate: true },
    field(t('branches.file'), file, { name: 'file', hint: t('branches.file.hint') }),
    general,
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, t('branches.next'))),
    confirm);

  async function send(chosen) {
    result.replaceChildren();
    try {
      const { importBranchChanges: payload } = await gqlWithFile(IMPORT, { input: { file: null } }, 'input.file', chosen);
      if (payload.refusedLines.length) {
        const caption = t('branches.refused', { n: payload.refusedLines.length });
        // The confirm button that had the focus is hidden: the focus goes to the refusal, not to the page's top.
        const title = h('h2', { id: 'refused-title', tabindex: '-1' }, caption);
        result.append(title,
          h('p', { class: 'alert alert-error', role: 'alert' }, t('branches.nothing')),
          table(caption, [t('branches.row'), t('branches.reason')],
            payload.refusedLines.map((l) => h('tr', { 'data-line': l.line }, h('th', { scope: 'row' }, String(l.line)), h('td', {}, l.reason)))));
        announce(caption);
        title.focus();
        return;
      }
      if (payload.userErrors.length) {
        general.hidden = false;
        general.textContent = payload.userErrors.map((e) => e.message).join(' ');
        general.focus();
        return;
      }
      const message = t('branches.done', { lines: payload.applied, mandates: payload.mandatesMoved });
      const banner = h('p', { class: 'banner', role: 'status', tabindex: '-1' }, message);
      result.append(banner);
      announce(message);
      banner.focus();
    } catch (error) {
      failure(error, result);
    }
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    general.hidden = true;
    const chosen = file.files[0];
    if (!chosen) {
      general.hidden = false;
      general.textContent = t('branches.file.missing');
      general.focus();
      return;
    }
    const button = h('button', { type: 'button', class: 'primary', 'data-confirm': '' }, t('branches.confirm'));
    button.addEventListener('click', async () => {
      confirm.hidden = true;
      await send(chosen);
    });
    confirm.replaceChildren(h('p', {}, t('branches.confirm.text', { name: chosen.name })), button);
    confirm.hidden = false;
    button.focus();
  });
  root.append(form, result);
}
