import type { DispatchPort, OwnedKey, QueuedKey } from '@recon/core';
import type { Backlog } from './backlog.ts';
import type { SafeEvents } from './safe-events.ts';
import type { Slots } from './slots.ts';

export interface StarterContext {
  queue: DispatchPort;
  owner: string;
  slots: Slots;
  backlog: Backlog;
  events: SafeEvents;
  /** Aborted by a crash stop. */
  signal: AbortSignal;
  /** False once the loop stops admitting: no new key is started. */
  admitting(): boolean;
  /** Hands a started key (and its reserved slot) to the loop, which runs the attempt. */
  launch(owned: OwnedKey, candidate: QueuedKey): void;
  /** A reserved slot came back unused. */
  released(): void;
}

/**
 * Starts up to `max` keys from the backlog, in parallel (each `start` is a storage round trip).
 * A slot is reserved before each `start`; a start that another dispatcher won (undefined) gives
 * the slot back and tries the next candidate. Resolves how many keys were started.
 */
export async function startFromBacklog(ctx: StarterContext, max: number): Promise<number> {
  const workers = Math.max(0, Math.min(max, ctx.slots.free, ctx.backlog.size));
  const started = await Promise.all(Array.from({ length: workers }, () => startOne(ctx)));
  return started.filter(Boolean).length;
}

async function startOne(ctx: StarterContext): Promise<boolean> {
  const { slots } = ctx;
  while (ctx.admitting() && !ctx.signal.aborted) {
    if (slots.free <= 0) return false;
    const candidate = ctx.backlog.take((key) => slots.holds(key));
    if (candidate === undefined) return false;
    slots.reserve();
    slots.hold(candidate.key);
    let owned: OwnedKey | undefined;
    try {
      owned = await ctx.queue.start(candidate, ctx.owner, ctx.signal);
    } catch (error) {
      giveBack(ctx, candidate.key);
      if (!ctx.signal.aborted) ctx.events.onError({ where: 'start', error, key: candidate.key });
      return false;
    }
    if (owned === undefined) {
      giveBack(ctx, candidate.key);
      continue;
    }
    ctx.launch(owned, candidate);
    return true;
  }
  return false;
}

function giveBack(ctx: StarterContext, key: string): void {
  ctx.slots.unhold(key);
  ctx.slots.release();
  ctx.released();
}
