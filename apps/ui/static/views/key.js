// One key: every copy's state, "why isn't it running?", and the actions that fit its state.
import { bump, enqueue, reenqueueKeys, runNow } from '../lib/actions.js';
import { getJson } from '../lib/api.js';
import { refreshTimes } from '../lib/clock.js';
import { h, renderIfChanged } from '../lib/dom.js';
import { time } from '../lib/format.js';
import { alertError } from '../lib/notices.js';

const conditionLabels = {
  unknown: 'Not found',
  running: 'Running',
  waiting: 'Waiting',
  ready: 'Ready',
  'dead-lettered': 'Dead-lettered',
};

export function mountKey(root, ctx, key) {
  const status = h('p', { class: 'condition' });
  const why = h('div');
  const copies = h('div', { class: 'copies' });
  const actions = h('div', { class: 'actions' });
  const priorityInput = h('input', {
    id: 'bump-priority',
    type: 'number',
    step: '1',
    autocomplete: 'off',
  });
  let detail;
  let loading = false;

  root.replaceChildren(
    h('p', {}, h('a', { href: '#/keys' }, '← All keys')),
    h('h1', { class: 'key-title' }, key),
    status,
    h(
      'section',
      { class: 'panel why', 'aria-labelledby': 'why-title' },
      h('h2', { id: 'why-title' }, 'Why isn’t it running?'),
      why,
    ),
    h(
      'div',
      { class: ctx.readOnly ? 'row' : 'row with-form' },
      copies,
      ctx.readOnly
        ? null
        : h(
            'section',
            { class: 'panel', 'aria-labelledby': 'actions-title' },
            h('h2', { id: 'actions-title' }, 'Actions'),
            actions,
          ),
    ),
  );

  async function load() {
    if (loading) return;
    loading = true;
    try {
      detail = await getJson('key', { key });
      render();
    } catch (err) {
      alertError(err.message);
    } finally {
      loading = false;
    }
  }

  const after = async (action) => {
    try {
      if (await action()) await load();
    } catch {
      // Shown in the alert line.
    }
  };

  function render() {
    const d = detail;
    const e = d.explanation;
    renderIfChanged(status, e.condition, () =>
      h('span', { class: `badge big ${e.condition}` }, conditionLabels[e.condition]),
    );
    renderIfChanged(why, e, () => [
      h('p', { class: 'summary' }, e.summary),
      e.reasons.length > 1
        ? h(
            'ul',
            {},
            e.reasons.slice(1).map((r) => h('li', {}, r.message)),
          )
        : null,
      untilLine(e.reasons[0]),
    ]);
    renderIfChanged(copies, [d.queued, d.inProgress, d.deadLetter], () =>
      d.queued || d.inProgress || d.deadLetter
        ? [
            copyPanel('In progress', d.inProgress),
            copyPanel('Queued copy', d.queued),
            copyPanel('Dead-letter copy', d.deadLetter),
          ]
        : h('p', { class: 'panel empty' }, 'No copy of this key is stored.'),
    );
    if (!ctx.readOnly)
      renderIfChanged(
        actions,
        [d.queued?.priority, e.runNow, !!d.queued, !!d.deadLetter],
        actionItems,
      );
    refreshTimes(root);
  }

  function actionItems() {
    const d = detail;
    const items = [];
    const q = d.queued;
    items.push(
      h(
        'div',
        { class: 'action' },
        h(
          'button',
          {
            type: 'button',
            disabled: !d.explanation.runNow.allowed,
            'aria-describedby': 'run-now-note',
            onclick: () => after(() => runNow(key, q.notBefore)),
          },
          'Run now',
        ),
        h(
          'p',
          { id: 'run-now-note', class: 'muted' },
          d.explanation.runNow.allowed
            ? 'Clears its notBefore.'
            : `Not available: ${d.explanation.runNow.reason}.`,
        ),
      ),
    );
    if (q) {
      if (priorityInput.value === '' || Number(priorityInput.value) <= q.priority)
        priorityInput.value = String(q.priority + 1);
      const submit = (ev) => {
        ev.preventDefault();
        const value = priorityInput.value.trim();
        after(() =>
          bump(
            key,
            value === '' || Number.isNaN(Number(value)) ? value : Number(value),
            q.priority,
          ),
        );
      };
      items.push(
        h(
          'form',
          { class: 'action inline', onsubmit: submit },
          h('label', { for: 'bump-priority' }, 'New priority'),
          priorityInput,
          h('button', { type: 'submit' }, 'Bump priority'),
        ),
      );
    }
    if (d.deadLetter) {
      items.push(
        h(
          'div',
          { class: 'action' },
          h(
            'button',
            { type: 'button', class: 'primary', onclick: () => after(() => reenqueueKeys([key])) },
            'Re-enqueue from the dead-letter queue',
          ),
        ),
      );
    }
    if (!q) {
      items.push(
        h(
          'div',
          { class: 'action' },
          h(
            'button',
            { type: 'button', onclick: () => after(() => enqueue({ key })) },
            'Enqueue this key',
          ),
        ),
      );
    }
    return items;
  }

  void load();
  return { tick: load, title: key };
}

/** "Lease ends in 40s", "Due in 3m 2s": the first reason's deadline, counting down. */
function untilLine(reason) {
  if (!reason?.until) return null;
  const lease = reason.code === 'running' || reason.code === 'lease-expired';
  return h(
    'p',
    { class: 'muted' },
    lease ? 'Lease ends: ' : 'Due: ',
    h('span', { dataset: { until: reason.until, past: lease ? 'expired' : 'now' } }),
  );
}

function copyPanel(title, v) {
  if (!v) return null;
  const rows = [
    ['Priority', v.priority],
    ['Attempts', v.attempts],
    ['First queued', time(v.firstQueuedAt)],
    v.status === 'IN_PROGRESS' ? ['Started', time(v.queuedAt)] : ['Queued at', time(v.queuedAt)],
    v.notBefore
      ? [
          'Not before',
          [
            time(v.notBefore),
            ' (',
            h('span', { dataset: { until: v.notBefore } }),
            ')',
            v.floor ? h('span', { class: 'badge' }, 'floor') : null,
          ],
        ]
      : null,
    v.owner ? ['Owner', v.owner] : null,
    v.leaseExpiresAt
      ? [
          'Lease until',
          [
            time(v.leaseExpiresAt),
            ' (',
            h('span', { dataset: { until: v.leaseExpiresAt, past: 'expired' } }),
            ')',
          ],
        ]
      : null,
    v.status === 'IN_PROGRESS'
      ? ['Lease age', h('span', { dataset: { since: v.queuedAt } })]
      : null,
    v.failedAt ? ['Failed at', time(v.failedAt)] : null,
    v.lastAttemptedAt ? ['Last attempted', time(v.lastAttemptedAt)] : null,
  ].filter(Boolean);
  const label = title.toLowerCase().replace(/\s+/g, '-');
  return h(
    'section',
    { class: 'panel copy', 'aria-labelledby': `copy-${label}` },
    h('h2', { id: `copy-${label}` }, title),
    h(
      'dl',
      {},
      rows.map(([k, val]) => [h('dt', {}, k), h('dd', {}, val)]),
    ),
    v.lastError
      ? [h('h3', {}, 'Last error'), h('pre', { class: 'error-text' }, v.lastError)]
      : null,
  );
}
