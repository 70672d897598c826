import { NonRetriableError, toOutcome } from '@recon/sdk';
import { describe, expect, it } from 'vitest';
import {
  blobKey,
  formatGithubKey,
  GithubKeyError,
  issueKey,
  parseGithubKey,
  pullRequestKey,
} from '../src/index.ts';

describe('parseGithubKey', () => {
  it.each([
    [
      'https://github.com/chainguard-dev/recon/pull/42',
      { kind: 'pull', owner: 'chainguard-dev', repo: 'recon', number: 42 },
    ],
    ['github.com/o/r/issues/7', { kind: 'issue', owner: 'o', repo: 'r', number: 7 }],
    [
      'https://github.com/o/r.js/blob/main/a/b/c.yaml',
      { kind: 'blob', owner: 'o', repo: 'r.js', ref: 'main', path: 'a/b/c.yaml' },
    ],
    ['https://github.com/o/r/tree/v1.2.3/images', { kind: 'tree', ref: 'v1.2.3', path: 'images' }],
    ['https://github.com/o/r/tree/main', { kind: 'tree', ref: 'main', path: '' }],
    ['HTTPS://GitHub.com/o/r/pull/1', { kind: 'pull', number: 1 }],
    [
      'https://github.com/o/r/blob/main/C#/file name?.cs',
      { kind: 'blob', path: 'C#/file name?.cs' },
    ],
  ])('parses %s', (key, expected) => {
    const parsed = parseGithubKey(key);
    expect(parsed).toMatchObject({ ...expected, original: key });
    expect(formatGithubKey(parsed)).toBe(key);
  });

  it.each([
    ['', 'non-empty'],
    ['https://gitlab.com/o/r/pull/1', 'host'],
    ['https://www.github.com/o/r/pull/1', 'host'],
    ['http://github.com/o/r/pull/1', 'scheme'],
    ['ftp://github.com/o/r/pull/1', 'scheme'],
    ['https://github.com/o/r/pull/0', 'positive number'],
    ['https://github.com/o/r/pull/01', 'positive number'],
    ['https://github.com/o/r/pull/1/files', 'positive number'],
    ['https://github.com/o/r/pulls/1', 'expected'],
    ['https://github.com/o/r', 'expected'],
    ['https://github.com/-o/r/pull/1', 'owner'],
    ['https://github.com/o/../pull/1', 'repository'],
    ['https://github.com/o/r/blob/main', 'file path'],
    ['https://github.com/o/r/blob/main/a//b', 'empty path segment'],
    ['https://github.com/o/r/tree/main/', 'empty path segment'],
    ['https://github.com/o/r/blob/main/a/../b', '".."'],
    ['https://github.com/o/r/pull/1\n', 'control character'],
  ])('rejects %j (%s)', (key, problem) => {
    let caught: unknown;
    try {
      parseGithubKey(key);
    } catch (err) {
      caught = err;
    }
    expect(GithubKeyError.is(caught)).toBe(true);
    expect((caught as GithubKeyError).problem).toContain(problem);
    expect((caught as GithubKeyError).key).toBe(key);
  });

  it('splits refs that contain slashes when told which refs exist', () => {
    const key = 'https://github.com/o/r/blob/release/v1/docs/a.md';
    expect(parseGithubKey(key)).toMatchObject({ ref: 'release', path: 'v1/docs/a.md' });
    const parsed = parseGithubKey(key, { refs: ['release/v1'] });
    expect(parsed).toMatchObject({ ref: 'release/v1', path: 'docs/a.md' });
    expect(formatGithubKey(parsed)).toBe(key);
  });
});

describe('formatGithubKey', () => {
  it('builds canonical keys from fields, and ignores a stale original', () => {
    expect(pullRequestKey('o', 'r', 3)).toBe('https://github.com/o/r/pull/3');
    expect(issueKey('o', 'r', 4)).toBe('https://github.com/o/r/issues/4');
    expect(blobKey('o', 'r', 'main', 'x/y')).toBe('https://github.com/o/r/blob/main/x/y');
    const parsed = parseGithubKey('github.com/o/r/pull/1');
    if (parsed.kind !== 'pull') throw new Error('expected a pull key');
    expect(formatGithubKey({ ...parsed, number: 2 })).toBe('https://github.com/o/r/pull/2');
    expect(formatGithubKey({ kind: 'tree', owner: 'o', repo: 'r', ref: 'main', path: '' })).toBe(
      'https://github.com/o/r/tree/main',
    );
  });
});

describe('GithubKeyError', () => {
  it('is non-retriable for the SDK and matched by its own brand', () => {
    const err = new GithubKeyError('nope', { problem: 'bad' });
    expect(NonRetriableError.is(err)).toBe(true);
    expect(GithubKeyError.is(err)).toBe(true);
    expect(GithubKeyError.is(new NonRetriableError('other'))).toBe(false);
    expect(GithubKeyError.is(new Error('x'))).toBe(false);
    expect(toOutcome(err, { thrown: true })).toMatchObject({ kind: 'non-retriable' });
    expect(err.reason).toBe('invalid-github-key');
  });
});
