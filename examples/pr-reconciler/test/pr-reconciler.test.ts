import { createGithubClient, decodeCheckRunStatus, pullRequestKey } from '@recon/github';
import { FakeGithubApi } from '@recon/github/testing';
import { createHarness, failNth, ms } from '@recon/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createPrReconciler, type PrTitleStatus } from '../src/pr-reconciler.ts';

const token = 'ghs_example_installation_token';
const owner = 'acme';
const repo = 'widgets';
const key = pullRequestKey(owner, repo, 7); // https://github.com/acme/widgets/pull/7

let api: FakeGithubApi;

beforeEach(async () => {
  api = await FakeGithubApi.start({ token });
  api.addRepo(owner, repo);
});

afterEach(() => api.close());

/** The reconciler under test, its Octokit pointed at the fake; jitter fixed at half of 5 s. */
function reconcilerUnderTest() {
  return createPrReconciler({
    octokit: () => createGithubClient({ baseUrl: api.url, token }),
    random: () => 0.5,
  });
}

function checkRuns() {
  return api.checkRuns(owner, repo).filter((r) => r.name === 'pr-title');
}

describe('pr-reconciler', () => {
  it('converges: labels the PR from its title and records the head SHA in a check run', async () => {
    const pr = api.pulls.open(owner, repo, {
      number: 7,
      title: 'feat(api)!: add widgets',
      labels: ['good first issue'],
    });
    const h = createHarness(reconcilerUnderTest());
    await h.enqueue(key);
    const summary = await h.run();

    expect(summary.quiescent).toBe(true);
    expect(h.outcomes(key)).toMatchObject([{ attempt: 1, kind: 'success', action: 'success' }]);
    expect(api.pulls.get(owner, repo, 7).labels).toEqual([
      'good first issue',
      'type: feat',
      'breaking-change',
    ]);
    const [run, ...others] = checkRuns();
    expect(others).toEqual([]);
    expect(run).toMatchObject({ head_sha: pr.headSha, status: 'completed', conclusion: 'success' });
    expect(decodeCheckRunStatus<PrTitleStatus>(run?.output.text)).toEqual({
      title: 'feat(api)!: add widgets',
      conventional: true,
      labels: ['type: feat', 'breaking-change'],
    });
  });

  it('is idempotent: a second run reads the PR and its check run, and writes nothing', async () => {
    api.pulls.open(owner, repo, { number: 7, title: 'fix: stop the wobble' });
    const h = createHarness(reconcilerUnderTest());
    await h.enqueue(key);
    await h.run();
    const writesAfterFirst = api.writes().length;
    expect(writesAfterFirst).toBe(2); // add the label, create the check run
    api.requests.length = 0;

    await h.enqueue(key); // a redelivered webhook, or a resync
    await h.run();

    expect(h.outcomes(key).map((o) => o.kind)).toEqual(['success', 'success']);
    expect(api.writes()).toEqual([]);
    expect(api.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /repos/acme/widgets/pulls/7',
      expect.stringMatching(/^GET \/repos\/acme\/widgets\/commits\/[0-9a-f]{40}\/check-runs$/),
    ]);
    expect(checkRuns()).toHaveLength(1);
  });

  it('converges again when the title is edited or a managed label is removed by hand', async () => {
    api.pulls.open(owner, repo, { number: 7, title: 'feat: widgets' });
    const h = createHarness(reconcilerUnderTest());
    await h.enqueue(key);
    await h.run();

    api.pulls.edit(owner, repo, 7, { title: 'docs: explain widgets' }); // same head SHA, new title
    await h.enqueue(key);
    await h.run();
    expect(api.pulls.get(owner, repo, 7).labels).toEqual(['type: docs']);
    expect(checkRuns()).toHaveLength(1); // the same check run, updated
    expect(decodeCheckRunStatus<PrTitleStatus>(checkRuns()[0]?.output.text)?.title).toBe(
      'docs: explain widgets',
    );

    api.pulls.edit(owner, repo, 7, { labels: [] }); // someone removed the label
    await h.enqueue(key);
    await h.run();
    expect(api.pulls.get(owner, repo, 7).labels).toEqual(['type: docs']);
  });

  it('fails the check (and removes managed labels) for a title that is not conventional', async () => {
    api.pulls.open(owner, repo, {
      number: 7,
      title: 'Add widgets',
      labels: ['type: feat', 'needs-review'],
    });
    const h = createHarness(reconcilerUnderTest());
    await h.enqueue(key);
    await h.run();

    expect(h.outcomes(key)).toMatchObject([{ kind: 'success' }]);
    expect(api.pulls.get(owner, repo, 7).labels).toEqual(['needs-review']);
    expect(checkRuns()[0]).toMatchObject({ conclusion: 'failure' });
    expect(decodeCheckRunStatus<PrTitleStatus>(checkRuns()[0]?.output.text)).toMatchObject({
      conventional: false,
      labels: [],
    });
  });

  it('records a new generation when the head SHA moves', async () => {
    const pr = api.pulls.open(owner, repo, { number: 7, title: 'perf: faster widgets' });
    const h = createHarness(reconcilerUnderTest());
    await h.enqueue(key);
    await h.run();
    const newHead = api.pulls.push(owner, repo, 7);
    await h.enqueue(key);
    await h.run();

    expect(
      checkRuns()
        .map((r) => r.head_sha)
        .sort(),
    ).toEqual([pr.headSha, newHead].sort());
    expect(checkRuns().every((r) => r.conclusion === 'success')).toBe(true);
  });

  it('requeues at the rate-limit reset plus jitter instead of retrying', async () => {
    api.pulls.open(owner, repo, { number: 7, title: 'chore: tidy' });
    const h = createHarness(reconcilerUnderTest());
    const resetAt = Math.floor(h.clock.now() / 1000) + 120; // GitHub's reset, Unix seconds
    api.failNext(
      { method: 'GET', path: /\/check-runs$/ },
      {
        status: 403,
        headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(resetAt) },
        body: { message: 'API rate limit exceeded' },
      },
    );
    await h.enqueue(key);
    await h.run();

    expect(h.outcomes(key)).toMatchObject([
      { attempt: 1, kind: 'requeue-after', action: 'requeued', delayMs: ms('2m') + 2500 },
      { attempt: 1, kind: 'success', at: ms('2m') + 2500 }, // attempts were not spent
    ]);
    expect(api.pulls.get(owner, repo, 7).labels).toEqual(['type: chore']);
  });

  it('requeues after retry-after on a secondary limit', async () => {
    api.pulls.open(owner, repo, { number: 7, title: 'ci: cache' });
    api.failNext(
      { method: 'POST', path: /\/check-runs$/ },
      {
        status: 429,
        headers: { 'retry-after': '30' },
        body: { message: 'You have exceeded a secondary rate limit' },
      },
    );
    const h = createHarness(reconcilerUnderTest());
    await h.enqueue(key);
    await h.run();

    expect(h.outcomes(key).map((o) => [o.kind, o.delayMs])).toEqual([
      ['requeue-after', ms('30s') + 2500],
      ['success', undefined],
    ]);
    expect(checkRuns()).toHaveLength(1);
  });

  it('retries a server error with backoff', async () => {
    api.pulls.open(owner, repo, { number: 7, title: 'test: more widgets' });
    api.failNext({ path: /\/check-runs$/ }, { status: 502, body: { message: 'Bad Gateway' } });
    const h = createHarness(reconcilerUnderTest());
    await h.enqueue(key);
    await h.run();

    expect(h.outcomes(key)).toMatchObject([
      { attempt: 1, kind: 'error', action: 'retried', delayMs: 1000 },
      { attempt: 2, kind: 'success' },
    ]);
  });

  it('drops keys that are not pull requests, without calling GitHub', async () => {
    const bad = [
      'https://gitlab.com/acme/widgets/pull/7',
      'https://github.com/acme/widgets/issues/7',
      'https://github.com/acme/widgets/pull/seven',
      'acme/widgets#7',
    ];
    const h = createHarness(reconcilerUnderTest());
    for (const k of bad) await h.enqueue(k);
    await h.run();

    for (const k of bad) {
      expect(h.outcomes(k)).toMatchObject([
        { attempt: 1, kind: 'non-retriable', action: 'dropped' },
      ]);
      expect(await h.state(k)).toBeUndefined();
    }
    expect(api.requests).toEqual([]);
  });

  it('drops a pull request that does not exist, and leaves closed ones alone', async () => {
    api.pulls.open(owner, repo, { number: 8, title: 'not conventional' });
    api.pulls.edit(owner, repo, 8, { state: 'closed' });
    const h = createHarness(reconcilerUnderTest());
    const missing = pullRequestKey(owner, repo, 404);
    const closed = pullRequestKey(owner, repo, 8);
    await h.enqueue(missing);
    await h.enqueue(closed);
    await h.run();

    expect(h.outcomes(missing)).toMatchObject([{ kind: 'non-retriable', action: 'dropped' }]);
    expect(h.outcomes(closed)).toMatchObject([{ kind: 'success' }]);
    expect(api.writes()).toEqual([]);
  });

  it('survives an injected fault before the call (test kit fault wrapper)', async () => {
    api.pulls.open(owner, repo, { number: 7, title: 'refactor: split widgets' });
    const h = createHarness(failNth(reconcilerUnderTest(), 1));
    await h.enqueue(key);
    await h.run();
    expect(h.outcomes(key).map((o) => o.kind)).toEqual(['error', 'success']);
    expect(checkRuns()).toHaveLength(1);
  });
});
