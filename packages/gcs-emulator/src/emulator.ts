// startGcsEmulator: wires the store (and its disk), uploads, notifications, faults and counters
// behind one HTTP server.

import type { AddressInfo } from 'node:net';
import { randomInt } from 'node:crypto';
import type { ApiContext } from './api-context.ts';
import type { OperationCounters } from './counters.ts';
import { Counters } from './counters.ts';
import { InvalidOptionError } from './errors.ts';
import type { FaultOptions } from './faults.ts';
import { FaultInjector } from './faults.ts';
import type { NotifyOptions } from './notifications.ts';
import { Notifier, validateNotifyOptions } from './notifications.ts';
import type { ChangeEvent } from './objects-store.ts';
import { ObjectsStore } from './objects-store.ts';
import { Persistence } from './persistence.ts';
import { createEmulatorServer } from './server.ts';
import { UploadSessions } from './uploads.ts';

export interface GcsEmulatorOptions {
  /** TCP port to listen on; 0 picks a free one (read it back from `port`). Default 0. */
  readonly port?: number;
  /** Interface to listen on. Default `127.0.0.1`. */
  readonly host?: string;
  /**
   * Directory to persist objects in, loaded on start. Every acknowledged write is on disk
   * (atomically: temp file + rename) before it is answered. Default undefined: memory only.
   */
  readonly dataDir?: string;
  /** With `dataDir`, fsync each file before the rename (power-loss safety; slower). Default false. */
  readonly fsync?: boolean;
  /** Push bucket notifications to an HTTP endpoint, Pub/Sub push style. Default: none. */
  readonly notify?: NotifyOptions;
  /** Faults injected into API requests (not /_emulator/). Default: none. */
  readonly faults?: FaultOptions;
  /** Seed of the fault generator, for replayable faults. Default: random. */
  readonly seed?: number;
  /** Wall clock in epoch ms (timestamps, generations). Default `Date.now`. */
  readonly now?: () => number;
  /** Receives problem reports (failed notifications, 5xx answers, corrupt files). Default: dropped. */
  readonly log?: (line: string) => void;
}

export interface GcsEmulator {
  /** `http://127.0.0.1:PORT`: pass as `apiEndpoint` to `new Storage()`. */
  readonly url: string;
  readonly port: number;
  /** Stops listening, lets writes in flight land on disk, stops notification deliveries. */
  close(): Promise<void>;
  counters(): OperationCounters;
  resetCounters(): void;
  /** Replaces the fault options (fields left out take their defaults: no faults). */
  setFaults(faults: FaultOptions): void;
}

function validate(o: GcsEmulatorOptions): void {
  if (o.port !== undefined && !(Number.isInteger(o.port) && o.port >= 0 && o.port <= 65535)) {
    throw new InvalidOptionError('port', `must be an integer in 0..65535, got ${String(o.port)}`);
  }
  if (o.seed !== undefined && !Number.isInteger(o.seed)) {
    throw new InvalidOptionError('seed', `must be an integer, got ${String(o.seed)}`);
  }
  if (o.notify) validateNotifyOptions(o.notify);
}

function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}

export async function startGcsEmulator(options: GcsEmulatorOptions = {}): Promise<GcsEmulator> {
  validate(options);
  const host = options.host ?? '127.0.0.1';
  const now = options.now ?? Date.now;
  const log = options.log ?? (() => {});
  const faults = new FaultInjector(options.seed ?? randomInt(2 ** 31), options.faults);
  const counters = new Counters();

  // The notifier needs the URL, known only after listen; events cannot happen before that.
  let notifier: Notifier | undefined;
  const onChange = (event: ChangeEvent): void => notifier?.onChange(event);

  const persistence = options.dataDir
    ? new Persistence({ dataDir: options.dataDir, fsync: options.fsync ?? false })
    : undefined;
  const store = new ObjectsStore({ now, onChange, ...(persistence ? { persistence } : {}) });
  if (persistence) {
    const loaded = await persistence.open();
    for (const file of loaded.corrupt) log(`gcs-emulator: skipped unreadable file ${file}`);
    if (loaded.removedTempFiles > 0) {
      log(
        `gcs-emulator: removed ${loaded.removedTempFiles} temp file(s) of writes interrupted by a crash`,
      );
    }
    store.load(loaded);
  }

  const api: ApiContext = { store, uploads: new UploadSessions() };
  const server = createEmulatorServer({ api, counters, faults, log });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${urlHost(host)}:${port}`;
  if (options.notify) notifier = new Notifier(options.notify, { baseUrl: url, now, log });

  let closing: Promise<void> | undefined;
  const close = async (): Promise<void> => {
    const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    // Requests in flight get a moment to finish; then their connections are cut.
    const timer = setTimeout(() => server.closeAllConnections(), 1000);
    await stopped;
    clearTimeout(timer);
    await store.idle();
    await notifier?.close();
  };

  return {
    url,
    port,
    close: () => (closing ??= close()),
    counters: () => counters.snapshot(),
    resetCounters: () => counters.reset(),
    setFaults: (f) => faults.set(f),
  };
}
