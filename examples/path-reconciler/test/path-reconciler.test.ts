import { randomUUID } from 'node:crypto';
import { blobKey, createGithubClient, decodeCheckRunStatus, pullRequestKey } from '@recon/github';
import { FakeGithubApi, gitBlobSha } from '@recon/github/testing';
import { silentLogger } from '@recon/sdk';
import { createHarness, ms } from '@recon/testkit';
import {
  compilePathPatterns,
  createResyncSharder,
  githubPathKeySource,
  serveGithubPushFromEnv,
  signGithubPayload,
} from '@recon/triggers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultPathPatterns } from '../src/config.ts';
import { createPathReconciler, type FileCheckStatus } from '../src/path-reconciler.ts';
import { validateServiceConfig } from '../src/service-config.ts';

const token = 'ghs_example_installation_token';
const owner = 'acme';
const repo = 'service-configs';
const patterns = compilePathPatterns(defaultPathPatterns);
const fileKey = (path: string) => blobKey(owner, repo, 'main', path);

const checkout = json({
  name: 'checkout',
  owner: 'team-payments',
  replicas: 3,
  image: 'ghcr.io/acme/checkout:1.4.2',
  env: { LOG_LEVEL: 'info' },
});
const searchBroken = json({
  name: 'find',
  replicas: 0,
  image: 'ghcr.io/acme/search:latest',
  replica: 2,
});

let api: FakeGithubApi;
let base: string;

beforeEach(async () => {
  api = await FakeGithubApi.start({ token });
  api.addRepo(owner, repo);
  base = api.commit(
    owner,
    repo,
    {
      'services/checkout.json': checkout,
      'services/search.json': searchBroken,
      'README.md': '# configs\n',
    },
    { branch: 'main' },
  );
});

afterEach(() => api.close());

const octokit = () => createGithubClient({ baseUrl: api.url, token });

/** Requests for file content. */
function contentReads() {
  return api.requests.filter((r) => r.method === 'GET' && /\/contents\//.test(r.path));
}

function reconcilerUnderTest() {
  return createPathReconciler({
    octokit,
    patterns,
    repository: { owner, repo },
    validate: validateServiceConfig,
    revisitMs: ms('6h'),
    random: () => 0.5,
  });
}

function checkRun(path: string, headSha: string) {
  return api
    .checkRuns(owner, repo)
    .find((r) => r.name === `config-lint: ${path}` && r.head_sha === headSha);
}

describe('path-reconciler', () => {
  it('checks a valid file, records success on the branch head, and revisits after 6 h', async () => {
    const key = fileKey('services/checkout.json');
    const h = createHarness(reconcilerUnderTest());
    await h.enqueue(key);
    const summary = await h.run({ maxSimulatedMs: ms('1h') });

    expect(summary.quiescent).toBe(false); // the revisit is queued
    expect(h.outcomes(key)).toMatchObject([
      { kind: 'requeue-after', action: 'requeued', delayMs: ms('6h') },
    ]);
    expect((await h.state(key))?.notBefore).toBe(h.clock.now() - ms('1h') + ms('6h'));
    const run = checkRun('services/checkout.json', base);
    expect(run).toMatchObject({ status: 'completed', conclusion: 'success' });
    expect(decodeCheckRunStatus<FileCheckStatus>(run?.output.text)).toEqual({
      path: 'services/checkout.json',
      blobSha: gitBlobSha(checkout),
      problems: [],
    });
  });

  it('fails the check of an invalid file, naming every field that is wrong', async () => {
    const key = fileKey('services/search.json');
    const h = createHarness(reconcilerUnderTest());
    await h.enqueue(key);
    await h.run({ maxSimulatedMs: ms('1h') });

    const run = checkRun('services/search.json', base);
    expect(run).toMatchObject({
      conclusion: 'failure',
      output: { title: '5 problem(s) in services/search.json' },
    });
    const problems = decodeCheckRunStatus<FileCheckStatus>(run?.output.text)?.problems ?? [];
    expect(problems.map((p) => p.slice(0, p.indexOf(':')))).toEqual([
      'name',
      'owner',
      'replicas',
      'image',
      'replica',
    ]);
  });

  it('revisits an unchanged commit with two reads and no content fetch', async () => {
    const key = fileKey('services/checkout.json');
    const h = createHarness(reconcilerUnderTest());
    await h.enqueue(key);
    await h.run({ maxSimulatedMs: ms('13h') });

    expect(h.outcomes(key).map((o) => [o.kind, o.at])).toEqual([
      ['requeue-after', 0],
      ['requeue-after', ms('6h')],
      ['requeue-after', ms('12h')],
    ]);
    expect(contentReads()).toHaveLength(1);
    expect(api.checkRuns(owner, repo)).toHaveLength(1);
  });

  it('checks the file again at a new commit, and is done once the file is deleted', async () => {
    const key = fileKey('services/checkout.json');
    const h = createHarness(reconcilerUnderTest());
    await h.enqueue(key);
    await h.run({ maxSimulatedMs: ms('1h') });

    const edited = api.commit(
      owner,
      repo,
      { 'services/checkout.json': json({ name: 'checkout' }) },
      { parent: base, branch: 'main' },
    );
    await h.enqueue(key); // what the push listener does for a changed file
    await h.run({ maxSimulatedMs: ms('1h') });
    expect(checkRun('services/checkout.json', base)?.conclusion).toBe('success');
    expect(checkRun('services/checkout.json', edited)?.conclusion).toBe('failure');

    api.commit(
      owner,
      repo,
      {},
      { parent: edited, remove: ['services/checkout.json'], branch: 'main' },
    );
    await h.enqueue(key);
    const summary = await h.run({ maxSimulatedMs: ms('1h') });
    expect(h.outcomes(key).at(-1)).toMatchObject({ kind: 'success', action: 'success' });
    expect(summary.quiescent).toBe(true); // no revisit of a file that is gone
    expect(api.checkRuns(owner, repo)).toHaveLength(2);
  });

  it('drops keys it does not own, without calling GitHub', async () => {
    const bad = [
      pullRequestKey(owner, repo, 1), // not a file
      blobKey('someone', 'else', 'main', 'services/checkout.json'), // another repository
      fileKey('README.md'), // no pattern names it
      fileKey('services/nested/x.json'),
      `https://github.com/${owner}/${repo}/tree/main/services`,
      'not-a-url',
    ];
    const h = createHarness(reconcilerUnderTest());
    for (const k of bad) await h.enqueue(k);
    const summary = await h.run();

    expect(summary.quiescent).toBe(true);
    for (const k of bad)
      expect(h.outcomes(k)).toMatchObject([{ kind: 'non-retriable', action: 'dropped' }]);
    expect(api.requests).toEqual([]);
  });

  it('requeues at the rate-limit reset instead of retrying', async () => {
    const key = fileKey('services/checkout.json');
    const h = createHarness(reconcilerUnderTest());
    api.failNext(
      { path: /\/git\/ref\// },
      {
        status: 403,
        headers: {
          'x-ratelimit-remaining': '0',
          'x-ratelimit-reset': String(h.clock.now() / 1000 + 300),
        },
        body: { message: 'API rate limit exceeded' },
      },
    );
    await h.enqueue(key);
    await h.run({ maxSimulatedMs: ms('1h') });

    expect(h.outcomes(key)).toMatchObject([
      { attempt: 1, kind: 'requeue-after', delayMs: ms('5m') + 2500 },
      { attempt: 1, kind: 'requeue-after', delayMs: ms('6h'), at: ms('5m') + 2500 },
    ]);
  });
});

describe('fed by @recon/triggers', () => {
  it('the push listener enqueues the changed files its patterns match', async () => {
    const h = createHarness(reconcilerUnderTest());
    const secret = 'webhook-secret';
    const listener = await serveGithubPushFromEnv(
      {
        PORT: '0',
        HOST: '127.0.0.1',
        GITHUB_WEBHOOK_SECRET: secret,
        RECEIVER_URL: 'http://127.0.0.1:1', // unused: `enqueue` below replaces the receiver
        GITHUB_OWNER: owner,
        GITHUB_REPO: repo,
        PATH_PATTERNS: JSON.stringify(defaultPathPatterns),
        GITHUB_API_URL: api.url,
        GITHUB_TOKEN: token,
      },
      { enqueue: h.queue, logger: silentLogger },
    );
    try {
      const after = api.commit(
        owner,
        repo,
        {
          'services/checkout.json': checkout.replace('"replicas": 3', '"replicas": 4'),
          'services/payments.json': json({
            name: 'payments',
            owner: 'team-payments',
            replicas: 2,
            image: 'ghcr.io/acme/payments:2.0.0',
          }),
          'README.md': '# service configs\n',
        },
        { parent: base, branch: 'main' },
      );
      const body = JSON.stringify({
        ref: 'refs/heads/main',
        before: base,
        after,
        repository: { name: repo, owner: { login: owner }, default_branch: 'main' },
      });
      const res = await fetch(listener.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-github-event': 'push',
          'x-github-delivery': randomUUID(),
          'x-hub-signature-256': signGithubPayload(secret, body),
        },
        body,
      });
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ result: 'accepted', keys: 2 });
      expect((await h.state(fileKey('services/payments.json')))?.priority).toBe(100);

      await h.run({ maxSimulatedMs: ms('1h') });
      expect(h.runs(fileKey('services/checkout.json'))).toBe(1);
      expect(h.runs(fileKey('services/payments.json'))).toBe(1);
      expect(h.runs(fileKey('services/search.json'))).toBe(0); // unchanged by the push
      expect(checkRun('services/payments.json', after)?.conclusion).toBe('success');
      expect(checkRun('services/checkout.json', after)?.conclusion).toBe('success');
    } finally {
      await listener.stop();
    }
  });

  it('the resync enqueues every matching file once per period, each at its own minute', async () => {
    const h = createHarness(reconcilerUnderTest());
    const source = githubPathKeySource({
      octokit: octokit(),
      repository: { owner, repo },
      patterns,
    });
    const sharder = createResyncSharder({
      listKeys: () => source.listKeys(),
      periodMs: ms('1h'),
      tickMs: ms('1h'), // one window: the whole period
      enqueue: h.queue,
      clock: h.clock,
    });
    const start = h.clock.now();
    const tick = await sharder.tick();
    expect(tick).toMatchObject({ listed: 2, due: 2, enqueued: 2 });

    await h.run({ maxSimulatedMs: ms('1h') });
    for (const path of ['services/checkout.json', 'services/search.json']) {
      const key = fileKey(path);
      expect(h.outcomes(key)).toMatchObject([
        { kind: 'requeue-after', at: sharder.dueAt(key, start) - start },
      ]);
    }
    expect(checkRun('services/search.json', base)?.conclusion).toBe('failure');
  });
});

function json(value: unknown): string {
  return JSON.stringify(value, null, 2) + '\n';
}
