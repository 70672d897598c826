import { describe, expect, it } from 'vitest';
import { harness, runUntilIdle } from './support/harness.ts';

describe('events', () => {
  it('reports passes, counts and attempt lifecycle', async () => {
    const h = harness();
    await h.queue.enqueue({ key: 'a' });
    await h.queue.enqueue({ key: 'later', delayMs: 60_000 });
    await runUntilIdle(h);
    expect(h.log.passes[0]).toMatchObject({ listed: 1, started: 1 });
    expect(h.log.counts).toContainEqual(expect.objectContaining({ queued: 2, waiting: 1 }));
    expect(h.log.starts).toMatchObject([{ key: 'a', attempt: 1, priority: 0 }]);
    expect(h.log.outcomes).toMatchObject([{ key: 'a', action: { label: 'success' } }]);
  });

  it('a throwing hook is reported to onError and changes nothing else', async () => {
    const errors: string[] = [];
    const h = harness({
      events: {
        onOutcome: () => {
          throw new Error('metrics broke');
        },
        onTrigger: () => {
          throw new Error('also broke');
        },
        onError: (info) => errors.push(info.where),
      },
    });
    await h.queue.enqueue({ key: 'a' });
    await runUntilIdle(h);
    expect(await h.queue.getKeyState('a')).toBeUndefined();
    expect(errors).toContain('events.onOutcome');
    expect(errors).toContain('events.onTrigger');
  });

  it('a throwing onError is swallowed', async () => {
    const h = harness({
      events: {
        onError: () => {
          throw new Error('nowhere to go');
        },
      },
    });
    h.queue.fail('listEligible');
    await h.queue.enqueue({ key: 'a' });
    await runUntilIdle(h);
    expect(await h.queue.getKeyState('a')).toBeUndefined();
  });

  it('idle() resolves with only future keys queued, and waits for work in flight', async () => {
    const h = harness();
    await h.queue.enqueue({ key: 'future', delayMs: 3_600_000 });
    await runUntilIdle(h);
    expect(h.log.outcomes).toHaveLength(0);
    expect(h.loop.inFlight).toBe(0);
  });
});
