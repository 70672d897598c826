import { ConfigError } from '@recon/core';
import { isReconciler } from '@recon/sdk';
import { describe, expect, it } from 'vitest';
import { parsePathReconcilerConfig } from '../src/config.ts';

describe('configuration', () => {
  it('has defaults for everything (any repository, services/*.json, revisit every 6 h)', () => {
    const config = parsePathReconcilerConfig({});
    expect(config).toMatchObject({
      githubApiUrl: 'https://api.github.com',
      checkName: 'config-lint',
      revisitMs: 6 * 3_600_000,
    });
    expect(config.repository).toBeUndefined();
    expect(config.patterns.match('services/a.json')).toBe('services/a.json');
    expect(config.patterns.match('services/a/b.json')).toBeUndefined();
  });

  it('shares PATH_PATTERNS, GITHUB_OWNER/REPO and GITHUB_API_URL with the triggers', () => {
    const config = parsePathReconcilerConfig({
      GITHUB_OWNER: 'acme',
      GITHUB_REPO: 'service-configs',
      PATH_PATTERNS: '["^(deploy/[^/]+\\\\.json)$"]',
      GITHUB_API_URL: 'http://127.0.0.1:3001',
      REVISIT_AFTER: '30m',
    });
    expect(config).toMatchObject({
      repository: { owner: 'acme', repo: 'service-configs' },
      githubApiUrl: 'http://127.0.0.1:3001',
      revisitMs: 30 * 60_000,
    });
    expect(config.patterns.match('deploy/x.json')).toBe('deploy/x.json');
  });

  it('lists every problem at once', () => {
    let thrown: unknown;
    try {
      parsePathReconcilerConfig({
        GITHUB_OWNER: 'acme',
        PATH_PATTERNS: '["services/.*"]',
        REVISIT_AFTER: 'soon',
      });
    } catch (err) {
      thrown = err;
    }
    expect(ConfigError.is(thrown)).toBe(true);
    expect((thrown as ConfigError).problems).toHaveLength(4); // repo, anchoring, capture group, duration
  });

  it('the entry recon dev loads exports a reconciler as its default', async () => {
    const entry = (await import('../src/reconciler.ts')) as { default: unknown };
    expect(isReconciler(entry.default)).toBe(true);
  });
});
