import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { GcsEmulator } from '../src/index.ts';
import { startGcsEmulator } from '../src/index.ts';
import { decodeObject } from '../src/persistence.ts';
import { clientFor, expectStatus, statusOf, tempDir } from './helpers.ts';

let dir: { path: string; remove: () => Promise<void> };
let emulator: GcsEmulator | undefined;

beforeEach(async () => {
  dir = await tempDir();
});
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
  await dir.remove();
});

async function objectFiles(root: string): Promise<string[]> {
  const out: string[] = [];
  for (const shard of await readdir(join(root, 'objects'))) {
    for (const f of await readdir(join(root, 'objects', shard)))
      out.push(join(root, 'objects', shard, f));
  }
  return out;
}

describe('persistence', () => {
  it('keeps objects, metadata and buckets across a restart', async () => {
    emulator = await startGcsEmulator({ dataDir: dir.path });
    let storage = clientFor(emulator);
    await storage.createBucket('explicit-bucket');
    const b = storage.bucket('persisted');
    const names = ['queued/a', 'queued/b', 'with space/..%/é', '\u{1F600}', 'gone'];
    for (const name of names)
      await b.file(name).save(`body:${name}`, { metadata: { metadata: { n: name } } });
    await b.file('queued/a').setMetadata({ metadata: { extra: '1' } });
    await b.file('queued/a').copy(b.file('in-progress/a'), { metadata: { owner: 'x' } });
    await b.file('gone').delete();
    const [before] = await b.getFiles();
    const beforeMeta = before.map((f) => f.metadata);
    await emulator.close();

    emulator = await startGcsEmulator({ dataDir: dir.path });
    storage = clientFor(emulator);
    const [after] = await storage.bucket('persisted').getFiles();
    expect(after.map((f) => f.metadata)).toEqual(
      beforeMeta.map((m) => ({
        ...m,
        selfLink: expect.any(String),
        mediaLink: expect.any(String),
      })),
    );
    expect(after.map((f) => f.name)).toEqual([
      'in-progress/a',
      'queued/a',
      'queued/b',
      'with space/..%/é',
      '\u{1F600}',
    ]);
    expect(
      (await storage.bucket('persisted').file('with space/..%/é').download())[0].toString(),
    ).toBe('body:with space/..%/é');
    expect((await storage.bucket('persisted').file('queued/a').getMetadata())[0].metadata).toEqual({
      n: 'queued/a',
      extra: '1',
    });
    expect((await storage.bucket('explicit-bucket').getMetadata())[0].name).toBe('explicit-bucket');

    // New generations stay above the ones on disk.
    const old = BigInt(after[0]!.metadata.generation!);
    await storage.bucket('persisted').file('in-progress/a').save('new', { resumable: false });
    const [fresh] = await storage.bucket('persisted').file('in-progress/a').getMetadata();
    expect(BigInt(fresh.generation!) > old).toBe(true);
  });

  it('names files by hash, never by object name, and writes before answering', async () => {
    emulator = await startGcsEmulator({ dataDir: dir.path });
    const file = clientFor(emulator).bucket('hashed').file('../../escape/attempt');
    await file.save('payload', { resumable: false });
    const files = await objectFiles(dir.path);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/objects\/[0-9a-f]{2}\/[0-9a-f]{64}\.obj$/);
    const rec = decodeObject(await readFile(files[0]!));
    expect(rec?.name).toBe('../../escape/attempt');
    expect(rec?.data.toString()).toBe('payload');
    await file.delete();
    expect(await objectFiles(dir.path)).toHaveLength(0);
  });

  it('cleans leftover temp files and skips unreadable ones on start', async () => {
    emulator = await startGcsEmulator({ dataDir: dir.path });
    await clientFor(emulator).bucket('leftovers').file('ok').save('fine', { resumable: false });
    await emulator.close();
    await mkdir(join(dir.path, 'objects', 'ab'), { recursive: true });
    await writeFile(join(dir.path, 'objects', 'ab', 'deadbeef.obj.123.1.tmp'), 'half a wri');
    await writeFile(join(dir.path, 'objects', 'ab', 'deadbeef.obj'), '{"v":1,"size":99}\nshort');
    const logs: string[] = [];
    emulator = await startGcsEmulator({ dataDir: dir.path, log: (l) => logs.push(l) });
    expect(
      (await readdir(join(dir.path, 'objects', 'ab'))).filter((f) => f.endsWith('.tmp')),
    ).toEqual([]);
    expect(logs.join('\n')).toContain('deadbeef.obj');
    expect(
      (await clientFor(emulator).bucket('leftovers').file('ok').download())[0].toString(),
    ).toBe('fine');
  });

  it('serializes concurrent compare-and-swaps on one object', async () => {
    emulator = await startGcsEmulator({ dataDir: dir.path });
    const b = clientFor(emulator).bucket('cas');
    const creates = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) =>
        b
          .file('k')
          .save(`w${i}`, { resumable: i % 2 === 0, preconditionOpts: { ifGenerationMatch: 0 } }),
      ),
    );
    expect(creates.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(
      creates
        .filter((r) => r.status === 'rejected')
        .map((r) => statusOf((r as PromiseRejectedResult).reason)),
    ).toEqual(Array(19).fill(412));
    const patches = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) =>
        b.file('k').setMetadata({ metadata: { i: String(i) } }, { ifMetagenerationMatch: 1 }),
      ),
    );
    expect(patches.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const [meta] = await b.file('k').getMetadata();
    await expectStatus(b.file('k').delete({ ifGenerationMatch: Number(meta.generation) + 1 }), 412);
    const deletes = await Promise.allSettled(
      Array.from({ length: 5 }, () =>
        b.file('k').delete({ ifGenerationMatch: Number(meta.generation) }),
      ),
    );
    expect(deletes.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(await objectFiles(dir.path)).toHaveLength(0);
  });
});
