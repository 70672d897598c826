import { ConfigError, resolveWorkqueueOptions, systemClock } from '@recon/core';
import type { Clock, WorkqueueOptions } from '@recon/core';
import { defaultOwner } from './owner.ts';
import type { DispatchEvents, DispatchLoopOptions } from './types.ts';

/** Every option of the loop with its default filled in: what the rest of the package reads. */
export interface ResolvedDispatchOptions {
  queue: DispatchLoopOptions['queue'];
  process: DispatchLoopOptions['process'];
  concurrency: number;
  batchSize: number;
  /** The first pass's listing size; later passes adapt between it and listLimit. */
  initialListSize: number;
  listLimit: number;
  owner: string;
  clock: Clock;
  workqueue: WorkqueueOptions;
  dispatchPeriodMs: number;
  orphanSweepPeriodMs: number;
  pollIntervalMs: number;
  callTimeoutMs: number;
  drainGraceMs: number;
  random: () => number;
  events: DispatchEvents;
}

export const dispatchDefaults = Object.freeze({
  concurrency: 20,
  dispatchPeriodMs: 1000,
  orphanSweepPeriodMs: 30_000,
  pollIntervalMs: 10_000,
  callTimeoutMs: 5 * 60_000,
  drainGraceMs: 3000,
  /** Listing more than this per pass costs more than a backlog saves. */
  listLimit: 1000,
  /** The first listing holds this many batches (max(batchSize, concurrency) each). */
  listFactor: 4,
});

/** Fills defaults and checks the result, listing every problem at once (ConfigError). */
export function resolveDispatchOptions(options: DispatchLoopOptions): ResolvedDispatchOptions {
  const problems: string[] = [];
  const workqueue = resolveWorkqueueOptionsSafely(options.workqueue, problems);
  const concurrency = options.concurrency ?? dispatchDefaults.concurrency;
  const batchSize = options.batchSize ?? concurrency;
  const listLimit = options.listLimit ?? dispatchDefaults.listLimit;
  const initialListSize = Math.min(
    listLimit,
    Math.max(batchSize, concurrency) * dispatchDefaults.listFactor,
  );
  const resolved: ResolvedDispatchOptions = {
    queue: options.queue,
    process: options.process,
    concurrency,
    batchSize,
    initialListSize,
    listLimit,
    owner: options.owner ?? defaultOwner(),
    clock: options.clock ?? systemClock,
    workqueue,
    dispatchPeriodMs: options.dispatchPeriodMs ?? dispatchDefaults.dispatchPeriodMs,
    orphanSweepPeriodMs: options.orphanSweepPeriodMs ?? dispatchDefaults.orphanSweepPeriodMs,
    pollIntervalMs: options.pollIntervalMs ?? dispatchDefaults.pollIntervalMs,
    callTimeoutMs: options.callTimeoutMs ?? dispatchDefaults.callTimeoutMs,
    drainGraceMs: options.drainGraceMs ?? dispatchDefaults.drainGraceMs,
    random: options.random ?? Math.random,
    events: options.events ?? {},
  };

  if (typeof options.queue !== 'object' || options.queue === null)
    problems.push('queue is required');
  if (typeof options.process !== 'function') problems.push('process must be a function');
  const positiveInteger = (name: 'concurrency' | 'batchSize' | 'listLimit') => {
    const v = resolved[name];
    if (!(Number.isInteger(v) && v > 0)) problems.push(`${name} must be an integer > 0, got ${v}`);
  };
  positiveInteger('concurrency');
  positiveInteger('batchSize');
  positiveInteger('listLimit');
  const positive = (
    name: 'dispatchPeriodMs' | 'orphanSweepPeriodMs' | 'pollIntervalMs' | 'callTimeoutMs',
  ) => {
    const v = resolved[name];
    if (!(Number.isFinite(v) && v > 0)) problems.push(`${name} must be > 0, got ${v}`);
  };
  positive('dispatchPeriodMs');
  positive('orphanSweepPeriodMs');
  positive('pollIntervalMs');
  positive('callTimeoutMs');
  if (!(Number.isFinite(resolved.drainGraceMs) && resolved.drainGraceMs >= 0)) {
    problems.push(`drainGraceMs must be >= 0, got ${resolved.drainGraceMs}`);
  }
  if (resolved.owner === '') problems.push('owner must not be empty');
  if (problems.length) throw new ConfigError(problems);
  return resolved;
}

/** Collects the workqueue options' problems into ours instead of throwing them separately. */
function resolveWorkqueueOptionsSafely(
  partial: Partial<WorkqueueOptions> | undefined,
  problems: string[],
): WorkqueueOptions {
  try {
    return resolveWorkqueueOptions(partial);
  } catch (err) {
    if (!ConfigError.is(err)) throw err;
    problems.push(...err.problems.map((p) => `workqueue.${p}`));
    return resolveWorkqueueOptions();
  }
}
