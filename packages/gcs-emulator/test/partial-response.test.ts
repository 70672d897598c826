import type { Storage } from '@google-cloud/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GcsEmulator } from '../src/index.ts';
import { startGcsEmulator } from '../src/index.ts';
import { applyFieldMask, parseFieldMask } from '../src/partial-response.ts';
import { clientFor } from './helpers.ts';

describe('field masks', () => {
  it('parses paths, groups and wildcards into one mask', () => {
    expect(parseFieldMask('items(name,metadata/priority),nextPageToken,items/generation')).toEqual({
      items: { name: true, metadata: { priority: true }, generation: true },
      nextPageToken: true,
    });
    expect(parseFieldMask('*')).toEqual({ '*': true });
    expect(parseFieldMask('a,a/b')).toEqual({ a: true });
  });

  it('rejects malformed selections, naming the parameter and the position', () => {
    for (const bad of ['', 'items(', 'items()', 'a,,b', 'a)', 'a/']) {
      expect(() => parseFieldMask(bad), bad).toThrow(/Invalid field selection .* at \d+/);
    }
  });

  it('projects objects and each element of arrays', () => {
    const body = {
      kind: 'storage#objects',
      nextPageToken: 't',
      items: [
        { name: 'a', size: '0', metadata: { priority: '1', token: 'x' } },
        { name: 'b', size: '0' },
      ],
    };
    expect(
      applyFieldMask(body, parseFieldMask('items(name,metadata/priority),nextPageToken')),
    ).toEqual({
      nextPageToken: 't',
      items: [{ name: 'a', metadata: { priority: '1' } }, { name: 'b' }],
    });
    expect(applyFieldMask(body, parseFieldMask('items/*'))).toEqual({ items: body.items });
  });
});

describe('the fields parameter on the wire', () => {
  let emulator: GcsEmulator;
  let storage: Storage;
  beforeAll(async () => {
    emulator = await startGcsEmulator();
    storage = clientFor(emulator);
    await storage
      .bucket('fields-test')
      .file('queued/k')
      .save('', { resumable: false, metadata: { metadata: { priority: '7' } } });
  });
  afterAll(async () => {
    await emulator.close();
  });

  it('answers a listing with only the selected fields (what the queue lister sends)', async () => {
    const [items, , response] = (await storage.bucket('fields-test').getFiles({
      prefix: 'queued/',
      autoPaginate: false,
      fields: 'items(name,generation,metadata),nextPageToken',
    })) as unknown as [Record<string, unknown>[], unknown, Record<string, unknown>];
    expect(Object.keys(response)).toEqual(['items']);
    expect(items).toHaveLength(1);
    expect(Object.keys(items[0] ?? {}).sort()).toEqual(['generation', 'metadata', 'name']);
    expect(items[0]?.['metadata']).toEqual({ priority: '7' });
  });

  it('applies to single-object answers too', async () => {
    const res = await fetch(
      `${emulator.url}/storage/v1/b/fields-test/o/${encodeURIComponent('queued/k')}?fields=name,metageneration`,
    );
    expect(await res.json()).toEqual({ name: 'queued/k', metageneration: '1' });
  });

  it('refuses a malformed selection with 400 before applying a write', async () => {
    const url = `${emulator.url}/storage/v1/b/fields-test/o/${encodeURIComponent('queued/k')}`;
    const res = await fetch(`${url}?fields=metadata(`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ metadata: { priority: '9' } }),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(
      /Invalid field selection/,
    );
    const [metadata] = await storage.bucket('fields-test').file('queued/k').getMetadata();
    expect(metadata.metadata).toEqual({ priority: '7' });
  });

  it('leaves error answers whole', async () => {
    const res = await fetch(`${emulator.url}/storage/v1/b/fields-test/o/missing?fields=name`);
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { code: number } }).error.code).toBe(404);
  });
});
