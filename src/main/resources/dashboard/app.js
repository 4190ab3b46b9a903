import { api, el } from '/dashboard/api.js';
import { clients } from '/dashboard/clients.js';
import { cluster } from '/dashboard/cluster.js';
import { overview } from '/dashboard/overview.js';
import { system } from '/dashboard/system.js';
import { topics } from '/dashboard/topics.js';

const PAGES = { overview, clients, topics, system, cluster };
const view = document.getElementById('view');
let access = null;
let leave = null;

async function loadAccess() {
  access = await api('/api/v1/dashboard/auth');
  const who = document.getElementById('who');
  who.replaceChildren(access.loggedIn ? 'logged in' : (access.loginRequired ? '' : 'open access'),
    access.loggedIn ? el('button', { id: 'logout', onclick: logout }, 'Log out') : '');
}

async function logout() {
  await api('/api/v1/dashboard/auth/logout', { method: 'POST' });
  await show();
}

function loginForm() {
  const form = document.getElementById('login').content.firstElementChild.cloneNode(true);
  form.addEventListener('submit', async event => {
    event.preventDefault();
    try {
      await api('/api/v1/dashboard/auth/login', { method: 'POST', body: new URLSearchParams(new FormData(form)) });
      await show();
    } catch (e) {
      form.querySelector('#login-error').textContent = e.message;
    }
  });
  return form;
}

async function show() {
  if (leave) {
    leave();
    leave = null;
  }
  view.replaceChildren();
  delete view.dataset.page;
  await loadAccess();
  if (!access.readable) {
    view.append(loginForm());
    return;
  }
  const name = location.hash.substring(1) || 'overview';
  const page = PAGES[name] || overview;
  document.querySelectorAll('header nav a')
    .forEach(a => a.classList.toggle('active', a.getAttribute('href') === `#${name}`));
  const system = await api('/api/v1/dashboard/cluster');
  document.getElementById('nav-cluster').hidden = !system.enabled;
  try {
    leave = (await page(view, access)) || null;
    view.dataset.page = name;
  } catch (e) {
    view.append(el('p', { class: 'error' }, e.message));
  }
}

window.addEventListener('hashchange', show);
show();
