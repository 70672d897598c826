import { FakeClock } from '@recon/core';
import { createLogger } from '@recon/observability';
import { MemoryBackend } from '@recon/workqueue-memory';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveGithubWebhookFromEnv, signGithubPayload, type TriggerService } from '../src/index.ts';
import { deliver, payloads } from './support/github-payloads.ts';
import { RecordingPort } from './support/ports.ts';

const secret = 'wh-secret-value-1234';
const pr42 = 'https://github.com/chainguard-dev/recon/pull/42';

describe('GitHub webhook ingress over a real socket (enqueue directly)', () => {
  let service: TriggerService;
  let queue: MemoryBackend;
  let port: RecordingPort;
  const logs: string[] = [];

  beforeAll(async () => {
    queue = new MemoryBackend({ clock: new FakeClock() });
    port = new RecordingPort(queue);
    service = await serveGithubWebhookFromEnv(
      {
        PORT: '0',
        HOST: '127.0.0.1',
        GITHUB_WEBHOOK_SECRET: secret,
        RECEIVER_URL: 'http://127.0.0.1:1',
      },
      { enqueue: port, logger: createLogger({ write: (l) => logs.push(l), level: 'DEBUG' }) },
    );
  });
  afterAll(async () => {
    await service.stop();
    await queue.close();
  });

  it('enqueues the PR key of a signed pull_request delivery at priority 100', async () => {
    const res = await deliver(service.url, 'pull_request', payloads.pullRequestOpened(42), {
      secret,
    });
    expect(res.status).toBe(200);
    expect(res.json()).toMatchObject({ result: 'accepted', keys: 1 });
    expect(await queue.getKeyState(pr42)).toMatchObject({ status: 'QUEUED', priority: 100 });
  });

  it('maps every supported event, including form-encoded deliveries', async () => {
    const before = port.calls.length;
    await deliver(service.url, 'pull_request_review', payloads.reviewSubmitted(1), { secret });
    await deliver(service.url, 'pull_request_review_comment', payloads.reviewComment(2), {
      secret,
    });
    await deliver(service.url, 'check_run', payloads.checkRunCompleted([3]), { secret });
    await deliver(service.url, 'check_suite', payloads.checkSuiteCompleted([4, 5]), { secret });
    await deliver(service.url, 'issues', payloads.issueOpened(6), { secret });
    await deliver(service.url, 'issue_comment', payloads.issueComment(7), {
      secret,
      contentType: 'form',
    });
    await deliver(service.url, 'issue_comment', payloads.prComment(8), { secret });
    const keys = port.calls
      .slice(before)
      .map((c) => c.key.replace('https://github.com/chainguard-dev/recon/', ''));
    expect(keys.sort()).toEqual([
      'issues/6',
      'issues/7',
      'pull/1',
      'pull/2',
      'pull/3',
      'pull/4',
      'pull/5',
      'pull/8',
    ]);
    expect(port.calls.slice(before).every((c) => c.priority === 100)).toBe(true);
  });

  it('answers 401 to a forged or missing signature and enqueues nothing', async () => {
    const before = port.calls.length;
    const payload = payloads.pullRequestOpened(500);
    const forged = await deliver(service.url, 'pull_request', payload, {
      secret: 'not-the-secret',
    });
    expect(forged.status).toBe(401);
    const tampered = await deliver(service.url, 'pull_request', payload, {
      signature: signGithubPayload(secret, JSON.stringify(payloads.pullRequestOpened(501))),
    });
    expect(tampered.status).toBe(401);
    const missing = await deliver(service.url, 'pull_request', payload);
    expect(missing.status).toBe(401);
    const garbage = await deliver(service.url, 'pull_request', payload, { signature: 'sha256=zz' });
    expect(garbage.status).toBe(401);
    expect(port.calls.length).toBe(before);
  });

  it('answers a replayed delivery "duplicate" and enqueues nothing', async () => {
    const delivery = 'd3b07384-d113-4ec6-a8f8-1c8a3e8d6f01';
    const first = await deliver(service.url, 'issues', payloads.issueOpened(900), {
      secret,
      delivery,
    });
    expect(first.json()).toMatchObject({ result: 'accepted' });
    const count = port.calls.length;
    const replay = await deliver(service.url, 'issues', payloads.issueOpened(900), {
      secret,
      delivery,
    });
    expect(replay.status).toBe(200);
    expect(replay.json()).toEqual({ result: 'duplicate' });
    expect(port.calls.length).toBe(count);
  });

  it('ignores unknown events and pings with 200', async () => {
    const before = port.calls.length;
    const star = await deliver(service.url, 'star', payloads.star(), { secret });
    expect(star.status).toBe(200);
    expect(star.json()).toMatchObject({ result: 'ignored', keys: 0 });
    const ping = await deliver(service.url, 'ping', payloads.ping(), { secret });
    expect(ping.json()).toMatchObject({ result: 'ignored', message: 'pong' });
    expect(port.calls.length).toBe(before);
  });

  it('answers 503 while the receiver is down, and takes the redelivery afterwards', async () => {
    const delivery = '8a1f0c2e-0000-4000-8000-000000000001';
    port.down = true;
    const failed = await deliver(service.url, 'pull_request', payloads.pullRequestOpened(77), {
      secret,
      delivery,
    });
    expect(failed.status).toBe(503);
    port.down = false;
    const redelivered = await deliver(service.url, 'pull_request', payloads.pullRequestOpened(77), {
      secret,
      delivery,
    });
    expect(redelivered.json()).toMatchObject({ result: 'accepted', keys: 1 });
    expect(
      await queue.getKeyState('https://github.com/chainguard-dev/recon/pull/77'),
    ).toBeDefined();
  });

  it('answers 400 to a signed delivery without event headers or JSON', async () => {
    const body = 'not json';
    const res = await fetch(service.url, {
      method: 'POST',
      headers: {
        'x-hub-signature-256': signGithubPayload(secret, body),
        'x-github-event': 'push',
        'x-github-delivery': 'x',
      },
      body,
    });
    expect(res.status).toBe(400);
    const noEvent = await fetch(service.url, {
      method: 'POST',
      headers: { 'x-hub-signature-256': signGithubPayload(secret, '{}') },
      body: '{}',
    });
    expect(noEvent.status).toBe(400);
  });

  it('counts deliveries and never logs the secret', async () => {
    const metrics = await (await fetch(`${service.url}/metrics`)).text();
    expect(metrics).toContain(
      'github_webhook_deliveries_total{event="pull_request",result="unauthorized"} 4',
    );
    expect(metrics).toContain(
      'github_webhook_deliveries_total{event="issues",result="duplicate"} 1',
    );
    expect(logs.length).toBeGreaterThan(0);
    expect(logs.join('\n')).not.toContain(secret);
  });
});
