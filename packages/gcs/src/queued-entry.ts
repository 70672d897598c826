/** A queued copy as a listing or a write saw it, and the dispatch order among copies. */
import type { QueuedState } from '@recon/core';
import { compareForDispatch } from '@recon/core';
import { compareGenerations } from './bucket-io.ts';

/** A queued copy as listed: its state plus the object version it was read from. */
export interface QueuedEntry extends QueuedState {
  key: string;
  generation: string;
  metageneration: string;
}

/** `<generation>:<metageneration>`: the version a start pins. */
export function versionOf(entry: { generation: string; metageneration: string }): string {
  return `${entry.generation}:${entry.metageneration}`;
}

/**
 * Dispatch order, with the object generation breaking creation-time ties: timeCreated has
 * millisecond resolution, generations (microsecond-based, increasing) keep two keys created in
 * the same millisecond in FIFO order.
 */
export function compareEntries(a: QueuedEntry, b: QueuedEntry): number {
  if (a.priority !== b.priority || a.queuedAt !== b.queuedAt) return compareForDispatch(a, b);
  return compareGenerations(a.generation, b.generation) || compareForDispatch(a, b);
}
