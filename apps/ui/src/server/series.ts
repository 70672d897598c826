/**
 * A rolling, in-memory time series for the overview chart: queue depths from stats, and rates
 * (per minute) of added/completed/failed from counter deltas between kept samples.
 */
import type { QueueStats } from '@recon/core';
import type { RateCounters } from './counters.ts';

export interface SeriesPoint {
  /** Unix ms. */
  t: number;
  queued: number;
  waiting: number;
  inProgress: number;
  deadLettered: number;
  /** Per minute since the previous point; absent without a counter source or on the first point. */
  added?: number;
  completed?: number;
  failed?: number;
}

export interface SeriesOptions {
  /** Points kept. Default 180 (15 min at one point per 5 s). */
  capacity?: number;
  /** A new point at most this often; samples in between are dropped. Default 5 s. */
  stepMs?: number;
}

export class RateSeries {
  readonly #capacity: number;
  readonly #stepMs: number;
  #points: SeriesPoint[] = [];
  #last: { t: number; counters: RateCounters } | undefined;

  constructor(options: SeriesOptions = {}) {
    this.#capacity = options.capacity ?? 180;
    this.#stepMs = options.stepMs ?? 5000;
  }

  /** Records a sample unless the previous point is younger than the step. True when kept. */
  record(t: number, stats: QueueStats, counters?: RateCounters): boolean {
    const previous = this.#points.at(-1);
    if (previous && t - previous.t < this.#stepMs) return false;
    const point: SeriesPoint = {
      t,
      queued: stats.queued,
      waiting: stats.waiting,
      inProgress: stats.inProgress,
      deadLettered: stats.deadLettered,
    };
    if (counters && this.#last && t > this.#last.t) {
      const perMinute = 60_000 / (t - this.#last.t);
      const rate = (name: keyof RateCounters) =>
        round(
          delta(counters[name], (this.#last as { counters: RateCounters }).counters[name]) *
            perMinute,
        );
      point.added = rate('added');
      point.completed = rate('completed');
      point.failed = rate('failed');
    }
    this.#last = counters ? { t, counters } : undefined;
    this.#points.push(point);
    if (this.#points.length > this.#capacity)
      this.#points.splice(0, this.#points.length - this.#capacity);
    return true;
  }

  points(): SeriesPoint[] {
    return [...this.#points];
  }
}

/** A counter that went down was reset (its process restarted): count from zero. */
function delta(current: number, previous: number): number {
  return current >= previous ? current - previous : current;
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}
