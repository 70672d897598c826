import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { buildLayer, ImageInputError, sha256Digest, type LayerFile } from '../src/index.ts';
import { readLayer } from './support/tar.ts';

const files: LayerFile[] = [
  { path: 'main.mjs', contents: 'console.log("hi")\n' },
  { path: 'assets/b.txt', contents: 'b' },
  { path: 'assets/a.txt', contents: new Uint8Array([1, 2, 3]) },
  { path: 'bin/run', contents: '#!/bin/sh\n', mode: 0o755 },
];

function inputError(fn: () => Promise<unknown>): Promise<ImageInputError> {
  return fn().then(
    () => {
      throw new Error('expected an ImageInputError');
    },
    (err: unknown) => {
      if (!ImageInputError.is(err)) throw err;
      return err;
    },
  );
}

describe('buildLayer', () => {
  it('is byte-for-byte reproducible whatever the order of the files', async () => {
    const a = await buildLayer({ files });
    const b = await buildLayer({ files: [...files].reverse() });
    expect(Buffer.from(a.blob).equals(Buffer.from(b.blob))).toBe(true);
    expect(a.digest).toBe(b.digest);
    expect(a.diffId).toBe(b.diffId);
  });

  it('digests the gzip blob and diff-IDs the tar', async () => {
    const layer = await buildLayer({ files });
    expect(layer.digest).toBe(sha256Digest(layer.blob));
    expect(layer.diffId).toBe(sha256Digest(gunzipSync(layer.blob)));
  });

  it('writes sorted entries under /app with fixed owners, modes and mtimes', async () => {
    const layer = await buildLayer({ files });
    expect(layer.entries).toEqual([
      'app/',
      'app/assets/',
      'app/assets/a.txt',
      'app/assets/b.txt',
      'app/bin/',
      'app/bin/run',
      'app/main.mjs',
    ]);
    const records = await readLayer(layer.blob);
    expect(records.map((r) => r.header.name)).toEqual(layer.entries);
    for (const { header } of records) {
      expect(header).toMatchObject({ uid: 0, gid: 0, uname: '', gname: '' });
      expect(header.mtime.getTime()).toBe(0);
      const mode = header.type === 'directory' || header.name === 'app/bin/run' ? 0o755 : 0o644;
      expect(header.mode, header.name).toBe(mode);
    }
    const main = records.find((r) => r.header.name === 'app/main.mjs');
    expect(main?.body.toString()).toBe('console.log("hi")\n');
  });

  it('writes a gzip header without name or timestamp and with a fixed OS byte', async () => {
    const { blob } = await buildLayer({ files });
    expect([...blob.subarray(0, 4)]).toEqual([0x1f, 0x8b, 8, 0]); // magic, deflate, no FNAME
    expect([...blob.subarray(4, 8)]).toEqual([0, 0, 0, 0]); // MTIME
    expect(blob[9]).toBe(255); // OS: unknown
  });

  it('takes SOURCE_DATE_EPOCH-style mtimes and nested roots', async () => {
    const layer = await buildLayer({ files, root: '/srv/app', mtime: 1_700_000_000 });
    expect(layer.entries.slice(0, 2)).toEqual(['srv/', 'srv/app/']);
    const records = await readLayer(layer.blob);
    expect(records.every((r) => r.header.mtime.getTime() === 1_700_000_000_000)).toBe(true);
    expect(layer.digest).not.toBe((await buildLayer({ files, root: '/srv/app' })).digest);
  });

  it('changes digest when one byte of content changes', async () => {
    const a = await buildLayer({ files: [{ path: 'x', contents: 'a' }] });
    const b = await buildLayer({ files: [{ path: 'x', contents: 'b' }] });
    expect(a.digest).not.toBe(b.digest);
  });

  it('rejects paths that escape, repeat or clash, naming the field', async () => {
    const cases: [LayerFile[], string][] = [
      [[{ path: '/etc/passwd', contents: '' }], 'files[0].path'],
      [[{ path: 'a/../../b', contents: '' }], 'files[0].path'],
      [[{ path: 'a/./b', contents: '' }], 'files[0].path'],
      [
        [
          { path: 'x', contents: '' },
          { path: 'x', contents: '' },
        ],
        'files[1].path',
      ],
      [
        [
          { path: 'x', contents: '' },
          { path: 'x/y', contents: '' },
        ],
        'files[1].path',
      ],
      [[{ path: 'x', contents: '', mode: 0o10000 }], 'files[0].mode'],
    ];
    for (const [input, field] of cases) {
      const err = await inputError(() => buildLayer({ files: input }));
      expect(err.field).toBe(field);
    }
    expect((await inputError(() => buildLayer({ files, root: 'app' }))).field).toBe('root');
    expect((await inputError(() => buildLayer({ files, mtime: -1 }))).field).toBe('mtime');
  });
});
