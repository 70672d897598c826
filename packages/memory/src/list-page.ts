import { InvalidArgumentError } from '@recon/core';
import type { ListOptions } from '@recon/core';
import { compareKeys } from './sorted-keys.ts';
import type { SortedKeys } from './sorted-keys.ts';

/** `list` returns this many entries unless told otherwise. */
export const defaultListLimit = 100;
/** ...and never more than this in one page. */
export const maxListLimit = 10_000;

/**
 * One page of `keys` (in key order) under `options.prefix`, starting after the key the page
 * token names. The token is the last key returned, base64url-encoded: opaque to callers, and
 * still valid when that key has since left the queue.
 */
export function pageOfKeys(
  keys: SortedKeys,
  options: ListOptions = {},
): { keys: string[]; nextPageToken?: string } {
  const prefix = options.prefix ?? '';
  if (typeof prefix !== 'string') throw new InvalidArgumentError('prefix', 'must be a string');
  const limit = options.limit ?? defaultListLimit;
  if (!Number.isInteger(limit) || limit < 1 || limit > maxListLimit) {
    throw new InvalidArgumentError(
      'limit',
      `must be an integer in [1, ${maxListLimit}], got ${limit}`,
    );
  }
  const after = options.pageToken === undefined ? undefined : decodePageToken(options.pageToken);
  // Resume after the token's key, unless it sorts before the prefix (then start at the prefix).
  const resume = after !== undefined && compareKeys(after, prefix) >= 0;
  const out: string[] = [];
  for (const key of keys.from(resume ? after : prefix, resume)) {
    if (!key.startsWith(prefix)) break;
    if (out.length === limit) {
      return { keys: out, nextPageToken: encodePageToken(out[out.length - 1] as string) };
    }
    out.push(key);
  }
  return { keys: out };
}

function encodePageToken(lastKey: string): string {
  return Buffer.from(lastKey, 'utf8').toString('base64url');
}

function decodePageToken(token: string): string {
  const key = Buffer.from(token, 'base64url').toString('utf8');
  if (typeof token !== 'string' || token === '' || encodePageToken(key) !== token) {
    throw new InvalidArgumentError('pageToken', 'is not a token from a previous page');
  }
  return key;
}
