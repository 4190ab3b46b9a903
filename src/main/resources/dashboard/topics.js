import { api, el } from '/dashboard/api.js';

// Topics as a tree of levels; each branch shows how many entries lie below it.
function tree(entries, label) {
  const root = { children: new Map(), count: 0 };
  for (const entry of entries) {
    let node = root;
    node.count++;
    for (const level of entry.path.split('/')) {
      if (!node.children.has(level)) {
        node.children.set(level, { children: new Map(), count: 0 });
      }
      node = node.children.get(level);
      node.count++;
    }
    node.entry = entry;
  }
  const render = (name, node) => {
    const line = node.entry ? label(node.entry) : '';
    if (node.children.size === 0) {
      return el('div', { class: 'leaf' }, el('code', {}, name), ' ', line);
    }
    return el('details', { open: node.count <= 20 }, el('summary', {}, el('code', {}, name), ` (${node.count}) `, line),
      [...node.children.entries()].map(([child, below]) => render(child, below)));
  };
  return [...root.children.entries()].map(([name, node]) => render(name || '(empty)', node));
}

export async function topics(view, access) {
  const retainedBox = el('div', { class: 'card', id: 'retained' });
  const subscriptionsBox = el('div', { class: 'card', id: 'subscriptions' });
  const result = el('p', { id: 'publish-result' });
  const form = el('form', { class: 'card stacked', id: 'publish-form' }, el('h2', {}, 'Publish a message'),
    el('label', {}, 'Topic ', el('input', { name: 'topic', required: true, size: 40 })),
    el('label', {}, 'Payload ', el('textarea', { name: 'payload', rows: 3, cols: 40 })),
    el('label', {}, 'QoS ', el('select', { name: 'qos' }, ['0', '1', '2'].map(q => el('option', {}, q)))),
    el('label', {}, el('input', { type: 'checkbox', name: 'retain' }), ' retain'),
    el('button', { type: 'submit', disabled: !access.writable }, 'Publish'),
    access.writable ? '' : el('span', { class: 'note' }, ' needs admin write access'), result);
  form.addEventListener('submit', async event => {
    event.preventDefault();
    const data = new FormData(form);
    try {
      await api('/api/v1/admin/publish', { method: 'POST', headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ topic: data.get('topic'), payload: data.get('payload'), qos: Number(data.get('qos')),
          retain: data.get('retain') === 'on' }) });
      result.className = 'note';
      result.textContent = `Published to ${data.get('topic')}`;
      await load();
    } catch (e) {
      result.className = 'error';
      result.textContent = `Publish refused: ${e.message}`;
    }
  });
  view.append(el('h2', {}, 'Topics'), el('div', { class: 'columns' },
    el('div', {}, retainedBox, form), subscriptionsBox));

  async function removeRetained(topic) {
    try {
      await api(`/api/v1/admin/retained?topic=${encodeURIComponent(topic)}`, { method: 'DELETE' });
    } catch (e) {
      result.className = 'error';
      result.textContent = `Delete refused: ${e.message}`;
    }
    await load();
  }

  async function load() {
    // '#' does not match topics that begin with '$' (MQTT's rule), so $SYS is asked for on its own.
    const [retained, system] = await Promise.all([api('/api/v1/dashboard/topics/retained'),
      api(`/api/v1/dashboard/topics/retained?filter=${encodeURIComponent('$SYS/#')}`)]);
    retained.messages = system.messages.concat(retained.messages);
    const subscriptions = await api('/api/v1/dashboard/topics/subscriptions');
    retainedBox.replaceChildren(el('h2', {}, 'Retained messages ',
      el('span', { 'data-metric': 'retained', 'data-value': retained.total }, String(retained.total))),
    ...tree(retained.messages.map(m => ({ ...m, path: m.topic })), m => el('span', { 'data-topic': m.topic },
      `= ${m.preview ?? `(${m.bytes} bytes, binary)`} `, el('span', { class: 'note' }, `QoS ${m.qos}`), ' ',
      el('button', { disabled: !access.writable, onclick: () => removeRetained(m.topic) }, 'Delete'))));
    subscriptionsBox.replaceChildren(el('h2', {}, 'Subscriptions ',
      el('span', { 'data-metric': 'subscriptions', 'data-value': subscriptions.total }, String(subscriptions.total))),
    ...tree(subscriptions.filters.map(f => ({ ...f, path: f.filter })), f => el('span', { 'data-filter': f.filter },
      `${f.subscribers} subscriber${f.subscribers === 1 ? '' : 's'}`)));
  }

  await load();
}
