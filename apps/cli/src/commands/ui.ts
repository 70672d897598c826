import { startUi } from '@recon/ui';
import type { Command } from 'commander';
import type { CliContext } from '../context.ts';
import { UsageError } from '../errors.ts';
import { addQueueOptions, openQueueTarget, queueHelp, type QueueFlags } from '../queue-target.ts';

interface UiFlags extends QueueFlags {
  port: string;
  host: string;
  readOnly?: boolean;
  json?: boolean;
}

/** `recon ui`: the web UI for the addressed queue, until Ctrl-C. */
export function registerUi(program: Command, ctx: CliContext): void {
  addQueueOptions(
    program
      .command('ui')
      .description('serve the web UI for the configured queue (the local store by default)')
      .option('--port <n>', 'port to listen on (0 = a free one)', '8090')
      .option('--host <host>', 'interface to listen on', '127.0.0.1')
      .option('--read-only', 'show the queue; refuse every change')
      .option('--json', 'print {"url": …} as JSON once listening'),
  )
    .addHelpText(
      'after',
      `${queueHelp}\n\nExamples:\n  recon ui\n  recon ui --bucket my-queue-a1b2c3 --read-only --port 0`,
    )
    .action(async (flags: UiFlags) => {
      const port = Number(flags.port);
      if (!Number.isInteger(port) || port < 0 || port > 65_535) {
        throw new UsageError(`--port must be 0..65535, got ${flags.port}`);
      }
      const target = await openQueueTarget(flags, ctx, { write: !flags.readOnly });
      try {
        const ui = await startUi({
          queue: target.store(),
          port,
          host: flags.host,
          readOnly: flags.readOnly === true,
        });
        if (flags.json)
          ctx.stdout(JSON.stringify({ url: ui.url, queue: target.description }) + '\n');
        else
          ctx.stderr(
            `recon ui: ${ui.url}  (${target.description}${flags.readOnly ? ', read-only' : ''}; Ctrl-C to stop)\n`,
          );
        await new Promise<void>((resolve) => {
          if (ctx.interrupted.aborted) resolve();
          ctx.interrupted.addEventListener('abort', () => resolve(), { once: true });
        });
        await ui.close();
      } finally {
        await target.close();
      }
    });
}
