/**
 * The overview snapshot: stats, the soonest waiting keys, who holds leases, the newest dead
 * letters, the dispatcher's slots and the rolling series. One listing per state; the waiting list
 * is taken from the first page of queued keys, so on a large queue it shows the soonest of those.
 */
import { KeyStatus, type InspectPort, type QueueStats } from '@recon/core';
import type { SeriesPoint } from './series.ts';

/** How many rows each overview table shows. */
export const overviewRows = 8;
/** Queued keys scanned for the waiting list. */
export const waitingScan = 500;

export interface WaitingRow {
  key: string;
  notBefore: number;
  floor: boolean;
  priority: number;
  attempts: number;
}

export interface InProgressRow {
  key: string;
  owner?: string;
  /** When the attempt started (lease age = now − startedAt). */
  startedAt: number;
  leaseExpiresAt?: number;
  attempts: number;
}

export interface DeadLetterRow {
  key: string;
  failedAt?: number;
  attempts: number;
  lastError?: string;
}

export interface Overview {
  now: number;
  readOnly: boolean;
  stats: QueueStats;
  dispatcher?: { concurrency: number; inFlight: number };
  waiting: WaitingRow[];
  inProgress: InProgressRow[];
  deadLetter: DeadLetterRow[];
  /** Whether the series carries added/completed/failed rates (a counter source is set). */
  rates: boolean;
  series: SeriesPoint[];
}

export interface OverviewParts {
  queue: InspectPort;
  now: number;
  readOnly: boolean;
  dispatcher?: { concurrency: number; inFlight(): number };
  rates: boolean;
  series: () => SeriesPoint[];
}

/** Reads the store once; `stats` comes from the caller, who also feeds it to the series. */
export async function buildOverview(
  parts: OverviewParts,
  stats: QueueStats,
  signal?: AbortSignal,
): Promise<Overview> {
  const { queue, now } = parts;
  const [queued, inProgress, dead] = await Promise.all([
    queue.list(KeyStatus.QUEUED, { limit: waitingScan }, signal),
    queue.list(KeyStatus.IN_PROGRESS, { limit: overviewRows }, signal),
    queue.list(KeyStatus.DEAD_LETTER, { limit: overviewRows }, signal),
  ]);
  const waiting = queued.entries
    .filter((e) => e.notBefore > now)
    .sort((a, b) => a.notBefore - b.notBefore || (a.key < b.key ? -1 : 1))
    .slice(0, overviewRows)
    .map((e) => ({
      key: e.key,
      notBefore: e.notBefore,
      floor: e.floor,
      priority: e.priority,
      attempts: e.attempts,
    }));
  const overview: Overview = {
    now,
    readOnly: parts.readOnly,
    stats,
    waiting,
    inProgress: inProgress.entries.map((e) => {
      const row: InProgressRow = { key: e.key, startedAt: e.queuedAt, attempts: e.attempts };
      if (e.owner !== undefined) row.owner = e.owner;
      if (e.leaseExpiresAt !== undefined) row.leaseExpiresAt = e.leaseExpiresAt;
      return row;
    }),
    deadLetter: dead.entries.map((e) => {
      const row: DeadLetterRow = { key: e.key, attempts: e.attempts };
      if (e.failedAt !== undefined) row.failedAt = e.failedAt;
      if (e.lastError !== undefined) row.lastError = e.lastError;
      return row;
    }),
    rates: parts.rates,
    series: parts.series(),
  };
  if (parts.dispatcher) {
    overview.dispatcher = {
      concurrency: parts.dispatcher.concurrency,
      inFlight: parts.dispatcher.inFlight(),
    };
  }
  return overview;
}
