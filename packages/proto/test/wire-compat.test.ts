import { fromBinary, toBinary, create } from '@bufbuild/protobuf';
import { describe, expect, it } from 'vitest';
import { KeyState, KeyState_Status, ProcessRequest, ProcessResponse } from '../src/index.ts';
import { Upstream } from './upstream-schema.ts';

const bytes = (fns: { encode(m: never): { finish(): Uint8Array } }, m: unknown) =>
  fns.encode(m as never).finish();

describe('round trip through our generated code', () => {
  it('ProcessRequest keeps every field, ext included', () => {
    const request: ProcessRequest = {
      key: 'https://github.com/o/r/pull/7 — ü',
      priority: -2_147_483_648,
      delaySeconds: 30,
      attempt: 97,
      maxAttempts: 100,
      deadlineUnixMs: 1_790_000_000_123,
    };
    expect(ProcessRequest.decode(bytes(ProcessRequest, request))).toEqual(request);
  });

  it('ProcessResponse keeps follow-ups, floor and the ms delay', () => {
    const response: ProcessResponse = {
      requeueAfterSeconds: 1,
      requeueAfterMs: 250,
      requeueFloor: true,
      queueKeys: [
        { key: 'a', priority: 5, delaySeconds: 0 },
        { key: 'b', priority: 0, delaySeconds: 60 },
      ],
    };
    expect(ProcessResponse.decode(bytes(ProcessResponse, response))).toEqual(response);
  });

  it('KeyState keeps the status enum as a number', () => {
    const state: KeyState = {
      key: 'k',
      status: KeyState_Status.DEAD_LETTER,
      priority: 7,
      attempts: 100,
      queuedTime: 1_790_000_000,
      notBeforeTime: 0,
    };
    expect(KeyState.decode(bytes(KeyState, state))).toEqual(state);
    expect(KeyState_Status).toMatchObject({
      UNKNOWN: 0,
      QUEUED: 1,
      IN_PROGRESS: 2,
      DEAD_LETTER: 3,
    });
  });

  it('encodes ext fields under numbers 100+ (tags 800, 808, 816; response 800)', () => {
    const hex = Buffer.from(
      bytes(ProcessRequest, {
        ...ProcessRequest.create(),
        key: 'a',
        attempt: 1,
        maxAttempts: 2,
        deadlineUnixMs: 3,
      }),
    ).toString('hex');
    // key=1 "a"; attempt=100 → tag varint 0xa006; max_attempts=101 → 0xa806; deadline=102 → 0xb006.
    expect(hex).toBe('0a0161' + 'a00601' + 'a80602' + 'b00603');
    const response = Buffer.from(
      bytes(ProcessResponse, {
        ...ProcessResponse.create(),
        requeueAfterSeconds: 1,
        requeueAfterMs: 500,
      }),
    ).toString('hex');
    expect(response).toBe('0801' + 'a006f403');
  });
});

describe('a peer that knows only the upstream schema (protobuf-es, no ext fields)', () => {
  it('reads our ProcessRequest and skips the ext fields', () => {
    const ours = bytes(ProcessRequest, {
      key: 'foo',
      priority: 1000,
      delaySeconds: 5,
      attempt: 3,
      maxAttempts: 100,
      deadlineUnixMs: 1_790_000_000_000,
    });
    const theirs = fromBinary(Upstream.ProcessRequest, ours) as unknown as Record<string, unknown>;
    expect(theirs['key']).toBe('foo');
    expect(theirs['priority']).toBe(1000n);
    expect(theirs['delaySeconds']).toBe(5n);
    expect(Object.keys(theirs)).not.toContain('attempt');
    // And, like Go, it keeps them as unknown fields: re-encoding passes them through intact.
    expect(Buffer.from(toBinary(Upstream.ProcessRequest, theirs as never))).toEqual(
      Buffer.from(ours),
    );
  });

  it('reads our ProcessResponse: seconds, follow-ups and floor, ignoring requeue_after_ms', () => {
    const ours = bytes(ProcessResponse, {
      requeueAfterSeconds: 1,
      requeueAfterMs: 250,
      requeueFloor: true,
      queueKeys: [{ key: 'x', priority: 2, delaySeconds: 3 }],
    });
    const theirs = fromBinary(Upstream.ProcessResponse, ours) as unknown as Record<string, unknown>;
    expect(theirs['requeueAfterSeconds']).toBe(1n);
    expect(theirs['requeueFloor']).toBe(true);
    expect((theirs['queueKeys'] as Array<Record<string, unknown>>)[0]).toMatchObject({
      key: 'x',
      priority: 2n,
      delaySeconds: 3n,
    });
  });

  it('what it writes, we read, with ext fields at their zero values', () => {
    const theirs = create(Upstream.ProcessRequest, {
      key: 'bar',
      priority: 7n,
      delaySeconds: 60n,
    } as never);
    expect(ProcessRequest.decode(toBinary(Upstream.ProcessRequest, theirs))).toEqual({
      key: 'bar',
      priority: 7,
      delaySeconds: 60,
      attempt: 0,
      maxAttempts: 0,
      deadlineUnixMs: 0,
    });
    const state = create(Upstream.KeyState, {
      key: 'k',
      status: 2,
      priority: 1n,
      attempts: 4,
      queuedTime: 10n,
      notBeforeTime: 20n,
    } as never);
    expect(KeyState.decode(toBinary(Upstream.KeyState, state))).toEqual({
      key: 'k',
      status: KeyState_Status.IN_PROGRESS,
      priority: 1,
      attempts: 4,
      queuedTime: 10,
      notBeforeTime: 20,
    });
  });
});
