/** Where a copy of a key lives. A key may be queued and in progress at once (a "twin"). */
export const KeyStatus = {
  QUEUED: 'QUEUED',
  IN_PROGRESS: 'IN_PROGRESS',
  DEAD_LETTER: 'DEAD_LETTER',
} as const;
export type KeyStatus = (typeof KeyStatus)[keyof typeof KeyStatus];

/** The state a queued copy of a key carries. All times are Unix milliseconds. */
export interface QueuedState {
  /** Higher first. A signed 32-bit integer, always compared as a number. */
  priority: number;
  /** When this queued copy was created: the key's FIFO position within its priority. */
  queuedAt: number;
  /** When the key first entered the queue (ext `first-queued`), carried through every copy. */
  firstQueuedAt: number;
  /** Not eligible before this time; 0 = no constraint. */
  notBefore: number;
  /** The notBefore is a floor: a plain enqueue cannot pull it earlier. */
  floor: boolean;
  /** Failed attempts so far (reset by requeue-after). */
  attempts: number;
  /** The last attempt's error, at most 1 KiB (ext `last-error`). */
  lastError?: string;
  /** When the key was last attempted (set on requeue). */
  lastAttemptedAt?: number;
}

/** What `getKeyState` and listings report about one copy of a key. */
export interface KeyStateView {
  key: string;
  status: KeyStatus;
  priority: number;
  attempts: number;
  /** When the (queued) copy was created; for in-progress, when its attempt started. */
  queuedAt: number;
  notBefore: number;
  floor: boolean;
  firstQueuedAt?: number;
  lastError?: string;
  lastAttemptedAt?: number;
  /** In progress only. */
  leaseExpiresAt?: number;
  owner?: string;
  /** Dead-letter only. */
  failedAt?: number;
}

/** Truncates an error message to the 1 KiB kept in storage, on a character boundary. */
export function truncateError(message: string, maxBytes = 1024): string {
  if (Buffer.byteLength(message, 'utf8') <= maxBytes) return message;
  let out = message.slice(0, maxBytes);
  while (Buffer.byteLength(out, 'utf8') > maxBytes - 3) out = out.slice(0, -1);
  return `${out}...`;
}
