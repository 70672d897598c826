import { runService, type RunningService } from '@recon/backends';
import type { Command } from 'commander';
import type { CliContext } from '../context.ts';
import { CommandError, UsageError } from '../errors.ts';

type Env = Record<string, string | undefined>;

interface ServiceEntry {
  summary: string;
  /** Long-running services start and run until a signal; jobs run once and resolve an exit code. */
  kind: 'service' | 'job';
  /** Deployed by the Pulumi components (infra/gcp `serviceRoles`): `recon images push` default. */
  deployed?: true;
  start(env: Env, args: string[]): Promise<RunningService | number>;
}

/**
 * Every deployable, started the same way here and in the container images
 * (`recon serve <name>`; the images run serve-entry.ts, which uses this table too), each
 * configured by environment variables only. The imports are dynamic: one service loads alone.
 */
export const services: Record<string, ServiceEntry> = {
  receiver: {
    summary: 'gRPC enqueue and key state over h2c (PORT, WORKQUEUE_BUCKET, …)',
    kind: 'service',
    deployed: true,
    start: async (env) => (await import('@recon/receiver')).serveReceiverFromEnv(env),
  },
  dispatcher: {
    summary: 'leases keys and calls WORKQUEUE_TARGET over gRPC',
    kind: 'service',
    deployed: true,
    start: async (env) => (await import('@recon/dispatcher')).serveDispatcherFromEnv(env),
  },
  reenqueue: {
    summary: 'job: moves dead-lettered keys back to the queue (REENQUEUE_KEYS, REENQUEUE_PREFIX)',
    kind: 'job',
    deployed: true,
    start: async (env) => (await import('@recon/reenqueue')).runReenqueueFromEnv(env),
  },
  router: {
    summary: 'forwards each key to shard FNV-1a-32(key) mod N of WORKQUEUE_SHARDS',
    kind: 'service',
    deployed: true,
    start: async (env) => (await import('@recon/router')).serveRouterFromEnv(env),
  },
  'cloudevents-bridge': {
    summary: 'Pub/Sub CloudEvents → keys (RECEIVER_URL, EXTENSION_KEY, FILTERS, PRIORITY)',
    kind: 'service',
    deployed: true,
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
    deployed: true,
    start: async (env) => (await import('@recon/triggers')).serveGithubPushFromEnv(env),
  },
  resync: {
    summary: "job: enqueue this tick's share of every key, once per RESYNC_PERIOD_HOURS",
    kind: 'job',
    deployed: true,
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

export const serviceNames = Object.keys(services);

/** The roles recon's images are built for by default, in table order. */
export const deployedRoles = serviceNames.filter((n) => services[n]?.deployed);

/** `  name               summary` lines, for help and usage text. */
export function describeServices(): string {
  return serviceNames.map((n) => `  ${n.padEnd(18)} ${services[n]?.summary ?? ''}`).join('\n');
}

/**
 * Runs service `name` in the foreground: a service until SIGTERM/SIGINT (then drained), a job to
 * completion. UsageError for an unknown name, CommandError for a non-zero exit.
 */
export async function serveService(
  name: string,
  args: string[],
  io: { env: Env; write: (line: string) => void },
): Promise<void> {
  const entry = services[name];
  if (!entry)
    throw new UsageError(
      `unknown service ${JSON.stringify(name)}; one of: ${serviceNames.join(', ')}`,
    );
  if (entry.kind === 'job') {
    const code = await entry.start(io.env, args);
    if (typeof code === 'number' && code !== 0)
      throw new CommandError(`${name} failed (exit ${code})`);
    return;
  }
  const code = await runService(
    async () => {
      const started = await entry.start(io.env, args);
      if (typeof started === 'number') throw new CommandError(`${name} did not start`);
      return started;
    },
    { name, write: io.write },
  );
  if (code !== 0) throw new CommandError(`${name} exited with code ${code}`);
}

export function registerServe(program: Command, ctx: CliContext): void {
  program
    .command('serve')
    .description('run one recon service in the foreground (what the container images run)')
    .argument('<service>', serviceNames.join(' | '))
    .argument('[args...]', 'arguments for the service (gcs-emulator takes flags)')
    .allowUnknownOption(true)
    .addHelpText(
      'after',
      `\nServices:\n${describeServices()}\n\nExample:\n  PORT=8080 WORKQUEUE_BUCKET=my-queue recon serve receiver\n  recon serve gcs-emulator --port 4443 --data .recon/gcs`,
    )
    .action((name: string, args: string[]) =>
      serveService(name, args, { env: ctx.env, write: (line) => ctx.stderr(line + '\n') }),
    );
}
