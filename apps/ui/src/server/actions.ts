/**
 * The writes, each a plain queue operation with the queue's own merge rules doing the work:
 * bump = enqueue with a higher priority (the maximum wins), run now = enqueue with delay 0 (the
 * earliest notBefore wins unless a floor holds), re-enqueue = the dead-letter port.
 */
import type {
  Clock,
  DeadLetterPort,
  EnqueuePort,
  EnqueueResult,
  InspectPort,
  ValidEnqueue,
} from '@recon/core';
import { KeyStatus } from '@recon/core';
import { runNowCheck } from './explain-key.ts';
import { FailedPreconditionError } from './http-errors.ts';
import type { BumpInput, ReenqueueInput } from './inputs.ts';
import { readKeyCopies } from './key-copies.ts';

export type UiQueue = EnqueuePort & InspectPort & DeadLetterPort;

export interface ActionContext {
  queue: UiQueue;
  clock: Clock;
  signal?: AbortSignal;
}

export async function enqueueKey(
  ctx: ActionContext,
  input: ValidEnqueue,
): Promise<{ key: string; result: EnqueueResult }> {
  const { key, priority, delayMs } = input;
  const result = await ctx.queue.enqueue({ key, priority, delayMs }, ctx.signal);
  return { key, result };
}

export async function bumpPriority(
  ctx: ActionContext,
  input: BumpInput,
): Promise<{ key: string; priority: number }> {
  const { queued } = await readKeyCopies(ctx.queue, input.key, ctx.signal);
  if (!queued) throw new FailedPreconditionError(`${input.key} is not queued; nothing to bump`);
  if (input.priority <= queued.priority) {
    throw new FailedPreconditionError(
      `priority ${input.priority} is not above the current ${queued.priority}: ` +
        'a merge keeps the higher priority, so a bump must raise it',
    );
  }
  // The same notBefore again: the earliest wins, so the wait (or floor) is kept, not cleared.
  const delayMs = Math.max(0, queued.notBefore - ctx.clock.now());
  await ctx.queue.enqueue({ key: input.key, priority: input.priority, delayMs }, ctx.signal);
  return { key: input.key, priority: input.priority };
}

export async function runNow(ctx: ActionContext, key: string): Promise<{ key: string }> {
  const copies = await readKeyCopies(ctx.queue, key, ctx.signal);
  const check = runNowCheck(copies, ctx.clock.now());
  if (!check.allowed) {
    throw new FailedPreconditionError(`cannot run ${key} now: ${check.reason ?? 'not allowed'}`);
  }
  // Keep its priority (the maximum wins anyway); delay 0 without a floor pulls notBefore to now.
  const priority = copies.queued?.priority ?? 0;
  await ctx.queue.enqueue({ key, priority, delayMs: 0 }, ctx.signal);
  return { key };
}

export interface ReenqueueResult {
  reenqueued: string[];
  /** Named keys that had no dead-letter copy. */
  missing: string[];
}

/** Page size while re-enqueueing everything under a prefix. */
const reenqueuePage = 200;

export async function reenqueue(
  ctx: ActionContext,
  input: ReenqueueInput,
): Promise<ReenqueueResult> {
  const out: ReenqueueResult = { reenqueued: [], missing: [] };
  if ('keys' in input) {
    for (const key of input.keys) {
      const moved = await ctx.queue.reenqueueDeadLetter(key, ctx.signal);
      (moved ? out.reenqueued : out.missing).push(key);
    }
    return out;
  }
  // Re-enqueued keys leave the dead-letter listing, so each round lists from the start again;
  // a round that moves nothing ends it (what is left appeared meanwhile or moved elsewhere).
  for (;;) {
    const page = await ctx.queue.list(
      KeyStatus.DEAD_LETTER,
      { prefix: input.prefix, limit: reenqueuePage },
      ctx.signal,
    );
    let moved = 0;
    for (const entry of page.entries) {
      if (await ctx.queue.reenqueueDeadLetter(entry.key, ctx.signal)) {
        out.reenqueued.push(entry.key);
        moved++;
      }
    }
    if (moved === 0 || page.nextPageToken === undefined) return out;
  }
}
