import { InvalidArgumentError, UnavailableError, type Clock } from '@recon/core';
import { MemoryBackend } from '@recon/workqueue-memory';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { receiverEnqueuePort } from '../src/index.ts';
import { startTestReceiver, type TestReceiver } from './support/test-receiver.ts';

/** Sleeps return at once: the client's UNAVAILABLE retries cost no real time. */
const instantClock: Clock = { now: () => Date.now(), sleep: async () => {} };

describe('receiverEnqueuePort over a real gRPC receiver', () => {
  let queue: MemoryBackend;
  let receiver: TestReceiver;
  beforeAll(async () => {
    queue = new MemoryBackend();
    receiver = await startTestReceiver(queue);
  });
  afterAll(async () => {
    await receiver.close();
    await queue.close();
  });

  it('enqueues with priority, rounding a sub-second delay up to whole seconds', async () => {
    const port = receiverEnqueuePort(receiver.url, { clock: instantClock });
    const before = Date.now();
    await port.enqueue({ key: 'https://github.com/o/r/pull/1', priority: 100, delayMs: 1500 });
    const state = await queue.getKeyState('https://github.com/o/r/pull/1');
    expect(state).toMatchObject({ status: 'QUEUED', priority: 100 });
    expect(state!.notBefore).toBeGreaterThanOrEqual(before + 2000);
    expect(await port.getKeyState('https://github.com/o/r/pull/1')).toMatchObject({
      status: 'QUEUED',
      priority: 100,
    });
    expect(await port.getKeyState('unknown')).toBeUndefined();
    port.close();
  });

  it('rejects a bad key as InvalidArgumentError, locally and from the receiver', async () => {
    const port = receiverEnqueuePort(receiver.url, { clock: instantClock });
    const calls = receiver.calls;
    await expect(port.enqueue({ key: '' })).rejects.toSatisfy((e) => InvalidArgumentError.is(e));
    expect(receiver.calls).toBe(calls);
    await expect(port.enqueue({ key: 'x'.repeat(2000) })).rejects.toSatisfy((e) =>
      InvalidArgumentError.is(e),
    );
    expect(receiver.calls).toBe(calls);
    receiver.rejectKey = (key) => key.startsWith('bad:');
    try {
      await expect(port.enqueue({ key: 'bad:1' })).rejects.toSatisfy(
        (e) => InvalidArgumentError.is(e) && e.field === 'key',
      );
      expect(receiver.calls).toBe(calls + 1);
    } finally {
      receiver.rejectKey = () => false;
      port.close();
    }
  });

  it('reports an unavailable receiver as UnavailableError after bounded retries', async () => {
    const port = receiverEnqueuePort(receiver.url, { clock: instantClock, enqueueAttempts: 3 });
    receiver.down = true;
    const calls = receiver.calls;
    try {
      await expect(port.enqueue({ key: 'k' })).rejects.toSatisfy((e) => UnavailableError.is(e));
      expect(receiver.calls - calls).toBe(3);
    } finally {
      receiver.down = false;
      port.close();
    }
  });

  it('reports a receiver that is not listening as UnavailableError', async () => {
    const port = receiverEnqueuePort('http://127.0.0.1:1', {
      clock: instantClock,
      enqueueAttempts: 1,
    });
    await expect(port.enqueue({ key: 'k' })).rejects.toSatisfy((e) => UnavailableError.is(e));
    port.close();
  });
});
