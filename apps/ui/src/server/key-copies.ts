/**
 * All copies of one key. `getKeyState` reports only the copy that wins (in progress, then queued,
 * then dead-letter); the key page needs each of them, so it lists each state with the key as
 * prefix: the key itself sorts first among the names that start with it.
 */
import { KeyStatus, type InspectPort, type KeyStateView } from '@recon/core';
import type { KeyCopies } from './explain-key.ts';

export async function readKeyCopies(
  queue: InspectPort,
  key: string,
  signal?: AbortSignal,
): Promise<KeyCopies> {
  const copy = async (status: KeyStatus): Promise<KeyStateView | undefined> => {
    const page = await queue.list(status, { prefix: key, limit: 1 }, signal);
    const first = page.entries[0];
    return first?.key === key ? first : undefined;
  };
  const [queued, inProgress, deadLetter] = await Promise.all([
    copy(KeyStatus.QUEUED),
    copy(KeyStatus.IN_PROGRESS),
    copy(KeyStatus.DEAD_LETTER),
  ]);
  const copies: KeyCopies = { key };
  if (queued) copies.queued = queued;
  if (inProgress) copies.inProgress = inProgress;
  if (deadLetter) copies.deadLetter = deadLetter;
  return copies;
}
