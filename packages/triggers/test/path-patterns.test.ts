import { ConfigError } from '@recon/core';
import { describe, expect, it } from 'vitest';
import {
  compilePathPatterns,
  parseGithubPushConfig,
  parseResyncConfig,
  pathPatternProblems,
} from '../src/index.ts';

describe('path patterns', () => {
  it('first matching pattern wins; its capture is the key path', () => {
    const patterns = compilePathPatterns(['^(images/[^/]+)/.+$', '^(.+\\.yaml)$']);
    expect(patterns.match('images/nginx/config.yaml')).toBe('images/nginx');
    expect(patterns.match('other/a.yaml')).toBe('other/a.yaml');
    expect(patterns.match('README.md')).toBeUndefined();
    expect(compilePathPatterns(['^a(b)?$']).match('a')).toBeUndefined();
  });

  it('names every bad pattern with a clear reason', () => {
    expect(pathPatternProblems(['^(a)$'])).toEqual([]);
    expect(pathPatternProblems(['^(?:x)(a)$', '^(?<name>a)$'])).toEqual([]);
    expect(pathPatternProblems([])).toEqual([
      'PATH_PATTERNS must be a non-empty JSON array of regular expressions',
    ]);
    expect(pathPatternProblems('^(a)$')).toHaveLength(1);
    const problems = pathPatternProblems([
      '(a)$',
      '^(a)',
      '^a$',
      '^(a)(b)$',
      '^([)$',
      3,
      '^(a)\\$',
    ]);
    expect(problems).toEqual([
      'PATH_PATTERNS[0] "(a)$" must be anchored: start with ^ and end with $',
      'PATH_PATTERNS[1] "^(a)" must be anchored: start with ^ and end with $',
      expect.stringContaining(
        'PATH_PATTERNS[2] "^a$" must have exactly one capture group (the key\'s path), found 0',
      ),
      expect.stringContaining(
        'PATH_PATTERNS[3] "^(a)(b)$" must have exactly one capture group (the key\'s path), found 2',
      ),
      expect.stringContaining('PATH_PATTERNS[4] "^([)$" is not a valid regular expression'),
      'PATH_PATTERNS[5] must be a non-empty string',
      'PATH_PATTERNS[6] "^(a)\\\\$" must be anchored: start with ^ and end with $',
    ]);
    expect(() => compilePathPatterns(['^a$'])).toThrow(ConfigError);
  });
});

describe('path trigger config', () => {
  const base = {
    GITHUB_OWNER: 'o',
    GITHUB_REPO: 'r',
    PATH_PATTERNS: '["^(.+)$"]',
    RECEIVER_URL: 'http://r:1',
  };
  const problems = (fn: () => unknown) => {
    try {
      fn();
      return [];
    } catch (err) {
      return ConfigError.is(err) ? [...err.problems] : [String(err)];
    }
  };

  it('parses the resync period rules', () => {
    expect(parseResyncConfig(base)).toMatchObject({
      periodMs: 24 * 3_600_000,
      tickMs: 60_000,
      githubApiUrl: 'https://api.github.com',
    });
    expect(
      parseResyncConfig({ ...base, RESYNC_PERIOD_HOURS: '6', RESYNC_TICK_MINUTES: '10' }),
    ).toMatchObject({ periodMs: 6 * 3_600_000, tickMs: 600_000 });
    expect(parseResyncConfig({ ...base, RESYNC_PERIOD_HOURS: '744' }).periodMs).toBe(
      744 * 3_600_000,
    );
    expect(problems(() => parseResyncConfig({ ...base, RESYNC_PERIOD_HOURS: '36' }))).toEqual([
      'RESYNC_PERIOD_HOURS over 24 must be a multiple of 24 (whole days), got 36',
    ]);
    expect(problems(() => parseResyncConfig({ ...base, RESYNC_PERIOD_HOURS: '0' }))).toEqual([
      'RESYNC_PERIOD_HOURS must be >= 1, got 0',
    ]);
    expect(problems(() => parseResyncConfig({ ...base, RESYNC_PERIOD_HOURS: '768' }))).toEqual([
      'RESYNC_PERIOD_HOURS must be <= 744, got 768',
    ]);
    expect(
      problems(() =>
        parseResyncConfig({ ...base, RESYNC_PERIOD_HOURS: '1', RESYNC_TICK_MINUTES: '7' }),
      ),
    ).toHaveLength(1);
  });

  it('lists every problem of the push listener at once, without secrets', () => {
    const found = problems(() =>
      parseGithubPushConfig({
        GITHUB_OWNER: '-bad',
        PATH_PATTERNS: '["^a$"]',
        GITHUB_API_URL: 'nope',
        GITHUB_TOKEN: 'ghp_secret',
      }),
    );
    const text = found.join('\n');
    for (const name of [
      'GITHUB_WEBHOOK_SECRET',
      'GITHUB_OWNER',
      'GITHUB_REPO',
      'PATH_PATTERNS[0]',
      'RECEIVER_URL',
      'GITHUB_API_URL',
    ]) {
      expect(text).toContain(name);
    }
    expect(text).not.toContain('ghp_secret');
  });
});
