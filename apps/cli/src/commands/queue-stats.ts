import {
  formatDuration,
  parseDuration,
  systemClock,
  type Clock,
  type QueueStats,
} from '@recon/core';
import type { Command } from 'commander';
import type { CliContext } from '../context.ts';
import { UsageError } from '../errors.ts';
import { printJson, printJsonLine } from '../output/json.ts';
import { createStyle } from '../output/style.ts';
import { renderPairs } from '../output/table.ts';
import { addQueueOptions, queueHelp, withQueueTarget, type QueueFlags } from '../queue-target.ts';

interface StatsFlags extends QueueFlags {
  json?: boolean;
  watch?: boolean;
  interval: string;
  count?: string;
}

/** What `recon queue stats --json` prints. */
export interface StatsDocument {
  queued: number;
  waiting: number;
  inProgress: number;
  deadLettered: number;
  /** Age of the oldest due queued key; null when nothing is due. */
  oldestQueuedAgeMs: number | null;
  maxAttempts: number;
  leaseAgesMs: number[];
}

export function statsDocument(stats: QueueStats, now: number): StatsDocument {
  return {
    queued: stats.queued,
    waiting: stats.waiting,
    inProgress: stats.inProgress,
    deadLettered: stats.deadLettered,
    oldestQueuedAgeMs:
      stats.oldestQueuedAt === undefined ? null : Math.max(0, now - stats.oldestQueuedAt),
    maxAttempts: stats.maxAttempts,
    leaseAgesMs: [...stats.leaseAgesMs].sort((a, b) => b - a),
  };
}

export function registerQueueStats(
  queue: Command,
  ctx: CliContext,
  clock: Clock = systemClock,
): void {
  addQueueOptions(
    queue
      .command('stats')
      .description(
        'queued, waiting, in progress, dead-lettered, oldest queued age, attempts, lease ages',
      )
      .option('--json', 'print one JSON document (with --watch: one JSON line per refresh)')
      .option('--watch', 'refresh until Ctrl-C (in place on a terminal, JSON lines otherwise)')
      .option('--interval <duration>', 'time between refreshes with --watch', '2s')
      .option('--count <n>', 'with --watch, stop after this many refreshes'),
  )
    .addHelpText(
      'after',
      `${queueHelp}

Examples:
  recon queue stats
  recon queue stats --watch --interval 5s
  recon queue stats --queue prod --json`,
    )
    .action(async (flags: StatsFlags) => {
      const intervalMs = parseDuration(flags.interval, '--interval');
      if (intervalMs < 100)
        throw new UsageError(`--interval must be at least 100ms, got ${flags.interval}`);
      const count = flags.count === undefined ? Infinity : Number(flags.count);
      if (!(Number.isInteger(count) || count === Infinity) || count < 1) {
        throw new UsageError(`--count must be a positive integer, got ${flags.count}`);
      }
      await withQueueTarget(flags, ctx, {}, async (target) => {
        const store = target.store();
        const read = async () => statsDocument(await store.stats(ctx.interrupted), clock.now());
        if (!flags.watch) {
          const doc = await read();
          if (flags.json) printJson(ctx, doc);
          else ctx.stdout(renderStats(doc, target.description, ctx.isTTY) + '\n');
          return;
        }
        const inPlace = ctx.isTTY && !flags.json;
        let shownLines = 0;
        for (let n = 0; n < count && !ctx.interrupted.aborted; n++) {
          if (n > 0) await clock.sleep(intervalMs, ctx.interrupted);
          if (ctx.interrupted.aborted) break;
          let doc: StatsDocument;
          try {
            doc = await read();
          } catch (err) {
            if (ctx.interrupted.aborted) break; // Ctrl-C during a read: a clean stop
            throw err;
          }
          if (!inPlace) {
            printJsonLine(ctx, { time: new Date(clock.now()).toISOString(), ...doc });
            continue;
          }
          const text = `${createStyle(true).dim(`every ${formatDuration(intervalMs)} · ${new Date(clock.now()).toLocaleTimeString()} · Ctrl-C to stop`)}\n${renderStats(doc, target.description, true)}\n`;
          // Move up over the previous frame and clear it, then draw the new one.
          ctx.stdout((shownLines ? `\u001b[${shownLines}A\u001b[0J` : '') + text);
          shownLines = text.split('\n').length - 1;
        }
      });
    });
}

/** The human table, and a line saying so when the queue is empty. */
export function renderStats(doc: StatsDocument, where: string, color: boolean): string {
  const style = createStyle(color);
  const leases = doc.leaseAgesMs;
  const rows: Array<[string, string]> = [
    ['queued', String(doc.queued)],
    ['  waiting (not before)', String(doc.waiting)],
    ['in progress', String(doc.inProgress)],
    ['dead-lettered', doc.deadLettered ? style.red(String(doc.deadLettered)) : '0'],
    ['oldest queued', doc.oldestQueuedAgeMs === null ? '-' : formatDuration(doc.oldestQueuedAgeMs)],
    ['max attempts', String(doc.maxAttempts)],
    [
      'lease ages',
      leases.length
        ? `${leases.map(formatDuration).slice(0, 5).join(', ')}${leases.length > 5 ? ', …' : ''}`
        : '-',
    ],
  ];
  const empty = doc.queued + doc.inProgress + doc.deadLettered === 0;
  return [
    style.dim(where),
    renderPairs(rows),
    ...(empty
      ? [
          style.yellow(
            'the queue is empty: nothing queued, in progress or dead-lettered (add keys with `recon enqueue KEY`)',
          ),
        ]
      : []),
  ].join('\n');
}
