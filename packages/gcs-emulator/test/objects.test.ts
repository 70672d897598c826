import type { Storage } from '@google-cloud/storage';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GcsEmulator } from '../src/index.ts';
import { startGcsEmulator } from '../src/index.ts';
import { clientFor, expectStatus, statusOf } from './helpers.ts';

let emulator: GcsEmulator;
let storage: Storage;

beforeAll(async () => {
  emulator = await startGcsEmulator();
  storage = clientFor(emulator);
});
afterAll(async () => {
  await emulator.close();
});

const bucket = () => storage.bucket('objects-test');

describe('uploads and downloads with the real client', () => {
  it('saves resumable (the default) and downloads', async () => {
    const file = bucket().file('resumable/one');
    await file.save('hello world', {
      contentType: 'text/plain',
      metadata: { metadata: { a: '1' } },
    });
    const [data] = await file.download();
    expect(data.toString()).toBe('hello world');
    const [meta] = await file.getMetadata();
    expect(meta).toMatchObject({
      kind: 'storage#object',
      bucket: 'objects-test',
      name: 'resumable/one',
      size: '11',
      contentType: 'text/plain',
      metageneration: '1',
      metadata: { a: '1' },
      crc32c: 'yZRlqg==',
      storageClass: 'STANDARD',
    });
    expect(meta.generation).toMatch(/^\d+$/);
    expect(meta.md5Hash).toBe('XrY7u+Ae7tCTyyK7j1rNww==');
    expect(meta.updated).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it('saves with resumable:false (multipart) and empty bodies', async () => {
    const file = bucket().file('multipart/empty');
    await file.save('', { resumable: false, metadata: { metadata: { state: 'queued' } } });
    const [meta] = await file.getMetadata();
    expect(meta.size).toBe('0');
    expect(meta.crc32c).toBe('AAAAAA==');
    expect(meta.metadata).toEqual({ state: 'queued' });
    const [data] = await file.download();
    expect(data.length).toBe(0);
  });

  it('round-trips binary data, resumable and not, including ranges', async () => {
    const data = randomBytes(300_000);
    await bucket().file('bin/a').save(data);
    await bucket().file('bin/b').save(data, { resumable: false });
    expect((await bucket().file('bin/a').download())[0].equals(data)).toBe(true);
    expect((await bucket().file('bin/b').download())[0].equals(data)).toBe(true);
    const [part] = await bucket().file('bin/a').download({ start: 10, end: 19 });
    expect(part.equals(data.subarray(10, 20))).toBe(true);
  });

  it('uploads in chunks when the client is given a chunk size', async () => {
    const data = randomBytes(600 * 1024);
    const file = bucket().file('chunked');
    await file.save(data, { chunkSize: 256 * 1024 });
    expect((await file.download())[0].equals(data)).toBe(true);
  });

  it('answers 404 for missing objects', async () => {
    await expectStatus(bucket().file('missing').download(), 404);
    await expectStatus(bucket().file('missing').getMetadata(), 404);
    await expectStatus(bucket().file('missing').delete(), 404);
    expect((await bucket().file('missing').exists())[0]).toBe(false);
  });
});

describe('preconditions', () => {
  it('create with ifGenerationMatch:0 is exclusive, resumable or not', async () => {
    const file = bucket().file('exclusive');
    await file.save('1', { preconditionOpts: { ifGenerationMatch: 0 } });
    await expectStatus(file.save('2', { preconditionOpts: { ifGenerationMatch: 0 } }), 412);
    await expectStatus(
      file.save('2', { resumable: false, preconditionOpts: { ifGenerationMatch: 0 } }),
      412,
    );
    expect((await file.download())[0].toString()).toBe('1');
  });

  it('20 concurrent ifGenerationMatch:0 creates: exactly one wins', async () => {
    for (const resumable of [true, false]) {
      const name = `race/${String(resumable)}`;
      const results = await Promise.allSettled(
        Array.from({ length: 20 }, (_, i) =>
          bucket()
            .file(name)
            .save(`writer ${i}`, { resumable, preconditionOpts: { ifGenerationMatch: 0 } }),
        ),
      );
      const won = results.filter((r) => r.status === 'fulfilled');
      const lost = results.filter((r) => r.status === 'rejected');
      expect(won).toHaveLength(1);
      expect(lost.map((r) => statusOf((r as PromiseRejectedResult).reason))).toEqual(
        Array(19).fill(412),
      );
    }
  });

  it('delete pinned to generation and metageneration', async () => {
    const file = bucket().file('pinned');
    await file.save('x', { resumable: false });
    const [meta] = await file.getMetadata();
    const generation = Number(meta.generation);
    await expectStatus(file.delete({ ifGenerationMatch: generation + 1 }), 412);
    await expectStatus(
      file.delete({ ifGenerationMatch: generation, ifMetagenerationMatch: 2 }),
      412,
    );
    await file.delete({ ifGenerationMatch: generation, ifMetagenerationMatch: 1 });
    await expectStatus(file.delete({ ifGenerationMatch: generation }), 404);
  });

  it('a new save gets a larger generation', async () => {
    const file = bucket().file('generations');
    await file.save('1', { resumable: false });
    const g1 = BigInt((await file.getMetadata())[0].generation!);
    await file.save('2', { resumable: false, preconditionOpts: { ifGenerationMatch: Number(g1) } });
    const g2 = BigInt((await file.getMetadata())[0].generation!);
    expect(g2 > g1).toBe(true);
    await expectStatus(
      file.save('3', { resumable: false, preconditionOpts: { ifGenerationMatch: Number(g1) } }),
      412,
    );
    // Reading an old generation: only the live one is kept.
    await expectStatus(
      bucket()
        .file('generations', { generation: Number(g1) })
        .download(),
      404,
    );
    expect(
      (
        await bucket()
          .file('generations', { generation: Number(g2) })
          .download()
      )[0].toString(),
    ).toBe('2');
  });
});

describe('metadata updates', () => {
  it('setMetadata merges user metadata, null removes a key, metageneration + 1', async () => {
    const file = bucket().file('meta/merge');
    await file.save('', { resumable: false, metadata: { metadata: { a: '1', b: '2' } } });
    const [m1] = await file.setMetadata(
      { metadata: { b: null, c: '3' } },
      { ifMetagenerationMatch: 1 },
    );
    expect(m1.metadata).toEqual({ a: '1', c: '3' });
    expect(m1.metageneration).toBe('2');
    await expectStatus(
      file.setMetadata({ metadata: { d: '4' } }, { ifMetagenerationMatch: 1 }),
      412,
    );
    const [m2] = await file.setMetadata(
      { metadata: { d: '4' } },
      { ifMetagenerationMatch: 2, ifGenerationMatch: Number(m1.generation) },
    );
    expect(m2.metadata).toEqual({ a: '1', c: '3', d: '4' });
    expect(m2.generation).toBe(m1.generation);
  });

  it('concurrent patches with the same ifMetagenerationMatch: one wins', async () => {
    await bucket().file('meta/race').save('', { resumable: false });
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) =>
        bucket()
          .file('meta/race')
          .setMetadata({ metadata: { who: String(i) } }, { ifMetagenerationMatch: 1 }),
      ),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
  });
});

describe('copy', () => {
  it('copies with destination ifGenerationMatch:0 and replaces user metadata when given', async () => {
    const src = bucket().file('queued/key1');
    await src.save('', {
      resumable: false,
      contentType: 'text/plain',
      metadata: { metadata: { priority: '00000005', attempts: '1' } },
    });
    const dst = bucket().file('in-progress/key1');
    const [copied] = await src.copy(dst, {
      preconditionOpts: { ifGenerationMatch: 0 },
      metadata: { owner: 'me', attempts: '2' },
    });
    expect(copied.name).toBe('in-progress/key1');
    const [meta] = await dst.getMetadata();
    expect(meta.metadata).toEqual({ owner: 'me', attempts: '2' });
    expect(meta.contentType).toBe('text/plain');
    await expectStatus(src.copy(dst, { preconditionOpts: { ifGenerationMatch: 0 } }), 412);

    // Without metadata in the request, the source's is kept.
    const dst2 = bucket().file('dead-letter/key1');
    await src.copy(dst2);
    expect((await dst2.getMetadata())[0].metadata).toEqual({ priority: '00000005', attempts: '1' });
    expect((await dst2.getMetadata())[0].generation).not.toBe(
      (await src.getMetadata())[0].generation,
    );
  });

  it('checks source preconditions and a missing source', async () => {
    const src = bucket().file('copy/src');
    await src.save('s', { resumable: false });
    const res = await fetch(
      `${emulator.url}/storage/v1/b/objects-test/o/copy%2Fsrc/rewriteTo/b/objects-test/o/copy%2Fdst?ifSourceMetagenerationMatch=7`,
      { method: 'POST' },
    );
    expect(res.status).toBe(412);
    await expectStatus(bucket().file('copy/none').copy(bucket().file('copy/dst')), 404);
  });
});

describe('object names', () => {
  const names = [
    'with space',
    'percent%20sign%',
    'a/../b',
    '..x',
    'question?mark#hash&amp=1+plus',
    'unicode/é/日本/\u{1F600}',
    'trailing/',
    '//double//slash',
    'x'.repeat(1024),
  ];
  it.each(names)('stores %j as data', async (name) => {
    const file = bucket().file(name);
    await file.save(`body of ${name}`, { resumable: name.length % 2 === 0 });
    expect((await file.download())[0].toString()).toBe(`body of ${name}`);
    expect((await file.getMetadata())[0].name).toBe(name);
    await file.setMetadata({ metadata: { k: 'v' } });
    const [listed] = await bucket().getFiles({ prefix: name });
    expect(listed.map((f) => f.name)).toContain(name);
    await file.delete();
  });

  it('rejects names over 1024 bytes and "." / ".."', async () => {
    await expectStatus(bucket().file('é'.repeat(513)).save('x', { resumable: false }), 400);
    await expectStatus(bucket().file('..').save('x', { resumable: false }), 400);
  });
});

describe('buckets', () => {
  it('creates, gets and lists buckets; object operations create them on first use', async () => {
    await storage.createBucket('made-explicitly');
    await expectStatus(storage.createBucket('made-explicitly'), 409);
    const [meta] = await storage.bucket('made-explicitly').getMetadata();
    expect(meta.name).toBe('made-explicitly');
    await expectStatus(storage.bucket('never-used').getMetadata(), 404);
    await storage.bucket('implicit-bucket').file('x').save('x', { resumable: false });
    const [buckets] = await storage.getBuckets();
    expect(buckets.map((b) => b.name)).toEqual(
      expect.arrayContaining(['made-explicitly', 'implicit-bucket', 'objects-test']),
    );
  });
});
