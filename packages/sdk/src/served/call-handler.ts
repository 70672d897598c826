/**
 * One Process call to a served reconciler, from request to reply.
 *
 * - The context comes from the request: `attempt`, `max_attempts` and `deadline_unix_ms` (ext)
 *   when the dispatcher sent them, defaults otherwise (a Go dispatcher sends key and priority).
 * - The deadline is the earlier of the gRPC call deadline and `deadline_unix_ms`; when it passes
 *   (or the caller cancels) the reconcile's signal aborts. A handler that then keeps running is
 *   abandoned after the grace period and the call answers a retryable DEADLINE_EXCEEDED.
 * - A drain aborts the signal too, and the call answers `requeue_after` 15–45 s, whatever the
 *   handler does, once it returns or the grace period ends: an orderly shutdown costs no attempt.
 * - Every failure of the reconcile (sync throw, rejection, thrown non-Error) is isolated into a
 *   retryable status by `runAttempt`; the reply is built by `outcomeToGrpc`, the one mapping.
 */
import {
  type handleUnaryCall,
  type ServerUnaryCall,
  type ServiceError,
  status as GrpcCode,
} from '@grpc/grpc-js';
import type { Clock, Outcome } from '@recon/core';
import { grpcError, outcomeToGrpc, type ProcessRequest, type ProcessResponse } from '@recon/proto';
import type { ReconEvent } from '../context.ts';
import { createContext } from '../context.ts';
import type { ActionLimiter } from '../limits/action-limiter.ts';
import type { Logger } from '../logger.ts';
import { messageOf } from '../outcomes.ts';
import { type Reconciler, runAttempt } from '../reconciler.ts';
import type { InFlightCalls } from './in-flight.ts';
import type { CallOutcomeLabel, ServeMetrics } from './metrics.ts';

export interface CallHandlerOptions {
  reconciler: Reconciler;
  clock: Clock;
  logger: Logger;
  limiter: ActionLimiter;
  metrics: ServeMetrics;
  inFlight: InFlightCalls;
  /** A drain has begun: new calls are answered with the drain requeue straight away. */
  isDraining: () => boolean;
  /** How long a handler may run after its signal aborted. */
  graceMs: number;
  /** The drain requeue delay (15–45 s). */
  drainDelayMs: () => number;
  emit: (event: ReconEvent) => Promise<void>;
  random: () => number;
}

type Ending = { kind: 'finished'; outcome: Outcome; thrown?: unknown } | { kind: 'abandoned' };

export function createProcessHandler(
  options: CallHandlerOptions,
): handleUnaryCall<ProcessRequest, ProcessResponse> {
  return (call, callback) => {
    const startedAt = performance.now();
    let replied = false;
    const reply = (
      label: CallOutcomeLabel,
      error: ServiceError | null,
      response?: ProcessResponse,
    ) => {
      if (replied) return;
      replied = true;
      options.metrics.observe(label, performance.now() - startedAt);
      if (error) callback(error);
      else callback(null, response);
    };
    const drainReply = () => {
      const outcome: Outcome = {
        kind: 'requeue-after',
        delayMs: options.drainDelayMs(),
        floor: false,
      };
      reply('drained', null, outcomeToGrpc(outcome).response);
    };

    if (options.isDraining()) return drainReply();
    const request = call.request;
    if (!request.key) {
      const { error } = outcomeToGrpc({ kind: 'non-retriable', message: 'key: must not be empty' });
      return reply('non_retriable', error ?? null);
    }
    void handleCall(call, options, reply, drainReply);
  };
}

async function handleCall(
  call: ServerUnaryCall<ProcessRequest, ProcessResponse>,
  options: CallHandlerOptions,
  reply: (label: CallOutcomeLabel, error: ServiceError | null, response?: ProcessResponse) => void,
  drainReply: () => void,
): Promise<void> {
  const { clock, logger } = options;
  const request = call.request;
  const abort = new AbortController();
  const stopTimers = new AbortController();
  let cause: 'drain' | 'deadline' | 'cancelled' | undefined;
  const stop = (why: 'drain' | 'deadline' | 'cancelled') => {
    if (abort.signal.aborted) return;
    cause = why;
    abort.abort(new Error(`reconcile aborted: ${why}`));
  };
  call.on('cancelled', () => stop('cancelled'));

  const deadline = effectiveDeadline(call, request);
  if (deadline !== undefined) {
    const leftMs = deadline - clock.now();
    // Already past: abort at once (a fake clock would park even a zero-length sleep).
    if (leftMs <= 0) stop('deadline');
    else
      void clock.sleep(leftMs, stopTimers.signal).then(() => {
        if (!stopTimers.signal.aborted) stop('deadline');
      });
  }

  let markAnswered!: () => void;
  const answered = new Promise<void>((r) => (markAnswered = r));
  const untrack = options.inFlight.add({ drain: () => stop('drain'), answered });

  const ctx = createContext({
    key: request.key,
    signal: abort.signal,
    attempt: request.attempt,
    maxAttempts: request.maxAttempts,
    priority: request.priority,
    deadline,
    logger,
    clock,
    limiter: options.limiter,
    emit: options.emit,
  });

  try {
    const attempt = runAttempt(options.reconciler, ctx, { random: options.random }).then(
      (a): Ending => ({ kind: 'finished', outcome: a.outcome, thrown: a.thrown }),
    );
    // Once the signal aborts, the handler gets `graceMs` to return before it is abandoned.
    const abandoned = new Promise<Ending>((resolve) => {
      const onAbort = () => {
        void clock
          .sleep(options.graceMs, stopTimers.signal)
          .then(() => resolve({ kind: 'abandoned' }));
      };
      if (abort.signal.aborted) onAbort();
      else abort.signal.addEventListener('abort', onAbort, { once: true });
    });
    const ending = await Promise.race([attempt, abandoned]);

    if (cause === 'drain') {
      ctx.logger.info('drained', { abandoned: ending.kind === 'abandoned' });
      return drainReply();
    }
    if (ending.kind === 'abandoned') {
      ctx.logger.warn('reconcile ignored its signal; abandoned', {
        cause,
        graceMs: options.graceMs,
      });
      const message =
        cause === 'deadline'
          ? 'reconcile exceeded its deadline'
          : `reconcile abandoned (${cause ?? 'aborted'})`;
      return reply('deadline_exceeded', grpcError(GrpcCode.DEADLINE_EXCEEDED, message));
    }
    const { outcome } = ending;
    logOutcome(ctx.logger, outcome, ending.thrown);
    const mapped = outcomeToGrpc(outcome);
    reply(labelOf(outcome), mapped.error ?? null, mapped.response);
  } catch (err) {
    // Only a bug of ours lands here (runAttempt never rejects); still answer, retryably.
    ctx.logger.error('served call failed', { error: messageOf(err) });
    reply('error', grpcError(GrpcCode.INTERNAL, `served call failed: ${messageOf(err)}`));
  } finally {
    stopTimers.abort();
    untrack();
    markAnswered();
  }
}

/** The earlier of the gRPC deadline and the ext `deadline_unix_ms`; undefined when neither is set. */
function effectiveDeadline(
  call: ServerUnaryCall<ProcessRequest, ProcessResponse>,
  request: ProcessRequest,
): number | undefined {
  const grpcDeadline = call.getDeadline();
  const fromCall = grpcDeadline instanceof Date ? grpcDeadline.getTime() : grpcDeadline;
  const candidates = [fromCall, request.deadlineUnixMs > 0 ? request.deadlineUnixMs : Infinity];
  const deadline = Math.min(...candidates.filter((d) => Number.isFinite(d)));
  return Number.isFinite(deadline) ? deadline : undefined;
}

function labelOf(outcome: Outcome): CallOutcomeLabel {
  switch (outcome.kind) {
    case 'success':
      return 'success';
    case 'requeue-after':
      return 'requeue_after';
    case 'non-retriable':
      return 'non_retriable';
    case 'error':
      return 'error';
    case 'shutdown':
      return 'drained';
  }
}

function logOutcome(logger: Logger, outcome: Outcome, thrown: unknown): void {
  switch (outcome.kind) {
    case 'error':
      logger.warn('reconcile failed; will retry', {
        outcome: outcome.kind,
        error: messageOf(thrown ?? outcome.message),
      });
      return;
    case 'non-retriable':
      logger.warn('reconcile failed permanently', {
        outcome: outcome.kind,
        error: outcome.message,
      });
      return;
    default:
      logger.debug('reconciled', { outcome: outcome.kind });
  }
}
