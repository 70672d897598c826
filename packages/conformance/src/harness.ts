import { afterEach, beforeEach, expect } from 'vitest';
import { FakeClock, KeyStatus } from '@recon/core';
import type {
  EligibleListing,
  EnqueueRequest,
  EnqueueResult,
  KeyStateView,
  OwnedKey,
  QueueStats,
  WorkqueueBackend,
  WorkqueueOptions,
} from '@recon/core';
import { conformanceOptions, listLimit } from './factory.ts';
import type { ConformanceFactory } from './factory.ts';

/** Everything a listing can page through in one call during the suite. */
const listAll = { limit: 1000 };

/** What the store holds, as seen through the inspect port: equal snapshots = unchanged store. */
export interface StoreSnapshot {
  stats: Omit<QueueStats, 'leaseAgesMs'>;
  queued: KeyStateView[];
  inProgress: KeyStateView[];
  deadLettered: KeyStateView[];
}

/**
 * One test's world: a FakeClock, the backend under test (and any reopened handles), and the
 * small verbs the scenarios are written in. Every listing for dispatch uses limit 5.
 */
export class Harness {
  readonly factory: ConformanceFactory;
  readonly options: WorkqueueOptions = { ...conformanceOptions };
  #clock: FakeClock | undefined;
  #queue: WorkqueueBackend | undefined;
  #handles: WorkqueueBackend[] = [];

  constructor(factory: ConformanceFactory) {
    this.factory = factory;
  }

  get clock(): FakeClock {
    if (!this.#clock) throw new Error('the harness is only usable inside a test');
    return this.#clock;
  }

  get queue(): WorkqueueBackend {
    if (!this.#queue) throw new Error('the harness is only usable inside a test');
    return this.#queue;
  }

  /** A fresh backend on a fresh clock, checked empty. */
  async setUp(): Promise<void> {
    this.#clock = new FakeClock();
    this.#queue = await this.factory.create({ clock: this.#clock, options: this.options });
    this.#handles = [this.#queue];
    await this.expectEmpty();
  }

  /** Closes every handle (once each), then lets the factory delete the store. */
  async tearDown(): Promise<void> {
    const handles = [...new Set(this.#handles)];
    this.#handles = [];
    this.#queue = undefined;
    try {
      for (const handle of handles) await handle.close();
    } finally {
      await this.factory.destroy?.();
    }
  }

  /** A second handle on the same store, or undefined when the factory has no `reopen`. */
  async reopen(): Promise<WorkqueueBackend | undefined> {
    if (!this.factory.reopen) return undefined;
    const handle = await this.factory.reopen({ clock: this.clock, options: this.options });
    this.#handles.push(handle);
    return handle;
  }

  /**
   * Moves the fake clock forward (1 ms by default: enough to give the next copy a later queued
   * time). A durable backend orders by the store's own creation time, so it also gets 2 ms of
   * real time to make the next creation time distinct.
   */
  async tick(ms = 1): Promise<void> {
    await this.clock.advance(ms);
    if (this.factory.durable) await realPause(2);
  }

  /** Lets a durable backend's I/O run (a dispatch driver's step); nothing for in-process ones. */
  async letIoRun(): Promise<void> {
    if (this.factory.durable) await realPause(1);
  }

  enqueue(key: string, request: Omit<EnqueueRequest, 'key'> = {}): Promise<EnqueueResult> {
    return this.queue.enqueue({ key, ...request });
  }

  /** Enqueues each key in turn, a tick apart, so their FIFO order is the order given. */
  async enqueueInOrder(...keys: string[]): Promise<void> {
    for (const key of keys) {
      await this.enqueue(key);
      await this.tick();
    }
  }

  listing(): Promise<EligibleListing> {
    return this.queue.listEligible(listLimit);
  }

  /** The keys a dispatcher would start now, in order. */
  async eligible(): Promise<string[]> {
    return (await this.listing()).keys.map((k) => k.key);
  }

  /** Lists, finds `key` among the eligible keys and starts it; fails the test if it cannot. */
  async startKey(key: string, owner = 'owner-a'): Promise<OwnedKey> {
    const listed = (await this.listing()).keys.find((k) => k.key === key);
    expect(listed, `${key} should be eligible`).toBeDefined();
    const owned = await this.queue.start(listed!, owner);
    expect(owned, `start(${key}) should succeed`).toBeDefined();
    return owned!;
  }

  /** Keys of one state, in key order. */
  async keys(status: KeyStatus): Promise<string[]> {
    return (await this.queue.list(status, listAll)).entries.map((e) => e.key);
  }

  async state(key: string): Promise<KeyStateView | undefined> {
    return this.queue.getKeyState(key);
  }

  async snapshot(): Promise<StoreSnapshot> {
    const { leaseAgesMs: _ages, ...stats } = await this.queue.stats();
    return {
      stats,
      queued: (await this.queue.list(KeyStatus.QUEUED, listAll)).entries,
      inProgress: (await this.queue.list(KeyStatus.IN_PROGRESS, listAll)).entries,
      deadLettered: (await this.queue.list(KeyStatus.DEAD_LETTER, listAll)).entries,
    };
  }

  /**
   * Runs every queued key once through the normal path (list, start, complete), moving the clock
   * to each next notBefore, then checks the store is empty. In-progress and dead-letter copies
   * are the test's to clean up: anything left there fails the check.
   */
  async finish(): Promise<void> {
    for (let round = 0; round < 1000; round++) {
      const listing = await this.listing();
      if (listing.keys.length === 0) {
        if (listing.nextNotBefore === undefined) break;
        await this.clock.set(listing.nextNotBefore);
        continue;
      }
      for (const listed of listing.keys) {
        const owned = await this.queue.start(listed, 'finisher');
        expect(owned, `finish: start(${listed.key})`).toBeDefined();
        await owned!.complete();
      }
    }
    await this.expectEmpty();
  }

  /** Nothing queued, waiting, owned or dead-lettered, by every view the port has. */
  async expectEmpty(): Promise<void> {
    const stats = await this.queue.stats();
    expect({
      queued: stats.queued,
      waiting: stats.waiting,
      inProgress: stats.inProgress,
      deadLettered: stats.deadLettered,
      leaseAgesMs: stats.leaseAgesMs,
    }).toEqual({ queued: 0, waiting: 0, inProgress: 0, deadLettered: 0, leaseAgesMs: [] });
    expect(await this.keys(KeyStatus.QUEUED)).toEqual([]);
    expect(await this.keys(KeyStatus.IN_PROGRESS)).toEqual([]);
    expect(await this.keys(KeyStatus.DEAD_LETTER)).toEqual([]);
    const listing = await this.listing();
    expect(listing.keys).toEqual([]);
    expect(listing.nextNotBefore).toBeUndefined();
  }
}

/** Registers the per-test set-up and tear-down; the harness is usable inside each test. */
export function useHarness(factory: ConformanceFactory): Harness {
  const harness = new Harness(factory);
  beforeEach(() => harness.setUp());
  afterEach(() => harness.tearDown());
  return harness;
}

function realPause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
