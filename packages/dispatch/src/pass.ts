import type { Clock, EligibleListing } from '@recon/core';
import type { ListSize } from './list-size.ts';
import { startFromBacklog } from './starter.ts';
import type { StarterContext } from './starter.ts';
import type { OrphanSweeper } from './sweep.ts';

export interface PassContext extends StarterContext {
  clock: Clock;
  /** Candidates listed per pass (more than the free slots: the surplus becomes the backlog). */
  listSize: ListSize;
  /** Keys one pass starts. */
  batchSize: number;
  sweeper: OrphanSweeper;
  /** Sees every successful listing (notBefore timer, gauges). */
  onListing(listing: EligibleListing): void;
}

export interface PassReport {
  /** The listing succeeded. */
  ok: boolean;
  listed: number;
  started: number;
  /** The listing hit its limit: more eligible keys may be waiting behind it. */
  full: boolean;
}

/**
 * One pass: sweep orphans if due, list eligible keys, keep them as the backlog, and start up to
 * `min(batchSize, free slots)` of them. Never rejects: failures go to onError and the next
 * trigger or poll tries again.
 */
export async function runPass(ctx: PassContext): Promise<PassReport> {
  const { clock, events, signal } = ctx;
  const startedAt = clock.now();
  await ctx.sweeper.sweepIfDue();
  if (!ctx.admitting()) return { ok: false, listed: 0, started: 0, full: false };

  ctx.listSize.beforeListing(ctx.backlog.size);
  const limit = ctx.listSize.limit;
  let listing: EligibleListing;
  try {
    listing = await ctx.queue.listEligible(limit, signal);
  } catch (error) {
    if (!signal.aborted) events.onError({ where: 'list', error });
    return { ok: false, listed: 0, started: 0, full: false };
  }
  if (!ctx.admitting()) return { ok: false, listed: 0, started: 0, full: false };
  ctx.onListing(listing);
  ctx.backlog.replace(listing.keys);
  const started = await startFromBacklog(ctx, ctx.batchSize);
  const listed = listing.keys.length;
  events.onPass({ listed, started, durationMs: clock.now() - startedAt });
  return { ok: true, listed, started, full: listed >= limit };
}
