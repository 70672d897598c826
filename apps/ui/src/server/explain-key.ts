/**
 * "Why isn't it running?": a pure reading of a key's copies (queued, in progress, dead-lettered)
 * against the clock and the dispatcher's slots. The server computes it so the page, the CLI and
 * tests all see one answer.
 */
import type { KeyStateView } from '@recon/core';

/** Every copy of one key; a key may be queued and in progress at once, or queued and dead. */
export interface KeyCopies {
  key: string;
  queued?: KeyStateView;
  inProgress?: KeyStateView;
  deadLetter?: KeyStateView;
}

export interface ExplainContext {
  /** Unix ms. */
  now: number;
  /** The dispatcher's slots, when the UI runs beside it (unknown otherwise). */
  dispatcher?: { concurrency: number; inFlight: number };
}

export type ReasonCode =
  | 'not-found'
  | 'running'
  | 'lease-expired'
  | 'twin-waits'
  | 'floor'
  | 'backoff'
  | 'not-before'
  | 'concurrency-full'
  | 'eligible'
  | 'dead-lettered';

export interface Reason {
  code: ReasonCode;
  message: string;
  /** The time this reason stops holding (notBefore, lease expiry), Unix ms. */
  until?: number;
  owner?: string;
}

export type KeyCondition = 'unknown' | 'running' | 'waiting' | 'ready' | 'dead-lettered';

export interface Explanation {
  condition: KeyCondition;
  /** One sentence: the first reason's message. */
  summary: string;
  reasons: Reason[];
  /** Whether "run now" may clear notBefore, and why not. */
  runNow: { allowed: boolean; reason?: string };
}

export function explainKey(copies: KeyCopies, context: ExplainContext): Explanation {
  const reasons: Reason[] = [];
  const { queued, inProgress, deadLetter } = copies;
  let condition: KeyCondition = 'unknown';

  if (inProgress) {
    condition = 'running';
    reasons.push(leaseReason(inProgress, context.now));
    if (queued) {
      const later = queued.notBefore > context.now ? `, not before ${iso(queued.notBefore)}` : '';
      reasons.push({
        code: 'twin-waits',
        message: `Enqueued again while running: the queued copy runs once more after this attempt ends${later}.`,
      });
    }
  } else if (queued) {
    const waiting = waitingReason(queued, context.now);
    condition = waiting ? 'waiting' : 'ready';
    reasons.push(waiting ?? dueReason(context));
  }

  if (deadLetter) {
    if (condition === 'unknown') condition = 'dead-lettered';
    reasons.push({
      code: 'dead-lettered',
      message:
        `Dead-lettered${deadLetter.failedAt ? ` at ${iso(deadLetter.failedAt)}` : ''} after ` +
        `${plural(deadLetter.attempts, 'attempt')}: the dispatcher stopped retrying it. ` +
        (queued || inProgress
          ? 'It was enqueued again; the dead-letter copy goes once that copy completes.'
          : 'Re-enqueue it to run it again.'),
    });
  }

  if (reasons.length === 0) {
    reasons.push({
      code: 'not-found',
      message:
        'No copy of this key exists: it completed (or was dropped), or it was never enqueued.',
    });
  }
  const first = reasons[0] as Reason;
  return { condition, summary: first.message, reasons, runNow: runNowCheck(copies, context.now) };
}

/** Run now = enqueue with delay 0: it helps only a queued copy whose notBefore is not a floor. */
export function runNowCheck(copies: KeyCopies, now: number): Explanation['runNow'] {
  const { queued, inProgress } = copies;
  if (!queued) {
    return {
      allowed: false,
      reason: inProgress ? 'it is running now and has no queued copy' : 'it is not queued',
    };
  }
  if (queued.notBefore <= now) return { allowed: false, reason: 'it is already due' };
  if (queued.floor) {
    return {
      allowed: false,
      reason: `a floor holds it until ${iso(queued.notBefore)}; run now cannot undercut a floor`,
    };
  }
  return { allowed: true };
}

function leaseReason(view: KeyStateView, now: number): Reason {
  const owner = view.owner ?? 'an unknown owner';
  const expires = view.leaseExpiresAt ?? 0;
  const attempt = `attempt ${view.attempts}`;
  if (expires > now) {
    return {
      code: 'running',
      message: `Running (${attempt}): a live lease held by ${owner} until ${iso(expires)}.`,
      until: expires,
      owner,
    };
  }
  return {
    code: 'lease-expired',
    message:
      `The lease held by ${owner} expired at ${iso(expires)} (${attempt}): its owner likely ` +
      'died. The next orphan sweep requeues it with its attempts kept.',
    until: expires,
    owner,
  };
}

function waitingReason(view: KeyStateView, now: number): Reason | undefined {
  if (view.notBefore <= now) return undefined;
  const until = view.notBefore;
  if (view.floor) {
    return {
      code: 'floor',
      message:
        `Held by a floor until ${iso(until)}: a requeue-after (or floored enqueue) set it, ` +
        'and neither an enqueue nor run now can pull it earlier.',
      until,
    };
  }
  if (view.attempts > 0 && view.lastError !== undefined) {
    return {
      code: 'backoff',
      message:
        `Backing off until ${iso(until)} after ${plural(view.attempts, 'failed attempt')}. ` +
        'Run now clears the wait.',
      until,
    };
  }
  return {
    code: 'not-before',
    message: `Waiting on notBefore until ${iso(until)}. Run now clears the wait.`,
    until,
  };
}

function dueReason(context: ExplainContext): Reason {
  const d = context.dispatcher;
  if (d && d.inFlight >= d.concurrency) {
    return {
      code: 'concurrency-full',
      message:
        `Due, but all ${plural(d.concurrency, 'dispatch slot')} are busy: it starts when one ` +
        'frees (higher priority, then older keys, go first).',
    };
  }
  return {
    code: 'eligible',
    message:
      'Due now: the next dispatch pass starts it (order: priority, then first-queued time)' +
      (d ? '.' : ', if a dispatcher is running.'),
  };
}

/** ISO time; beyond what a Date can hold (a delay of centuries), the raw milliseconds. */
function iso(ms: number): string {
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? `${ms} ms after the epoch` : date.toISOString();
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
