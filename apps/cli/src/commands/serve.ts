import { runService, type RunningService } from '@recon/backends';
import type { Command } from 'commander';
import type { CliContext } from '../context.ts';
import { CommandError, UsageError } from '../errors.ts';

type Env = Record<string, string | undefined>;

interface ServiceEntry {
  summary: string;
  /** Long-running services start and run until a signal; jobs run once and resolve an exit code. */
  kind: 'service' | 'job';
  start(env: Env, args: string[]): Promise<RunningService | number>;
}

/**
 * Every deployable, started the same way here and in the container images
 * (`recon serve <name>`), each configured by environment variables only.
 */
const services: Record<string, ServiceEntry> = {
  receiver: {
    summary: 'gRPC enqueue and key state over h2c (PORT, WORKQUEUE_BUCKET, …)',
    kind: 'service',
    start: async (env) => (await import('@recon/receiver')).serveReceiverFromEnv(env),
  },
  dispatcher: {
    summary: 'leases keys and calls WORKQUEUE_TARGET over gRPC',
    kind: 'service',
    start: async (env) => (await import('@recon/dispatcher')).serveDispatcherFromEnv(env),
  },
  reenqueue: {
    summary: 'job: moves dead-lettered keys back to the queue (REENQUEUE_KEYS, REENQUEUE_PREFIX)',
    kind: 'job',
    start: async (env) => (await import('@recon/reenqueue')).runReenqueueFromEnv(env),
  },
  router: {
    summary: 'forwards each key to shard FNV-1a-32(key) mod N of WORKQUEUE_SHARDS',
    kind: 'service',
    start: async (env) => (await import('@recon/router')).serveRouterFromEnv(env),
  },
  'cloudevents-bridge': {
    summary: 'Pub/Sub CloudEvents → keys (RECEIVER_URL, EXTENSION_KEY, FILTERS, PRIORITY)',
    kind: 'service',
    start: async (env) => (await import('@recon/triggers')).serveCloudEventsBridgeFromEnv(env),
  },
  'github-webhook': {
    summary:
      'signed GitHub webhooks → PR/issue keys (GITHUB_WEBHOOK_SECRET, RECEIVER_URL | BROKER_TOPIC)',
    kind: 'service',
    start: async (env) => (await import('@recon/triggers')).serveGithubWebhookFromEnv(env),
  },
  'github-push': {
    summary:
      'default-branch pushes → file keys of a path reconciler (GITHUB_OWNER, GITHUB_REPO, PATH_PATTERNS)',
    kind: 'service',
    start: async (env) => (await import('@recon/triggers')).serveGithubPushFromEnv(env),
  },
  resync: {
    summary: "job: enqueue this tick's share of every key, once per RESYNC_PERIOD_HOURS",
    kind: 'job',
    start: async (env) => (await import('@recon/triggers')).runResyncFromEnv(env),
  },
  'gcs-emulator': {
    summary: 'a local GCS JSON API emulator (--port, --data DIR, --notify URL)',
    kind: 'job',
    start: async (env, args) => {
      await (await import('@recon/gcs-emulator')).runGcsEmulatorCli(args, env);
      return 0;
    },
  },
};

export function registerServe(program: Command, ctx: CliContext): void {
  const names = Object.keys(services);
  program
    .command('serve')
    .description('run one recon service in the foreground (what the container images run)')
    .argument('<service>', names.join(' | '))
    .argument('[args...]', 'arguments for the service (gcs-emulator takes flags)')
    .allowUnknownOption(true)
    .addHelpText(
      'after',
      `\nServices:\n${names.map((n) => `  ${n.padEnd(14)} ${services[n]?.summary ?? ''}`).join('\n')}\n\nExample:\n  PORT=8080 WORKQUEUE_BUCKET=my-queue recon serve receiver\n  recon serve gcs-emulator --port 4443 --data .recon/gcs`,
    )
    .action(async (name: string, args: string[]) => {
      const entry = services[name];
      if (!entry)
        throw new UsageError(
          `unknown service ${JSON.stringify(name)}; one of: ${names.join(', ')}`,
        );
      if (entry.kind === 'job') {
        const code = await entry.start(ctx.env, args);
        if (typeof code === 'number' && code !== 0)
          throw new CommandError(`${name} failed (exit ${code})`);
        return;
      }
      const code = await runService(
        async () => {
          const started = await entry.start(ctx.env, args);
          if (typeof started === 'number') throw new CommandError(`${name} did not start`);
          return started;
        },
        { name, write: (line) => ctx.stderr(line + '\n') },
      );
      if (code !== 0) throw new CommandError(`${name} exited with code ${code}`);
    });
}
