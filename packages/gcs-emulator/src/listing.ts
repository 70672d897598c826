// Object listing over a bucket's sorted name index: prefix, delimiter, start/end offsets and
// pagination, in GCS order. Seeks instead of scanning, so a delimiter listing skips whole
// "directories" and a prefix listing touches only the names under the prefix.

import { badRequest } from './errors.ts';
import type { BucketState } from './objects-store.ts';
import type { ObjectRecord } from './records.ts';
import { compareNames } from './sorted-names.ts';

export interface ListQuery {
  readonly prefix: string;
  readonly delimiter?: string;
  /** 1..1000; GCS caps pages at 1000 entries (items plus prefixes). */
  readonly maxResults: number;
  readonly pageToken?: string;
  readonly startOffset?: string;
  readonly endOffset?: string;
  readonly includeTrailingDelimiter: boolean;
}

export interface ListPage {
  readonly items: ObjectRecord[];
  readonly prefixes: string[];
  readonly nextPageToken?: string;
}

/** Larger than any string that starts with a given prefix followed by a normal character. */
const AFTER_ALL = '\u{10FFFF}\u{10FFFF}';

/** Page tokens say where the previous page stopped: after a name, or after a whole prefix. */
type Resume = { readonly kind: 'name' | 'prefix'; readonly value: string };

function encodeToken(r: Resume): string {
  return Buffer.from(`${r.kind === 'name' ? 'n' : 'p'}${r.value}`, 'utf8').toString('base64url');
}

function decodeToken(token: string): Resume {
  const raw = Buffer.from(token, 'base64url').toString('utf8');
  const kind = raw[0] === 'n' ? 'name' : raw[0] === 'p' ? 'prefix' : undefined;
  if (!kind) throw badRequest('Invalid pageToken');
  return { kind, value: raw.slice(1) };
}

const maxOf = (a: string, b: string): string => (compareNames(a, b) >= 0 ? a : b);

export function listObjects(bucket: BucketState, q: ListQuery): ListPage {
  const items: ObjectRecord[] = [];
  const prefixes: string[] = [];
  const resume = q.pageToken ? decodeToken(q.pageToken) : undefined;

  let lastPrefix: string | undefined;
  let start = maxOf(q.prefix, q.startOffset ?? '');
  let exclusive = false;
  if (resume?.kind === 'name' && compareNames(resume.value, start) >= 0) {
    start = resume.value;
    exclusive = true;
  } else if (resume?.kind === 'prefix') {
    lastPrefix = resume.value;
    start = maxOf(start, resume.value + AFTER_ALL);
  }

  let cursor = bucket.names.from(start, exclusive);
  let last: Resume | undefined;
  let nextPageToken: string | undefined;
  const full = (): boolean => items.length + prefixes.length >= q.maxResults;

  for (let step = cursor.next(); !step.done; step = cursor.next()) {
    const name = step.value;
    // Names under a prefix are contiguous and start at the prefix itself.
    if (!name.startsWith(q.prefix)) break;
    if (q.endOffset !== undefined && compareNames(name, q.endOffset) >= 0) break;
    if (q.delimiter) {
      const at = name.indexOf(q.delimiter, q.prefix.length);
      if (at >= 0) {
        const p = name.slice(0, at + q.delimiter.length);
        if (p !== lastPrefix) {
          if (full()) {
            nextPageToken = last && encodeToken(last);
            break;
          }
          prefixes.push(p);
          lastPrefix = p;
          last = { kind: 'prefix', value: p };
          if (q.includeTrailingDelimiter && name === p) pushItem(bucket, name, items);
        }
        // Skip everything else under this prefix in one seek.
        cursor = bucket.names.from(p + AFTER_ALL);
        continue;
      }
    }
    if (full()) {
      nextPageToken = last && encodeToken(last);
      break;
    }
    pushItem(bucket, name, items);
    last = { kind: 'name', value: name };
  }
  return nextPageToken ? { items, prefixes, nextPageToken } : { items, prefixes };
}

function pushItem(bucket: BucketState, name: string, items: ObjectRecord[]): void {
  const rec = bucket.objects.get(name);
  if (rec) items.push(rec);
}
