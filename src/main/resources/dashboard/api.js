// Every call carries the dashboard's header: the server requires it beside the login cookie for writes.
const HEADERS = { 'X-Midge-Dashboard': '1' };

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

export async function api(path, options = {}) {
  const response = await fetch(path, {
    credentials: 'same-origin',
    ...options,
    headers: { ...HEADERS, ...(options.headers || {}) },
  });
  if (!response.ok) {
    let message = response.statusText;
    try {
      message = (await response.json()).message || message;
    } catch (e) {
      // Not JSON: the status text says enough.
    }
    throw new ApiError(response.status, message);
  }
  return response.status === 204 || response.status === 202 ? null : response.json();
}

export function el(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (name.startsWith('on')) {
      element.addEventListener(name.substring(2), value);
    } else if (value !== null && value !== undefined && value !== false) {
      element.setAttribute(name, value === true ? '' : value);
    }
  }
  for (const child of children.flat()) {
    element.append(child instanceof Node ? child : document.createTextNode(child ?? ''));
  }
  return element;
}

export function number(value) {
  return Number.isInteger(value) ? value.toLocaleString('en') : value.toFixed(1);
}

export function tile(label, metric, value) {
  return el('div', { class: 'tile' }, el('div', { class: 'label' }, label),
    el('div', { class: 'value', 'data-metric': metric, 'data-value': value },
      value === undefined ? '–' : number(value)));
}

export function setTile(root, metric, value) {
  const target = root.querySelector(`[data-metric="${metric}"]`);
  if (target) {
    target.dataset.value = value;
    target.textContent = number(value);
  }
}
