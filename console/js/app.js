// The console: a hash router over the screens of the Mahis description, the header saying who acts
// for which enterprise with which right, and the language switch.

import { token } from './api.js';
import { failure, loadSettings, loadViewer, navigate, setRenderer, signOut, state } from './core.js';
import { clear, h } from './dom.js';
import { LANGUAGES, lang, setLang, t } from './i18n.js';
import { branchesView, sendsBranchFiles } from './views/branches.js';
import { competenceView } from './views/competence.js';
import { createView } from './views/create.js';
import { dashboardView, mandatesMenuView } from './views/dashboard.js';
import { delegationsView } from './views/delegations.js';
import { enterpriseView } from './views/enterprise.js';
import { foreignView } from './views/foreign.js';
import { identificationView } from './views/identification.js';
import { mandateView } from './views/mandate.js';
import { notificationsView } from './views/notifications.js';
import { representativesView } from './views/representatives.js';
import { reviewView } from './views/review.js';
import { searchView } from './views/search.js';
import { signinView } from './views/signin.js';
import { workView } from './views/work.js';

const ROUTES = [
  [/^\/signin$/, signinView],
  [/^\/$/, dashboardView],
  [/^\/mandates$/, mandatesMenuView],
  [/^\/create$/, createView],
  [/^\/create\/(validate|summary)\/([^/]+)$/, createView],
  [/^\/mandate\/([^/]+)(?:\/(history))?$/, mandateView],
  [/^\/search$/, searchView],
  [/^\/representatives$/, representativesView],
  [/^\/review$/, reviewView],
  [/^\/identification$/, identificationView],
  [/^\/work$/, workView],
  [/^\/enterprise(?:\/([^/]+))?$/, enterpriseView],
  [/^\/competence$/, competenceView],
  [/^\/delegations$/, delegationsView],
  [/^\/branches$/, branchesView],
  [/^\/foreign$/, foreignView],
  [/^\/notifications$/, notificationsView],
];
let renders = 0;
let moved = false; // the first screen keeps the focus at the top of the page, where the skip link is

function parseHash() {
  const raw = location.hash.startsWith('#/') ? location.hash.slice(1) : '/';
  const [path, query] = raw.split('?');
  return { path, params: new URLSearchParams(query || '') };
}

function renderHeader() {
  document.title = t('app.title');
  const who = document.getElementById('who');
  clear(who);
  const viewer = state.viewer;
  if (viewer) {
    const name = viewer.name || viewer.niss;
    let text;
    if (viewer.isOfficer) text = t('who.officer', { name, niss: viewer.niss });
    else if (viewer.enterprise) {
      text = t('who.person', {
        name,
        niss: viewer.niss,
        enterprise: viewer.enterprise.name,
        number: viewer.enterprise.enterpriseNumber,
        right: t(viewer.canManage ? 'right.manage' : 'right.consult'),
      });
    } else text = t('who.other', { name, niss: viewer.niss, scopes: viewer.scopes.join(', ') });
    who.append(text);
  }
  const nav = document.getElementById('nav');
  clear(nav);
  nav.setAttribute('aria-label', t('nav.label'));
  menuToggle(nav, Boolean(viewer));
  if (viewer) {
    const { path } = parseHash();
    const links = [
      ['/', 'nav.home'],
      viewer.canManage ? ['/create', 'nav.create'] : null,
      ['/search', 'nav.search'],
      viewer.isOfficer ? ['/work', 'nav.work'] : null,
      viewer.isOfficer ? ['/review', 'nav.review'] : null,
      ['/enterprise', 'nav.enterprise'],
      ['/competence', 'nav.competence'],
      viewer.enterprise ? ['/delegations', 'nav.delegations'] : null,
      sendsBranchFiles(viewer) ? ['/branches', 'nav.branches'] : null,
      viewer.isOfficer ? ['/foreign', 'nav.foreign'] : null,
      ['/notifications', 'nav.notifications'],
      ['/representatives', 'nav.representatives'],
      ['/identification', 'nav.identification'],
    ].filter(Boolean);
    nav.append(h('ul', {}, links.map(([target, key]) => h('li', {},
      h('a', { href: `#${target}`, 'aria-current': path === target ? 'page' : null }, t(key)))),
    h('li', {}, h('button', { type: 'button', class: 'link-button', onclick: () => signOut('') }, t('nav.signout')))));
  }
  const select = document.getElementById('language');
  document.querySelector('label[for="language"]').textContent = t('lang.label');
  if (!select.options.length) {
    for (const [code, label] of LANGUAGES) select.append(h('option', { value: code, lang: code }, label));
    select.addEventListener('change', () => {
      setLang(select.value);
      render();
    });
  }
  select.value = lang();
  const skip = document.getElementById('skip');
  skip.textContent = t('skip');
}

/** On narrow screens (styles.css) the menu folds behind a button that opens and closes it; a new
 * screen closes it again. */
function menuToggle(nav, shown) {
  let button = document.getElementById('menu-toggle');
  if (!button) {
    button = h('button', { type: 'button', id: 'menu-toggle', class: 'menu-toggle', 'aria-controls': 'nav', 'aria-expanded': 'false' });
    button.addEventListener('click', () => {
      const open = button.getAttribute('aria-expanded') !== 'true';
      button.setAttribute('aria-expanded', String(open));
      document.querySelector('.top').classList.toggle('menu-open', open);
    });
    document.querySelector('.top-row').insertBefore(button, document.querySelector('.language'));
  }
  button.textContent = t('nav.menu');
  button.hidden = !shown;
  button.setAttribute('aria-expanded', 'false');
  document.querySelector('.top').classList.remove('menu-open');
}

async function render() {
  const ticket = ++renders;
  document.body.dataset.ready = '';
  const main = document.getElementById('main');
  const { path, params } = parseHash();
  try {
    await loadSettings();
    if (!token() && path !== '/signin') {
      navigate('/signin');
      return;
    }
    if (token() && !state.viewer) {
      await loadViewer();
    }
  } catch (error) {
    if (ticket !== renders) return;
    renderHeader();
    clear(main);
    failure(error, main);
    return;
  }
  if (ticket !== renders) return;
  renderHeader();
  clear(main);
  const route = ROUTES.find(([pattern]) => pattern.test(path));
  const root = h('div', { class: 'view' });
  main.append(root);
  if (!route) {
    navigate('/');
    return;
  }
  const [pattern, view] = route;
  const match = pattern.exec(path);
  try {
    await view({ root, params, match, state });
  } catch (error) {
    if (ticket === renders) failure(error, root);
  }
  if (ticket === renders) {
    // After a change of screen, the focus goes to its heading, so that screen readers announce it.
    const heading = root.querySelector('h1');
    if (heading) heading.setAttribute('tabindex', '-1');
    if (heading && moved && document.activeElement !== document.getElementById('language')) heading.focus();
    moved = true;
    document.body.dataset.ready = path;
  }
}

window.addEventListener('hashchange', () => {
  if (location.hash === '' || location.hash.startsWith('#/')) render();
});
document.getElementById('skip').addEventListener('click', (event) => {
  event.preventDefault();
  const main = document.getElementById('main');
  (main.querySelector('h1') || main).focus();
});
setRenderer(render);
document.documentElement.lang = lang(); // chosen by the browser's languages until the person picks one
render();
