import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGithubClient, readFileTree, type Octokit } from '../src/index.ts';
import { FakeGithubApi } from '../src/testing/index.ts';

const token = 'ghs_secret';

/** The HTTP status and message of a failed Octokit call. */
async function failure(call: Promise<unknown>): Promise<{ status: unknown; message: unknown }> {
  const err = (await call.then(
    () => ({}),
    (e: unknown) => e,
  )) as { status?: unknown; response?: { data?: { message?: unknown } } };
  return { status: err.status, message: err.response?.data?.message };
}

describe('FakeGithubApi pull requests and labels', () => {
  let api: FakeGithubApi;
  let octokit: Octokit;
  const pr = { owner: 'acme', repo: 'widgets' };

  beforeAll(async () => {
    api = await FakeGithubApi.start({ token });
    api.addRepo('acme', 'widgets', { defaultBranch: 'trunk' });
    octokit = createGithubClient({ baseUrl: api.url, token });
  });
  afterAll(() => api.close());

  it('serves an opened pull request whose head is a commit of the fake', async () => {
    const opened = api.pulls.open('acme', 'widgets', {
      number: 1,
      title: 'feat: widgets',
      labels: ['needs-review'],
    });
    const { data } = await octokit.rest.pulls.get({ ...pr, pull_number: 1 });
    expect(data).toMatchObject({
      number: 1,
      title: 'feat: widgets',
      state: 'open',
      html_url: 'https://github.com/acme/widgets/pull/1',
      head: { sha: opened.headSha, ref: 'pr-1' },
      base: { ref: 'trunk' },
    });
    expect(data.labels.map((l) => l.name)).toEqual(['needs-review']);
    const ref = await octokit.rest.git.getRef({ ...pr, ref: 'heads/pr-1' });
    expect(ref.data.object.sha).toBe(opened.headSha);
  });

  it('moves the head on push, keeping the files, and shows edits', async () => {
    const before = api.pulls.get('acme', 'widgets', 1).headSha;
    const head = api.pulls.push('acme', 'widgets', 1);
    expect(head).not.toBe(before);
    const files = await readFileTree(octokit, { ...pr, treeish: head });
    expect([...files.keys()].sort()).toEqual(['README.md', 'change-1.txt']);

    const labels = ['a'];
    api.pulls.edit('acme', 'widgets', 1, { title: 'fix: widgets', state: 'closed', labels });
    labels.push('not seen by the fake');
    const { data } = await octokit.rest.pulls.get({ ...pr, pull_number: 1 });
    expect(data).toMatchObject({ title: 'fix: widgets', state: 'closed', head: { sha: head } });
    expect(data.labels.map((l) => l.name)).toEqual(['a']);
  });

  it('adds labels (keeping the others, once each) and removes one', async () => {
    api.pulls.open('acme', 'widgets', { number: 2, title: 'docs: x', labels: ['keep'] });
    const added = await octokit.rest.issues.addLabels({
      ...pr,
      issue_number: 2,
      labels: ['type: docs', 'keep'],
    });
    expect(added.data.map((l) => l.name)).toEqual(['keep', 'type: docs']);

    const removed = await octokit.rest.issues.removeLabel({ ...pr, issue_number: 2, name: 'keep' });
    expect(removed.data.map((l) => l.name)).toEqual(['type: docs']);
    expect(api.pulls.get('acme', 'widgets', 2).labels).toEqual(['type: docs']);
    expect(api.writes().map((r) => `${r.method} ${r.path}`)).toEqual([
      'POST /repos/acme/widgets/issues/2/labels',
      'DELETE /repos/acme/widgets/issues/2/labels/keep',
    ]);
  });

  it('answers 404 for a missing pull request and for a label it does not carry', async () => {
    expect(await failure(octokit.rest.pulls.get({ ...pr, pull_number: 404 }))).toEqual({
      status: 404,
      message: 'Not Found',
    });
    expect(
      await failure(octokit.rest.issues.addLabels({ ...pr, issue_number: 404, labels: ['x'] })),
    ).toEqual({ status: 404, message: 'Not Found' });
    expect(
      await failure(octokit.rest.issues.removeLabel({ ...pr, issue_number: 404, name: 'x' })),
    ).toEqual({ status: 404, message: 'Not Found' });
    expect(
      await failure(octokit.rest.issues.removeLabel({ ...pr, issue_number: 2, name: 'absent' })),
    ).toEqual({ status: 404, message: 'Label does not exist' });
    expect(
      await failure(octokit.rest.pulls.get({ owner: 'acme', repo: 'gone', pull_number: 1 })),
    ).toEqual({ status: 404, message: 'Not Found' });
  });

  it('answers 422 for labels that are not strings', async () => {
    const call = octokit.request('POST /repos/{owner}/{repo}/issues/{issue_number}/labels', {
      ...pr,
      issue_number: 2,
      labels: [{ name: 42 }] as unknown as string[],
    });
    expect(await failure(call)).toEqual({ status: 422, message: 'Validation Failed' });
    expect(api.pulls.get('acme', 'widgets', 2).labels).toEqual(['type: docs']);
  });

  it('checks the token, injects failures, and matches names in any case', async () => {
    const anonymous = createGithubClient({ baseUrl: api.url });
    expect(await failure(anonymous.rest.pulls.get({ ...pr, pull_number: 2 }))).toEqual({
      status: 401,
      message: 'Bad credentials',
    });
    api.failNext({ path: /\/pulls\/2$/ }, { status: 502, body: { message: 'Bad Gateway' } });
    expect(await failure(octokit.rest.pulls.get({ ...pr, pull_number: 2 }))).toEqual({
      status: 502,
      message: 'Bad Gateway',
    });
    const { data } = await octokit.rest.pulls.get({
      owner: 'ACME',
      repo: 'Widgets',
      pull_number: 2,
    });
    expect(data.title).toBe('docs: x');
  });

  it('refuses to open a pull request twice or in a repository it does not have', () => {
    expect(() => api.pulls.open('acme', 'widgets', { number: 2, title: 'again' })).toThrow(
      /exists/,
    );
    expect(() => api.pulls.open('acme', 'gone', { number: 1, title: 'x' })).toThrow(
      /no repository/,
    );
    expect(() => api.pulls.get('acme', 'widgets', 3)).toThrow(/no pull request/);
  });
});
