/** GCS operations per processed key, read from the emulator's billing counters. */
import { describe, expect, it } from 'vitest';
import { FakeClock } from '@recon/core';
import { benchGcsOpsPerKey } from '../src/index.ts';
import { useEmulator } from './emulator.ts';
import type { OperationCounters } from './emulator.ts';

const fx = useEmulator();

function diff(after: OperationCounters, before: OperationCounters) {
  const op = (name: string) => (after.byOperation[name] ?? 0) - (before.byOperation[name] ?? 0);
  return {
    classA: after.classA - before.classA,
    classB: after.classB - before.classB,
    deletes: after.delete - before.delete,
    inserts: op('objects.insert'),
    copies: op('objects.rewrite') + op('objects.copy'),
    patches: op('objects.patch'),
    lists: op('objects.list'),
  };
}

describe('operation budget', { timeout: 60_000 }, () => {
  it('a key processed on its first attempt: 1 insert, 1 copy, 2 deletes, no get, no patch, a small listing share', async () => {
    const b = fx.backend({ clock: new FakeClock() });
    const keys = 120;
    const before = fx.emulator.counters();
    for (let i = 0; i < keys; i++) await b.enqueue({ key: `k${i}` });
    let processed = 0;
    while (processed < keys) {
      const { keys: listed } = await b.listEligible(40);
      for (const k of listed) {
        const owned = await b.start(k, 'me');
        if (!owned) continue;
        await owned.complete();
        processed++;
      }
    }
    const d = diff(fx.emulator.counters(), before);
    expect(d).toMatchObject({
      inserts: keys,
      copies: keys,
      deletes: 2 * keys,
      classB: 0,
      patches: 0,
    });
    expect(d.classA / keys).toBeLessThanOrEqual(2.2);
  });

  it('a duplicate enqueue that changes nothing costs one get and no write', async () => {
    const b = fx.backend();
    await b.enqueue({ key: 'k' });
    const before = fx.emulator.counters();
    await b.enqueue({ key: 'k' });
    expect(diff(fx.emulator.counters(), before)).toMatchObject({
      classA: 0,
      classB: 1,
      deletes: 0,
    });
  });

  it('benchGcsOpsPerKey stays within the budget (≤ 2.2 class A, ≤ 2 deletes, ≤ 0.5 class B per key)', async () => {
    const result = await benchGcsOpsPerKey({ emulatorUrl: fx.url, depth: 400, concurrency: 20 });
    expect(result.classAPerKey).toBeLessThanOrEqual(2.2);
    expect(result.deletesPerKey).toBeLessThanOrEqual(2);
    expect(result.classBPerKey).toBeLessThanOrEqual(0.5);
    expect(result.keysPerSecond).toBeGreaterThan(0);
    expect(result.perKeyByOperation['objects.insert']).toBe(1);
  });
});
