import { ConfigError, systemClock, type Clock } from '@recon/core';
import type { UiQueue } from './actions.ts';
import type { CounterSource } from './counters.ts';

export interface UiHandlerOptions {
  /** Any backend: enqueue + inspect + dead-letter roles. */
  queue: UiQueue;
  /** Refuse every write (403) and hide the actions. Default false. */
  readOnly?: boolean;
  /** The dispatcher beside the UI, for "concurrency full" and the slots gauge. Default unknown. */
  dispatcher?: { concurrency: number; inFlight(): number };
  /** Cumulative added/completed/failed counters for the rates chart. Default: depths only. */
  counters?: CounterSource;
  /** Called after every successful write (e.g. wake the in-process dispatcher). */
  onWrite?: () => void;
  /** Default systemClock. */
  clock?: Clock;
  /** Where the UI is mounted, e.g. `/ui`. Default '' (the root). */
  basePath?: string;
  /** How often a listening page gets a fresh overview. Default 1500 ms. */
  refreshMs?: number;
  /** One chart point per this interval. Default 5000 ms. */
  seriesStepMs?: number;
  /** Chart points kept. Default 180 (15 minutes at 5 s). */
  seriesCapacity?: number;
  /** Largest write body. Default 1 MiB (a thousand 1000-byte keys). */
  maxBodyBytes?: number;
}

export interface ResolvedUiOptions {
  queue: UiQueue;
  readOnly: boolean;
  dispatcher?: { concurrency: number; inFlight(): number };
  counters?: CounterSource;
  onWrite: () => void;
  clock: Clock;
  basePath: string;
  refreshMs: number;
  seriesStepMs: number;
  seriesCapacity: number;
  maxBodyBytes: number;
}

/** Fills defaults and lists every problem at once (ConfigError). */
export function resolveUiOptions(options: UiHandlerOptions): ResolvedUiOptions {
  const problems: string[] = [];
  const q = options.queue as Partial<UiQueue> | undefined;
  for (const m of ['enqueue', 'getKeyState', 'stats', 'list', 'reenqueueDeadLetter'] as const) {
    if (typeof q?.[m] !== 'function') problems.push(`queue.${m} must be a function`);
  }
  const basePath = (options.basePath ?? '').replace(/\/+$/, '');
  if (basePath !== '' && !/^\/[\w\-./~]*$/.test(basePath)) {
    problems.push(`basePath must start with / and hold only URL path characters, got ${basePath}`);
  }
  const positive = (name: string, value: number) => {
    if (!(Number.isFinite(value) && value > 0)) problems.push(`${name} must be > 0, got ${value}`);
  };
  const resolved: ResolvedUiOptions = {
    queue: options.queue,
    readOnly: options.readOnly === true,
    onWrite: options.onWrite ?? (() => {}),
    clock: options.clock ?? systemClock,
    basePath,
    refreshMs: options.refreshMs ?? 1500,
    seriesStepMs: options.seriesStepMs ?? 5000,
    seriesCapacity: options.seriesCapacity ?? 180,
    maxBodyBytes: options.maxBodyBytes ?? 1024 * 1024,
  };
  positive('refreshMs', resolved.refreshMs);
  positive('seriesStepMs', resolved.seriesStepMs);
  positive('seriesCapacity', resolved.seriesCapacity);
  positive('maxBodyBytes', resolved.maxBodyBytes);
  const d = options.dispatcher;
  if (d !== undefined) {
    if (!(Number.isInteger(d.concurrency) && d.concurrency > 0)) {
      problems.push(`dispatcher.concurrency must be an integer > 0, got ${d.concurrency}`);
    }
    if (typeof d.inFlight !== 'function') problems.push('dispatcher.inFlight must be a function');
    resolved.dispatcher = d;
  }
  if (options.counters !== undefined) resolved.counters = options.counters;
  if (problems.length) throw new ConfigError(problems);
  return resolved;
}
