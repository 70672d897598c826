import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGithubClient } from '../src/index.ts';
import { FakeGithubApi, gitBlobSha } from '../src/testing/index.ts';

const token = 'ghs_secret';
const repo = { owner: 'o', repo: 'r' };

/** The HTTP status and body of a failed Octokit call. */
async function failure(call: Promise<unknown>): Promise<{ status: unknown; data: unknown }> {
  const err = (await call.then(
    () => ({}),
    (e: unknown) => e,
  )) as { status?: unknown; response?: { data?: unknown } };
  return { status: err.status, data: err.response?.data };
}

/** A fake with repository o/r: two commits on `main`, the second edits a file and removes one. */
async function startFake() {
  const api = await FakeGithubApi.start({ token });
  api.addRepo('o', 'r');
  const files = { 'a/b/c.json': '{"v":1}\n', 'a/d b.md': 'spaced', 'top.txt': 'x'.repeat(100) };
  const first = api.commit('o', 'r', files, { branch: 'main' });
  const edit = { 'a/b/c.json': '{"v":2}\n' };
  const second = api.commit('o', 'r', edit, { parent: first, remove: ['top.txt'], branch: 'main' });
  return { api, octokit: createGithubClient({ baseUrl: api.url, token }), first, second };
}

describe('FakeGithubApi contents', () => {
  let fake: Awaited<ReturnType<typeof startFake>>;
  beforeAll(async () => {
    fake = await startFake();
  });
  afterAll(() => fake.api.close());

  async function file(path: string, ref?: string) {
    const { data } = await fake.octokit.rest.repos.getContent({
      ...repo,
      path,
      ...(ref ? { ref } : {}),
    });
    if (Array.isArray(data) || data.type !== 'file') throw new Error(`${path} is not a file`);
    return data;
  }

  it('serves a file at the default branch as GitHub does: base64 in lines of 60', async () => {
    const data = await file('a/b/c.json');
    expect(data).toMatchObject({
      type: 'file',
      encoding: 'base64',
      name: 'c.json',
      path: 'a/b/c.json',
      size: 8,
      sha: gitBlobSha('{"v":2}\n'),
      html_url: 'https://github.com/o/r/blob/main/a/b/c.json',
    });
    expect('content' in data && Buffer.from(data.content, 'base64').toString()).toBe('{"v":2}\n');

    const long = await file('top.txt', fake.first);
    const lines = ('content' in long ? long.content : '').split('\n');
    expect(lines.slice(0, -2).every((l) => l.length === 60)).toBe(true);
    expect(lines.at(-1)).toBe('');
    expect(Buffer.from(lines.join(''), 'base64').toString()).toBe('x'.repeat(100));
  });

  it('reads at a commit SHA or a branch, and decodes the path', async () => {
    const old = await file('a/b/c.json', fake.first);
    expect(old.sha).toBe(gitBlobSha('{"v":1}\n'));
    expect((await file('a/b/c.json', 'refs/heads/main')).sha).toBe(gitBlobSha('{"v":2}\n'));
    expect((await file('a/d b.md', fake.second)).size).toBe(6);
  });

  it('lists a directory, and the root for an empty path', async () => {
    const { data } = await fake.octokit.rest.repos.getContent({ ...repo, path: 'a' });
    expect(data).toEqual([
      { type: 'dir', name: 'b', path: 'a/b', sha: expect.stringMatching(/^[0-9a-f]{40}$/) },
      { type: 'file', name: 'd b.md', path: 'a/d b.md', sha: gitBlobSha('spaced') },
    ]);
    const root = await fake.octokit.rest.repos.getContent({ ...repo, path: '', ref: fake.first });
    expect((root.data as { path: string }[]).map((e) => e.path)).toEqual(['a', 'top.txt']);
  });

  it('inlines no content for a file over 1 MiB', async () => {
    const big = 'y'.repeat(1024 * 1024 + 1);
    const sha = fake.api.commit('o', 'r', { 'big.bin': big });
    const data = await file('big.bin', sha);
    expect(data).toMatchObject({ encoding: 'none', content: '', size: big.length });
  });

  it('answers 404 for a missing path, a deleted file and an unknown ref', async () => {
    const notFound = {
      status: 404,
      data: {
        message: 'Not Found',
        documentation_url: 'https://docs.github.com/rest/repos/contents',
      },
    };
    expect(await failure(file('a/missing.json'))).toEqual(notFound);
    expect(await failure(file('top.txt'))).toEqual(notFound); // removed by the second commit
    expect(await failure(file('a/b/c.json', 'no-such-branch'))).toMatchObject({
      status: 404,
      data: { message: 'Not Found' },
    });
    expect(
      await failure(fake.octokit.rest.repos.getContent({ owner: 'o', repo: 'gone', path: 'x' })),
    ).toMatchObject({ status: 404 });
  });

  it('checks the token, injects failures, and records the reads', async () => {
    const anonymous = createGithubClient({ baseUrl: fake.api.url });
    expect(await failure(anonymous.rest.repos.getContent({ ...repo, path: 'a' }))).toMatchObject({
      status: 401,
    });
    fake.api.failNext(
      { method: 'GET', path: /\/contents\// },
      { status: 403, headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '1' } },
    );
    expect(await failure(file('a/b/c.json'))).toMatchObject({ status: 403 });
    // Octokit sends the path as one segment (`a%2Fb%2Fc.json`); the fake reads either form.
    expect(fake.api.requests.at(-1)).toMatchObject({
      method: 'GET',
      path: '/repos/o/r/contents/a%2Fb%2Fc.json',
    });
    const res = await fetch(`${fake.api.url}/repos/o/r/contents/a/b/c.json`, {
      headers: { authorization: `token ${token}` },
    });
    expect(await res.json()).toMatchObject({ path: 'a/b/c.json', sha: gitBlobSha('{"v":2}\n') });
  });
});
