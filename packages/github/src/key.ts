/**
 * GitHub keys: the URLs reconcilers of pull requests, issues and repository files are keyed by.
 *
 *   https://github.com/<owner>/<repo>/pull/<n>
 *   https://github.com/<owner>/<repo>/issues/<n>
 *   https://github.com/<owner>/<repo>/blob/<ref>/<path>
 *   https://github.com/<owner>/<repo>/tree/<ref>[/<path>]
 *
 * The scheme is optional (`github.com/o/r/pull/1` parses); the host must be github.com. Keys are
 * identifiers, not URLs to fetch: nothing is percent-decoded, and `?` or `#` in a file path are
 * part of the path. `original` keeps the string as given, so `formatGithubKey(parseGithubKey(s))`
 * is `s` exactly.
 */
import { GithubKeyError } from './errors.ts';

export type GithubKeyKind = 'pull' | 'issue' | 'blob' | 'tree';

interface GithubKeyBase {
  owner: string;
  repo: string;
  /** The key as it was parsed; absent on keys built by hand. */
  original?: string;
}

/** A pull request or an issue. */
export interface GithubNumberedKey extends GithubKeyBase {
  kind: 'pull' | 'issue';
  number: number;
  ref?: undefined;
  path?: undefined;
}

/** A file (`blob`) or a directory (`tree`; path `''` is the repository root) at a ref. */
export interface GithubFileKey extends GithubKeyBase {
  kind: 'blob' | 'tree';
  ref: string;
  path: string;
  number?: undefined;
}

export type GithubKey = GithubNumberedKey | GithubFileKey;

/** A parsed key always carries the string it came from. */
export type ParsedGithubKey = GithubKey & { original: string };

export interface ParseGithubKeyOptions {
  /**
   * Refs that contain `/` (e.g. `release/v1`). A blob or tree key's ref is its first segment
   * unless the rest starts with one of these (the longest wins). Default: none.
   */
  refs?: readonly string[];
}

const ownerPattern = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/;
const repoPattern = /^[A-Za-z0-9._-]{1,100}$/;
const numberPattern = /^[1-9][0-9]*$/;
const controlChars = /[\u0000-\u001f\u007f-\u009f]/;
const segmentNames: Record<string, GithubKeyKind> = {
  pull: 'pull',
  issues: 'issue',
  blob: 'blob',
  tree: 'tree',
};

/** Parses a GitHub key; throws GithubKeyError (non-retriable) for anything else. */
export function parseGithubKey(key: string, options: ParseGithubKeyOptions = {}): ParsedGithubKey {
  const fail = (problem: string): never => {
    throw new GithubKeyError(String(key), { problem });
  };
  if (typeof key !== 'string' || key === '') return fail('must be a non-empty string');
  if (controlChars.test(key)) fail('contains a control character');
  const withoutScheme = key.replace(/^https:\/\//i, '');
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(withoutScheme)) fail('the scheme must be https (or none)');
  const [host = '', ...segments] = withoutScheme.split('/');
  if (host.toLowerCase() !== 'github.com')
    fail(`the host must be github.com, not ${JSON.stringify(host)}`);
  const [owner = '', repo = '', kindSegment = '', ...rest] = segments;
  if (!ownerPattern.test(owner)) fail(`${JSON.stringify(owner)} is not a GitHub owner`);
  if (!repoPattern.test(repo) || repo === '.' || repo === '..') {
    fail(`${JSON.stringify(repo)} is not a repository name`);
  }
  const kind = Object.hasOwn(segmentNames, kindSegment) ? segmentNames[kindSegment] : undefined;
  if (!kind)
    return fail('expected /pull/<n>, /issues/<n>, /blob/<ref>/<path> or /tree/<ref>/<path>');

  if (kind === 'pull' || kind === 'issue') {
    const [n = '', ...extra] = rest;
    if (extra.length > 0 || !numberPattern.test(n) || !Number.isSafeInteger(Number(n))) {
      fail(`expected a positive number after /${kindSegment}/`);
    }
    return { kind, owner, repo, number: Number(n), original: key };
  }

  if (rest.some((s) => s === '')) fail('empty path segment (double or trailing slash)');
  const { ref, path } = splitRef(rest, options.refs ?? []);
  if (ref === '') fail(`expected a ref after /${kindSegment}/`);
  if (kind === 'blob' && path === '') fail('a blob key needs a file path after the ref');
  if (path.split('/').some((s) => s === '.' || s === '..'))
    fail('"." and ".." are not path segments');
  return { kind, owner, repo, ref, path, original: key };
}

/**
 * The key string: `original` when it still describes these fields (so parsing round-trips the
 * string exactly), otherwise the canonical `https://github.com/...` form.
 */
export function formatGithubKey(key: GithubKey): string {
  if (key.original !== undefined) {
    try {
      if (sameKey(parseGithubKey(key.original, { refs: key.ref ? [key.ref] : [] }), key)) {
        return key.original;
      }
    } catch {
      // A stale or foreign `original`: fall through to the canonical form.
    }
  }
  const base = `https://github.com/${key.owner}/${key.repo}`;
  switch (key.kind) {
    case 'pull':
      return `${base}/pull/${key.number}`;
    case 'issue':
      return `${base}/issues/${key.number}`;
    case 'blob':
    case 'tree':
      return `${base}/${key.kind}/${key.ref}${key.path ? `/${key.path}` : ''}`;
  }
}

/** `https://github.com/<owner>/<repo>/pull/<n>` */
export function pullRequestKey(owner: string, repo: string, number: number): string {
  return formatGithubKey({ kind: 'pull', owner, repo, number });
}

/** `https://github.com/<owner>/<repo>/issues/<n>` */
export function issueKey(owner: string, repo: string, number: number): string {
  return formatGithubKey({ kind: 'issue', owner, repo, number });
}

/** `https://github.com/<owner>/<repo>/blob/<ref>/<path>` */
export function blobKey(owner: string, repo: string, ref: string, path: string): string {
  return formatGithubKey({ kind: 'blob', owner, repo, ref, path });
}

function splitRef(rest: string[], refs: readonly string[]): { ref: string; path: string } {
  const joined = rest.join('/');
  const known = [...refs]
    .filter((r) => r.includes('/') && (joined === r || joined.startsWith(`${r}/`)))
    .sort((a, b) => b.length - a.length)[0];
  if (known) return { ref: known, path: joined.slice(known.length + 1) };
  const [ref = '', ...path] = rest;
  return { ref, path: path.join('/') };
}

function sameKey(a: GithubKey, b: GithubKey): boolean {
  return (
    a.kind === b.kind &&
    a.owner === b.owner &&
    a.repo === b.repo &&
    a.number === b.number &&
    a.ref === b.ref &&
    a.path === b.path
  );
}
