import { KeyStatus, systemClock, validateKey, type KeyStateView } from '@recon/core';
import type { Command } from 'commander';
import type { CliContext } from '../context.ts';
import { CommandError } from '../errors.ts';
import { isoTime, relativeTime } from '../output/format.ts';
import { printJson } from '../output/json.ts';
import { createStyle } from '../output/style.ts';
import { renderPairs } from '../output/table.ts';
import {
  addQueueOptions,
  queueHelp,
  withQueueTarget,
  type QueueFlags,
  type QueueStore,
} from '../queue-target.ts';

interface GetFlags extends QueueFlags {
  json?: boolean;
}

export function registerQueueGet(queue: Command, ctx: CliContext): void {
  addQueueOptions(
    queue
      .command('get')
      .description(
        "one key's state: where it is, priority, attempts, times, first queued, last error",
      )
      .argument('<key>', 'the key')
      .option('--json', 'print one JSON document'),
  )
    .addHelpText(
      'after',
      `${queueHelp}

Examples:
  recon queue get repo/a
  recon queue get https://github.com/o/r/pull/1 --json`,
    )
    .action(async (key: string, flags: GetFlags) => {
      validateKey(key);
      await withQueueTarget(flags, ctx, {}, async (target) => {
        const state = await target.getKeyState(key, ctx.interrupted);
        if (!state)
          throw new CommandError(
            `key not found: ${JSON.stringify(key)} is not queued, in progress or dead-lettered in ${target.description}`,
          );
        const copies =
          target.kind === 'receiver'
            ? [state.status]
            : await copiesOf(target.store(), key, state.status);
        const doc = keyDocument(state, copies);
        if (flags.json) {
          printJson(ctx, doc);
          return;
        }
        ctx.stdout(renderKey(state, copies, systemClock.now(), ctx.isTTY) + '\n');
      });
    });
}

/** Every place the key has a copy in (a key may be in progress and queued again at once). */
async function copiesOf(store: QueueStore, key: string, known: KeyStatus): Promise<KeyStatus[]> {
  const found: KeyStatus[] = [];
  for (const status of [KeyStatus.IN_PROGRESS, KeyStatus.QUEUED, KeyStatus.DEAD_LETTER]) {
    if (status === known) {
      found.push(status);
      continue;
    }
    // The exact key sorts first among the keys it prefixes.
    const page = await store.list(status, { prefix: key, limit: 1 });
    if (page.entries[0]?.key === key) found.push(status);
  }
  return found;
}

export function keyDocument(state: KeyStateView, copies: KeyStatus[]): Record<string, unknown> {
  return {
    key: state.key,
    status: state.status,
    copies,
    priority: state.priority,
    attempts: state.attempts,
    queuedAt: isoTime(state.queuedAt),
    notBefore: isoTime(state.notBefore),
    firstQueuedAt: isoTime(state.firstQueuedAt),
    lastAttemptedAt: isoTime(state.lastAttemptedAt),
    lastError: state.lastError,
    leaseExpiresAt: isoTime(state.leaseExpiresAt),
    owner: state.owner,
    failedAt: isoTime(state.failedAt),
  };
}

function renderKey(state: KeyStateView, copies: KeyStatus[], now: number, color: boolean): string {
  const style = createStyle(color);
  const statusText: Record<KeyStatus, string> = {
    QUEUED: style.cyan('queued'),
    IN_PROGRESS: style.green('in progress'),
    DEAD_LETTER: style.red('dead-lettered'),
  };
  const rows: Array<[string, string]> = [
    ['key', state.key],
    ['status', copies.map((c) => statusText[c]).join(' + ')],
    ['priority', String(state.priority)],
    ['attempts', String(state.attempts)],
    [
      state.status === KeyStatus.IN_PROGRESS ? 'started' : 'queued',
      relativeTime(state.queuedAt, now),
    ],
  ];
  if (state.notBefore > now) rows.push(['not before', relativeTime(state.notBefore, now)]);
  if (state.firstQueuedAt) rows.push(['first queued', relativeTime(state.firstQueuedAt, now)]);
  if (state.lastAttemptedAt)
    rows.push(['last attempted', relativeTime(state.lastAttemptedAt, now)]);
  if (state.leaseExpiresAt)
    rows.push([
      'lease expires',
      `${relativeTime(state.leaseExpiresAt, now)} (${state.owner ?? '?'})`,
    ]);
  if (state.failedAt) rows.push(['failed', relativeTime(state.failedAt, now)]);
  rows.push(['last error', state.lastError ?? '-']);
  return renderPairs(rows);
}
