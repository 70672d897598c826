import { expect, it } from 'vitest';
import type { Harness } from '../harness.ts';

/** A delay long enough to tell "hidden" from "visible" on the fake clock. */
const d = 10_000;

/** Scenarios 9–16: notBefore, the earliest-wins rule and floors. */
export function notBeforeScenarios(h: Harness): void {
  /** Hidden until exactly `at`, visible from then on. */
  async function expectHiddenUntil(key: string, at: number): Promise<void> {
    expect(await h.eligible()).not.toContain(key);
    await h.clock.set(at - 1);
    expect(await h.eligible(), `${key} before its notBefore`).not.toContain(key);
    await h.clock.set(at);
    expect(await h.eligible(), `${key} at its notBefore`).toContain(key);
  }

  it('9. notBefore: hidden until it passes; queueing at +d again does not hide it', async () => {
    await h.enqueue('foo', { delayMs: d });
    const at = h.clock.now() + d;
    const listing = await h.listing();
    expect(listing.keys).toEqual([]);
    expect(listing.nextNotBefore).toBe(at);
    expect((await h.state('foo'))?.notBefore).toBe(at);
    await expectHiddenUntil('foo', at);
    expect(await h.enqueue('foo', { delayMs: d })).toBe('deduped');
    expect(await h.eligible()).toEqual(['foo']);
    await h.finish();
  });

  it('10. notBefore with priorities: foo; bar p=1000 at +d → [foo]; after d → [bar, foo]', async () => {
    await h.enqueue('foo');
    await h.tick();
    await h.enqueue('bar', { priority: 1000, delayMs: d });
    const at = h.clock.now() + d;
    expect(await h.eligible()).toEqual(['foo']);
    await h.clock.set(at);
    expect(await h.eligible()).toEqual(['bar', 'foo']);
    await h.finish();
  });

  it('11. Earliest wins: queue foo at +10d then +d → visible after d', async () => {
    await h.enqueue('foo', { delayMs: 10 * d });
    expect(await h.enqueue('foo', { delayMs: d })).toBe('deduped');
    await expectHiddenUntil('foo', h.clock.now() + d);
    await h.finish();
  });

  it('12. A requeue floor resists a plain enqueue until it passes', async () => {
    await h.enqueue('foo');
    const owned = await h.startKey('foo');
    await owned.requeue({ delayMs: d, floor: true, attempts: 'reset' });
    const at = h.clock.now() + d;
    expect((await h.state('foo'))?.floor).toBe(true);
    await h.enqueue('foo');
    await h.enqueue('foo', { delayMs: 1 });
    expect((await h.state('foo'))?.notBefore).toBe(at);
    await expectHiddenUntil('foo', at);
    await h.finish();
  });

  it('13. An enqueue floor is honoured the same way', async () => {
    await h.enqueue('foo', { delayMs: d, floor: true });
    const at = h.clock.now() + d;
    await h.enqueue('foo');
    await expectHiddenUntil('foo', at);
    await h.finish();
  });

  it('14. A later floor extends the floor (an earlier one does not shorten it)', async () => {
    await h.enqueue('foo', { delayMs: d, floor: true });
    await h.enqueue('foo', { delayMs: 2 * d, floor: true });
    const at = h.clock.now() + 2 * d;
    await h.enqueue('foo', { delayMs: d / 2, floor: true });
    expect((await h.state('foo'))?.notBefore).toBe(at);
    await expectHiddenUntil('foo', at);
    await h.finish();
  });

  it('15. A plain (non-floor) requeue delay is undercut by a plain enqueue', async () => {
    await h.enqueue('foo');
    const owned = await h.startKey('foo');
    await owned.requeue({ delayMs: d, attempts: 'keep' });
    expect(await h.eligible()).toEqual([]);
    await h.enqueue('foo');
    expect(await h.eligible()).toEqual(['foo']);
    expect((await h.state('foo'))?.floor).toBe(false);
    await h.finish();
  });

  it('16. An incoming floor replaces a non-floor entry, on enqueue and on requeue into a twin', async () => {
    // Later than the plain notBefore: the floor postpones it.
    await h.enqueue('foo');
    await h.enqueue('foo', { delayMs: d, floor: true });
    const fooAt = h.clock.now() + d;
    expect((await h.state('foo'))?.floor).toBe(true);
    await expectHiddenUntil('foo', fooAt);

    // Earlier than the plain notBefore: the floor pulls it forward.
    await h.enqueue('bar', { delayMs: 10 * d });
    await h.enqueue('bar', { delayMs: d, floor: true });
    await expectHiddenUntil('bar', h.clock.now() + d);
    await h.finish();

    // Requeue into a twin: the twin was due at once; the requeue's floor replaces that.
    await h.enqueue('baz');
    const owned = await h.startKey('baz');
    await h.enqueue('baz');
    await owned.requeue({ delayMs: d, floor: true, attempts: 'keep' });
    const bazAt = h.clock.now() + d;
    const twin = await h.state('baz');
    expect(twin?.floor).toBe(true);
    expect(twin?.notBefore).toBe(bazAt);
    await expectHiddenUntil('baz', bazAt);
    await h.finish();
  });
}
