// Tiny DOM builder: text always goes in as text nodes, never as HTML, so data cannot inject markup.
export function h(tag, props = {}, ...children) {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on')) element.addEventListener(key.slice(2).toLowerCase(), value);
    else if (key === 'dataset') Object.assign(element.dataset, value);
    else if (key in element && key !== 'list') element[key] = value;
    else element.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

export function $(selector) {
  return document.querySelector(selector);
}

export function formatTime(iso) {
  return iso ? new Date(iso).toLocaleString() : '—';
}

let messageTimer;
/** A short status line at the top of the page; errors stay until the next message. */
export function say(text, kind = 'ok') {
  const element = $('#message');
  element.textContent = text;
  element.className = kind;
  clearTimeout(messageTimer);
  if (kind === 'ok')
    messageTimer = setTimeout(() => {
      element.textContent = '';
    }, 6000);
}
