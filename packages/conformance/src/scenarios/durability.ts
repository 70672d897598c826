import { expect, it } from 'vitest';
import { KeyStatus } from '@recon/core';
import { listLimit } from '../factory.ts';
import type { ConformanceFactory } from '../factory.ts';
import type { Harness } from '../harness.ts';

/** Scenario 24: a second instance on the same store sees the first one's writes. */
export function durabilityScenarios(h: Harness, factory: ConformanceFactory): void {
  const title =
    '24. Durability: queue on one instance, a second instance on the same store sees it';
  it.skipIf(!factory.reopen)(
    factory.reopen ? title : `${title} (skipped: the factory has no reopen)`,
    async () => {
      await h.enqueue('foo', { priority: 3 });
      const second = await h.reopen();
      expect(second).toBeDefined();
      const other = second!;
      expect(await other.getKeyState('foo')).toMatchObject({
        status: KeyStatus.QUEUED,
        priority: 3,
      });

      const listed = (await other.listEligible(listLimit)).keys;
      expect(listed.map((k) => k.key)).toEqual(['foo']);
      const owned = await other.start(listed[0]!, 'owner-b');
      expect(owned).toBeDefined();
      expect((await h.state('foo'))?.status).toBe(KeyStatus.IN_PROGRESS);

      // A twin written through the first handle is seen through the second, and the reverse.
      await h.enqueue('foo');
      expect((await other.list(KeyStatus.QUEUED)).entries.map((e) => e.key)).toEqual(['foo']);
      await owned!.complete();
      expect((await h.state('foo'))?.status).toBe(KeyStatus.QUEUED);
      await h.finish();
      expect((await other.stats()).queued).toBe(0);
    },
  );
}
