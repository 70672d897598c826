/**
 * The mapping between object metadata and queue state: what each copy of a key (queued,
 * in-progress, dead-letter) stores, in the formats the Go workqueue writes and reads. Pure: no I/O.
 *
 * Go compatibility, both ways:
 * - we read what Go writes: `priority` zero-padded or plain (always parsed as an integer),
 *   `attempts` possibly missing (= 0), no ext fields (first-queued falls back to the creation time);
 * - Go reads what we write: `not-before` is always present (zero time = none) at second precision,
 *   rounded up so a Go dispatcher never runs a key early; `lease-expiration` is RFC 3339 (with
 *   milliseconds, which Go's RFC 3339 parser accepts); `attempts` is always written.
 * - ext fields (`first-queued`, `last-error`, `not-before-ms`, `attempt-token`, `create-token`) are
 *   ignored by Go
 *   and carried through its copies.
 */
import { truncateError } from '@recon/core';
import type { QueuedState } from '@recon/core';
import {
  formatMillis,
  formatPriority,
  formatSecondsCeil,
  formatSecondsFloor,
  formatUnixSeconds,
  parseCount,
  parseInteger,
  parseRfc3339,
  parseUnixMillis,
  parseUnixSeconds,
  zeroTime,
} from './metadata-format.ts';

/** Metadata names. Those marked ext are ours; a Go peer ignores them. */
export const Meta = {
  priority: 'priority',
  notBefore: 'not-before',
  notBeforeFloor: 'not-before-floor',
  attempts: 'attempts',
  leaseExpiration: 'lease-expiration',
  owner: 'owner',
  lastAttempted: 'last-attempted',
  failedTime: 'failed-time',
  /** ext: when the key first entered the queue, carried through every copy. */
  firstQueued: 'first-queued',
  /** ext: the last attempt's error, at most 1 KiB. */
  lastError: 'last-error',
  /** ext: notBefore in Unix ms; `not-before` wins when the two disagree beyond the second. */
  notBeforeMs: 'not-before-ms',
  /** ext: unique per attempt, so a start can recognise its own copy after a lost response. */
  attemptToken: 'attempt-token',
  /** ext: unique per create of a queued copy, so a create can recognise its own object likewise. */
  createToken: 'create-token',
} as const;

export type Metadata = Record<string, string>;
/** A PATCH of user metadata: null removes a name. */
export type MetadataPatch = Record<string, string | null>;

/** A queued copy as stored: everything but queuedAt, which is the object's creation time. */
export type StoredQueued = Omit<QueuedState, 'queuedAt'>;

/** What an in-progress copy stores. */
export interface InProgressState {
  priority: number;
  /** Attempts including the running one. */
  attempts: number;
  firstQueuedAt: number;
  /** 0 when missing or unreadable: such a copy is an orphan (as Go treats it). */
  leaseExpiresAt: number;
  owner?: string;
  token?: string;
  lastError?: string;
  lastAttemptedAt?: number;
}

/** What a dead-letter copy stores. */
export interface DeadLetterState {
  priority: number;
  attempts: number;
  firstQueuedAt: number;
  failedAt: number;
  lastError?: string;
  lastAttemptedAt?: number;
}

// ---- queued ---------------------------------------------------------------------------------

/** The metadata of a queued copy; `createToken` marks the create that writes it. */
export function writeQueued(s: StoredQueued, createToken?: string): Metadata {
  const m: Metadata = {
    [Meta.priority]: formatPriority(s.priority),
    [Meta.notBefore]: s.notBefore > 0 ? formatSecondsCeil(s.notBefore) : zeroTime,
    [Meta.attempts]: String(s.attempts),
    [Meta.firstQueued]: formatMillis(s.firstQueuedAt),
  };
  if (s.notBefore > 0) {
    m[Meta.notBeforeMs] = String(Math.ceil(s.notBefore));
    if (s.floor) m[Meta.notBeforeFloor] = 'true';
  }
  if (s.lastError !== undefined) m[Meta.lastError] = truncateError(s.lastError);
  if (s.lastAttemptedAt !== undefined) m[Meta.lastAttempted] = formatUnixSeconds(s.lastAttemptedAt);
  if (createToken !== undefined) m[Meta.createToken] = createToken;
  return m;
}

/** Optional names of a queued copy: a patch removes those the new state does not carry. */
const queuedOptional = [Meta.notBeforeMs, Meta.notBeforeFloor, Meta.lastError, Meta.lastAttempted];

/** A PATCH that turns any queued copy's metadata into `s` (names of other writers are kept). */
export function queuedPatch(s: StoredQueued): MetadataPatch {
  const patch: MetadataPatch = writeQueued(s); // the create token stays: it names the create
  for (const name of queuedOptional) if (!(name in patch)) patch[name] = null;
  return patch;
}

/** Reads a queued copy, whoever wrote it. `timeCreated` is its FIFO position. */
export function readQueued(m: Readonly<Metadata>, timeCreated: number): QueuedState {
  const notBefore = readNotBefore(m);
  const state: QueuedState = {
    priority: readPriority(m),
    queuedAt: timeCreated,
    firstQueuedAt: parseRfc3339(m[Meta.firstQueued]) ?? timeCreated,
    notBefore,
    floor: notBefore > 0 && m[Meta.notBeforeFloor] === 'true',
    attempts: parseCount(m[Meta.attempts]) ?? 0,
  };
  const lastError = m[Meta.lastError];
  if (lastError !== undefined) state.lastError = lastError;
  const lastAttemptedAt = parseUnixSeconds(m[Meta.lastAttempted]);
  if (lastAttemptedAt !== undefined) state.lastAttemptedAt = lastAttemptedAt;
  return state;
}

/**
 * `not-before` is authoritative (a Go peer may have merged it); `not-before-ms` only adds the
 * sub-second part when both name the same moment to within a second.
 */
function readNotBefore(m: Readonly<Metadata>): number {
  const seconds = parseRfc3339(m[Meta.notBefore]);
  if (seconds === undefined || seconds <= 0) return 0;
  const ms = parseUnixMillis(m[Meta.notBeforeMs]);
  return ms !== undefined && Math.abs(seconds - ms) < 1000 ? ms : seconds;
}

function readPriority(m: Readonly<Metadata>): number {
  return parseInteger(m[Meta.priority]) ?? 0;
}

// ---- in progress ----------------------------------------------------------------------------

/** The metadata of an in-progress copy: the queued state minus notBefore, plus the lease. */
export function writeInProgress(s: InProgressState): Metadata {
  const m: Metadata = {
    [Meta.priority]: formatPriority(s.priority),
    // Go's invariant: not-before is always present and date-formatted; never set while running.
    [Meta.notBefore]: zeroTime,
    [Meta.attempts]: String(s.attempts),
    [Meta.leaseExpiration]: formatMillis(s.leaseExpiresAt),
    [Meta.firstQueued]: formatMillis(s.firstQueuedAt),
  };
  if (s.owner !== undefined) m[Meta.owner] = s.owner;
  if (s.token !== undefined) m[Meta.attemptToken] = s.token;
  if (s.lastError !== undefined) m[Meta.lastError] = truncateError(s.lastError);
  if (s.lastAttemptedAt !== undefined) m[Meta.lastAttempted] = formatUnixSeconds(s.lastAttemptedAt);
  return m;
}

export function readInProgress(m: Readonly<Metadata>, timeCreated: number): InProgressState {
  const s: InProgressState = {
    priority: readPriority(m),
    attempts: parseCount(m[Meta.attempts]) ?? 0,
    firstQueuedAt: parseRfc3339(m[Meta.firstQueued]) ?? timeCreated,
    leaseExpiresAt: parseRfc3339(m[Meta.leaseExpiration]) ?? 0,
  };
  const owner = m[Meta.owner];
  if (owner !== undefined) s.owner = owner;
  const token = m[Meta.attemptToken];
  if (token !== undefined) s.token = token;
  const lastError = m[Meta.lastError];
  if (lastError !== undefined) s.lastError = lastError;
  const lastAttemptedAt = parseUnixSeconds(m[Meta.lastAttempted]);
  if (lastAttemptedAt !== undefined) s.lastAttemptedAt = lastAttemptedAt;
  return s;
}

/** The lease renewal PATCH. */
export function leasePatch(leaseExpiresAt: number): MetadataPatch {
  return { [Meta.leaseExpiration]: formatMillis(leaseExpiresAt) };
}

// ---- dead letter ----------------------------------------------------------------------------

export function writeDeadLetter(s: DeadLetterState): Metadata {
  const m: Metadata = {
    [Meta.priority]: formatPriority(s.priority),
    [Meta.notBefore]: zeroTime,
    [Meta.attempts]: String(s.attempts),
    [Meta.failedTime]: formatSecondsFloor(s.failedAt),
    [Meta.firstQueued]: formatMillis(s.firstQueuedAt),
  };
  if (s.lastError !== undefined) m[Meta.lastError] = truncateError(s.lastError);
  if (s.lastAttemptedAt !== undefined) m[Meta.lastAttempted] = formatUnixSeconds(s.lastAttemptedAt);
  return m;
}

export function readDeadLetter(m: Readonly<Metadata>, timeCreated: number): DeadLetterState {
  const s: DeadLetterState = {
    priority: readPriority(m),
    attempts: parseCount(m[Meta.attempts]) ?? 0,
    firstQueuedAt: parseRfc3339(m[Meta.firstQueued]) ?? timeCreated,
    // Go falls back to the creation time when failed-time is missing.
    failedAt: parseRfc3339(m[Meta.failedTime]) ?? timeCreated,
  };
  const lastError = m[Meta.lastError];
  if (lastError !== undefined) s.lastError = lastError;
  const lastAttemptedAt = parseUnixSeconds(m[Meta.lastAttempted]);
  if (lastAttemptedAt !== undefined) s.lastAttemptedAt = lastAttemptedAt;
  return s;
}

// ---- precision ------------------------------------------------------------------------------

/**
 * Rounds times to what storage keeps (notBefore to whole ms, last-attempted to whole seconds) and
 * truncates the error, so a value merged with its own stored copy compares equal: a retried
 * write whose first try landed then finds nothing to change.
 */
export function toStoredPrecision<
  T extends { notBefore: number; lastError?: string; lastAttemptedAt?: number },
>(s: T): T {
  const out = { ...s, notBefore: s.notBefore > 0 ? Math.ceil(s.notBefore) : 0 };
  if (s.lastError !== undefined) out.lastError = truncateError(s.lastError);
  if (s.lastAttemptedAt !== undefined)
    out.lastAttemptedAt = Math.floor(s.lastAttemptedAt / 1000) * 1000;
  return out;
}
