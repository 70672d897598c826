import { validateKey } from '@recon/core';
import {
  reenqueueDeadLetters,
  type DeadLetterSelection,
  type ReenqueueReport,
} from '@recon/reenqueue';
import type { Command } from 'commander';
import type { CliContext } from '../context.ts';
import { CommandError, UsageError } from '../errors.ts';
import { plural } from '../output/format.ts';
import { printJson } from '../output/json.ts';
import { startProgress, type Progress } from '../output/progress.ts';
import { createStyle } from '../output/style.ts';
import { addQueueOptions, queueHelp, withQueueTarget, type QueueFlags } from '../queue-target.ts';

interface ReenqueueFlags extends QueueFlags {
  all?: boolean;
  key?: string[];
  prefix?: string;
  dryRun?: boolean;
  rate?: string;
  json?: boolean;
}

export function registerDlqReenqueue(dlq: Command, ctx: CliContext): void {
  addQueueOptions(
    dlq
      .command('reenqueue')
      .description('move dead-lettered keys back to the queue (attempts reset, priority kept)')
      .option('--all', 'every dead-lettered key')
      .option('--key <key...>', 'these keys')
      .option('--prefix <prefix>', 'keys starting with this')
      .option('--dry-run', 'list what would move; change nothing')
      .option('--rate <n/s>', 'at most this many keys per second, e.g. 10 or 10/s')
      .option('--json', 'print the report as one JSON document'),
  )
    .addHelpText(
      'after',
      `${queueHelp}

Exits 1 when any selected key failed to move (or a named key was not dead-lettered).

Examples:
  recon dlq reenqueue --all --dry-run
  recon dlq reenqueue --key repo/a repo/b
  recon dlq reenqueue --prefix https://github.com/o/r/ --rate 5/s`,
    )
    .action(async (flags: ReenqueueFlags) => {
      const select = selection(flags);
      const ratePerSecond = flags.rate === undefined ? undefined : parseRate(flags.rate);
      await withQueueTarget(flags, ctx, {}, async (target) => {
        const queue = target.store();
        let progress: Progress | undefined;
        const report = await reenqueueDeadLetters({
          queue,
          select,
          dryRun: flags.dryRun === true,
          ...(ratePerSecond ? { ratePerSecond } : {}),
          signal: ctx.interrupted,
          onProgress: ({ done, total, key }) => {
            progress ??= startProgress(ctx, { total, label: 'moving', enabled: !flags.json });
            progress.update(done, key);
          },
        });
        progress?.stop();
        if (flags.json) printJson(ctx, report);
        else ctx.stdout(summary(report, target.description, ctx.isTTY) + '\n');
        const bad = report.failed.length + report.missing.length;
        if (bad > 0)
          throw new CommandError(`${plural(bad, 'key')} of ${report.selected.length} did not move`);
      });
    });
}

function selection(flags: ReenqueueFlags): DeadLetterSelection {
  const chosen = [flags.all, flags.key, flags.prefix !== undefined].filter(Boolean).length;
  if (chosen !== 1)
    throw new UsageError('choose which keys to move: one of --all, --key K... or --prefix P');
  if (flags.key) return { keys: flags.key.map((k) => validateKey(k, '--key')) };
  if (flags.prefix !== undefined) {
    if (flags.prefix === '')
      throw new UsageError('--prefix must not be empty (use --all for every key)');
    return { prefix: flags.prefix };
  }
  return { all: true };
}

/** `10`, `10/s` or `0.5/s`: keys per second. */
export function parseRate(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(?:\/\s*s)?\s*$/.exec(text);
  const n = m ? Number(m[1]) : NaN;
  if (!(n > 0))
    throw new UsageError(
      `--rate must be a positive number of keys per second, like 10 or 10/s, got ${JSON.stringify(text)}`,
    );
  return n;
}

function summary(report: ReenqueueReport, where: string, color: boolean): string {
  const style = createStyle(color);
  if (report.selected.length === 0)
    return `no dead-lettered keys match in ${where}: nothing to move`;
  if (report.dryRun) {
    return [
      `dry run: would move ${plural(report.selected.length, 'key')} back to the queue in ${where}:`,
      ...report.selected.map((k) => `  ${k}`),
    ].join('\n');
  }
  const lines = [
    `${style.green(`moved ${plural(report.moved.length, 'key')}`)} back to the queue in ${where}` +
      (report.failed.length ? `; ${style.red(`${report.failed.length} failed`)}` : '') +
      (report.missing.length
        ? `; ${style.yellow(`${report.missing.length} not dead-lettered`)}`
        : ''),
  ];
  for (const f of report.failed) lines.push(`  ${style.red('failed')}  ${f.key}: ${f.error}`);
  for (const k of report.missing)
    lines.push(`  ${style.yellow('missing')} ${k}: not in the dead-letter queue`);
  return lines.join('\n');
}
