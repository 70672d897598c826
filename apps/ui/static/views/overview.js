// The overview: counts, the rates chart, the soonest waiting keys, leases and dead letters.
// update() is called with every overview the server pushes.
import { reenqueueAll, reenqueueKeys, runNow } from '../lib/actions.js';
import { refreshTimes } from '../lib/clock.js';
import { renderChart } from '../lib/chart.js';
import { columnClass, h, keyLink, renderIfChanged } from '../lib/dom.js';
import { count, plural } from '../lib/format.js';
import { enqueueForm } from './enqueue-form.js';

const cardDefs = [
  { id: 'queued', label: 'Queued' },
  { id: 'waiting', label: 'Waiting on notBefore' },
  { id: 'inProgress', label: 'In progress' },
  { id: 'deadLettered', label: 'Dead-lettered' },
];

export function mountOverview(root, ctx) {
  const cards = {};
  const cardEls = cardDefs.map(({ id, label }) => {
    cards[id] = { count: h('p', { class: 'count' }, '–'), sub: h('p', { class: 'sub' }) };
    return h(
      'section',
      { class: `card ${id}`, 'aria-label': label },
      h('h2', {}, label),
      cards[id].count,
      cards[id].sub,
    );
  });
  const chart = h('div', { class: 'chart-box' });
  const chartTitle = h('h2', { id: 'chart-title' }, 'Rates');
  const tables = {
    waiting: h('div', { class: 'table-box' }),
    inProgress: h('div', { class: 'table-box' }),
    deadLetter: h('div', { class: 'table-box' }),
  };
  const deadActions = h('div', { class: 'panel-actions' });
  root.replaceChildren(
    h('h1', {}, 'Queue overview'),
    h('div', { class: 'cards' }, cardEls),
    h(
      'div',
      { class: ctx.readOnly ? 'row' : 'row with-form' },
      h('section', { class: 'panel', 'aria-labelledby': 'chart-title' }, chartTitle, chart),
      ctx.readOnly ? null : enqueueForm(ctx.refresh),
    ),
    h(
      'div',
      { class: 'tables' },
      panel('waiting-title', 'Waiting (soonest first)', tables.waiting),
      panel('in-progress-title', 'Leases held (in progress)', tables.inProgress),
      panel('dead-title', 'Dead-letter queue', tables.deadLetter, deadActions),
    ),
  );

  function update(o) {
    const s = o.stats;
    for (const { id } of cardDefs) cards[id].count.textContent = count(s[id]);
    const oldest = s.oldestQueuedAt
      ? [' · oldest due for ', h('span', { dataset: { since: s.oldestQueuedAt } })]
      : [];
    cards.queued.sub.replaceChildren(`${count(s.queued - s.waiting)} due now`, ...oldest);
    const next = o.waiting[0];
    cards.waiting.sub.replaceChildren(
      ...(next
        ? ['next due ', h('span', { dataset: { until: next.notBefore } })]
        : ['none waiting']),
    );
    const d = o.dispatcher;
    cards.inProgress.sub.replaceChildren(
      d
        ? `${d.inFlight} of ${plural(d.concurrency, 'slot')} busy${d.inFlight >= d.concurrency ? ' (full)' : ''}`
        : `max attempts ${s.maxAttempts}`,
    );
    cards.deadLettered.sub.replaceChildren(
      h('a', { href: '#/keys?state=dead-letter' }, 'Open the dead-letter queue'),
    );
    chartTitle.textContent = o.rates ? 'Added, completed and failed per minute' : 'Queue depth';
    renderIfChanged(chart, [o.series, o.rates], () => renderChart(o.series, o.rates));
    renderIfChanged(tables.waiting, [o.waiting, ctx.readOnly], () => waitingTable(o, ctx));
    renderIfChanged(tables.inProgress, o.inProgress, () => inProgressTable(o.inProgress));
    renderIfChanged(tables.deadLetter, o.deadLetter, () => deadTable(o.deadLetter, ctx));
    renderIfChanged(deadActions, [s.deadLettered, ctx.readOnly], () =>
      ctx.readOnly || s.deadLettered === 0
        ? []
        : h(
            'button',
            { type: 'button', onclick: () => act(ctx, () => reenqueueAll('', s.deadLettered)) },
            `Re-enqueue all ${count(s.deadLettered)}`,
          ),
    );
    refreshTimes(root);
  }
  return { update, title: 'Overview' };
}

function panel(id, title, body, actions) {
  return h(
    'section',
    { class: 'panel', 'aria-labelledby': id },
    h('div', { class: 'panel-head' }, h('h2', { id }, title), actions),
    body,
  );
}

async function act(ctx, action) {
  try {
    if (await action()) ctx.refresh();
  } catch {
    // Already shown in the alert line.
  }
}

function table(caption, headers, rows, empty) {
  if (rows.length === 0) return h('p', { class: 'empty' }, empty);
  return h(
    'table',
    {},
    h('caption', { class: 'visually-hidden' }, caption),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        headers.map((x) => h('th', { scope: 'col', class: columnClass(x) }, x)),
      ),
    ),
    h('tbody', {}, rows),
  );
}

function waitingTable(o, ctx) {
  const rows = o.waiting.map((w) =>
    h(
      'tr',
      {},
      h('td', {}, keyLink(w.key)),
      h(
        'td',
        {},
        h('span', { dataset: { until: w.notBefore } }),
        w.floor
          ? h('span', { class: 'badge', title: 'a floor: run now cannot undercut it' }, 'floor')
          : null,
      ),
      h('td', { class: 'num' }, w.priority),
      ctx.readOnly
        ? null
        : h(
            'td',
            {},
            w.floor
              ? null
              : h(
                  'button',
                  {
                    type: 'button',
                    class: 'small',
                    'aria-label': `Run ${w.key} now`,
                    onclick: () => act(ctx, () => runNow(w.key, w.notBefore)),
                  },
                  'Run now',
                ),
          ),
    ),
  );
  const headers = ['Key', 'Due', 'Priority', ...(ctx.readOnly ? [] : [''])];
  return table('Keys waiting on notBefore', headers, rows, 'No key is waiting on notBefore.');
}

function inProgressTable(entries) {
  const rows = entries.map((e) =>
    h(
      'tr',
      {},
      h('td', {}, keyLink(e.key)),
      h('td', { class: 'owner', title: e.owner ?? '' }, e.owner ?? '—'),
      h('td', {}, h('span', { dataset: { since: e.startedAt } })),
      h(
        'td',
        {},
        e.leaseExpiresAt
          ? h('span', { dataset: { until: e.leaseExpiresAt, past: 'expired' } })
          : '—',
      ),
    ),
  );
  return table(
    'Keys in progress',
    ['Key', 'Owner', 'Lease age', 'Lease ends'],
    rows,
    'Nothing is running.',
  );
}

function deadTable(entries, ctx) {
  const rows = entries.map((e) =>
    h(
      'tr',
      {},
      h('td', {}, keyLink(e.key)),
      h('td', { class: 'error-text', title: e.lastError ?? '' }, e.lastError ?? '—'),
      ctx.readOnly
        ? null
        : h(
            'td',
            {},
            h(
              'button',
              {
                type: 'button',
                class: 'small',
                'aria-label': `Re-enqueue ${e.key}`,
                onclick: () => act(ctx, () => reenqueueKeys([e.key])),
              },
              'Re-enqueue',
            ),
          ),
    ),
  );
  const headers = ['Key', 'Last error', ...(ctx.readOnly ? [] : [''])];
  return table('Dead-lettered keys', headers, rows, 'The dead-letter queue is empty.');
}
