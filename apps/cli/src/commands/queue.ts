import type { Command } from 'commander';
import type { CliContext } from '../context.ts';
import { registerQueueGet } from './queue-get.ts';
import { registerQueueStats } from './queue-stats.ts';

export function registerQueue(program: Command, ctx: CliContext): void {
  const queue = program
    .command('queue')
    .description('inspect a queue: gauges and the state of one key')
    .addHelpText(
      'after',
      '\nExamples:\n  recon queue stats --watch\n  recon queue get repo/a --json',
    );
  registerQueueStats(queue, ctx);
  registerQueueGet(queue, ctx);
}
