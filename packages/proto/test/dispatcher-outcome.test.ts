import { Metadata, status as GrpcCode } from '@grpc/grpc-js';
import type { Outcome } from '@recon/core';
import { describe, expect, it } from 'vitest';
import {
  grpcError,
  grpcResultToOutcome,
  nonRetriableError,
  ProcessResponse,
  statusDetailsKey,
} from '../src/index.ts';

const ok = (fields: Partial<ProcessResponse>) => ({
  response: { ...ProcessResponse.create(), ...fields },
});

describe('grpcResultToOutcome', () => {
  it('OK, nothing set → success without follow-ups', () => {
    expect(grpcResultToOutcome(ok({}))).toEqual({ kind: 'success' });
  });

  it('OK with queue_keys → success with follow-ups (seconds → ms)', () => {
    expect(
      grpcResultToOutcome(
        ok({
          queueKeys: [
            { key: 'a', priority: 3, delaySeconds: 0 },
            { key: 'b', priority: 0, delaySeconds: 2 },
          ],
        }),
      ),
    ).toEqual({
      kind: 'success',
      followUps: [
        { key: 'a', priority: 3 },
        { key: 'b', priority: 0, delayMs: 2000 },
      ],
    });
  });

  it('requeue_after_ms > 0 wins over the seconds field', () => {
    expect(grpcResultToOutcome(ok({ requeueAfterMs: 250, requeueAfterSeconds: 1 }))).toEqual({
      kind: 'requeue-after',
      delayMs: 250,
      floor: false,
    });
  });

  it('requeue_after_seconds > 0 (a Go reconciler) → requeue-after, floor carried', () => {
    expect(grpcResultToOutcome(ok({ requeueAfterSeconds: 30, requeueFloor: true }))).toEqual({
      kind: 'requeue-after',
      delayMs: 30_000,
      floor: true,
    });
  });

  it('queue_keys are ignored when requeueing (original behaviour)', () => {
    const outcome = grpcResultToOutcome(
      ok({ requeueAfterSeconds: 5, queueKeys: [{ key: 'ignored', priority: 0, delaySeconds: 0 }] }),
    );
    expect(outcome).toEqual({ kind: 'requeue-after', delayMs: 5000, floor: false });
  });

  it('NoRetryDetails → non-retriable with its message, whatever the code', () => {
    expect(grpcResultToOutcome({ error: nonRetriableError('gone for good') })).toEqual({
      kind: 'non-retriable',
      message: 'gone for good',
    });
    const asInvalid = nonRetriableError('x');
    asInvalid.code = GrpcCode.INVALID_ARGUMENT;
    expect(grpcResultToOutcome({ error: asInvalid }).kind).toBe('non-retriable');
  });

  it('an empty NoRetryDetails message falls back to the status message', () => {
    const error = nonRetriableError('');
    error.details = 'status text';
    expect(grpcResultToOutcome({ error })).toEqual({
      kind: 'non-retriable',
      message: 'status text',
    });
  });

  it.each([
    GrpcCode.INVALID_ARGUMENT,
    GrpcCode.UNAVAILABLE,
    GrpcCode.DEADLINE_EXCEEDED,
    GrpcCode.UNKNOWN,
    GrpcCode.INTERNAL,
    GrpcCode.NOT_FOUND,
    GrpcCode.FAILED_PRECONDITION,
    GrpcCode.CANCELLED,
    GrpcCode.PERMISSION_DENIED,
    GrpcCode.UNAUTHENTICATED,
  ])('any other status (%d) → error, retried', (code) => {
    const outcome = grpcResultToOutcome({ error: grpcError(code, 'nope') });
    expect(outcome.kind).toBe('error');
    expect(outcome).toMatchObject({ message: expect.stringContaining('nope') as unknown });
  });

  it('garbage in grpc-status-details-bin is an ordinary error', () => {
    const metadata = new Metadata();
    metadata.set(statusDetailsKey, Buffer.from([0xff, 0xff, 0xff]));
    expect(grpcResultToOutcome({ error: grpcError(GrpcCode.UNKNOWN, 'x', metadata) }).kind).toBe(
      'error',
    );
  });

  it('an error wins over a response; neither is an error', () => {
    expect(
      grpcResultToOutcome({ ...ok({}), error: grpcError(GrpcCode.UNAVAILABLE, 'x') }).kind,
    ).toBe('error');
    expect(grpcResultToOutcome({}).kind).toBe('error');
  });

  it('inverts outcomeToGrpc for every outcome that crosses the wire', async () => {
    const { outcomeToGrpc } = await import('../src/index.ts');
    const outcomes: Outcome[] = [
      { kind: 'success' },
      { kind: 'success', followUps: [{ key: 'f', priority: 1, delayMs: 3000 }] },
      { kind: 'requeue-after', delayMs: 1234, floor: true },
      { kind: 'non-retriable', message: 'm' },
    ];
    for (const outcome of outcomes) {
      expect(grpcResultToOutcome(outcomeToGrpc(outcome))).toEqual(outcome);
    }
  });
});
