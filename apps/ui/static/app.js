// The page: routes (#/, #/keys?state=…&prefix=…, #/key/<key>), the live stream, and the ticker.
import { getJson } from './lib/api.js';
import { startTicker, syncServerTime } from './lib/clock.js';
import { h } from './lib/dom.js';
import { mountKey } from './views/key.js';
import { mountKeys } from './views/keys.js';
import { mountOverview } from './views/overview.js';

const view = document.getElementById('view');
const ctx = { readOnly: false, refresh: () => refreshNow() };
let latest;
let current;

function applyOverview(overview) {
  latest = overview;
  syncServerTime(overview.now);
  if (ctx.readOnly !== overview.readOnly) {
    ctx.readOnly = overview.readOnly;
    document.getElementById('read-only').hidden = !ctx.readOnly;
    document.body.classList.toggle('read-only', ctx.readOnly);
    route();
    return;
  }
  current?.update?.(overview);
  current?.tick?.();
}

function route() {
  const hash = location.hash.replace(/^#/, '') || '/';
  const [path, query = ''] = hash.split('?');
  const params = new URLSearchParams(query);
  let section = 'overview';
  if (path.startsWith('/key/')) {
    section = 'keys';
    current = mountKey(view, ctx, decodeKey(path.slice('/key/'.length)));
  } else if (path === '/keys') {
    section = 'keys';
    current = mountKeys(view, ctx, params);
  } else {
    current = mountOverview(view, ctx);
    if (latest) current.update(latest);
  }
  for (const link of document.querySelectorAll('[data-nav]')) {
    if (link.dataset.nav === section) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  document.title = `${current.title} · recon queue`;
}

/** A key from the address bar; a malformed escape is taken as typed. */
function decodeKey(text) {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

async function refreshNow() {
  try {
    applyOverview(await getJson('overview'));
  } catch {
    // The live stream reports trouble.
  }
}

function setLive(text, ok) {
  const el = document.getElementById('live');
  el.textContent = text;
  el.classList.toggle('ok', ok);
}

function connect() {
  const source = new EventSource('api/events');
  source.addEventListener('open', () => setLive('Live', true));
  source.addEventListener('error', () => setLive('Reconnecting…', false));
  source.addEventListener('overview', (event) => {
    setLive('Live', true);
    applyOverview(JSON.parse(event.data));
  });
  source.addEventListener('problem', (event) =>
    setLive(`Store error: ${JSON.parse(event.data).message}`, false),
  );
}

async function main() {
  try {
    const first = await getJson('overview');
    latest = first;
    syncServerTime(first.now);
    ctx.readOnly = first.readOnly;
    document.getElementById('read-only').hidden = !ctx.readOnly;
    document.body.classList.toggle('read-only', ctx.readOnly);
  } catch (err) {
    view.replaceChildren(h('p', { class: 'panel' }, `Could not load the queue: ${err.message}`));
  }
  window.addEventListener('hashchange', route);
  route();
  connect();
  startTicker();
}

void main();
