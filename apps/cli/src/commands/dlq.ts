import { KeyStatus, systemClock, type KeyStateView } from '@recon/core';
import type { Command } from 'commander';
import type { CliContext } from '../context.ts';
import { UsageError } from '../errors.ts';
import { isoTime, oneLine, plural, relativeTime } from '../output/format.ts';
import { printJson } from '../output/json.ts';
import { createStyle } from '../output/style.ts';
import { renderTable } from '../output/table.ts';
import {
  addQueueOptions,
  queueHelp,
  withQueueTarget,
  type QueueFlags,
  type QueueStore,
} from '../queue-target.ts';
import { registerDlqReenqueue } from './dlq-reenqueue.ts';

interface ListFlags extends QueueFlags {
  prefix?: string;
  limit: string;
  json?: boolean;
}

export function registerDlq(program: Command, ctx: CliContext): void {
  const dlq = program
    .command('dlq')
    .description('the dead-letter queue: keys that exhausted their retries')
    .addHelpText('after', '\nExamples:\n  recon dlq list\n  recon dlq reenqueue --all --dry-run');
  addQueueOptions(
    dlq
      .command('list')
      .description('dead-lettered keys with failed time, attempts and last error')
      .option('--prefix <prefix>', 'only keys starting with this')
      .option('--limit <n>', 'show at most this many keys', '1000')
      .option('--json', 'print one JSON document'),
  )
    .addHelpText(
      'after',
      `${queueHelp}

Examples:
  recon dlq list
  recon dlq list --prefix https://github.com/o/r/ --json`,
    )
    .action(async (flags: ListFlags) => {
      const limit = Number(flags.limit);
      if (!Number.isInteger(limit) || limit < 1)
        throw new UsageError(`--limit must be a positive integer, got ${flags.limit}`);
      await withQueueTarget(flags, ctx, {}, async (target) => {
        const { entries, truncated } = await listDeadLetters(
          target.store(),
          flags.prefix ?? '',
          limit,
          ctx.interrupted,
        );
        if (flags.json) {
          printJson(ctx, {
            keys: entries.map((e) => ({
              key: e.key,
              failedAt: isoTime(e.failedAt),
              attempts: e.attempts,
              priority: e.priority,
              firstQueuedAt: isoTime(e.firstQueuedAt),
              lastError: e.lastError,
            })),
            truncated,
          });
          return;
        }
        const style = createStyle(ctx.isTTY);
        const scope = flags.prefix ? ` with prefix ${JSON.stringify(flags.prefix)}` : '';
        if (entries.length === 0) {
          ctx.stdout(`no dead-lettered keys${scope} in ${target.description}\n`);
          return;
        }
        const now = systemClock.now();
        ctx.stdout(
          renderTable(
            entries.map((e) => [
              e.key,
              relativeTime(e.failedAt, now),
              String(e.attempts),
              String(e.priority),
              oneLine(e.lastError, 100),
            ]),
            {
              header: ['KEY', 'FAILED', 'ATTEMPTS', 'PRIORITY', 'LAST ERROR'],
              alignRight: [2, 3],
              headerStyle: style.dim,
              ...(ctx.isTTY ? { maxWidth: 160 } : {}),
            },
          ) + '\n',
        );
        ctx.stdout(
          `${plural(entries.length, 'dead-lettered key')}${scope}${truncated ? ` (the first ${limit}; narrow with --prefix or raise --limit)` : ''} · move them back with \`recon dlq reenqueue\`\n`,
        );
      });
    });
  registerDlqReenqueue(dlq, ctx);
}

async function listDeadLetters(
  store: QueueStore,
  prefix: string,
  limit: number,
  signal: AbortSignal,
): Promise<{ entries: KeyStateView[]; truncated: boolean }> {
  const entries: KeyStateView[] = [];
  let pageToken: string | undefined;
  do {
    const page = await store.list(
      KeyStatus.DEAD_LETTER,
      {
        prefix,
        limit: Math.min(1000, limit - entries.length + 1),
        ...(pageToken ? { pageToken } : {}),
      },
      signal,
    );
    entries.push(...page.entries);
    pageToken = page.nextPageToken;
  } while (pageToken && entries.length <= limit);
  const truncated = entries.length > limit || pageToken !== undefined;
  return { entries: entries.slice(0, limit), truncated };
}
