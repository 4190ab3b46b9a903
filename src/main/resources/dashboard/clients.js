import { api, el } from '/dashboard/api.js';

const PAGE_SIZE = 25;
const REFRESH_MILLIS = 2000;

export async function clients(view, access) {
  let page = 0;
  const search = el('input', { type: 'search', placeholder: 'client id or user', id: 'client-search' });
  const info = el('span', { class: 'note', id: 'client-count' });
  const previous = el('button', { onclick: () => { page--; load(); } }, '‹ Previous');
  const next = el('button', { onclick: () => { page++; load(); } }, 'Next ›');
  const body = el('tbody');
  const details = el('div', { id: 'client-details' });
  const message = el('p', { class: 'error', id: 'client-message' });
  search.addEventListener('input', () => { page = 0; load(); });
  view.append(el('h2', {}, 'Clients'), el('div', { class: 'toolbar' }, search, previous, next, info), message,
    el('table', { id: 'clients' }, el('thead', {}, el('tr', {},
      ['Client id', 'User', 'Address', 'Protocol', 'Node', 'Connected since'].map(h => el('th', {}, h)),
      ['Subscriptions', 'Queued', 'In flight'].map(h => el('th', { class: 'num' }, h)), el('th', {}))), body),
    details);

  async function load() {
    const query = new URLSearchParams({ search: search.value, page, size: PAGE_SIZE });
    const result = await api(`/api/v1/dashboard/clients?${query}`);
    const last = Math.max(0, Math.ceil(result.total / PAGE_SIZE) - 1);
    info.textContent = `${result.total} clients, page ${page + 1} of ${last + 1}`;
    previous.disabled = page === 0;
    next.disabled = page >= last;
    body.replaceChildren(...result.clients.map(row));
  }

  function row(client) {
    const s = client.session;
    const kick = el('button', { class: 'disconnect', disabled: !access.writable || !s.connected,
      title: access.writable ? '' : 'needs admin write access', onclick: () => disconnect(client.clientId) },
    'Disconnect');
    return el('tr', { 'data-client': client.clientId },
      el('td', {}, el('a', { href: '#clients', onclick: () => show(client) }, client.clientId)),
      el('td', {}, client.user ?? ''), el('td', {}, s.remoteAddress ?? 'offline'), el('td', {}, s.protocol ?? ''),
      el('td', {}, client.node), el('td', {}, s.connectedSince ? new Date(s.connectedSince).toLocaleString() : ''),
      el('td', { class: 'num', 'data-field': 'subscriptions' }, String(s.subscriptions)),
      el('td', { class: 'num', 'data-field': 'queued' }, String(s.queued)),
      el('td', { class: 'num', 'data-field': 'inflight' }, String(s.inflight)), el('td', {}, kick));
  }

  function show(client) {
    const s = client.session;
    const expiry = s.expiryInterval === 4294967295 ? 'never' : `${s.expiryInterval} s`;
    details.replaceChildren(el('div', { class: 'card' }, el('h2', {}, client.clientId), el('table', {},
      [['Connected', s.connected ? 'yes' : 'no'], ['User', client.user ?? '—'], ['Address', s.remoteAddress ?? '—'],
        ['Protocol', s.protocol ?? '—'], ['Node', client.node], ['Session expiry', expiry],
        ['Subscriptions', s.subscriptions], ['Queued', s.queued], ['In flight', s.inflight]]
        .map(([name, value]) => el('tr', {}, el('th', {}, name), el('td', {}, String(value)))))));
  }

  async function disconnect(id) {
    message.textContent = '';
    try {
      await api(`/api/v1/admin/clients/${encodeURIComponent(id)}/disconnect`, { method: 'POST' });
      message.textContent = `${id} disconnected`;
    } catch (e) {
      message.textContent = `Disconnect refused: ${e.message}`;
    }
    await load();
  }

  await load();
  const timer = setInterval(() => load().catch(() => {}), REFRESH_MILLIS);
  return () => clearInterval(timer);
}
