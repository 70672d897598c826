// Every write the page makes: confirm first, then POST, then say what happened.
// Each resolves true when the write was stored.
import { postJson } from './api.js';
import { now } from './clock.js';
import { h } from './dom.js';
import { countdown } from './format.js';
import { alertError, confirmAction, notify } from './notices.js';

async function run(confirm, path, body, done) {
  if (!(await confirmAction(confirm))) return false;
  try {
    const result = await postJson(path, body);
    notify(done(result));
    return true;
  } catch (err) {
    alertError(err.message);
    throw err;
  }
}

function keyList(keys) {
  const shown = keys.slice(0, 5).map((k) => h('li', { class: 'mono' }, k));
  const more = keys.length > 5 ? h('li', {}, `…and ${keys.length - 5} more`) : null;
  return h('ul', { class: 'key-list' }, shown, more);
}

const reenqueueNote = 'They go back to the queue with attempts reset and their original priority.';

export function reenqueueKeys(keys) {
  const n = keys.length;
  return run(
    {
      title: n === 1 ? `Re-enqueue ${keys[0]}?` : `Re-enqueue ${n} dead-lettered keys?`,
      body: h('div', {}, h('p', {}, reenqueueNote), keyList(keys)),
      confirmLabel: 'Re-enqueue',
    },
    'reenqueue',
    { keys },
    (r) =>
      `Re-enqueued ${r.reenqueued.length} key(s)` +
      (r.missing.length ? `; ${r.missing.length} were no longer dead-lettered` : ''),
  );
}

export function reenqueueAll(prefix, total) {
  const scope = prefix
    ? `every dead-lettered key starting with “${prefix}”`
    : 'every dead-lettered key';
  return run(
    {
      title: prefix
        ? `Re-enqueue all matching “${prefix}”?`
        : `Re-enqueue all ${total ?? ''} dead-lettered keys?`,
      body: h('p', {}, `This moves ${scope} back to the queue. ${reenqueueNote}`),
      confirmLabel: 'Re-enqueue all',
    },
    'reenqueue',
    prefix ? { prefix } : { all: true },
    (r) => `Re-enqueued ${r.reenqueued.length} key(s)`,
  );
}

export function runNow(key, notBefore) {
  return run(
    {
      title: `Run ${key} now?`,
      body: h(
        'p',
        {},
        `It is waiting (due ${countdown(notBefore - now())}). Run now clears the wait so the next dispatch pass can start it.`,
      ),
      confirmLabel: 'Run now',
    },
    'run-now',
    { key },
    () => `${key} is due now`,
  );
}

export function bump(key, priority, current) {
  return run(
    {
      title: `Bump ${key} to priority ${priority}?`,
      body: h('p', {}, `From ${current} to ${priority}: higher priorities start first.`),
      confirmLabel: 'Bump priority',
    },
    'bump',
    { key, priority },
    () => `${key} now has priority ${priority}`,
  );
}

/** `input` is sent as typed: the server validates every field and names the wrong one. */
export function enqueue(input) {
  const details = [
    `priority ${input.priority ?? 0}`,
    input.delaySeconds ? `after ${input.delaySeconds} s` : 'due at once',
  ];
  return run(
    {
      title: `Enqueue ${input.key === '' ? '(empty key)' : truncate(input.key)}?`,
      body: h('p', {}, `Adds the key (or merges into its queued copy): ${details.join(', ')}.`),
      confirmLabel: 'Enqueue',
    },
    'enqueue',
    input,
    (r) =>
      `${truncate(r.key)}: ${r.result === 'added' ? 'added to the queue' : 'merged into its queued copy'}`,
  );
}

function truncate(text) {
  return typeof text === 'string' && text.length > 80 ? `${text.slice(0, 77)}…` : text;
}
