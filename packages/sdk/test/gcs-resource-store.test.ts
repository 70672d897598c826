/** GcsResourceStore: the ResourceStore contract on the GCS emulator with the real client. */
import { Storage } from '@google-cloud/storage';
import { type GcsEmulator, startGcsEmulator } from '@recon/gcs-emulator';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { GcsResourceStore } from '../src/index.ts';
import { describeResourceStore } from './support/resource-store-contract.ts';

let emulator: GcsEmulator;
let storage: Storage;
let n = 0;

beforeAll(async () => {
  emulator = await startGcsEmulator();
  storage = new Storage({
    apiEndpoint: emulator.url,
    projectId: 'test',
    retryOptions: { autoRetry: false },
  });
});
afterAll(async () => {
  await emulator?.close();
});

async function freshStore(prefix = '') {
  const [bucket] = await storage.createBucket(`resources-${++n}`);
  return new GcsResourceStore({ bucket, prefix });
}

describeResourceStore('gcs', () => freshStore('resources/'));

it('keeps spec and status in separate objects, readable by a second instance', async () => {
  const store = await freshStore();
  await store.apply({ kind: 'db', uid: 'a/b', spec: { size: 1 } });
  await store.updateStatus('db', 'a/b', { ready: true }, 0);
  const bucket = storage.bucket(`resources-${n}`);
  const [files] = await bucket.getFiles();
  expect(files.map((f) => f.name).sort()).toEqual(['spec/db/a/b', 'status/db/a/b']);
  const other = new GcsResourceStore({ bucket });
  expect(await other.get('db', 'a/b')).toMatchObject({
    generation: 1,
    statusVersion: 1,
    spec: { size: 1 },
    status: { ready: true },
  });
  expect((await other.list('db')).map((r) => r.uid)).toEqual(['a/b']);
});
