// Tiny DOM builders: text always goes in as text, never as HTML (keys are user data).

export function h(tag, props = {}, ...children) {
  return build(document.createElement(tag), props, children);
}

export function svg(tag, props = {}, ...children) {
  return build(document.createElementNS('http://www.w3.org/2000/svg', tag), props, children);
}

function build(el, props, children) {
  for (const [name, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'class') el.setAttribute('class', value);
    else if (name === 'dataset') Object.assign(el.dataset, value);
    else if (name.startsWith('on')) el.addEventListener(name.slice(2), value);
    else if (name === 'value' || name === 'checked') el[name] = value;
    else el.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
  return el;
}

/** Replaces `el`'s children only when `data` changed since the last call (keeps focus and state). */
export function renderIfChanged(el, data, render) {
  const json = JSON.stringify(data);
  if (el.dataset.rendered === json) return;
  el.dataset.rendered = json;
  const nodes = [render(data)]
    .flat(Infinity)
    .filter((n) => n !== null && n !== undefined && n !== false);
  el.replaceChildren(...nodes);
}

export function keyHref(key) {
  return `#/key/${encodeURIComponent(key)}`;
}

/** A key as a link to its page, shortened with an ellipsis by CSS (the title holds all of it). */
export function keyLink(key) {
  return h('a', { href: keyHref(key), class: 'key', title: key }, key);
}

/** Table column widths by header: times, numbers and buttons get what they need, keys the rest. */
export function columnClass(header) {
  if (['Due', 'Failed', 'Lease age', 'Lease ends', 'First queued'].includes(header))
    return 'col-time';
  if (['Priority', 'Attempts', 'Attempt'].includes(header)) return 'col-num';
  if (header === '') return 'col-action';
  return undefined;
}
