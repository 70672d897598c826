/**
 * Start: queued → in-progress, atomically against every other dispatcher.
 *
 * 1. Copy `queued/<k>` (pinned to the listed generation) to `in-progress/<k>` with
 *    `ifGenerationMatch=0` — the exclusion point: of any number of concurrent starts, across
 *    processes and machines, exactly one copy creates the object. The copy replaces the metadata
 *    (attempts + 1, lease, owner, a fresh attempt token, notBefore cleared) and its answer carries
 *    the new object, so no read follows.
 * 2. Delete the queued object pinned to the generation *and* metageneration that were listed: a
 *    merge that landed in between keeps the queued copy, so the key runs again rather than losing
 *    that update.
 *
 * A 412 on the copy means an in-progress copy exists. Usually another owner's (→ undefined, and
 * the key is remembered as busy until its lease expires; an expired one is requeued as an orphan
 * on the spot, merging into the twin); but if it carries our attempt token, our own copy landed
 * and only its answer was lost (the client or we retried it): it is ours.
 * A 404 means the listed generation is gone (another dispatcher started it, or it was replaced).
 */
import { InvalidArgumentError } from '@recon/core';
import type { QueuedKey } from '@recon/core';
import type { ObjectInfo } from './bucket-io.ts';
import type { BackendContext } from './context.ts';
import { classifyFailure } from './gcs-errors.ts';
import { readInProgress, writeInProgress } from './metadata.ts';
import type { InProgressState } from './metadata.ts';
import { inProgressName, queuedName } from './names.ts';
import { GcsOwnedKey } from './owned-key.ts';
import { requeueOrphan } from './sweep.ts';

/** Splits `<generation>:<metageneration>`. */
export function parseVersion(version: string): { generation: string; metageneration: string } {
  const m = /^(\d+):(\d+)$/.exec(typeof version === 'string' ? version : '');
  if (!m)
    throw new InvalidArgumentError(
      'version',
      `${JSON.stringify(version)} is not <generation>:<metageneration>`,
    );
  return { generation: m[1] as string, metageneration: m[2] as string };
}

export async function startKey(
  ctx: BackendContext,
  queued: QueuedKey,
  owner: string,
  signal?: AbortSignal,
): Promise<GcsOwnedKey | undefined> {
  const { key } = queued;
  const { generation, metageneration } = parseVersion(queued.version);
  // We run or are starting this key already: a queued twin waits for us to finish, and a second
  // concurrent start here could only lose the race below.
  if (!ctx.inProgress.claimStart(key)) return undefined;
  try {
    return await claimedStart(ctx, queued, generation, metageneration, owner, signal);
  } finally {
    ctx.inProgress.endStart(key);
  }
}

async function claimedStart(
  ctx: BackendContext,
  queued: QueuedKey,
  generation: string,
  metageneration: string,
  owner: string,
  signal?: AbortSignal,
): Promise<GcsOwnedKey | undefined> {
  const { key } = queued;
  const token = ctx.newToken();
  const state: InProgressState = {
    priority: queued.priority,
    attempts: queued.attempts + 1,
    firstQueuedAt: queued.firstQueuedAt,
    leaseExpiresAt: ctx.clock.now() + ctx.workqueue.leaseMs,
    owner,
    token,
  };
  if (queued.lastError !== undefined) state.lastError = queued.lastError;
  if (queued.lastAttemptedAt !== undefined) state.lastAttemptedAt = queued.lastAttemptedAt;

  let created: ObjectInfo;
  try {
    created = await ctx.io.copy(
      { name: queuedName(key), generation },
      inProgressName(key),
      writeInProgress(state),
      { ifGenerationMatch: 0 },
      signal,
    );
  } catch (err) {
    const kind = classifyFailure(err);
    if (kind === 'not-found') {
      ctx.snapshot.remove(key, generation);
      return undefined;
    }
    if (kind !== 'precondition') throw err;
    const current = await ctx.io.get(inProgressName(key), signal);
    if (!current) return undefined; // it ended in between; the next listing offers the key again
    const theirs = readInProgress(current.metadata, current.timeCreated);
    if (theirs.token !== token) {
      if (theirs.leaseExpiresAt > ctx.clock.now()) {
        ctx.inProgress.noteOther(key, theirs.leaseExpiresAt);
      } else {
        // An orphan blocks its queued twin: give it back now rather than at the next sweep.
        await requeueOrphan(ctx, key, current, theirs, signal).catch(() => false);
      }
      return undefined;
    }
    created = current; // our copy landed; only its answer was lost
  }

  ctx.snapshot.remove(key, generation);
  ctx.inProgress.addMine(key, created.generation);
  const owned = new GcsOwnedKey(ctx, {
    key,
    priority: state.priority,
    attempts: state.attempts,
    queuedAt: queued.queuedAt,
    firstQueuedAt: state.firstQueuedAt,
    owner,
    token,
    generation: created.generation,
    metageneration: created.metageneration,
    leaseExpiresAt: state.leaseExpiresAt,
    ...(state.lastError === undefined ? {} : { lastError: state.lastError }),
  });
  ctx.owned.set(key, owned);

  try {
    await ctx.io.delete(
      queuedName(key),
      { ifGenerationMatch: generation, ifMetagenerationMatch: metageneration },
      signal,
    );
  } catch {
    // 412: a merge landed since the listing, so the queued copy stays and the key runs again.
    // 404: already gone (an earlier try of this delete landed). Anything else: the copy stays,
    // the key runs once more; we own the in-progress copy either way and must not leak it.
  }
  return owned;
}
