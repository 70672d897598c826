import { describe, expect, it } from 'vitest';
import { FakeClock } from '../src/index.ts';

describe('FakeClock', () => {
  it('wakes sleepers in time order only when advanced', async () => {
    const clock = new FakeClock(0);
    const woke: string[] = [];
    void clock.sleep(200).then(() => woke.push('b'));
    void clock.sleep(100).then(() => woke.push('a'));
    await clock.advance(150);
    expect(woke).toEqual(['a']);
    await clock.advance(50);
    expect(woke).toEqual(['a', 'b']);
    expect(clock.now()).toBe(200);
  });
  it('resolves a sleeper early on abort and forgets it', async () => {
    const clock = new FakeClock(0);
    const ac = new AbortController();
    const p = clock.sleep(1000, ac.signal);
    ac.abort();
    await p;
    expect(clock.pendingTimers).toBe(0);
  });
});
