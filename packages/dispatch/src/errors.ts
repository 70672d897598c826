import { ReconError } from '@recon/core';

/**
 * The reason a process call's signal carries when its per-call deadline passed. The attempt ends
 * as `{ kind: 'error', message: 'deadline exceeded' }` and is retried with backoff.
 */
export class DeadlineExceededError extends ReconError {
  static override readonly code = 'DEADLINE_EXCEEDED';
  constructor(timeoutMs: number) {
    super(`deadline exceeded after ${timeoutMs} ms`);
  }
}

/**
 * The reason a process call's signal carries when the dispatcher drains (SIGTERM). The key is
 * given back at once and the attempt does not count, so a handler need not report anything.
 */
export class ShuttingDownError extends ReconError {
  static override readonly code = 'SHUTTING_DOWN';
  constructor() {
    super('the dispatcher is shutting down');
  }
}
