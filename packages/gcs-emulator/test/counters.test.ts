import type { Storage } from '@google-cloud/storage';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { GcsEmulator } from '../src/index.ts';
import { startGcsEmulator } from '../src/index.ts';
import { clientFor, expectStatus } from './helpers.ts';

let emulator: GcsEmulator;
let storage: Storage;

beforeAll(async () => {
  emulator = await startGcsEmulator();
  storage = clientFor(emulator);
});
afterAll(async () => {
  await emulator.close();
});
beforeEach(() => emulator.resetCounters());

describe('operation counters', () => {
  it('counts a resumable upload once, however many requests it took', async () => {
    const file = storage.bucket('counters').file('resumable');
    await file.save('abc');
    expect(emulator.counters()).toMatchObject({
      classA: 1,
      classB: 0,
      delete: 0,
      byOperation: { 'objects.insert': 1 },
    });
    await file.save(randomBytes(600 * 1024), { chunkSize: 256 * 1024 });
    expect(emulator.counters()).toMatchObject({ classA: 2, byOperation: { 'objects.insert': 2 } });
  });

  it('classifies each method as GCS bills it', async () => {
    await storage.createBucket('counted-bucket');
    const b = storage.bucket('counted-bucket');
    const file = b.file('x');
    await file.save('data', { resumable: false }); // A insert
    await file.download(); // B get
    await file.getMetadata(); // B get
    await file.setMetadata({ metadata: { k: 'v' } }); // A patch
    await file.copy(b.file('y')); // A rewrite
    await b.getFiles(); // A list
    await b.getMetadata(); // B bucket get
    await storage.getBuckets(); // A bucket list
    await file.delete(); // delete
    await b.file('y').delete(); // delete
    expect(emulator.counters()).toEqual({
      classA: 6,
      classB: 3,
      delete: 2,
      rejected: 0,
      byOperation: {
        'buckets.insert': 1,
        'objects.insert': 1,
        'objects.get': 2,
        'objects.patch': 1,
        'objects.rewrite': 1,
        'objects.list': 1,
        'buckets.get': 1,
        'buckets.list': 1,
        'objects.delete': 2,
      },
    });
  });

  it('does not bill refused requests', async () => {
    const file = storage.bucket('counters').file('refused');
    await file.save('1', { resumable: false });
    emulator.resetCounters();
    await expectStatus(
      file.save('2', { resumable: false, preconditionOpts: { ifGenerationMatch: 0 } }),
      412,
    );
    await expectStatus(file.save('2', { preconditionOpts: { ifGenerationMatch: 0 } }), 412);
    await expectStatus(storage.bucket('counters').file('nope').getMetadata(), 404);
    expect(emulator.counters()).toMatchObject({ classA: 0, classB: 0, delete: 0, rejected: 3 });
  });

  it('serves and resets counters over HTTP', async () => {
    await storage.bucket('counters').file('http').save('', { resumable: false });
    const res = await fetch(`${emulator.url}/_emulator/counters`);
    expect(await res.json()).toEqual(emulator.counters());
    const reset = await fetch(`${emulator.url}/_emulator/counters/reset`, { method: 'POST' });
    expect(reset.status).toBe(200);
    expect(emulator.counters()).toMatchObject({ classA: 0, classB: 0, delete: 0, byOperation: {} });
    const health = await fetch(`${emulator.url}/_emulator/healthz`);
    expect(await health.json()).toEqual({ status: 'ok' });
    // Control requests are not counted themselves.
    expect(emulator.counters().classB).toBe(0);
  });
});
