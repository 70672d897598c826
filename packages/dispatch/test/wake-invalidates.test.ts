import { FakeClock, type WorkqueueBackend } from '@recon/core';
import { MemoryBackend } from '@recon/workqueue-memory';
import { describe, expect, it } from 'vitest';
import { createDispatchLoop } from '../src/index.ts';

describe('wakes from outside', () => {
  it('ask a snapshot-serving backend to list afresh, but not the loop own wakes', async () => {
    const clock = new FakeClock();
    const memory = new MemoryBackend({ clock });
    let invalidations = 0;
    const queue: WorkqueueBackend = Object.assign(Object.create(memory) as WorkqueueBackend, {
      invalidateListing: () => {
        invalidations++;
      },
    });
    const loop = createDispatchLoop({ queue, clock, process: async () => ({ kind: 'success' }) });
    loop.start();
    loop.wake('notification');
    loop.wake('scheduler');
    loop.wake('local');
    expect(invalidations).toBe(3);
    loop.wake('poll');
    loop.wake('timer');
    expect(invalidations).toBe(3);
    await loop.stop();
  });
});
