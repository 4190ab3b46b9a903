import { api, el } from '/dashboard/api.js';

export async function cluster(view) {
  const state = await api('/api/v1/dashboard/cluster');
  view.append(el('h2', {}, 'Cluster'));
  if (!state.enabled) {
    view.append(el('p', { class: 'note' }, 'Clustering is off (midge.cluster.enabled=false).'));
    return;
  }
  view.append(el('p', {}, `This node: ${state.node}, ${state.state}, ${state.members} members`),
    el('table', { id: 'nodes' }, el('thead', {}, el('tr', {},
      ['Node', 'Address', 'Connections', 'Subscriptions', 'Up since', 'Reachable'].map(h => el('th', {}, h)))),
    el('tbody', {}, state.nodes.map(n => el('tr', {}, [n.id, n.address, n.connections, n.subscriptions,
      n.upSince ? new Date(n.upSince).toLocaleString() : '', n.reachable ? 'yes' : 'no']
      .map(v => el('td', {}, String(v))))))));
}
