import { api, el } from '/dashboard/api.js';

function nodeRow(n) {
  const cells = [n.id + (n.local ? ' (this node)' : ''), n.address, n.connections, n.subscriptions,
    n.upSince ? new Date(n.upSince).toLocaleString() : '', n.reachable ? 'reachable' : 'unreachable'];
  return el('tr', { 'data-node': n.id, 'data-reachable': String(n.reachable) }, cells.map(v => el('td', {}, String(v))));
}

export async function cluster(view) {
  const state = await api('/api/v1/dashboard/cluster');
  view.append(el('h2', {}, 'Cluster'));
  if (!state.enabled) {
    view.append(el('p', { class: 'note' }, 'Clustering is off (midge.cluster.enabled=false).'));
    return;
  }
  view.append(el('p', { id: 'cluster-state' }, `This node: ${state.node}, ${state.state}, ${state.members} members`),
    el('div', { class: 'card' }, el('table', { id: 'nodes' }, el('thead', {}, el('tr', {},
      ['Node', 'Address', 'Connections', 'Subscriptions', 'Up since', 'State'].map(h => el('th', {}, h)))),
    el('tbody', {}, state.nodes.map(nodeRow)))));
}
