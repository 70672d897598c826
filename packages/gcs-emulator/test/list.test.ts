import type { Storage } from '@google-cloud/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GcsEmulator } from '../src/index.ts';
import { startGcsEmulator } from '../src/index.ts';
import { clientFor } from './helpers.ts';

let emulator: GcsEmulator;
let storage: Storage;
const NAMES = [
  'dead-letter/x',
  'in-progress/a',
  'in-progress/b',
  'queued/',
  'queued/a',
  'queued/b/1',
  'queued/b/2',
  'queued/c',
  'queued/d/1',
  'queued/\uFFFD',
  'queued/\u{1F600}',
  'root',
];

beforeAll(async () => {
  emulator = await startGcsEmulator();
  storage = clientFor(emulator);
  const b = storage.bucket('list-test');
  // Written out of order: the listing must sort.
  for (const name of [...NAMES].reverse()) await b.file(name).save('', { resumable: false });
});
afterAll(async () => {
  await emulator.close();
});

interface Page {
  items?: { name: string }[];
  prefixes?: string[];
  nextPageToken?: string;
}

const list = async (query: Record<string, unknown>, bucket = 'list-test'): Promise<Page> => {
  const params = new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)]));
  const res = await fetch(`${emulator.url}/storage/v1/b/${bucket}/o?${params.toString()}`);
  expect(res.status).toBe(200);
  return (await res.json()) as Page;
};

describe('listing', () => {
  it('lists everything in UTF-8 byte order', async () => {
    const [files] = await storage.bucket('list-test').getFiles();
    expect(files.map((f) => f.name)).toEqual(NAMES);
  });

  it('filters by prefix', async () => {
    const [files] = await storage.bucket('list-test').getFiles({ prefix: 'in-progress/' });
    expect(files.map((f) => f.name)).toEqual(['in-progress/a', 'in-progress/b']);
    const [none] = await storage.bucket('list-test').getFiles({ prefix: 'nothing/' });
    expect(none).toEqual([]);
  });

  it('paginates with maxResults and pageToken (the client follows tokens)', async () => {
    const seen: string[] = [];
    let pageToken: string | undefined;
    let pages = 0;
    do {
      const [files, next] = await storage.bucket('list-test').getFiles({
        prefix: 'queued/',
        maxResults: 3,
        autoPaginate: false,
        ...(pageToken ? { pageToken } : {}),
      });
      seen.push(...files.map((f) => f.name));
      pageToken = (next as { pageToken?: string } | null)?.pageToken;
      pages++;
    } while (pageToken);
    expect(seen).toEqual(NAMES.filter((n) => n.startsWith('queued/')));
    expect(pages).toBe(3);
  });

  it('groups by delimiter into prefixes, across pages', async () => {
    const top = await list({ delimiter: '/' });
    expect(top.prefixes).toEqual(['dead-letter/', 'in-progress/', 'queued/']);
    expect(top.items?.map((i) => i.name)).toEqual(['root']);

    const queued = await list({ prefix: 'queued/', delimiter: '/' });
    expect(queued.prefixes).toEqual(['queued/b/', 'queued/d/']);
    expect(queued.items?.map((i) => i.name)).toEqual([
      'queued/',
      'queued/a',
      'queued/c',
      'queued/\uFFFD',
      'queued/\u{1F600}',
    ]);

    const entries: string[] = [];
    let token: string | undefined;
    do {
      const page = await list({
        prefix: 'queued/',
        delimiter: '/',
        maxResults: 2,
        ...(token ? { pageToken: token } : {}),
      });
      entries.push(...(page.items ?? []).map((i) => i.name), ...(page.prefixes ?? []));
      expect((page.items?.length ?? 0) + (page.prefixes?.length ?? 0)).toBeLessThanOrEqual(2);
      token = page.nextPageToken;
    } while (token);
    expect(entries.sort()).toEqual(
      [
        'queued/',
        'queued/a',
        'queued/b/',
        'queued/c',
        'queued/d/',
        'queued/\uFFFD',
        'queued/\u{1F600}',
      ].sort(),
    );

    const [files, , apiResponse] = await storage
      .bucket('list-test')
      .getFiles({ prefix: 'queued/', delimiter: '/', autoPaginate: false });
    expect(files.length).toBe(5);
    expect((apiResponse as { prefixes?: string[] }).prefixes).toEqual(['queued/b/', 'queued/d/']);
  });

  it('honours startOffset, endOffset and includeTrailingDelimiter', async () => {
    const ranged = await list({ startOffset: 'in-progress/b', endOffset: 'queued/b' });
    expect(ranged.items?.map((i) => i.name)).toEqual(['in-progress/b', 'queued/', 'queued/a']);
    const trailing = await list({
      delimiter: '/',
      prefix: 'queued',
      includeTrailingDelimiter: true,
    });
    expect(trailing.prefixes).toEqual(['queued/']);
    expect(trailing.items?.map((i) => i.name)).toEqual(['queued/']);
  });

  it('pages through a large bucket from the index', async () => {
    const writes: Promise<unknown>[] = [];
    for (let i = 0; i < 2500; i++) {
      const url = `${emulator.url}/upload/storage/v1/b/big-list/o?uploadType=media&name=k/${i}`;
      writes.push(fetch(url, { method: 'POST', body: '' }).then((r) => r.arrayBuffer()));
      if (writes.length === 100) await Promise.all(writes.splice(0));
    }
    await Promise.all(writes);
    const page = await list({ prefix: 'k/', maxResults: 1000 }, 'big-list');
    expect(page.items).toHaveLength(1000);
    const [files] = await storage.bucket('big-list').getFiles({ prefix: 'k/' });
    expect(files).toHaveLength(2500);
    const [last] = await storage
      .bucket('big-list')
      .getFiles({ prefix: 'k/2499', autoPaginate: false });
    expect(last.map((f) => f.name)).toEqual(['k/2499']);
  }, 30_000);
});
