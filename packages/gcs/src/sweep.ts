/**
 * The orphan sweep: lists `in-progress/` (the only pass that does), requeues copies whose lease
 * expired by the queue clock (attempts kept), and refreshes the in-progress cache with the live
 * leases it saw. It reports the in-progress copies left after it (live ones, and orphans whose
 * owner renewed before the sweep could remove them). A copy without a readable `lease-expiration` is an orphan, as Go treats it.
 *
 * Requeue of an orphan = copy it (pinned to the generation seen) to `queued/<k>` if absent, or
 * merge into the queued twin; then delete it pinned to the generation *and* metageneration seen,
 * so an owner that renewed in the meantime keeps its copy (the queued copy then runs once more).
 */
import { newQueuedState } from '@recon/core';
import type { SweepResult } from '@recon/core';
import type { ObjectInfo } from './bucket-io.ts';
import type { BackendContext } from './context.ts';
import { putQueued } from './enqueue.ts';
import { classifyFailure } from './gcs-errors.ts';
import { readInProgress, toStoredPrecision, writeQueued } from './metadata.ts';
import type { InProgressState } from './metadata.ts';
import { Prefix, keyOf, queuedName } from './names.ts';

export async function sweepOrphans(
  ctx: BackendContext,
  pageSize: number,
  signal?: AbortSignal,
): Promise<SweepResult> {
  const now = ctx.clock.now();
  const result: SweepResult = { requeued: [], leaseAgesMs: [], inProgress: 0 };
  const live = new Map<string, number>();
  for await (const items of ctx.io.scan(Prefix.inProgress, pageSize, signal)) {
    for (const info of items) {
      const key = keyOf(info.name, Prefix.inProgress);
      if (key === undefined) continue;
      result.inProgress++;
      const state = readInProgress(info.metadata, info.timeCreated);
      if (state.leaseExpiresAt > now) {
        live.set(key, state.leaseExpiresAt);
        result.leaseAgesMs.push(Math.max(0, now - info.timeCreated));
        continue;
      }
      if (await requeueOrphan(ctx, key, info, state, signal)) {
        result.requeued.push(key);
        result.inProgress--; // no longer in progress
      }
    }
  }
  ctx.inProgress.replaceOthers(live);
  return result;
}

/** True when this call gave the orphan back to the queue. */
export async function requeueOrphan(
  ctx: BackendContext,
  key: string,
  info: ObjectInfo,
  state: InProgressState,
  signal?: AbortSignal,
): Promise<boolean> {
  const now = ctx.clock.now();
  const incoming = toStoredPrecision({
    priority: state.priority,
    notBefore: 0,
    floor: false,
    attempts: state.attempts,
    firstQueuedAt: state.firstQueuedAt,
    lastAttemptedAt: now,
    ...(state.lastError === undefined ? {} : { lastError: state.lastError }),
  });
  try {
    await putQueued(ctx, key, incoming, {
      signal,
      create: (token) =>
        ctx.io.copy(
          { name: info.name, generation: info.generation },
          queuedName(key),
          writeQueued(newQueuedState(incoming, now), token),
          { ifGenerationMatch: 0 },
          signal,
        ),
    });
  } catch (err) {
    if (classifyFailure(err) === 'not-found') return false; // its owner finished, or someone swept it
    throw err;
  }
  try {
    await ctx.io.delete(
      info.name,
      {
        ifGenerationMatch: info.generation,
        ifMetagenerationMatch: info.metageneration,
      },
      signal,
    );
  } catch (err) {
    const kind = classifyFailure(err);
    if (kind === 'precondition') return false; // its owner renewed: the queued copy is a twin
    if (kind !== 'not-found') throw err;
  }
  const owned = ctx.owned.get(key);
  if (owned?.generation === info.generation) owned.markLost();
  ctx.inProgress.forgetOther(key);
  return true;
}
