/**
 * The sampler behind the overview and its live stream. Started by the first request; while a page
 * listens on `/api/events` it reads the store every `refreshMs` and pushes the overview as a
 * Server-Sent Event; with nobody listening it only samples stats (and counters) for the series
 * every `stepMs`. `poke()` (after a write, or a new listener) runs the next round at once.
 */
import type { ServerResponse } from 'node:http';
import type { Clock, InspectPort, QueueStats } from '@recon/core';
import type { CounterSource, RateCounters } from './counters.ts';
import { baseHeaders } from './http-io.ts';
import { buildOverview, type Overview } from './overview.ts';
import { RateSeries } from './series.ts';

export interface LiveOptions {
  queue: InspectPort;
  clock: Clock;
  readOnly: boolean;
  dispatcher?: { concurrency: number; inFlight(): number };
  counters?: CounterSource;
  refreshMs: number;
  stepMs: number;
  capacity: number;
}

export class Live {
  readonly #o: LiveOptions;
  readonly #series: RateSeries;
  readonly #clients = new Set<ServerResponse>();
  readonly #stop = new AbortController();
  /** Ends the current sleep: aborted by poke() and by close(). */
  #poke = new AbortController();
  #loop: Promise<void> | undefined;
  /** Keys this UI added itself (no receiver counted them). */
  #uiAdded = 0;
  #latest: Overview | undefined;
  /** False once a write may have changed the store since #latest was read. */
  #latestFresh = false;
  /** Counts pokes, so a read that overlapped a write is not taken as fresh. */
  #writes = 0;
  #pending: { writes: number; read: Promise<Overview> } | undefined;

  constructor(options: LiveOptions) {
    this.#o = options;
    this.#series = new RateSeries({ capacity: options.capacity, stepMs: options.stepMs });
  }

  /** Starts the loop once; later calls do nothing. */
  start(): void {
    if (this.#loop || this.#stop.signal.aborted) return;
    this.#loop = this.#run();
  }

  /** Runs the next round now (and forgets the cached overview: the store changed). */
  poke(): void {
    this.#writes++;
    this.#latestFresh = false;
    this.#poke.abort();
  }

  countAdded(n: number): void {
    this.#uiAdded += n;
  }

  /**
   * The latest overview when younger than `maxAgeMs` and no write happened since, else a fresh
   * one (concurrent calls share a read). 0 = always fresh.
   */
  async overview(maxAgeMs = 0): Promise<Overview> {
    const latest = this.#latest;
    if (
      latest &&
      maxAgeMs > 0 &&
      this.#latestFresh &&
      this.#o.clock.now() - latest.now <= maxAgeMs
    ) {
      return latest;
    }
    if (this.#pending?.writes !== this.#writes) {
      const pending = {
        writes: this.#writes,
        read: this.#read().finally(() => {
          if (this.#pending === pending) this.#pending = undefined;
        }),
      };
      this.#pending = pending;
    }
    return this.#pending.read;
  }

  /** Takes over `res` as an event stream until the client leaves or `close()`. */
  subscribe(res: ServerResponse): void {
    res.writeHead(200, {
      ...baseHeaders,
      'content-type': 'text/event-stream; charset=utf-8',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    res.write('retry: 2000\n\n');
    this.#clients.add(res);
    res.on('close', () => this.#clients.delete(res));
    if (this.#latest) send(res, 'overview', this.#latest);
    this.poke();
  }

  async close(): Promise<void> {
    this.#stop.abort();
    this.#poke.abort();
    for (const res of this.#clients) res.end();
    this.#clients.clear();
    await this.#loop;
  }

  async #run(): Promise<void> {
    const stop = this.#stop.signal;
    while (!stop.aborted) {
      // A poke during this round leaves the next sleep short.
      if (this.#poke.signal.aborted) this.#poke = new AbortController();
      const listening = this.#clients.size > 0;
      try {
        if (listening) this.#broadcast('overview', await this.overview());
        else await this.#sample();
      } catch (err) {
        this.#broadcast('problem', { message: err instanceof Error ? err.message : String(err) });
      }
      if (stop.aborted) break;
      const wait = this.#clients.size > 0 ? this.#o.refreshMs : this.#o.stepMs;
      await this.#o.clock.sleep(wait, this.#poke.signal);
    }
  }

  async #read(): Promise<Overview> {
    const writes = this.#writes;
    const stats = await this.#sample();
    const o = this.#o;
    const overview = await buildOverview(
      {
        queue: o.queue,
        now: o.clock.now(),
        readOnly: o.readOnly,
        rates: o.counters !== undefined,
        series: () => this.#series.points(),
        ...(o.dispatcher ? { dispatcher: o.dispatcher } : {}),
      },
      stats,
      this.#stop.signal,
    );
    this.#latest = overview;
    this.#latestFresh = writes === this.#writes;
    return overview;
  }

  /** Stats (and counters) into the series. */
  async #sample(): Promise<QueueStats> {
    const [stats, counters] = await Promise.all([
      this.#o.queue.stats(this.#stop.signal),
      this.#readCounters(),
    ]);
    this.#series.record(this.#o.clock.now(), stats, counters);
    return stats;
  }

  async #readCounters(): Promise<RateCounters | undefined> {
    if (!this.#o.counters) return undefined;
    try {
      const c = await this.#o.counters();
      return { ...c, added: c.added + this.#uiAdded };
    } catch {
      // A scrape that failed leaves a gap in the rates, not an error on the page.
      return undefined;
    }
  }

  #broadcast(event: string, data: unknown): void {
    for (const res of this.#clients) send(res, event, data);
  }
}

function send(res: ServerResponse, event: string, data: unknown): void {
  res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
}
