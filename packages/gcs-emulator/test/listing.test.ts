import { describe, expect, it } from 'vitest';
import type { BucketState } from '../src/objects-store.ts';
import { listObjects } from '../src/listing.ts';
import type { ObjectRecord } from '../src/records.ts';
import { SortedNames } from '../src/sorted-names.ts';

function bucketOf(names: readonly string[]): BucketState {
  const b: BucketState = {
    record: { name: 'b', timeCreated: 0 },
    names: new SortedNames(),
    objects: new Map(),
  };
  for (const name of names) {
    b.names.insert(name);
    b.objects.set(name, { name } as ObjectRecord);
  }
  return b;
}

describe('listObjects on 100k objects', () => {
  const names: string[] = [];
  for (let i = 0; i < 100_000; i++)
    names.push(`${i % 10 === 0 ? 'in-progress' : 'queued'}/key-${i}`);
  const bucket = bucketOf(names);

  it('serves a prefix page and a delimiter listing without scanning the bucket', () => {
    const started = performance.now();
    for (let i = 0; i < 100; i++) {
      const page = listObjects(bucket, {
        prefix: 'in-progress/',
        maxResults: 1000,
        includeTrailingDelimiter: false,
      });
      expect(page.items).toHaveLength(1000);
      expect(page.nextPageToken).toBeDefined();
      const top = listObjects(bucket, {
        prefix: '',
        delimiter: '/',
        maxResults: 1000,
        includeTrailingDelimiter: false,
      });
      expect(top.prefixes).toEqual(['in-progress/', 'queued/']);
    }
    // 200 listings; a full scan each would take seconds.
    expect(performance.now() - started).toBeLessThan(1500);
  });

  it('walks every page exactly once', () => {
    const seen: string[] = [];
    let pageToken: string | undefined;
    do {
      const page = listObjects(bucket, {
        prefix: 'in-progress/',
        maxResults: 999,
        includeTrailingDelimiter: false,
        ...(pageToken ? { pageToken } : {}),
      });
      seen.push(...page.items.map((r) => r.name));
      pageToken = page.nextPageToken;
    } while (pageToken);
    expect(seen).toHaveLength(10_000);
    expect(new Set(seen).size).toBe(10_000);
  });
});
