// The key list: one state at a time, searched by prefix, a page at a time. Dead letters can be
// selected and re-enqueued (selected, or all matching the prefix).
import { reenqueueAll, reenqueueKeys } from '../lib/actions.js';
import { getJson } from '../lib/api.js';
import { refreshTimes } from '../lib/clock.js';
import { columnClass, h, keyLink, renderIfChanged } from '../lib/dom.js';
import { shortTime } from '../lib/format.js';
import { alertError } from '../lib/notices.js';

const states = [
  { id: 'queued', label: 'Queued' },
  { id: 'in-progress', label: 'In progress' },
  { id: 'dead-letter', label: 'Dead-lettered' },
];

export function mountKeys(root, ctx, params) {
  const state = states.some((s) => s.id === params.get('state')) ? params.get('state') : 'queued';
  const prefix = params.get('prefix') ?? '';
  const tokens = [undefined]; // page tokens: tokens.at(-1) is the current page's
  const selected = new Set();
  let page = { entries: [] };
  let loading = false;

  const prefixInput = h('input', {
    id: 'prefix',
    name: 'prefix',
    type: 'search',
    value: prefix,
    placeholder: 'e.g. tenant-a/',
    autocomplete: 'off',
  });
  const tableBox = h('div', {
    class: 'table-box',
    id: 'key-table',
    role: 'tabpanel',
    'aria-labelledby': `tab-${state}`,
  });
  const toolbar = h('div', { class: 'toolbar' });
  const pager = h('div', { class: 'pager' });

  const go = (next) => {
    const query = new URLSearchParams({ state: next.state ?? state });
    const p = next.prefix ?? prefix;
    if (p) query.set('prefix', p);
    location.hash = `#/keys?${query}`;
  };

  root.replaceChildren(
    h('h1', {}, 'Keys'),
    h(
      'div',
      { role: 'tablist', 'aria-label': 'Key state', class: 'tabs' },
      states.map((s) =>
        h(
          'button',
          {
            type: 'button',
            role: 'tab',
            id: `tab-${s.id}`,
            'aria-selected': String(s.id === state),
            'aria-controls': 'key-table',
            onclick: () => go({ state: s.id }),
          },
          s.label,
        ),
      ),
    ),
    h(
      'form',
      {
        role: 'search',
        class: 'search',
        onsubmit: (e) => (e.preventDefault(), go({ prefix: prefixInput.value })),
      },
      h('label', { for: 'prefix' }, 'Key prefix'),
      prefixInput,
      h('button', { type: 'submit' }, 'Search'),
    ),
    toolbar,
    tableBox,
    pager,
  );

  async function load() {
    if (loading) return;
    loading = true;
    try {
      const token = tokens.at(-1);
      page = await getJson('keys', {
        state,
        ...(prefix ? { prefix } : {}),
        ...(token ? { pageToken: token } : {}),
      });
      render();
    } catch (err) {
      alertError(err.message);
    } finally {
      loading = false;
    }
  }

  function render() {
    const onPage = new Set(page.entries.map((e) => e.key));
    for (const key of selected) if (!onPage.has(key)) selected.delete(key);
    renderIfChanged(tableBox, [page.entries, [...selected], ctx.readOnly], () =>
      keyTable(state, page.entries, selected, ctx, render),
    );
    renderIfChanged(
      toolbar,
      [state, prefix, selected.size, page.entries.length, ctx.readOnly],
      () => dlqButtons(),
    );
    renderIfChanged(pager, [tokens.length, page.nextPageToken ?? null], () => [
      h(
        'button',
        {
          type: 'button',
          disabled: tokens.length === 1,
          onclick: () => ((tokens.length = 1), load()),
        },
        'First page',
      ),
      h('span', { class: 'muted' }, `Page ${tokens.length}`),
      h(
        'button',
        {
          type: 'button',
          disabled: !page.nextPageToken,
          onclick: () => (tokens.push(page.nextPageToken), load()),
        },
        'Next page',
      ),
    ]);
    refreshTimes(root);
  }

  function dlqButtons() {
    if (state !== 'dead-letter' || ctx.readOnly) return [];
    const done = async (action) => {
      try {
        if (await action()) {
          selected.clear();
          await load();
        }
      } catch {
        // Shown in the alert line.
      }
    };
    return [
      h(
        'button',
        {
          type: 'button',
          disabled: selected.size === 0,
          onclick: () => done(() => reenqueueKeys([...selected])),
        },
        `Re-enqueue selected (${selected.size})`,
      ),
      h(
        'button',
        {
          type: 'button',
          disabled: page.entries.length === 0,
          onclick: () => done(() => reenqueueAll(prefix)),
        },
        prefix ? `Re-enqueue all matching “${prefix}”` : 'Re-enqueue all',
      ),
    ];
  }

  void load();
  return { tick: load, title: 'Keys' };
}

function keyTable(state, entries, selected, ctx, rerender) {
  if (entries.length === 0) return h('p', { class: 'empty' }, 'No keys in this state match.');
  const selectable = state === 'dead-letter' && !ctx.readOnly;
  const toggle = (keys, on) => {
    for (const key of keys) {
      if (on) selected.add(key);
      else selected.delete(key);
    }
    rerender();
  };
  const columns = {
    queued: [
      ['Priority', (e) => e.priority, 'num'],
      ['Attempts', (e) => e.attempts, 'num'],
      [
        'Due',
        (e) =>
          e.notBefore
            ? [
                h('span', { dataset: { until: e.notBefore } }),
                e.floor ? h('span', { class: 'badge' }, 'floor') : null,
              ]
            : 'due',
      ],
      ['First queued', (e) => shortTime(e.firstQueuedAt ?? e.queuedAt)],
    ],
    'in-progress': [
      ['Owner', (e) => e.owner ?? '—'],
      ['Attempt', (e) => e.attempts, 'num'],
      ['Lease age', (e) => h('span', { dataset: { since: e.queuedAt } })],
      [
        'Lease ends',
        (e) =>
          e.leaseExpiresAt
            ? h('span', { dataset: { until: e.leaseExpiresAt, past: 'expired' } })
            : '—',
      ],
    ],
    'dead-letter': [
      ['Attempts', (e) => e.attempts, 'num'],
      ['Failed', (e) => shortTime(e.failedAt)],
      ['Last error', (e) => e.lastError ?? '—', 'error-text'],
    ],
  }[state];
  const allOn = entries.every((e) => selected.has(e.key));
  return h(
    'table',
    {},
    h('caption', { class: 'visually-hidden' }, `Keys: ${state}`),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        selectable
          ? h(
              'th',
              { scope: 'col' },
              h('input', {
                type: 'checkbox',
                'aria-label': 'Select all on this page',
                checked: allOn,
                onchange: (ev) =>
                  toggle(
                    entries.map((x) => x.key),
                    ev.target.checked,
                  ),
              }),
            )
          : null,
        h('th', { scope: 'col' }, 'Key'),
        columns.map(([label]) => h('th', { scope: 'col', class: columnClass(label) }, label)),
      ),
    ),
    h(
      'tbody',
      {},
      entries.map((e) =>
        h(
          'tr',
          {},
          selectable
            ? h(
                'td',
                {},
                h('input', {
                  type: 'checkbox',
                  'aria-label': `Select ${e.key}`,
                  checked: selected.has(e.key),
                  onchange: (ev) => toggle([e.key], ev.target.checked),
                }),
              )
            : null,
          h('td', {}, keyLink(e.key)),
          columns.map(([, cell, cls]) =>
            h('td', { class: cls, title: cls === 'error-text' ? e.lastError : undefined }, cell(e)),
          ),
        ),
      ),
    ),
  );
}
