import { join, resolve } from 'node:path';
import { createLogger } from '@recon/observability';
import type { Command } from 'commander';
import type { CliContext } from '../context.ts';
import { UsageError } from '../errors.ts';
import { startDevStack, type DevReconciler } from '../dev/dev-stack.ts';
import { exampleKeys } from '../dev/example-reconciler.ts';
import { humanLogWriter } from '../dev/human-log.ts';
import { readProjectConfig } from '../project-config.ts';

interface DevFlags {
  reconciler?: string;
  target?: string;
  example?: boolean;
  port: string;
  dir: string;
  concurrency: string;
  untilIdle?: boolean;
  json?: boolean;
}

export function registerDev(program: Command, ctx: CliContext): void {
  program
    .command('dev')
    .description('run receiver, dispatcher, a reconciler and a local bucket on this machine')
    .option('--reconciler <file>', 'serve this reconciler file (reloads on change)')
    .option('--target <url>', 'call a reconciler already running at this URL')
    .option('--example', 'run the bundled example reconciler and enqueue a few keys')
    .option(
      '--port <n>',
      'first port (receiver; dispatcher +1, reconciler +2, storage +3, ui +4); 0 = free ports',
      '8080',
    )
    .option('--dir <path>', 'where the local bucket persists', '.recon')
    .option('--concurrency <n>', 'reconciles in flight at once', '5')
    .option('--until-idle', 'exit once the queue is empty and nothing is in flight')
    .option('--json', 'print the endpoints as JSON, and logs as JSON lines')
    .addHelpText(
      'after',
      '\nExamples:\n  recon dev --example\n  recon dev --reconciler ./src/reconciler.ts\n  recon dev --target http://127.0.0.1:9000',
    )
    .action(async (flags: DevFlags) => {
      const chosen = [flags.reconciler, flags.target, flags.example].filter(Boolean).length;
      if (chosen > 1) throw new UsageError('choose one of --reconciler, --target or --example');
      const project = await readProjectConfig(ctx.cwd);
      const reconciler: DevReconciler = flags.target
        ? { target: flags.target }
        : flags.reconciler
          ? { file: resolve(ctx.cwd, flags.reconciler) }
          : flags.example || !project?.reconciler
            ? { example: true }
            : { file: resolve(ctx.cwd, project.reconciler) };
      const basePort = parsePort(flags.port);
      const concurrency = Number(flags.concurrency);
      if (!Number.isInteger(concurrency) || concurrency < 1) {
        throw new UsageError(`--concurrency must be a positive integer, got ${flags.concurrency}`);
      }
      const line = (text: string) => ctx.stderr(text + '\n');
      const write = flags.json
        ? (json: string) => ctx.stdout(json + '\n')
        : humanLogWriter(line, { color: ctx.isTTY });
      const logger = createLogger({ write });
      const stack = await startDevStack({
        dir: resolve(ctx.cwd, flags.dir),
        cwd: ctx.cwd,
        reconciler,
        basePort,
        concurrency,
        logger,
        write: line,
      });
      const e = stack.endpoints;
      if (flags.json) {
        ctx.stdout(JSON.stringify({ event: 'ready', ...e }) + '\n');
      } else {
        line(
          [
            'recon dev is running (Ctrl-C to stop)',
            `  receiver    ${e.receiver}   gRPC WorkqueueService (recon enqueue talks to it)`,
            `  dispatcher  ${e.dispatcher}   /metrics /healthz`,
            `  reconciler  ${e.reconciler}   ${'file' in reconciler ? reconciler.file : 'target' in reconciler ? 'external' : 'bundled example'}`,
            `  storage     ${e.storage}   bucket ${e.bucket}, persisted in ${join(flags.dir, 'gcs')}`,
            `  ui          ${e.ui}   the queue in a browser`,
            'Try: npx recon enqueue my-key   ·   npx recon queue stats',
          ].join('\n'),
        );
      }
      if ('example' in reconciler) {
        for (const key of exampleKeys) await stack.queue.enqueue({ key });
        stack.dispatcher.wake('local');
        if (!flags.json) line(`enqueued example keys: ${exampleKeys.join(', ')}`);
      }
      await waitUntil(
        ctx.interrupted,
        flags.untilIdle ? () => stack.dispatcher.loop.idle() : undefined,
        stack,
      );
      if (!flags.json) line('stopping: in-flight keys go back to the queue…');
      await stack.stop();
      if (!flags.json) line('stopped. Queued keys resume on the next `recon dev`.');
    });
}

async function waitUntil(
  interrupted: AbortSignal,
  idle: (() => Promise<void>) | undefined,
  stack: { queue: { stats(): Promise<{ queued: number; inProgress: number }> } },
): Promise<void> {
  const stopped = new Promise<void>((resolve) => {
    if (interrupted.aborted) resolve();
    interrupted.addEventListener('abort', () => resolve(), { once: true });
  });
  if (!idle) return stopped;
  // Idle means the store agrees: nothing queued (due or not) and nothing in progress.
  const drained = (async () => {
    for (;;) {
      await idle();
      const s = await stack.queue.stats();
      if (s.queued === 0 && s.inProgress === 0) return;
      await new Promise((r) => setTimeout(r, 200));
    }
  })();
  await Promise.race([stopped, drained]);
}

function parsePort(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0 || n > 65_530)
    throw new UsageError(`--port must be 0..65530, got ${text}`);
  return n;
}
