import { api, el, setTile, tile } from '/dashboard/api.js';
import { LiveChart } from '/dashboard/charts.js';

const TOTALS_MILLIS = 2000;

export async function overview(view) {
  const tiles = el('div', { class: 'tiles' },
    tile('Connections', 'connections'), tile('Sessions', 'sessions'), tile('Subscriptions', 'subscriptions'),
    tile('Retained messages', 'retained'), tile('Messages in /s', 'messagesIn'),
    tile('Messages out /s', 'messagesOut'), tile('Bytes in /s', 'bytesIn'), tile('Bytes out /s', 'bytesOut'),
    tile('Dropped', 'dropped'), tile('Limit hits', 'limitHits'), tile('Event loops', 'loops'),
    tile('Wedged loops', 'wedged'), tile('Loop delay ms', 'loopWaitMillis'));
  const charts = el('div', { class: 'charts' });
  const details = el('div', { class: 'columns' });
  view.append(el('h2', {}, 'Overview'), tiles, charts, details);
  const specs = [
    ['Connections and sessions', [{ key: 'connections', label: 'connections' }, { key: 'sessions', label: 'sessions' }]],
    ['Subscriptions and retained', [{ key: 'subscriptions', label: 'subscriptions' },
      { key: 'retained', label: 'retained' }]],
    ['Messages per second', [{ key: 'messagesIn', label: 'in' }, { key: 'messagesOut', label: 'out' }]],
    ['Bytes per second', [{ key: 'bytesIn', label: 'in' }, { key: 'bytesOut', label: 'out' }]],
  ];
  const live = specs.map(([title, fields]) => {
    const box = el('div', { class: 'card' });
    charts.append(box);
    return new LiveChart(box, title, fields);
  });
  const showSample = sample => {
    for (const key of ['messagesIn', 'messagesOut', 'bytesIn', 'bytesOut', 'loopWaitMillis']) {
      setTile(tiles, key, sample[key]);
    }
  };
  const history = await api('/api/v1/dashboard/samples');
  live.forEach(chart => chart.add(history));
  if (history.length) {
    showSample(history[history.length - 1]);
  }
  const stream = new EventSource('/api/v1/dashboard/samples/stream');
  stream.onmessage = event => {
    const sample = JSON.parse(event.data);
    live.forEach(chart => chart.add([sample]));
    showSample(sample);
  };
  const showTotals = async () => {
    const totals = await api('/api/v1/dashboard/overview');
    for (const key of ['connections', 'sessions', 'subscriptions', 'retained']) {
      setTile(tiles, key, totals[key]);
    }
    const sum = counts => Object.values(counts).reduce((a, b) => a + b, 0);
    setTile(tiles, 'dropped', sum(totals.dropped));
    setTile(tiles, 'limitHits', sum(totals.limits));
    setTile(tiles, 'loops', totals.eventLoops.loops);
    setTile(tiles, 'wedged', totals.eventLoops.wedged);
    details.replaceChildren(counts('Dropped messages', totals.dropped), counts('Limit hits', totals.limits));
  };
  await showTotals();
  const timer = setInterval(() => showTotals().catch(() => {}), TOTALS_MILLIS);
  return () => {
    clearInterval(timer);
    stream.close();
    live.forEach(chart => chart.destroy());
  };
}

function counts(title, values) {
  return el('div', { class: 'card' }, el('h2', {}, title), el('table', {},
    Object.entries(values).map(([name, value]) => el('tr', {}, el('td', {}, name.replaceAll('_', ' ')),
      el('td', { class: 'num', 'data-count': name }, String(value))))));
}
