import { status as GrpcCode } from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import {
  findStatusDetail,
  messageNames,
  NoRetryDetails,
  outcomeToGrpc,
  readStatusDetails,
  statusDetailsKey,
} from '../src/index.ts';

describe('outcomeToGrpc', () => {
  it('success → empty OK response', () => {
    expect(outcomeToGrpc({ kind: 'success' })).toEqual({
      response: { requeueAfterSeconds: 0, requeueAfterMs: 0, requeueFloor: false, queueKeys: [] },
    });
  });

  it('success with follow-ups → queue_keys, delays rounded up to whole seconds', () => {
    const { response } = outcomeToGrpc({
      kind: 'success',
      followUps: [{ key: 'a' }, { key: 'b', priority: 9, delayMs: 1500 }, { key: 'c', delayMs: 1 }],
    });
    expect(response?.queueKeys).toEqual([
      { key: 'a', priority: 0, delaySeconds: 0 },
      { key: 'b', priority: 9, delaySeconds: 2 },
      { key: 'c', priority: 0, delaySeconds: 1 },
    ]);
    expect(response?.requeueAfterSeconds).toBe(0);
  });

  it.each([
    [250, 250, 1],
    [999.2, 1000, 1],
    [1000, 1000, 1],
    [1001, 1001, 2],
    [300_000, 300_000, 300],
    [0, 1, 1],
    [-5, 1, 1],
  ])('requeue-after %d ms → requeue_after_ms %d and requeue_after_seconds %d', (delayMs, ms, s) => {
    const { response } = outcomeToGrpc({ kind: 'requeue-after', delayMs, floor: false });
    expect(response).toEqual({
      requeueAfterMs: ms,
      requeueAfterSeconds: s,
      requeueFloor: false,
      queueKeys: [],
    });
  });

  it('requeue-after keeps the floor flag', () => {
    expect(
      outcomeToGrpc({ kind: 'requeue-after', delayMs: 5000, floor: true }).response?.requeueFloor,
    ).toBe(true);
  });

  it('non-retriable → UNKNOWN carrying NoRetryDetails in grpc-status-details-bin', () => {
    const { error, response } = outcomeToGrpc({ kind: 'non-retriable', message: 'repo deleted' });
    expect(response).toBeUndefined();
    expect(error?.code).toBe(GrpcCode.UNKNOWN);
    expect(error?.details).toBe('repo deleted');
    expect(error?.metadata.get(statusDetailsKey)).toHaveLength(1);
    const status = readStatusDetails(error?.metadata);
    // The status in the trailer must agree with the call's own code and message (grpc-go checks).
    expect(status).toMatchObject({ code: GrpcCode.UNKNOWN, message: 'repo deleted' });
    expect(status?.details.map((d) => d.typeUrl)).toEqual([
      'type.googleapis.com/chainguard.workqueue.NoRetryDetails',
    ]);
    expect(findStatusDetail(error?.metadata, messageNames.noRetryDetails, NoRetryDetails)).toEqual({
      message: 'repo deleted',
    });
  });

  it('error → UNKNOWN without details (retried)', () => {
    const { error } = outcomeToGrpc({ kind: 'error', message: 'boom' });
    expect(error?.code).toBe(GrpcCode.UNKNOWN);
    expect(error?.details).toBe('boom');
    expect(error?.metadata.get(statusDetailsKey)).toEqual([]);
  });

  it('shutdown → UNAVAILABLE (retried)', () => {
    expect(outcomeToGrpc({ kind: 'shutdown' }).error?.code).toBe(GrpcCode.UNAVAILABLE);
  });
});
