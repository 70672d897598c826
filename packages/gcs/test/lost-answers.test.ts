/**
 * Requests that were applied but whose answer never arrived, retried by the storage client (or by
 * the backend): each operation must recognise its own earlier write and neither fail nor double.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock, KeyStatus } from '@recon/core';
import { GcsBackend } from '../src/index.ts';
import {
  fastBackendRetries,
  freshBucket,
  noClientRetries,
  storageFor,
  testWorkqueue,
  useEmulator,
} from './emulator.ts';
import { startLossyProxy } from './lossy-proxy.ts';
import type { LossyProxy } from './lossy-proxy.ts';

const fx = useEmulator();
let proxy: LossyProxy;
beforeAll(async () => {
  proxy = await startLossyProxy(fx.url);
});
afterAll(async () => {
  await proxy.close();
});

const isCopy = (method: string, url: string) => method === 'POST' && url.includes('/rewriteTo/');
const isUpload = (method: string, url: string) =>
  method === 'POST' && url.includes('uploadType=multipart');
const isPatch = (method: string) => method === 'PATCH';
const isDelete = (method: string, url: string) =>
  method === 'DELETE' && url.includes('in-progress');

for (const [label, retryOptions] of [
  ['the client retries', undefined],
  ['the backend retries', noClientRetries],
] as const) {
  describe(`lost answers (${label})`, () => {
    function backend(clock = new FakeClock()) {
      return new GcsBackend({
        storage: storageFor(proxy.url, retryOptions),
        bucket: freshBucket(),
        clock,
        workqueue: testWorkqueue,
        retry: fastBackendRetries,
      });
    }

    it('start: the copy landed, its answer was lost → the 412 carries our token: ours', async () => {
      const b = backend();
      await b.enqueue({ key: 'k' });
      const [listed] = (await b.listEligible(5)).keys;
      const copies = fx.emulator.counters().byOperation['objects.rewrite'] ?? 0;
      const lost = proxy.lost;
      proxy.loseAnswer(isCopy);
      const owned = await b.start(listed!, 'me');
      expect(proxy.lost).toBe(lost + 1);
      expect(owned).toMatchObject({ key: 'k', attempts: 1 });
      expect(fx.emulator.counters().byOperation['objects.rewrite']).toBe(copies + 1);
      expect(await b.list(KeyStatus.QUEUED)).toEqual({ entries: [] });
      await owned!.complete();
      expect(await b.getKeyState('k')).toBeUndefined();
      await b.close();
    });

    it('enqueue: the create landed, its answer was lost → its token says it is ours: added, nothing patched', async () => {
      const b = backend();
      const patches = fx.emulator.counters().byOperation['objects.patch'] ?? 0;
      proxy.loseAnswer(isUpload);
      expect(await b.enqueue({ key: 'k', priority: 4, delayMs: 1500, floor: true })).toBe('added');
      expect(fx.emulator.counters().byOperation['objects.patch'] ?? 0).toBe(patches);
      expect(await b.getKeyState('k')).toMatchObject({ priority: 4, attempts: 0, floor: true });
      await b.close();
    });

    it('renew: the patch landed, its answer was lost → same generation and token: still ours', async () => {
      const clock = new FakeClock();
      const b = backend(clock);
      await b.enqueue({ key: 'k' });
      const owned = (await b.start((await b.listEligible(5)).keys[0]!, 'me'))!;
      await clock.advance(5000);
      proxy.loseAnswer(isPatch);
      await owned.renew();
      expect(owned.signal.aborted).toBe(false);
      expect(owned.leaseExpiresAt).toBe(clock.now() + (testWorkqueue.leaseMs ?? 0));
      await owned.renew(); // the adopted metageneration is right
      await owned.complete();
      await b.close();
    });

    it('complete: the delete landed, its answer was lost → 404 within our lease: done', async () => {
      const b = backend();
      await b.enqueue({ key: 'k' });
      const owned = (await b.start((await b.listEligible(5)).keys[0]!, 'me'))!;
      proxy.loseAnswer(isDelete);
      await owned.complete();
      expect(owned.signal.aborted).toBe(true);
      expect(await b.getKeyState('k')).toBeUndefined();
      await b.close();
    });

    it('requeue: the copy back to queued landed, its answer was lost → still ours, merged with itself', async () => {
      const b = backend();
      await b.enqueue({ key: 'k' });
      const owned = (await b.start((await b.listEligible(5)).keys[0]!, 'me'))!;
      proxy.loseAnswer(isCopy);
      await owned.requeue({ delayMs: 0, attempts: 'keep', lastError: 'e' });
      expect(await b.getKeyState('k')).toMatchObject({
        status: KeyStatus.QUEUED,
        attempts: 1,
        lastError: 'e',
      });
      expect((await b.stats()).inProgress).toBe(0);
      await b.close();
    });
  });
}
