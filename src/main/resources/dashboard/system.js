import { api, el } from '/dashboard/api.js';

function table(id, headers, rows) {
  return el('table', { id }, el('thead', {}, el('tr', {}, headers.map(h => el('th', {}, h)))),
    el('tbody', {}, rows.length ? rows.map(r => el('tr', {}, r.map(v => el('td', {}, String(v))))) :
      el('tr', {}, el('td', { colspan: headers.length, class: 'note' }, 'none configured'))));
}

const LISTENER_FIELDS = ['name', 'kind', 'address', 'state', 'connections'];

function listenerRow(l) {
  const host = l.host.includes(":") ? `[${l.host}]` : l.host;
  const shown = { ...l, address: `${host}:${l.port}`, state: l.bound ? 'bound' : 'not bound' };
  return el('tr', { 'data-listener': l.name }, LISTENER_FIELDS.map(f => el('td', { 'data-field': f }, String(shown[f]))));
}

// In a cluster a bridge or integration runs on one node: the others show which.
const elsewhere = (b, state) => b.owner && b.owner !== state.node ? `runs on node ${b.owner}` : null;

export async function system(view) {
  const [state, config] = await Promise.all([api('/api/v1/dashboard/system'), api('/api/v1/dashboard/config')]);
  view.append(el('h2', {}, 'Listeners'), el('div', { class: 'card' },
    el('table', { id: 'listeners' }, el('thead', {}, el('tr', {},
      ['Name', 'Kind', 'Address', 'State', 'Connections'].map(h => el('th', {}, h)))),
    el('tbody', {}, state.listeners.map(listenerRow))),
    el('p', { class: 'note', id: 'connections' }, `${state.connections} connections open on all listeners`)),
  el('h2', {}, 'Bridges'), el('div', { class: 'card' }, table('bridges',
    ['Name', 'Address', 'State', 'Required', 'Queued', 'In', 'Out', 'Dropped'],
    state.bridges.map(b => [b.name, b.address, elsewhere(b, state) ?? (b.connected ? 'connected' : 'disconnected'),
      b.required ? 'yes' : 'no', b.queued, b.messagesIn, b.messagesOut, b.messagesDropped]))),
  el('h2', {}, 'Integrations'), el('div', { class: 'card' }, table('integrations',
    ['Name', 'Connector', 'Incoming', 'In', 'Out', 'Dropped'],
    state.integrations.map(i => [i.name, i.connector, elsewhere(i, state) ?? (i.incomingOpen ? 'open' : 'failed'),
      i.messagesIn, i.messagesOut, i.messagesDropped]))),
  el('h2', {}, 'Effective configuration'), el('div', { class: 'card' }, table('config',
    ['Key', 'Value', 'Source', 'Default'],
    config.map(c => [c.name, c.value ?? '', c.source ?? '', c.defaultValue ?? '']))));
}
