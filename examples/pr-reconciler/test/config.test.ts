import { ConfigError } from '@recon/core';
import { isReconciler } from '@recon/sdk';
import { describe, expect, it } from 'vitest';
import { parsePrReconcilerConfig } from '../src/config.ts';

describe('configuration', () => {
  it('defaults to api.github.com, anonymous, check name pr-title', () => {
    expect(parsePrReconcilerConfig({})).toEqual({
      githubApiUrl: 'https://api.github.com',
      checkName: 'pr-title',
    });
  });

  it('reads a base URL and a token', () => {
    expect(
      parsePrReconcilerConfig({ GITHUB_API_URL: 'http://127.0.0.1:3000/', GITHUB_TOKEN: 't' }),
    ).toEqual({ githubApiUrl: 'http://127.0.0.1:3000', githubToken: 't', checkName: 'pr-title' });
  });

  it('lists every problem at once', () => {
    let thrown: unknown;
    try {
      parsePrReconcilerConfig({ GITHUB_API_URL: 'ftp://x', CHECK_NAME: 'x'.repeat(101) });
    } catch (err) {
      thrown = err;
    }
    expect(ConfigError.is(thrown)).toBe(true);
    expect((thrown as ConfigError).problems).toHaveLength(2);
  });

  it('the entry recon dev loads exports a reconciler as its default', async () => {
    const entry = (await import('../src/reconciler.ts')) as { default: unknown };
    expect(isReconciler(entry.default)).toBe(true);
  });
});
