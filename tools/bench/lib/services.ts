/** The deployed services as child processes on loopback, configured by environment (spec 03). */
import { spawnChild, type Child } from './children.ts';

export interface DispatcherProcessOptions {
  name: string;
  bucket: string;
  /** `host:port` of the emulator. */
  emulatorHost: string;
  /** The reconciler, `http://127.0.0.1:PORT`. */
  target: string;
  /** Extra variables: WORKQUEUE_CONCURRENCY, WORKQUEUE_LEASE, WORKQUEUE_MAX_RETRY, … */
  env?: Record<string, string>;
  logFile?: string;
  nodeFlags?: string[];
  /** The entry to run. Default `apps/dispatcher/src/main.ts` (the source, type-stripped). */
  script?: string;
}

export interface ServiceProcess {
  readonly child: Child;
  /** Base URL: the dispatcher's HTTP wake endpoint, or the receiver's gRPC target. */
  readonly url: string;
}

/**
 * The V8 flags a deployed dispatcher runs with (infra/gcp `dispatcherEnv` sets them as
 * NODE_OPTIONS): a young generation of at most 8 MB per semi-space. Listing a deep queue allocates
 * in bursts, and on a large machine V8 would otherwise grow the young generation to 64 MB and keep
 * it (measured: 218 MB RSS instead of 134 MB at 100,000 queued keys; docs/benchmarks.md).
 */
export const dispatcherNodeOptions = '--max-semi-space-size=8';

/** `apps/dispatcher/src/main.ts`, ready once it logs `dispatcher started` with its URL. */
export async function startDispatcherProcess(
  options: DispatcherProcessOptions,
): Promise<ServiceProcess> {
  const child = spawnChild({
    name: options.name,
    script: options.script ?? 'apps/dispatcher/src/main.ts',
    env: {
      PORT: '0',
      HOST: '127.0.0.1',
      WORKQUEUE_MODE: 'gcs',
      WORKQUEUE_BUCKET: options.bucket,
      STORAGE_EMULATOR_HOST: options.emulatorHost,
      WORKQUEUE_TARGET: options.target,
      WORKQUEUE_OWNER: `${options.name}-${Date.now().toString(36)}`,
      NODE_OPTIONS: dispatcherNodeOptions,
      ...options.env,
    },
    ...(options.logFile ? { logFile: options.logFile } : {}),
    ...(options.nodeFlags ? { nodeFlags: options.nodeFlags } : {}),
  });
  const url = await child.waitFor((line) => {
    if (!line.includes('dispatcher started')) return undefined;
    try {
      return (JSON.parse(line) as { url?: string }).url;
    } catch {
      return undefined;
    }
  });
  return { child, url };
}

/** A receiver on 127.0.0.1 (see receiver-main.ts), ready once it logs its port. */
export async function startReceiverProcess(options: {
  name?: string;
  bucket: string;
  emulatorHost: string;
  logFile?: string;
}): Promise<ServiceProcess> {
  const child = spawnChild({
    name: options.name ?? 'receiver',
    script: 'tools/bench/lib/receiver-main.ts',
    env: { WORKQUEUE_BUCKET: options.bucket, STORAGE_EMULATOR_HOST: options.emulatorHost },
    ...(options.logFile ? { logFile: options.logFile } : {}),
  });
  const port = await child.waitFor((line) => {
    if (!line.includes('receiver listening')) return undefined;
    try {
      return (JSON.parse(line) as { port?: number }).port;
    } catch {
      return undefined;
    }
  });
  return { child, url: `http://127.0.0.1:${port}` };
}
