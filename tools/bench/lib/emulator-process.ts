/**
 * The GCS emulator as its own process (`packages/gcs-emulator/src/main.ts`), so it has a core of
 * its own as a real GCS would, and so its CPU and faults are measured and set from outside.
 */
import type { FaultOptions, OperationCounters } from '@recon/gcs-emulator';
import { spawnChild, type Child } from './children.ts';

export interface EmulatorProcessOptions {
  name?: string;
  /** POST a Pub/Sub-style push for every new `queued/` object here. */
  notifyUrl?: string;
  /** Persist to this directory (default: memory only). */
  dataDir?: string;
  /** Seed of the fault generator (replayable faults). */
  seed?: number;
  logFile?: string;
}

export interface EmulatorProcess {
  readonly url: string;
  /** The value passed as STORAGE_EMULATOR_HOST: the full URL (the variable also accepts `host:port`). */
  readonly host: string;
  readonly child: Child;
  counters(): Promise<OperationCounters>;
  setFaults(faults: FaultOptions): Promise<void>;
  stop(): Promise<void>;
}

export async function startEmulatorProcess(
  options: EmulatorProcessOptions = {},
): Promise<EmulatorProcess> {
  const args = ['--port', '0', '--host', '127.0.0.1'];
  if (options.notifyUrl) {
    args.push('--notify', options.notifyUrl, '--notify-prefix', 'queued/');
    args.push('--notify-event-types', 'OBJECT_FINALIZE');
  }
  if (options.dataDir) args.push('--data', options.dataDir);
  if (options.seed !== undefined) args.push('--seed', String(options.seed));
  const child = spawnChild({
    name: options.name ?? 'gcs-emulator',
    script: 'packages/gcs-emulator/src/main.ts',
    args,
    ...(options.logFile ? { logFile: options.logFile } : {}),
  });
  const url = await child.waitFor((line) => /listening on (http:\/\/\S+)/.exec(line)?.[1]);
  const control = async (path: string, init?: RequestInit): Promise<Response> => {
    const response = await fetch(new URL(path, url), init);
    if (!response.ok) {
      throw new Error(`emulator ${path} answered ${response.status}: ${await response.text()}`);
    }
    return response;
  };
  return {
    url,
    host: url,
    child,
    counters: async () =>
      (await (await control('/_emulator/counters')).json()) as OperationCounters,
    setFaults: async (faults) => {
      await control('/_emulator/faults', {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(faults),
      });
    },
    stop: () => child.stop(5000),
  };
}
