import { decideAction } from '@recon/core';
import type { Action, Outcome, OwnedKey } from '@recon/core';
import { applyAction } from './apply-action.ts';
import { DeadlineExceededError, ShuttingDownError } from './errors.ts';
import { runHeartbeat } from './heartbeat.ts';
import type { ResolvedDispatchOptions } from './options.ts';
import { callProcess } from './process-call.ts';
import type { SafeEvents } from './safe-events.ts';
import type { ProcessContext } from './types.ts';
import { wait, whenAborted } from './wait.ts';

/** Why an attempt's signal aborted before the process call returned. */
type AbortCause = 'deadline' | 'shutdown' | 'lease' | 'crash';

export interface AttemptOptions {
  owned: OwnedKey;
  /** When the queued copy that was started was created: `waitMs` is measured from it. */
  queuedAt: number;
  options: ResolvedDispatchOptions;
  events: SafeEvents;
  /** Aborted by a crash stop: stop at once and write nothing. */
  crash: AbortSignal;
  /** The loop is already draining: give the key straight back without calling process. */
  draining?: boolean;
}

/**
 * One attempt at one owned key: call `process` under a signal that combines lease loss, the
 * per-call deadline, shutdown and crash; keep the lease alive meanwhile; then decide the action
 * from the outcome table and write it. `done` never rejects.
 *
 * Once the signal has aborted, the cause decides the outcome, whatever the handler returns later:
 * - deadline → `error: deadline exceeded` (retried with backoff); the call is abandoned at once;
 * - shutdown (drain) → `shutdown`: requeued at once, attempt not counted; the call gets
 *   `drainGraceMs` to return first, so a cooperative handler is not overlapped by the next owner;
 * - lease lost → nothing is written (another owner may hold the key); `onLeaseLost`;
 * - crash → nothing is written and nothing reported: the key becomes an orphan.
 */
export class Attempt {
  readonly key: string;
  readonly done: Promise<void>;
  readonly #ctl = new AbortController();
  #cause: AbortCause | undefined;

  constructor(options: AttemptOptions) {
    this.key = options.owned.key;
    if (options.draining) this.shutdown();
    this.done = this.#run(options).catch((error: unknown) => {
      options.events.onError({ where: 'attempt', error, key: this.key });
    });
  }

  /** Drain: aborts the call; the key is requeued at once without counting the attempt. */
  shutdown(): void {
    this.#abort('shutdown', new ShuttingDownError());
  }

  #abort(cause: AbortCause, reason: unknown): void {
    if (this.#ctl.signal.aborted) return;
    this.#cause = cause;
    this.#ctl.abort(reason);
  }

  async #run(o: AttemptOptions): Promise<void> {
    const { owned, options, events, crash } = o;
    const { clock } = options;
    const startedAt = clock.now();
    const info = { key: owned.key, attempt: owned.attempts, priority: owned.priority };
    events.onAttemptStart({ ...info, waitMs: Math.max(0, startedAt - o.queuedAt) });

    // Stops the deadline timer and the heartbeat when the call is over.
    const finished = new AbortController();
    const signal = AbortSignal.any([owned.signal, this.#ctl.signal, crash]);
    void wait(clock, options.callTimeoutMs, finished.signal).then(() => {
      if (!finished.signal.aborted) {
        this.#abort('deadline', new DeadlineExceededError(options.callTimeoutMs));
      }
    });
    const heartbeat = runHeartbeat({
      owned,
      clock,
      intervalMs: options.workqueue.heartbeatMs,
      signal: AbortSignal.any([finished.signal, crash]),
      onLost: (error) => this.#abort('lease', error),
      onRetry: (error) => events.onError({ where: 'heartbeat', error, key: owned.key }),
    });

    const outcome = await this.#call(o, signal, startedAt + options.callTimeoutMs);
    const durationMs = clock.now() - startedAt;
    finished.abort();
    await heartbeat;

    if (crash.aborted) return;
    if (outcome === undefined || this.#cause === 'lease' || owned.signal.aborted) {
      events.onLeaseLost(info);
      return;
    }

    const decide = (x: Outcome): Action =>
      decideAction(x, {
        attempts: owned.attempts,
        options: options.workqueue,
        random: options.random,
      });
    const result = await applyAction({
      owned,
      action: decide(outcome),
      queue: options.queue,
      clock,
      decide,
      signal: crash,
      onRetry: (error) => events.onError({ where: 'apply', error, key: owned.key }),
    });
    if (crash.aborted) return;
    switch (result.kind) {
      case 'lease-lost':
        events.onLeaseLost(info);
        return;
      case 'failed':
        events.onError({ where: 'apply', error: result.error, key: owned.key });
        return;
      case 'applied': {
        const error = result.error ?? outcomeError(outcome);
        events.onOutcome({
          ...info,
          action: result.action,
          durationMs,
          firstQueuedAt: owned.firstQueuedAt,
          ...(error === undefined ? {} : { error }),
        });
      }
    }
  }

  /** The outcome to apply, or undefined when nothing may be written (lease lost, crash). */
  async #call(
    o: AttemptOptions,
    signal: AbortSignal,
    deadline: number,
  ): Promise<Outcome | undefined> {
    const { owned, options, events, crash } = o;
    if (!signal.aborted) {
      const ctx: ProcessContext = {
        signal,
        attempt: owned.attempts,
        maxAttempts: options.workqueue.maxRetry,
        priority: owned.priority,
        deadline,
        owned,
      };
      const call = callProcess(options.process, owned.key, ctx);
      const outcome = await Promise.race([call, whenAborted(signal).then(() => undefined)]);
      if (outcome !== undefined && !signal.aborted) return outcome;
      if (this.#causeOf(o) === 'shutdown') {
        const returned = await Promise.race([
          call.then(() => true),
          wait(options.clock, options.drainGraceMs, crash).then(() => false),
        ]);
        if (!returned && !crash.aborted) {
          events.onError({
            where: 'drain',
            key: owned.key,
            error: new Error(
              `process ignored its abort signal; abandoned after ${options.drainGraceMs} ms`,
            ),
          });
        }
      }
    }
    switch (this.#causeOf(o)) {
      case 'shutdown':
        return { kind: 'shutdown' };
      case 'deadline':
        return { kind: 'error', message: 'deadline exceeded' };
      default:
        return undefined;
    }
  }

  #causeOf(o: AttemptOptions): AbortCause {
    if (o.crash.aborted) return 'crash';
    if (this.#ctl.signal.aborted && this.#cause) return this.#cause;
    return 'lease';
  }
}

function outcomeError(outcome: Outcome): string | undefined {
  return outcome.kind === 'error' || outcome.kind === 'non-retriable' ? outcome.message : undefined;
}
