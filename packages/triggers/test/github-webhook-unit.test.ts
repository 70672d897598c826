import { ConfigError, FakeClock } from '@recon/core';
import { parseGithubKey } from '@recon/github';
import { describe, expect, it } from 'vitest';
import {
  DeliveryDedup,
  githubEventKeys,
  parseGithubWebhookConfig,
  signGithubPayload,
  verifyGithubSignature,
} from '../src/index.ts';
import { payloads } from './support/github-payloads.ts';

const pr = (n: number) => `https://github.com/chainguard-dev/recon/pull/${n}`;
const issue = (n: number) => `https://github.com/chainguard-dev/recon/issues/${n}`;

describe('githubEventKeys', () => {
  it.each([
    ['pull_request', payloads.pullRequestOpened(42), [pr(42)]],
    ['pull_request', payloads.pullRequestSynchronize(5), [pr(5)]],
    ['pull_request_review', payloads.reviewSubmitted(42), [pr(42)]],
    ['pull_request_review_comment', payloads.reviewComment(8), [pr(8)]],
    ['check_run', payloads.checkRunCompleted([42]), [pr(42)]],
    ['check_run', payloads.checkRunCompleted([]), []],
    ['check_suite', payloads.checkSuiteCompleted([42, 43, 42]), [pr(42), pr(43)]],
    ['issues', payloads.issueOpened(7), [issue(7)]],
    ['issue_comment', payloads.issueComment(7), [issue(7)]],
    ['issue_comment', payloads.prComment(42), [pr(42)]],
    ['ping', payloads.ping(), []],
    ['star', payloads.star(), []],
    ['pull_request', { action: 'opened' }, []],
    ['pull_request', null, []],
  ])('%s → keys', (event, payload, keys) => {
    const found = githubEventKeys(event, payload);
    expect(found.map((k) => k.key)).toEqual(keys);
    for (const k of found) {
      expect(parseGithubKey(k.key).kind).toBe(k.extension === 'pullrequesturl' ? 'pull' : 'issue');
      expect(k).toMatchObject({ owner: 'chainguard-dev', repo: 'recon' });
    }
  });
});

describe('signatures', () => {
  const body = Buffer.from(JSON.stringify(payloads.pullRequestOpened()));
  it('accepts exactly the signature of these bytes under this secret', () => {
    const sig = signGithubPayload('s3cret', body);
    expect(sig).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(verifyGithubSignature('s3cret', body, sig)).toBe(true);
    expect(
      verifyGithubSignature('s3cret', body, sig.toUpperCase().replace('SHA256=', 'sha256=')),
    ).toBe(true);
    expect(verifyGithubSignature('other', body, sig)).toBe(false);
    expect(verifyGithubSignature('s3cret', Buffer.concat([body, Buffer.from(' ')]), sig)).toBe(
      false,
    );
    expect(verifyGithubSignature('s3cret', body, sig.slice(0, -2))).toBe(false);
    expect(verifyGithubSignature('s3cret', body, `${sig}00`)).toBe(false);
    expect(verifyGithubSignature('s3cret', body, sig.replace('sha256=', 'sha1='))).toBe(false);
    expect(verifyGithubSignature('s3cret', body, undefined)).toBe(false);
    expect(verifyGithubSignature('s3cret', body, [sig])).toBe(false);
  });
});

describe('DeliveryDedup', () => {
  it('remembers ids for the TTL, and at most maxEntries of them', async () => {
    const clock = new FakeClock();
    const dedup = new DeliveryDedup({ clock, ttlMs: 60_000, maxEntries: 3 });
    dedup.add('a');
    expect(dedup.has('a')).toBe(true);
    await clock.advance(60_000);
    expect(dedup.has('a')).toBe(false);
    for (const id of ['b', 'c', 'd']) dedup.add(id);
    expect(dedup.has('b')).toBe(true); // b is now the most recently used
    dedup.add('e');
    expect(dedup.has('c')).toBe(false);
    expect(dedup.has('b')).toBe(true);
    expect(dedup.size).toBe(3);
  });
});

describe('parseGithubWebhookConfig', () => {
  it('takes a receiver or a broker topic, never both, and needs the secret', () => {
    expect(
      parseGithubWebhookConfig({ GITHUB_WEBHOOK_SECRET: 's', RECEIVER_URL: 'http://r:1' }).target,
    ).toEqual({ kind: 'receiver', url: 'http://r:1' });
    expect(
      parseGithubWebhookConfig({ GITHUB_WEBHOOK_SECRET: 's', BROKER_TOPIC: 'projects/p/topics/t' })
        .target,
    ).toEqual({ kind: 'broker', topic: 'projects/p/topics/t' });
    const problems = (env: Record<string, string>) => {
      try {
        parseGithubWebhookConfig(env);
        return [];
      } catch (err) {
        return ConfigError.is(err) ? [...err.problems] : [String(err)];
      }
    };
    expect(problems({})).toHaveLength(2);
    expect(
      problems({ GITHUB_WEBHOOK_SECRET: 's', RECEIVER_URL: 'http://r:1', BROKER_TOPIC: 't' }),
    ).toEqual(['set only one of RECEIVER_URL and BROKER_TOPIC']);
    expect(
      problems({ GITHUB_WEBHOOK_SECRET: 'hunter2', RECEIVER_URL: 'ftp://x' }).join(),
    ).not.toContain('hunter2');
  });
});
