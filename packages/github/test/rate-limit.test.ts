import { FakeClock } from '@recon/core';
import { describe, expect, it } from 'vitest';
import { createGithubClient, githubRetryDelay, rateLimitRequeue } from '../src/index.ts';
import { FakeGithubApi } from '../src/testing/index.ts';

const clock = new FakeClock(Date.UTC(2026, 0, 1, 12, 0, 0));
const nowSeconds = clock.now() / 1000;
const noJitter = { random: () => 0 };
const fail = (status: number, headers: Record<string, string>, message = 'x') => ({
  status,
  response: { headers, data: { message } },
});

describe('githubRetryDelay', () => {
  it('waits until the primary limit resets, plus jitter', () => {
    const err = fail(403, {
      'x-ratelimit-remaining': '0',
      'x-ratelimit-reset': String(nowSeconds + 120),
    });
    expect(githubRetryDelay(err, clock, noJitter)).toBe(120_000);
    expect(githubRetryDelay(err, clock, { random: () => 0.5, maxJitterMs: 10_000 })).toBe(125_000);
    const at429 = fail(429, {
      'X-RateLimit-Remaining': '0',
      'X-RateLimit-Reset': String(nowSeconds + 5),
    });
    expect(githubRetryDelay(at429, clock, noJitter)).toBe(5000);
  });

  it('never returns less than the minimum when the reset already passed', () => {
    const err = fail(403, {
      'x-ratelimit-remaining': '0',
      'x-ratelimit-reset': String(nowSeconds - 30),
    });
    expect(githubRetryDelay(err, clock, noJitter)).toBe(1000);
  });

  it('honours retry-after (seconds or an HTTP date) for secondary limits', () => {
    expect(githubRetryDelay(fail(403, { 'retry-after': '30' }), clock, noJitter)).toBe(30_000);
    const date = new Date(clock.now() + 90_000).toUTCString();
    expect(githubRetryDelay(fail(429, { 'retry-after': date }), clock, noJitter)).toBe(90_000);
  });

  it('falls back to a minute for a secondary limit that names no time', () => {
    const err = fail(
      403,
      {},
      'You have exceeded a secondary rate limit. Please wait a few minutes.',
    );
    expect(githubRetryDelay(err, clock, noJitter)).toBe(60_000);
    expect(githubRetryDelay(fail(429, {}), clock, noJitter)).toBe(60_000);
  });

  it('ignores other errors', () => {
    expect(
      githubRetryDelay(
        fail(403, { 'x-ratelimit-remaining': '12' }, 'Resource not accessible'),
        clock,
      ),
    ).toBeUndefined();
    expect(githubRetryDelay(fail(404, { 'retry-after': '5' }), clock)).toBeUndefined();
    expect(githubRetryDelay(new Error('boom'), clock)).toBeUndefined();
    expect(githubRetryDelay(undefined, clock)).toBeUndefined();
    expect(rateLimitRequeue(new Error('boom'), clock)).toBeUndefined();
  });

  it('reads a real Octokit RequestError from a rate-limited API', async () => {
    const api = await FakeGithubApi.start();
    try {
      api.addRepo('o', 'r');
      api.failNext(
        { method: 'GET' },
        {
          status: 403,
          headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(nowSeconds + 600) },
          body: { message: 'API rate limit exceeded for installation ID 1.' },
        },
      );
      api.failNext(
        { method: 'GET' },
        { status: 429, headers: { 'retry-after': '17' }, body: { message: 'slow down' } },
      );
      const octokit = createGithubClient({ baseUrl: api.url });
      const first = await octokit.rest.repos
        .get({ owner: 'o', repo: 'r' })
        .catch((e: unknown) => e);
      expect(rateLimitRequeue(first, clock, noJitter)).toMatchObject({
        kind: 'requeue-after',
        delayMs: 600_000,
      });
      const second = await octokit.rest.repos
        .get({ owner: 'o', repo: 'r' })
        .catch((e: unknown) => e);
      expect(githubRetryDelay(second, clock, noJitter)).toBe(17_000);
      const third = await octokit.rest.repos.get({ owner: 'o', repo: 'r' });
      expect(third.data.default_branch).toBe('main');
    } finally {
      await api.close();
    }
  });
});
