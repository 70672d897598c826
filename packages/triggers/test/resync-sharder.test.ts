import { FakeClock, InvalidArgumentError } from '@recon/core';
import { MemoryBackend } from '@recon/workqueue-memory';
import { describe, expect, it } from 'vitest';
import { createResyncSharder, minuteOfPeriod, periodStartOf } from '../src/index.ts';
import { RecordingPort } from './support/ports.ts';

const hour = 3_600_000;

describe('resync slots', () => {
  it('are stable within a period and reshuffled across periods', () => {
    const start = periodStartOf(Date.UTC(2026, 0, 1, 7, 30), 6 * hour);
    expect(start).toBe(Date.UTC(2026, 0, 1, 6));
    const keys = Array.from({ length: 200 }, (_, i) => `key-${i}`);
    const a = keys.map((k) => minuteOfPeriod(k, start, 6 * hour));
    expect(keys.map((k) => minuteOfPeriod(k, start, 6 * hour))).toEqual(a);
    expect(a.every((m) => m >= 0 && m < 360)).toBe(true);
    const next = keys.map((k) => minuteOfPeriod(k, start + 6 * hour, 6 * hour));
    expect(next).not.toEqual(a);
  });
});

describe('createResyncSharder', () => {
  it('enqueues the keys of the tick window with the delay left to their minute', async () => {
    const clock = new FakeClock(Date.UTC(2026, 0, 1, 6, 0, 30));
    const port = new RecordingPort(new MemoryBackend({ clock }));
    const keys = Array.from({ length: 600 }, (_, i) => `k${i}`);
    const sharder = createResyncSharder({
      // An async iterable source, with a duplicate that must not double-enqueue.
      listKeys: async function* () {
        yield* keys;
        yield 'k0';
      },
      periodMs: hour,
      tickMs: 10 * 60_000,
      enqueue: port,
      clock,
      priority: 3,
    });
    const tick = await sharder.tick();
    expect(tick).toMatchObject({
      windowStart: Date.UTC(2026, 0, 1, 6),
      windowEnd: Date.UTC(2026, 0, 1, 6, 10),
      listed: 600,
    });
    expect(tick.due).toBe(port.calls.length);
    expect(tick.enqueued).toBe(tick.due);
    expect(tick.due).toBeGreaterThan(50);
    for (const call of port.calls) {
      const at = sharder.dueAt(call.key, clock.now());
      expect(at).toBeGreaterThanOrEqual(tick.windowStart);
      expect(at).toBeLessThan(tick.windowEnd);
      expect(call.delayMs).toBe(Math.max(0, at - clock.now()));
      expect(call.priority).toBe(3);
    }
    expect(port.calls.some((c) => (c.delayMs ?? 0) > 0)).toBe(true);
  });

  it('reports unavailable and invalid keys instead of throwing', async () => {
    const clock = new FakeClock(Date.UTC(2026, 0, 1));
    const port = new RecordingPort(new MemoryBackend({ clock }));
    const keys = ['a', 'b', '', 'c', ...Array.from({ length: 96 }, (_, i) => `k${i}`)];
    const sharder = createResyncSharder({
      listKeys: async () => keys,
      periodMs: 60_000,
      enqueue: port,
      clock,
      concurrency: 4,
    });
    port.down = true;
    const down = await sharder.tick();
    expect(down).toMatchObject({ due: 100, enqueued: 0 });
    expect(down.failed).toHaveLength(99);
    expect(down.dropped.map((f) => f.key)).toEqual(['']);
    // The queue was tried by the first few calls only, then the window failed fast.
    expect(port.failedCalls.length).toBeLessThanOrEqual(4);
    port.down = false;
    expect(await sharder.tick()).toMatchObject({ enqueued: 99, failed: [] });
  });

  it('validates its period and tick', () => {
    const make = (periodMs: number, tickMs?: number) => () =>
      createResyncSharder({
        listKeys: async () => [],
        periodMs,
        enqueue: new MemoryBackend(),
        ...(tickMs ? { tickMs } : {}),
      });
    expect(make(30_000)).toThrow(InvalidArgumentError);
    expect(make(hour, 7 * 60_000)).toThrow(/must divide periodMs/);
    expect(make(hour, 90_000)).toThrow(/whole number of minutes/);
  });
});
