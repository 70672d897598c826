/**
 * Dedup storm: 100,000 enqueues over 1,000 keys while a dispatcher drains the queue. Twice: the
 * memory package's own driver (`benchDedupStorm`), and the real dispatch loop
 * (`createDispatchLoop`, concurrency 20) over the memory backend, where each reconcile records the
 * "world version" of its key it saw, so "every key reconciled after its last enqueue" is checked
 * on what the reconciler saw, not on call order.
 */
import type { DispatchPort, EnqueuePort, Outcome, QueuedKey } from '@recon/core';
import { createDispatchLoop } from '@recon/dispatch';
import { MemoryBackend } from '@recon/workqueue-memory';
import { benchDedupStorm } from '@recon/workqueue-memory/bench';
import type { Benchmark } from './lib/types.ts';

export const dedupStormBench: Benchmark = {
  id: 'dedup-storm',
  title: 'Dedup storm',
  method:
    '100,000 enqueues of random keys out of 1,000, in bursts of 100 every 5 ms (about 5 s of ' +
    'storm), while the real dispatch loop (default 1 s dispatch period) dispatches 20 at a time; ' +
    'a reconcile lasts one event-loop turn, each burst wakes the loop as a local receiver does. The producer bumps ' +
    "a key's world version before each enqueue; each reconcile records the version it saw. " +
    '"In flight at its last enqueue" counts a key whose start had been called and whose attempt ' +
    'had not ended when its last enqueue was sent. The bound: reconciles that saw the final ' +
    'version ≤ keys + keys in flight at their last enqueue (each key once, plus one twin run for ' +
    'a key that was running when its last event came). Also reported: the package driver ' +
    '`benchDedupStorm` (its own list/start/complete loop).',
  runs: 3,
  async run({ quick, progress }) {
    const events = quick ? 20_000 : 100_000;
    progress('package driver');
    const pkg = await benchDedupStorm({ events, keys: 1000, concurrency: 20 });
    progress('real dispatch loop');
    const loop = await stormWithDispatchLoop({
      events,
      keys: 1000,
      concurrency: 20,
      burstGapMs: 5,
    });
    return {
      figures: [
        {
          id: 'loop-excess',
          label:
            'dispatch loop: reconciles that saw the final version − (keys + keys in flight at last enqueue)',
          value: loop.finalRuns - (loop.keys + loop.inFlightAtLast),
          unit: 'reconciles',
          target: { op: '<=', value: 0, text: '≤ 0' },
        },
        {
          id: 'loop-missed',
          label: 'dispatch loop: keys whose final version no reconcile saw',
          value: loop.missed,
          unit: 'keys',
          target: { op: '<=', value: 0, text: '0' },
        },
        {
          id: 'loop-overlaps',
          label: 'dispatch loop: reconciles of a key while another of it ran',
          value: loop.overlaps,
          unit: 'overlaps',
          target: { op: '<=', value: 0, text: '0' },
        },
        {
          id: 'loop-reconciles',
          label: 'dispatch loop: reconciles in all',
          value: loop.reconciles,
          unit: 'reconciles',
        },
        {
          id: 'loop-final-runs',
          label: 'dispatch loop: reconciles that saw the final version',
          value: loop.finalRuns,
          unit: 'reconciles',
        },
        {
          id: 'loop-inflight',
          label: 'dispatch loop: keys in flight at their last enqueue',
          value: loop.inFlightAtLast,
          unit: 'keys',
        },
        {
          id: 'loop-max-inflight',
          label: 'dispatch loop: most reconciles at once',
          value: loop.maxInFlight,
          unit: 'reconciles',
        },
        {
          id: 'loop-events-per-s',
          label: 'dispatch loop: enqueues/s during the storm',
          value: loop.eventsPerSecond,
          unit: 'enqueues/s',
        },
        {
          id: 'pkg-reconciles',
          label: 'package driver: reconciles in all',
          value: pkg.reconciles,
          unit: 'reconciles',
        },
        {
          id: 'pkg-overlaps',
          label: 'package driver: overlapping reconciles',
          value: pkg.overlaps,
          unit: 'overlaps',
          target: { op: '<=', value: 0, text: '0' },
        },
        {
          id: 'pkg-after-last',
          label: 'package driver: every key reconciled after its last enqueue (1 = yes)',
          value: pkg.everyKeyReconciledAfterLastEnqueue ? 1 : 0,
          unit: '',
          target: { op: '>=', value: 1, text: '1' },
        },
        {
          id: 'pkg-max-queued',
          label: 'package driver: deepest queue',
          value: pkg.maxQueued,
          unit: 'keys',
        },
        {
          id: 'pkg-events-per-s',
          label: 'package driver: enqueues/s',
          value: pkg.eventsPerSecond,
          unit: 'enqueues/s',
        },
      ],
      notes: [
        `${events.toLocaleString('en-US')} enqueues over 1,000 keys: the dispatch loop ran ` +
          `${loop.reconciles.toLocaleString('en-US')} reconciles (${(events / loop.reconciles).toFixed(1)} enqueues per reconcile).`,
      ],
    };
  },
};

interface LoopStorm {
  keys: number;
  reconciles: number;
  finalRuns: number;
  inFlightAtLast: number;
  missed: number;
  overlaps: number;
  maxInFlight: number;
  eventsPerSecond: number;
}

async function stormWithDispatchLoop(options: {
  events: number;
  keys: number;
  concurrency: number;
  /** Pause between bursts of 100 enqueues, so the storm lasts a while and dispatch runs during it. */
  burstGapMs: number;
}): Promise<LoopStorm> {
  const backend = new MemoryBackend();
  const version = new Map<string, number>();
  const seen = new Map<string, number[]>();
  /** Keys from the moment start is called until the attempt's outcome is written. */
  const busy = new Map<string, number>();
  const inFlightAtLast = new Map<string, boolean>();
  const active = new Set<string>();
  let overlaps = 0;
  let reconciles = 0;
  let inFlight = 0;
  let maxInFlight = 0;

  const markBusy = (key: string, delta: number) => {
    const n = (busy.get(key) ?? 0) + delta;
    if (n > 0) busy.set(key, n);
    else busy.delete(key);
  };
  // The loop sees the backend through this wrapper, which marks a key busy from the start call
  // until its attempt ends (the outcome written), erring towards "in flight".
  const queue: DispatchPort & EnqueuePort = {
    enqueue: (r, s) => backend.enqueue(r, s),
    getKeyState: (k, s) => backend.getKeyState(k, s),
    listEligible: (l, s) => backend.listEligible(l, s),
    sweepOrphans: (s) => backend.sweepOrphans(s),
    async start(key: QueuedKey, owner: string, signal?: AbortSignal) {
      markBusy(key.key, +1);
      const owned = await backend.start(key, owner, signal).catch((err: unknown) => {
        markBusy(key.key, -1);
        throw err;
      });
      if (!owned) {
        markBusy(key.key, -1);
        return undefined;
      }
      // The owned key's signal aborts when ownership ends (completed, requeued, dead-lettered).
      owned.signal.addEventListener('abort', () => markBusy(key.key, -1), { once: true });
      return owned;
    },
  };

  const loop = createDispatchLoop({
    queue,
    concurrency: options.concurrency,
    process: async (key): Promise<Outcome> => {
      if (active.has(key)) overlaps++;
      active.add(key);
      reconciles++;
      maxInFlight = Math.max(maxInFlight, ++inFlight);
      const list = seen.get(key) ?? [];
      list.push(version.get(key) ?? 0);
      seen.set(key, list);
      await turn();
      active.delete(key);
      inFlight--;
      return { kind: 'success' };
    },
    events: {
      onError: ({ where, error }) => process.stderr.write(`storm ${where}: ${String(error)}\n`),
    },
  });
  loop.start();

  const began = performance.now();
  for (let sent = 0; sent < options.events;) {
    for (const end = Math.min(options.events, sent + 100); sent < end; sent++) {
      const key = `key-${Math.floor(Math.random() * options.keys)}`;
      version.set(key, (version.get(key) ?? 0) + 1);
      inFlightAtLast.set(key, busy.has(key));
      await backend.enqueue({ key });
    }
    loop.wake('local');
    await new Promise((resolve) => setTimeout(resolve, options.burstGapMs));
  }
  const stormMs = performance.now() - began;
  loop.wake('local');
  await loop.idle();
  await loop.stop();
  await backend.close();

  let finalRuns = 0;
  let missed = 0;
  for (const [key, final] of version) {
    const runs = (seen.get(key) ?? []).filter((v) => v === final).length;
    finalRuns += runs;
    if (runs === 0) missed++;
  }
  return {
    keys: version.size,
    reconciles,
    finalRuns,
    inFlightAtLast: [...inFlightAtLast.values()].filter(Boolean).length,
    missed,
    overlaps,
    maxInFlight,
    eventsPerSecond: Math.round(options.events / (stormMs / 1000)),
  };
}

function turn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
