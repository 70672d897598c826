/**
 * Benchmarks of the memory backend (`@recon/workqueue-memory/bench`). They return numbers and
 * print nothing; `tools/bench` or a one-off script decides what to show.
 */
import type { OwnedKey } from '@recon/core';
import { MemoryBackend } from './memory-backend.ts';

export interface MemoryBenchOptions {
  /** Keys queued (priority 0) before measuring: the depth the operations run against. */
  queuedKeys: number;
  /** enqueue + start + complete cycles measured. */
  cycles: number;
  /** Cycles per measured phase. Default 1000. */
  batch?: number;
}

export interface MemoryBenchResult {
  queuedKeys: number;
  cycles: number;
  /**
   * Full enqueue → start → complete cycles per second of main-thread CPU time: one core's
   * throughput, undisturbed by other processes competing for the machine.
   */
  cyclesPerSecond: number;
  /** The same by the wall clock (lower on a busy machine). */
  wallCyclesPerSecond: number;
  /** Mean CPU nanoseconds per enqueue of a new key. */
  enqueueNs: number;
  /** Mean CPU nanoseconds per start, including the `listEligible(1)` that found the key. */
  startNs: number;
  /** Mean CPU nanoseconds per complete. */
  completeNs: number;
}

/**
 * Measures the cost of one key's life against a queue `queuedKeys` deep. Each batch enqueues new
 * keys at priority 1 (so they sort ahead of the backlog), then lists and starts them one by one,
 * then completes them; the backlog stays queued throughout, so every operation pays for the
 * full depth. Phases are timed per batch, not per call, to keep timer overhead out.
 */
export async function benchMemoryBackend(options: MemoryBenchOptions): Promise<MemoryBenchResult> {
  const { queuedKeys, cycles } = options;
  const batch = Math.max(1, options.batch ?? 1000);
  const backend = new MemoryBackend();
  for (let i = 0; i < queuedKeys; i++) await backend.enqueue({ key: `backlog/${i}` });

  const enqueue = new PhaseTimer();
  const start = new PhaseTimer();
  const complete = new PhaseTimer();
  const owned: OwnedKey[] = [];
  for (let done = 0; done < cycles;) {
    const n = Math.min(batch, cycles - done);
    const keys = Array.from({ length: n }, (_, i) => `work/${done + i}`);

    enqueue.begin();
    for (const key of keys) await backend.enqueue({ key, priority: 1 });
    enqueue.end();

    start.begin();
    for (let i = 0; i < n; i++) {
      const [listed] = (await backend.listEligible(1)).keys;
      const started = listed && (await backend.start(listed, 'bench'));
      if (!started) throw new Error(`bench: could not start cycle ${done + i}`);
      owned.push(started);
    }
    start.end();

    complete.begin();
    for (const key of owned) await key.complete();
    complete.end();
    owned.length = 0;
    done += n;
  }

  const stats = await backend.stats();
  if (stats.queued !== queuedKeys || stats.inProgress !== 0) {
    throw new Error(
      `bench: expected ${queuedKeys} queued and none in progress, got ${JSON.stringify(stats)}`,
    );
  }
  await backend.close();
  const cpuNs = enqueue.cpuNs + start.cpuNs + complete.cpuNs;
  const wallNs = enqueue.wallNs + start.wallNs + complete.wallNs;
  return {
    queuedKeys,
    cycles,
    cyclesPerSecond: Math.round(cycles / (cpuNs / 1e9)),
    wallCyclesPerSecond: Math.round(cycles / (wallNs / 1e9)),
    enqueueNs: Math.round(enqueue.cpuNs / cycles),
    startNs: Math.round(start.cpuNs / cycles),
    completeNs: Math.round(complete.cpuNs / cycles),
  };
}

/** Accumulates the main thread's CPU time and the wall time of repeated phases. */
class PhaseTimer {
  cpuNs = 0;
  wallNs = 0;
  #cpu: NodeJS.CpuUsage | undefined;
  #wall = 0;

  begin(): void {
    this.#cpu = process.threadCpuUsage();
    this.#wall = performance.now();
  }

  end(): void {
    const cpu = process.threadCpuUsage(this.#cpu);
    this.cpuNs += (cpu.user + cpu.system) * 1000;
    this.wallNs += (performance.now() - this.#wall) * 1e6;
  }
}

export interface DedupStormOptions {
  /** Enqueues in the storm. Default 100,000. */
  events?: number;
  /** Distinct keys they fall on. Default 1,000. */
  keys?: number;
  /** Reconciles at once. Default 20. */
  concurrency?: number;
  /** Enqueues between two turns of the event loop (a burst from the receiver). Default 100. */
  burst?: number;
}

export interface DedupStormResult {
  events: number;
  keys: number;
  concurrency: number;
  /** Process calls made; far fewer than `events` when dedup works. */
  reconciles: number;
  /** The most reconciles running at once: the bound is `concurrency`. */
  maxInFlight: number;
  /** The deepest the queue got: dedup bounds it by `keys`, whatever the number of events. */
  maxQueued: number;
  /** Times a key was reconciled while another reconcile of it ran (must be 0). */
  overlaps: number;
  /** Every key had a reconcile start after its last enqueue (nothing was lost to dedup). */
  everyKeyReconciledAfterLastEnqueue: boolean;
  durationMs: number;
  eventsPerSecond: number;
}

/**
 * A storm of events on few keys, enqueued while a minimal dispatcher (list, start, reconcile,
 * complete; `concurrency` at a time) drains the queue. The backend package may not depend on the
 * dispatch loop, so the driver here is its own; the conformance suite's scenarios 22 and 23 run
 * the real loop. Both sides run on one thread, so the order of calls is the order of effects and
 * "reconciled after its last enqueue" is checked exactly.
 */
export async function benchDedupStorm(options: DedupStormOptions = {}): Promise<DedupStormResult> {
  const events = options.events ?? 100_000;
  const keys = options.keys ?? 1_000;
  const concurrency = options.concurrency ?? 20;
  const burst = options.burst ?? 100;
  const backend = new MemoryBackend();

  let seq = 0;
  const lastEnqueue = new Map<string, number>();
  const lastStart = new Map<string, number>();
  const active = new Set<string>();
  let inFlight = 0;
  let maxInFlight = 0;
  let maxQueued = 0;
  let overlaps = 0;
  let reconciles = 0;
  let producing = true;

  const reconcile = async (owned: OwnedKey) => {
    if (active.has(owned.key)) overlaps++;
    active.add(owned.key);
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    await turn();
    active.delete(owned.key);
    inFlight--;
    await owned.complete();
  };

  const produce = async () => {
    for (let sent = 0; sent < events;) {
      for (const end = Math.min(events, sent + burst); sent < end; sent++) {
        const key = `key-${Math.floor(Math.random() * keys)}`;
        // The enqueue takes effect inside this call, so the sequence number is exact.
        lastEnqueue.set(key, seq++);
        await backend.enqueue({ key });
      }
      maxQueued = Math.max(maxQueued, (await backend.stats()).queued);
      await turn();
    }
    producing = false;
  };

  const dispatch = async () => {
    const running = new Set<Promise<void>>();
    for (;;) {
      const free = concurrency - running.size;
      const listed = free > 0 ? (await backend.listEligible(free)).keys : [];
      for (const candidate of listed) {
        const at = seq++;
        const owned = await backend.start(candidate, 'storm');
        if (!owned) continue;
        lastStart.set(owned.key, at);
        reconciles++;
        const run: Promise<void> = reconcile(owned).finally(() => running.delete(run));
        running.add(run);
      }
      if (!producing && listed.length === 0 && running.size === 0) return;
      await turn();
    }
  };

  const began = performance.now();
  await Promise.all([produce(), dispatch()]);
  const durationMs = performance.now() - began;
  const stats = await backend.stats();
  await backend.close();
  const everyKeyReconciledAfterLastEnqueue =
    stats.queued === 0 && [...lastEnqueue].every(([key, at]) => (lastStart.get(key) ?? -1) > at);
  return {
    events,
    keys,
    concurrency,
    reconciles,
    maxInFlight,
    maxQueued,
    overlaps,
    everyKeyReconciledAfterLastEnqueue,
    durationMs: Math.round(durationMs),
    eventsPerSecond: Math.round(events / (durationMs / 1000)),
  };
}

/** One turn of the event loop: lets the other side of the storm run. */
function turn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
