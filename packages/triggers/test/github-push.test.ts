import { FakeClock } from '@recon/core';
import { FakeGithubApi } from '@recon/github/testing';
import { silentLogger } from '@recon/observability';
import { MemoryBackend } from '@recon/workqueue-memory';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { serveGithubPushFromEnv, type TriggerService } from '../src/index.ts';
import { deliver, payloads } from './support/github-payloads.ts';
import { RecordingPort } from './support/ports.ts';

const secret = 'push-secret';
const token = 'ghs_pushtoken';
const owner = 'chainguard-dev';
const repo = 'recon';
const blob = (path: string) => `https://github.com/${owner}/${repo}/blob/main/${path}`;
const zero = '0'.repeat(40);

/** 3,200 files: 500 image directories (2 files each), 600 package manifests, 1,200 docs. */
function baseFiles(): Map<string, string> {
  const files = new Map<string, string>();
  for (let i = 0; i < 500; i++) {
    files.set(`images/img-${i}/config.yaml`, `image ${i}`);
    files.set(`images/img-${i}/README.md`, `readme ${i}`);
  }
  for (let i = 0; i < 600; i++) files.set(`packages/pkg-${i}/melange.yaml`, `package ${i}`);
  for (let i = 0; i < 1200; i++) files.set(`docs/page-${i}.md`, `doc ${i}`);
  return files;
}

describe('github-push over a real socket against a fake GitHub API', () => {
  let api: FakeGithubApi;
  let service: TriggerService;
  let queue: MemoryBackend;
  let port: RecordingPort;
  let base: string;

  beforeAll(async () => {
    api = await FakeGithubApi.start({ token });
    api.addRepo(owner, repo);
    base = api.commit(owner, repo, baseFiles(), { branch: 'main' });
    queue = new MemoryBackend({ clock: new FakeClock() });
    port = new RecordingPort(queue);
    service = await serveGithubPushFromEnv(
      {
        PORT: '0',
        HOST: '127.0.0.1',
        GITHUB_WEBHOOK_SECRET: secret,
        GITHUB_OWNER: owner,
        GITHUB_REPO: repo,
        GITHUB_TOKEN: token,
        GITHUB_API_URL: api.url,
        RECEIVER_URL: 'http://127.0.0.1:1',
        PATH_PATTERNS: JSON.stringify(['^(images/[^/]+)/.+$', '^(packages/[^/]+/melange\\.yaml)$']),
      },
      { enqueue: port, logger: silentLogger },
    );
  });
  afterAll(async () => {
    await service.stop();
    await api.close();
    await queue.close();
  });
  beforeEach(() => {
    port.calls.length = 0;
  });

  it('a push touching 1,000 files enqueues exactly the matching keys, once each, at priority 100', async () => {
    const changes = new Map<string, string>();
    const removed: string[] = [];
    const expected = new Set<string>();
    // 400 image files in 200 directories → 200 keys (two files, one key).
    for (let i = 0; i < 200; i++) {
      changes.set(`images/img-${i}/config.yaml`, `image ${i} v2`);
      changes.set(`images/img-${i}/README.md`, `readme ${i} v2`);
      expected.add(blob(`images/img-${i}`));
    }
    // 300 manifests: 250 changed, 25 added, 25 removed → 300 keys.
    for (let i = 0; i < 250; i++) changes.set(`packages/pkg-${i}/melange.yaml`, `package ${i} v2`);
    for (let i = 600; i < 625; i++)
      changes.set(`packages/pkg-${i}/melange.yaml`, `new package ${i}`);
    for (let i = 300; i < 325; i++) removed.push(`packages/pkg-${i}/melange.yaml`);
    for (const path of [...changes.keys(), ...removed])
      if (path.startsWith('packages/')) expected.add(blob(path));
    // 300 docs: no pattern matches.
    for (let i = 0; i < 300; i++) changes.set(`docs/page-${i}.md`, `doc ${i} v2`);
    expect(changes.size + removed.length).toBe(1000);
    const after = api.commit(owner, repo, changes, {
      parent: base,
      remove: removed,
      branch: 'main',
    });

    const res = await deliver(service.url, 'push', payloads.push({ before: base, after }), {
      secret,
    });
    expect(res.status).toBe(200);
    expect(res.json()).toMatchObject({
      result: 'accepted',
      keys: 500,
      message: '1000 files changed on main',
    });
    const counts = port.counts();
    expect(new Set(counts.keys())).toEqual(expected);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    expect(port.calls.every((c) => c.priority === 100)).toBe(true);
    expect(await queue.getKeyState(blob('images/img-0'))).toMatchObject({
      status: 'QUEUED',
      priority: 100,
    });

    // The two full trees were read recursively, with the token.
    const trees = api.requests.filter((r) => r.path.includes('/git/trees/'));
    expect(trees.map((r) => r.path.split('/').pop()).sort()).toEqual([base, after].sort());
    expect(
      trees.every(
        (r) => r.query.get('recursive') === 'true' && r.headers.authorization === `token ${token}`,
      ),
    ).toBe(true);
  });

  it('ignores pushes to another branch or another repository without reading any tree', async () => {
    const requests = api.requests.length;
    const other = await deliver(
      service.url,
      'push',
      payloads.push({ ref: 'refs/heads/feature', before: base, after: base }),
      { secret },
    );
    expect(other.json()).toMatchObject({
      result: 'ignored',
      message: 'refs/heads/feature is not the default branch main',
    });
    const tag = await deliver(
      service.url,
      'push',
      payloads.push({ ref: 'refs/tags/v1', before: zero, after: base }),
      { secret },
    );
    expect(tag.json()).toMatchObject({ result: 'ignored' });
    const foreign = await deliver(
      service.url,
      'push',
      payloads.push({ name: 'other', before: base, after: base }),
      { secret },
    );
    expect(foreign.json()).toMatchObject({ result: 'ignored' });
    const pr = await deliver(service.url, 'pull_request', payloads.pullRequestOpened(1), {
      secret,
    });
    expect(pr.json()).toMatchObject({ result: 'ignored' });
    expect(api.requests.length).toBe(requests);
    expect(port.calls).toHaveLength(0);
  });

  it('treats a new default branch (before = 000…0) as changing every file', async () => {
    const res = await deliver(service.url, 'push', payloads.push({ before: zero, after: base }), {
      secret,
    });
    expect(res.json()).toMatchObject({ result: 'accepted', keys: 1100 });
    expect(port.counts().size).toBe(1100);
  });

  it('fails loudly on a truncated tree and enqueues nothing', async () => {
    const truncated = api.commit(
      owner,
      repo,
      { 'images/img-1/config.yaml': 'x' },
      { parent: base, truncated: true },
    );
    const res = await deliver(
      service.url,
      'push',
      payloads.push({ before: base, after: truncated }),
      { secret },
    );
    expect(res.status).toBe(503);
    expect(port.calls).toHaveLength(0);
  });

  it('requires a valid signature and deduplicates deliveries', async () => {
    const after = api.commit(owner, repo, { 'images/img-499/config.yaml': 'v3' }, { parent: base });
    const payload = payloads.push({ before: base, after });
    expect((await deliver(service.url, 'push', payload)).status).toBe(401);
    expect((await deliver(service.url, 'push', payload, { secret: 'wrong' })).status).toBe(401);
    expect(port.calls).toHaveLength(0);
    const delivery = 'push-delivery-1';
    expect(
      (await deliver(service.url, 'push', payload, { secret, delivery })).json(),
    ).toMatchObject({ keys: 1 });
    expect((await deliver(service.url, 'push', payload, { secret, delivery })).json()).toEqual({
      result: 'duplicate',
    });
    expect(port.calls.map((c) => c.key)).toEqual([blob('images/img-499')]);
  });

  it('answers 503 when the receiver is down', async () => {
    const after = api.commit(
      owner,
      repo,
      { 'packages/pkg-1/melange.yaml': 'v9' },
      { parent: base },
    );
    port.down = true;
    try {
      const res = await deliver(service.url, 'push', payloads.push({ before: base, after }), {
        secret,
      });
      expect(res.status).toBe(503);
    } finally {
      port.down = false;
    }
  });
});
