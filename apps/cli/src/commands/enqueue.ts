import {
  formatDuration,
  InvalidArgumentError,
  parseDuration,
  validateEnqueue,
  validateKey,
  validatePriority,
  type ValidEnqueue,
} from '@recon/core';
import type { Command } from 'commander';
import type { CliContext } from '../context.ts';
import { plural } from '../output/format.ts';
import { printJson } from '../output/json.ts';
import { createStyle } from '../output/style.ts';
import { renderTable } from '../output/table.ts';
import { addQueueOptions, queueHelp, withQueueTarget, type QueueFlags } from '../queue-target.ts';

interface EnqueueFlags extends QueueFlags {
  priority: string;
  delay: string;
  json?: boolean;
}

export function registerEnqueue(program: Command, ctx: CliContext): void {
  addQueueOptions(
    program
      .command('enqueue')
      .description(
        'put keys on the queue (merged with a queued copy of the same key, never duplicated)',
      )
      .argument('<key...>', 'keys to enqueue')
      .option('--priority <n>', 'higher runs first; a signed 32-bit integer', '0')
      .option('--delay <duration>', 'not before this long from now: 500ms, 30s, 5m, 2h', '0s')
      .option('--json', 'print the result as one JSON document'),
  )
    .addHelpText(
      'after',
      `${queueHelp}

Examples:
  recon enqueue repo/a repo/b
  recon enqueue https://github.com/o/r/pull/1 --priority 10 --delay 30s
  recon enqueue my-key --queue prod --json`,
    )
    .action(async (keys: string[], flags: EnqueueFlags) => {
      const requests = parseRequests(keys, flags);
      await withQueueTarget(flags, ctx, { write: true }, async (target) => {
        const results: Array<ValidEnqueue & { result: string }> = [];
        for (const request of requests) {
          results.push({ ...request, result: await target.enqueue(request, ctx.interrupted) });
        }
        const delayMs = requests[0]?.delayMs ?? 0;
        if (target.kind !== 'local' && target.kind !== 'bucket' && delayMs % 1000 !== 0) {
          ctx.stderr(
            `note: the receiver takes whole seconds; --delay ${flags.delay} was rounded up to ${Math.ceil(delayMs / 1000)}s\n`,
          );
        }
        if (flags.json) {
          printJson(ctx, {
            queue: target.description,
            enqueued: results.map(({ key, priority, delayMs: d, result }) => ({
              key,
              priority,
              delayMs: d,
              result,
            })),
          });
          return;
        }
        const style = createStyle(ctx.isTTY);
        ctx.stdout(
          renderTable(
            results.map((r) => [
              r.key,
              r.result,
              String(r.priority),
              r.delayMs ? formatDuration(r.delayMs) : '-',
            ]),
            {
              header: ['KEY', 'RESULT', 'PRIORITY', 'DELAY'],
              alignRight: [2],
              headerStyle: style.dim,
            },
          ) + '\n',
        );
        ctx.stdout(
          style.green(`enqueued ${plural(results.length, 'key')}`) +
            ` into ${target.description}\n`,
        );
      });
    });
}

/** Every flag and key checked before anything is sent; the first problem names its field. */
export function parseRequests(
  keys: readonly string[],
  flags: { priority: string; delay: string },
): ValidEnqueue[] {
  if (!/^[+-]?\d+$/.test(flags.priority.trim())) {
    throw new InvalidArgumentError(
      '--priority',
      `must be an integer, got ${JSON.stringify(flags.priority)}`,
    );
  }
  const priority = validatePriority(Number(flags.priority), '--priority');
  const delayMs = parseDuration(flags.delay, '--delay');
  return keys.map((key, i) => {
    validateKey(key, keys.length > 1 ? `key #${i + 1}` : 'key');
    return validateEnqueue({ key, priority, delayMs });
  });
}
