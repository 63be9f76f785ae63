// What every screen shares: the viewer, the registry's today, navigation and error display.

import { ApiError, clearToken, gql } from './api.js';
import { h } from './dom.js';
import { t } from './i18n.js';
import { quarterOf } from './quarters.js';

const VIEWER = `{ viewer { niss name canManage isOfficer scopes
  enterprise { id enterpriseNumber name kinds ssaNumber legalForm { code name } branches { code name }
    representatives { niss name functionCode functionName canSign } } } }`;

export const state = { viewer: null, today: null, currentQuarter: null, developmentSignIn: false };

let renderer = () => {};
export function setRenderer(render) {
  renderer = render;
}

export function navigate(path) {
  if (location.hash === `#${path}`) renderer();
  else location.hash = path;
}

export async function loadSettings() {
  if (state.today) return;
  const response = await fetch('/console/settings.json', { headers: { Accept: 'application/json' } });
  const settings = await response.json();
  state.today = settings.today;
  state.currentQuarter = quarterOf(settings.today);
  state.developmentSignIn = settings.developmentSignIn;
}

export async function loadViewer() {
  state.viewer = (await gql(VIEWER)).viewer;
  return state.viewer;
}

export function signOut(message) {
  clearToken();
  state.viewer = null;
  sessionStorage.setItem('mandates.message', message || '');
  navigate('/signin');
}

/** Shows an error for a failed call in `into`; a lost session goes back to the sign-in. */
export function failure(error, into) {
  if (error instanceof ApiError && error.code === 'UNAUTHENTICATED') {
    signOut(t('error.session'));
    return null;
  }
  let text;
  if (error instanceof ApiError && error.code === 'NETWORK') text = t('error.network');
  else if (error instanceof ApiError && error.code === 'FORBIDDEN') text = t('error.forbidden', { message: error.message });
  else text = t('error.generic', { message: error.message });
  const box = h('p', { class: 'alert alert-error', role: 'alert' }, text);
  into.append(box);
  return box;
}

/** The side the viewer's enterprise stands on in a mandate (PRINCIPAL, MANDATARY or null). */
export function sideIn(mandate) {
  const own = state.viewer && state.viewer.enterprise && state.viewer.enterprise.enterpriseNumber;
  if (!own) return null;
  if (mandate.principal.enterpriseNumber === own) return 'PRINCIPAL';
  if (mandate.mandatary.enterpriseNumber === own) return 'MANDATARY';
  return null;
}

/** A status as a badge (its text, never its colour alone, says the status). */
export function statusBadge(status) {
  return h('span', { class: `badge status-${status.toLowerCase()}` }, t(`status.${status}`));
}
