/**
 * Creating or merging a queued copy: the write behind enqueue, requeue, orphan requeue and
 * dead-letter re-enqueue.
 *
 * Create with `ifGenerationMatch=0`; on 412 read the existing copy, merge (core `mergeQueued`),
 * and patch only if the merge changed something, with `ifMetagenerationMatch` so two concurrent
 * merges cannot lose each other's change (412: read and merge again; 404: the copy went away,
 * create again). A create whose answer was lost and which the client (or we) retried comes back as
 * 412: the object carries this create's token, so it is reported `added` and nothing is written
 * twice (a merge with itself would change nothing anyway).
 */
import {
  InvalidArgumentError,
  UnavailableError,
  mergeQueued,
  newQueuedState,
  validateEnqueue,
} from '@recon/core';
import type { EnqueueRequest, EnqueueResult, IncomingState, QueuedState } from '@recon/core';
import type { ObjectInfo } from './bucket-io.ts';
import type { BackendContext } from './context.ts';
import { classifyFailure } from './gcs-errors.ts';
import { Meta, queuedPatch, readQueued, toStoredPrecision, writeQueued } from './metadata.ts';
import { Prefix, keyOf, queuedName } from './names.ts';
import type { QueuedEntry } from './queued-entry.ts';

/** Rounds of read-merge-patch before a hot key's contention is reported as unavailable. */
const maxMergeRounds = 50;

export interface PutQueuedOptions {
  /**
   * Writes the new queued copy, its metadata carrying `createToken` (writeQueued's second
   * argument); must fail with 412 when a copy exists. Default: an empty upload.
   */
  create?: (createToken: string) => Promise<ObjectInfo>;
  /** Runs before merging into an existing copy (owners check their lease here). */
  beforeMerge?: () => Promise<void>;
  signal?: AbortSignal;
}

export interface PutQueuedResult {
  result: EnqueueResult;
  entry: QueuedEntry;
}

/** Reads a listed or fetched queued object into a snapshot entry. */
export function toQueuedEntry(
  info: ObjectInfo,
  key = keyOf(info.name, Prefix.queued),
): QueuedEntry {
  if (key === undefined)
    throw new InvalidArgumentError('name', `${info.name} is not a queued object`);
  return {
    ...readQueued(info.metadata, info.timeCreated),
    key,
    generation: info.generation,
    metageneration: info.metageneration,
  };
}

/** Creates `queued/<key>` from `incoming`, or merges `incoming` into the copy that exists. */
export async function putQueued(
  ctx: BackendContext,
  key: string,
  incoming: IncomingState,
  options: PutQueuedOptions = {},
): Promise<PutQueuedResult> {
  const { signal } = options;
  const create =
    options.create ??
    ((token: string) => {
      const state = newQueuedState(incoming, ctx.clock.now());
      return ctx.io.create(queuedName(key), writeQueued(state, token), signal);
    });
  for (let round = 0; round < maxMergeRounds; round++) {
    const token = ctx.newToken();
    try {
      const entry = toQueuedEntry(await create(token), key);
      ctx.snapshot.upsert(entry, true);
      return { result: 'added', entry };
    } catch (err) {
      if (classifyFailure(err) !== 'precondition') throw err;
    }
    await options.beforeMerge?.();
    const merged = await mergeIntoQueued(ctx, key, incoming, token, signal);
    if (merged) return merged;
  }
  throw new UnavailableError(`enqueue ${JSON.stringify(key)}: too much contention`);
}

/**
 * Merges into the existing queued copy; undefined when there is none (any more). A copy that
 * carries `createToken` is our own create, which landed although its answer was lost: `added`.
 */
async function mergeIntoQueued(
  ctx: BackendContext,
  key: string,
  incoming: IncomingState,
  createToken: string,
  signal?: AbortSignal,
): Promise<PutQueuedResult | undefined> {
  const name = queuedName(key);
  for (let round = 0; round < maxMergeRounds; round++) {
    const info = await ctx.io.get(name, signal);
    if (!info) return undefined;
    const existing = toQueuedEntry(info, key);
    if (info.metadata[Meta.createToken] === createToken) {
      ctx.snapshot.upsert(existing, true);
      return { result: 'added', entry: existing };
    }
    const { state, changed } = mergeQueued(existing, incoming);
    if (!changed) {
      ctx.snapshot.upsert(existing);
      return { result: 'deduped', entry: existing };
    }
    try {
      const patched = await ctx.io.patch(
        name,
        queuedPatch(withoutQueuedAt(state)),
        {
          ifGenerationMatch: info.generation,
          ifMetagenerationMatch: info.metageneration,
        },
        signal,
      );
      const entry = toQueuedEntry(patched, key);
      ctx.snapshot.upsert(entry);
      return { result: 'deduped', entry };
    } catch (err) {
      const kind = classifyFailure(err);
      if (kind === 'not-found') return undefined;
      if (kind !== 'precondition') throw err;
      // Someone merged first (or our own patch landed and its answer was lost): read again.
    }
  }
  throw new UnavailableError(`merge into ${JSON.stringify(key)}: too much contention`);
}

function withoutQueuedAt(state: QueuedState): Omit<QueuedState, 'queuedAt'> {
  const { queuedAt: _queuedAt, ...rest } = state;
  return rest;
}

/** The receiver's enqueue: validate, then create or merge. */
export async function enqueue(
  ctx: BackendContext,
  request: EnqueueRequest,
  signal?: AbortSignal,
): Promise<EnqueueResult> {
  const v = validateEnqueue(request);
  const notBefore = v.delayMs > 0 ? ctx.clock.now() + v.delayMs : 0;
  const incoming = toStoredPrecision({
    priority: v.priority,
    notBefore,
    floor: v.floor && notBefore > 0,
  });
  const { result } = await putQueued(ctx, v.key, incoming, { signal });
  return result;
}
