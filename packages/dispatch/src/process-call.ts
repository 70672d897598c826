import type { Outcome } from '@recon/core';
import { errorMessage } from './error-message.ts';
import type { ProcessContext, ProcessFn } from './types.ts';

const kinds = new Set<Outcome['kind']>([
  'success',
  'requeue-after',
  'non-retriable',
  'error',
  'shutdown',
]);

/**
 * Calls the reconciler once and always resolves an Outcome: a throw (sync or async) becomes
 * `{ kind: 'error' }`, and so does a value that is not an Outcome, so one broken handler can
 * neither crash the loop nor leave a rejected promise behind when the loop stops waiting for it.
 */
export async function callProcess(
  process: ProcessFn,
  key: string,
  ctx: ProcessContext,
): Promise<Outcome> {
  try {
    const outcome: unknown = await process(key, ctx);
    if (isOutcome(outcome)) return outcome;
    return { kind: 'error', message: `process returned an invalid outcome: ${describe(outcome)}` };
  } catch (error) {
    return { kind: 'error', message: errorMessage(error) };
  }
}

function isOutcome(value: unknown): value is Outcome {
  if (typeof value !== 'object' || value === null) return false;
  const kind = (value as { kind?: unknown }).kind;
  if (typeof kind !== 'string' || !kinds.has(kind as Outcome['kind'])) return false;
  if (kind === 'requeue-after') {
    const delayMs = (value as { delayMs?: unknown }).delayMs;
    return typeof delayMs === 'number' && Number.isFinite(delayMs);
  }
  return true;
}

function describe(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
