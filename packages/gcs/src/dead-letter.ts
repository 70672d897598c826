/**
 * Re-enqueue of a dead-lettered key: queue it again (attempts reset, original priority and
 * first-queued time, merging into a queued copy if one exists), then delete the dead-letter copy
 * pinned to the generation that was read, so a newer dead-letter copy written meanwhile stays.
 */
import { validateKey } from '@recon/core';
import type { BackendContext } from './context.ts';
import { putQueued } from './enqueue.ts';
import { classifyFailure } from './gcs-errors.ts';
import { readDeadLetter, toStoredPrecision } from './metadata.ts';
import { deadLetterName } from './names.ts';

export async function reenqueueDeadLetter(
  ctx: BackendContext,
  rawKey: string,
  signal?: AbortSignal,
): Promise<boolean> {
  const key = validateKey(rawKey);
  const info = await ctx.io.get(deadLetterName(key), signal);
  if (!info) {
    ctx.deadLetters.delete(key);
    return false;
  }
  const s = readDeadLetter(info.metadata, info.timeCreated);
  const incoming = toStoredPrecision({
    priority: s.priority,
    notBefore: 0,
    floor: false,
    attempts: 0,
    firstQueuedAt: s.firstQueuedAt,
    ...(s.lastError === undefined ? {} : { lastError: s.lastError }),
    ...(s.lastAttemptedAt === undefined ? {} : { lastAttemptedAt: s.lastAttemptedAt }),
  });
  await putQueued(ctx, key, incoming, { signal });
  try {
    await ctx.io.delete(deadLetterName(key), { ifGenerationMatch: info.generation }, signal);
  } catch (err) {
    const kind = classifyFailure(err);
    if (kind !== 'not-found' && kind !== 'precondition') throw err;
  }
  ctx.deadLetters.delete(key);
  return true;
}
