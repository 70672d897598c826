// The HTTP surface with plain fetch: bare `/b/...` paths (STORAGE_EMULATOR_HOST), the resumable
// protocol step by step, error bodies.

import { Storage } from '@google-cloud/storage';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GcsEmulator } from '../src/index.ts';
import { crc32cBase64, startGcsEmulator } from '../src/index.ts';
import { clientFor } from './helpers.ts';

let emulator: GcsEmulator;
let url: string;

beforeAll(async () => {
  emulator = await startGcsEmulator();
  url = emulator.url;
});
afterAll(async () => {
  await emulator.close();
});

async function startSession(name: string, query = ''): Promise<string> {
  const res = await fetch(
    `${url}/upload/storage/v1/b/wire/o?uploadType=resumable&name=${encodeURIComponent(name)}${query}`,
    {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ metadata: { from: 'session' }, contentType: 'application/x-test' }),
    },
  );
  expect(res.status).toBe(200);
  const location = res.headers.get('location');
  expect(location).toMatch(/upload_id=/);
  return location!;
}

describe('bare /b/... paths (STORAGE_EMULATOR_HOST)', () => {
  it('serves JSON calls without the /storage/v1 prefix', async () => {
    const up = await fetch(`${url}/upload/storage/v1/b/wire/o?uploadType=media&name=bare%2Fone`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'hi',
    });
    expect(up.status).toBe(200);
    const meta = (await (await fetch(`${url}/b/wire/o/bare%2Fone`)).json()) as Record<
      string,
      unknown
    >;
    expect(meta).toMatchObject({
      name: 'bare/one',
      size: '2',
      contentType: 'text/plain',
      crc32c: crc32cBase64(Buffer.from('hi')),
    });
    expect(await (await fetch(`${url}/b/wire/o/bare%2Fone?alt=media`)).text()).toBe('hi');
    const patched = await fetch(`${url}/b/wire/o/bare%2Fone?ifMetagenerationMatch=1`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ metadata: { k: 'v' } }),
    });
    expect(((await patched.json()) as Record<string, unknown>)['metadata']).toEqual({ k: 'v' });
    const listed = (await (await fetch(`${url}/b/wire/o?prefix=bare%2F`)).json()) as {
      items: { name: string }[];
    };
    expect(listed.items.map((i) => i.name)).toEqual(['bare/one']);
    expect((await fetch(`${url}/b/wire/o/bare%2Fone`, { method: 'DELETE' })).status).toBe(204);
    expect((await fetch(`${url}/b/wire/o/bare%2Fone`)).status).toBe(404);
  });

  it('works with the client configured through STORAGE_EMULATOR_HOST', async () => {
    const previous = process.env['STORAGE_EMULATOR_HOST'];
    process.env['STORAGE_EMULATOR_HOST'] = url;
    try {
      const storage = new Storage({ projectId: 'test' });
      const file = storage.bucket('wire').file('env/x y');
      await file.save('via env');
      await file.save('via env 2', { resumable: false });
      await file.setMetadata({ metadata: { a: '1' } });
      expect((await file.download())[0].toString()).toBe('via env 2');
      const [files] = await storage.bucket('wire').getFiles({ prefix: 'env/' });
      expect(files.map((f) => f.name)).toEqual(['env/x y']);
      await file.copy(storage.bucket('wire').file('env/copy'));
      await file.delete();
    } finally {
      if (previous === undefined) delete process.env['STORAGE_EMULATOR_HOST'];
      else process.env['STORAGE_EMULATOR_HOST'] = previous;
    }
  });

  it('accepts /download/ media links from resources', async () => {
    await clientFor(emulator).bucket('wire').file('linked').save('media!', { resumable: false });
    const meta = (await (await fetch(`${url}/storage/v1/b/wire/o/linked`)).json()) as {
      mediaLink: string;
    };
    expect(await (await fetch(meta.mediaLink)).text()).toBe('media!');
  });
});

describe('resumable protocol', () => {
  it('takes chunks, answers 308 + Range, status queries, and completes at the total', async () => {
    const data = randomBytes(300_000);
    const session = await startSession('chunks');
    const first = await fetch(session, {
      method: 'PUT',
      headers: { 'content-range': 'bytes 0-262143/*' },
      body: data.subarray(0, 262144),
    });
    expect(first.status).toBe(308);
    expect(first.headers.get('range')).toBe('bytes=0-262143');
    const status = await fetch(session, {
      method: 'PUT',
      headers: { 'content-range': 'bytes */*' },
    });
    expect(status.status).toBe(308);
    expect(status.headers.get('range')).toBe('bytes=0-262143');
    // A retried chunk overlapping what we have is fine.
    const overlap = await fetch(session, {
      method: 'PUT',
      headers: { 'content-range': 'bytes 200000-262143/*' },
      body: data.subarray(200000, 262144),
    });
    expect(overlap.status).toBe(308);
    const last = await fetch(session, {
      method: 'PUT',
      headers: {
        'content-range': 'bytes 262144-299999/300000',
        'x-goog-hash': `crc32c=${crc32cBase64(data)}`,
      },
      body: data.subarray(262144),
    });
    expect(last.status).toBe(200);
    const resource = (await last.json()) as Record<string, unknown>;
    expect(resource).toMatchObject({
      name: 'chunks',
      size: '300000',
      contentType: 'application/x-test',
      metadata: { from: 'session' },
    });
    const media = Buffer.from(
      await (await fetch(`${url}/storage/v1/b/wire/o/chunks?alt=media`)).arrayBuffer(),
    );
    expect(media.equals(data)).toBe(true);
    // The final answer was lost? Asking again gives the same object.
    const again = await fetch(session, {
      method: 'PUT',
      headers: { 'content-range': 'bytes */300000' },
    });
    expect(again.status).toBe(200);
    expect(((await again.json()) as Record<string, unknown>)['generation']).toBe(
      resource['generation'],
    );
  });

  it('answers a gap with the range it has', async () => {
    const session = await startSession('gap');
    const res = await fetch(session, {
      method: 'PUT',
      headers: { 'content-range': 'bytes 10-19/20' },
      body: 'x'.repeat(10),
    });
    expect(res.status).toBe(308);
    expect(res.headers.get('range')).toBeNull();
  });

  it('enforces preconditions from the POST at the final PUT', async () => {
    const a = await startSession('precondition', '&ifGenerationMatch=0');
    const b = await startSession('precondition', '&ifGenerationMatch=0');
    expect(
      (await fetch(a, { method: 'PUT', headers: { 'content-range': 'bytes 0-0/1' }, body: 'a' }))
        .status,
    ).toBe(200);
    const lost = await fetch(b, {
      method: 'PUT',
      headers: { 'content-range': 'bytes 0-0/1' },
      body: 'b',
    });
    expect(lost.status).toBe(412);
    const body = (await lost.json()) as { error: { code: number; errors: { reason: string }[] } };
    expect(body.error.code).toBe(412);
    expect(body.error.errors[0]!.reason).toBe('conditionNotMet');
    expect(await (await fetch(`${url}/b/wire/o/precondition?alt=media`)).text()).toBe('a');
  });

  it('rejects a checksum mismatch and supports cancelling', async () => {
    const s = await startSession('badhash');
    const bad = await fetch(s, {
      method: 'PUT',
      headers: { 'content-range': 'bytes 0-2/3', 'x-goog-hash': 'crc32c=AAAAAA==' },
      body: 'abc',
    });
    expect(bad.status).toBe(400);
    const c = await startSession('cancelled');
    expect((await fetch(c, { method: 'DELETE' })).status).toBe(499);
    expect((await fetch(c, { method: 'PUT', body: 'x' })).status).toBe(404);
  });
});

describe('errors and other methods', () => {
  it('answers GCS-shaped errors', async () => {
    const missing = await fetch(`${url}/storage/v1/b/wire/o/does-not-exist`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({
      error: { code: 404, message: expect.any(String), errors: [{ reason: 'notFound' }] },
    });
    const bad = await fetch(`${url}/storage/v1/b/wire/o/x?ifGenerationMatch=abc`, {
      method: 'DELETE',
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toContain(
      'ifGenerationMatch',
    );
    expect((await fetch(`${url}/nowhere`)).status).toBe(404);
    expect((await fetch(`${url}/storage/v1/b/Bad_Bucket/o`)).status).toBe(400);
  });

  it('does not apply an upload whose client leaves mid-body', async () => {
    const socket = connect(Number(new URL(url).port), '127.0.0.1');
    await once(socket, 'connect');
    socket.write(
      'POST /upload/storage/v1/b/wire/o?uploadType=media&name=aborted HTTP/1.1\r\n' +
        'Host: 127.0.0.1\r\nContent-Length: 100\r\n\r\nonly ten b',
    );
    await sleep(50);
    socket.destroy();
    await sleep(50);
    expect((await fetch(`${url}/b/wire/o/aborted`)).status).toBe(404);
  });

  it('ifGenerationNotMatch on a read answers 304', async () => {
    const up = (await (
      await fetch(`${url}/upload/storage/v1/b/wire/o?uploadType=media&name=nm`, {
        method: 'POST',
        body: 'x',
      })
    ).json()) as { generation: string };
    expect((await fetch(`${url}/b/wire/o/nm?ifGenerationNotMatch=${up.generation}`)).status).toBe(
      304,
    );
    expect((await fetch(`${url}/b/wire/o/nm?ifGenerationNotMatch=1`)).status).toBe(200);
  });

  it('PUT update replaces user metadata', async () => {
    await fetch(`${url}/upload/storage/v1/b/wire/o?uploadType=media&name=upd`, {
      method: 'POST',
      body: 'x',
    });
    await fetch(`${url}/b/wire/o/upd`, {
      method: 'PATCH',
      body: JSON.stringify({ metadata: { a: '1', b: '2' } }),
    });
    const res = await fetch(`${url}/b/wire/o/upd`, {
      method: 'PUT',
      body: JSON.stringify({ metadata: { c: '3' } }),
    });
    expect(await res.json()).toMatchObject({ metadata: { c: '3' }, metageneration: '3' });
  });

  it('composes objects', async () => {
    const b = clientFor(emulator).bucket('wire');
    await b.file('part1').save('hello ', { resumable: false });
    await b.file('part2').save('world', { resumable: false });
    await b.combine(['part1', 'part2'], 'whole');
    expect((await b.file('whole').download())[0].toString()).toBe('hello world');
  });
});
