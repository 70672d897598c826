/**
 * Which hooks a stored write means, given what the attempt came to. Called only after the
 * queue write succeeded, so hooks never report an outcome the queue does not hold.
 */
import type { Outcome } from '@recon/core';
import type { HookSet } from './hook-set.ts';
import type { OwnedWrite } from './owned-key-hooks.ts';

export interface AttemptRecord {
  outcome: Outcome;
  thrown?: unknown;
  source: string;
  /** Skipped: queued under an older leadership term. */
  discarded?: boolean;
  /** The controller's enqueue stamp the attempt ran under. */
  stampSeq?: number | undefined;
}

export interface WriteReport {
  key: string;
  attempt: number;
  source: string;
  /** Undefined when the loop wrote without a process result (deadline, drain). */
  record: AttemptRecord | undefined;
  write: OwnedWrite;
}

/** Emits the hooks for one write; returns true when the key succeeded (for recentlyDone). */
export function reportWrite(hooks: HookSet, report: WriteReport): boolean {
  const { key, attempt, source, record, write } = report;
  const failure = (fallback: string) => {
    const outcome = record?.outcome;
    const message =
      outcome?.kind === 'error' || outcome?.kind === 'non-retriable' ? outcome.message : fallback;
    return { key, attempt, source, error: record?.thrown ?? message, message };
  };
  switch (write.kind) {
    case 'dead-letter':
      hooks.emit('onError', { ...failure(write.lastError), permanent: false, willRetry: false });
      hooks.emit('onDeadLetter', { key, attempt, message: write.lastError, source });
      return false;
    case 'requeue': {
      const { attempts, delayMs, lastError } = write.options;
      if (attempts === 'keep') {
        const info = { ...failure(lastError ?? 'failed'), permanent: false, willRetry: true };
        hooks.emit('onError', { ...info, retryInMs: delayMs });
      } else if (attempts === 'reset') {
        hooks.emit('onSuccess', { key, attempt, requeueAfterMs: delayMs, followUps: [] });
      }
      return false;
    }
    case 'complete': {
      if (!record || record.discarded) return false;
      if (record.outcome.kind === 'non-retriable') {
        hooks.emit('onError', {
          ...failure(record.outcome.message),
          permanent: true,
          willRetry: false,
        });
        return false;
      }
      if (record.outcome.kind !== 'success') return false;
      const followUps = (record.outcome.followUps ?? []).map((f) => f.key);
      hooks.emit('onSuccess', { key, attempt, followUps });
      return true;
    }
  }
}
