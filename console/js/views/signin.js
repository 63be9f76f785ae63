// Sign-in: the development personas (server-minted tokens, absent in production) or a pasted bearer token.

import { clearToken, devPersonas, devToken, setToken } from '../api.js';
import { failure, loadViewer, navigate, state } from '../core.js';
import { append, errorBox, field, h, validate } from '../dom.js';
import { t } from '../i18n.js';

export async function signinView({ root }) {
  const message = sessionStorage.getItem('mandates.message');
  sessionStorage.removeItem('mandates.message');
  append(root, [
    h('h1', {}, t('signin.title')),
    h('p', {}, t('signin.intro')),
    message ? h('p', { class: 'alert alert-error', role: 'alert' }, message) : null,
  ]);

  const personas = state.developmentSignIn ? await devPersonas() : null;
  if (personas) {
    const list = h('ul', { class: 'personas' });
    for (const persona of personas) {
      const button = h('button', { type: 'button', class: 'persona', 'data-persona': persona.key },
        h('span', { class: 'persona-name' }, t('signin.dev.as', { name: persona.name })),
        h('span', { class: 'persona-org' }, persona.enterprise ? t('signin.persona.enterprise', { number: persona.enterprise }) : t('signin.persona.officer'),
          ` · ${persona.scope}`),
        h('span', { class: 'persona-description' }, persona.description));
      button.addEventListener('click', async () => {
        try {
          await signIn(await devToken(persona.key));
        } catch (error) {
          failure(error, section);
        }
      });
      list.append(h('li', {}, button));
    }
    const section = h('section', { class: 'panel development', 'aria-labelledby': 'dev-title' },
      h('h2', { id: 'dev-title' }, t('signin.dev.title')),
      h('p', { class: 'development-note' }, t('signin.dev.note')),
      list);
    root.append(section);
  }

  const input = h('textarea', { name: 'token', rows: 4, autocomplete: 'off', spellcheck: 'false', required: true });
  const general = errorBox();
  const form = h('form', { class: 'panel', 'aria-labelledby': 'token-title', novalidate: true },
    general,
    h('h2', { id: 'token-title' }, t('signin.token.title')),
    field(t('signin.token.label'), input, { hint: t('signin.token.hint'), wide: true, name: 'token' }),
    h('button', { type: 'submit', class: 'primary' }, t('signin.token.submit')));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!validate(form, general, [[!input.value.trim(), 'token', t('signin.token.empty')]])) return;
    try {
      await signIn(input.value);
    } catch (error) {
      failure(error, form);
    }
  });
  root.append(form);
}

async function signIn(value) {
  setToken(value);
  try {
    await loadViewer();
  } catch (error) {
    clearToken();
    throw error;
  }
  navigate('/');
}
