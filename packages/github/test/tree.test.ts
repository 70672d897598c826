import { ReconError } from '@recon/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createGithubClient,
  diffFileTrees,
  GithubTreeTruncatedError,
  readFileTree,
  type Octokit,
} from '../src/index.ts';
import { FakeGithubApi } from '../src/testing/index.ts';

describe('readFileTree and diffFileTrees', () => {
  let api: FakeGithubApi;
  let octokit: Octokit;
  beforeAll(async () => {
    api = await FakeGithubApi.start();
    api.addRepo('o', 'r');
    octokit = createGithubClient({ baseUrl: api.url });
  });
  afterAll(() => api.close());

  it('lists files (not directories) and diffs two commits', async () => {
    const before = api.commit('o', 'r', { 'a/x.yaml': '1', 'a/y.yaml': '2', 'b.md': 'b' });
    const after = api.commit(
      'o',
      'r',
      { 'a/x.yaml': 'changed', 'c/new.yaml': 'n' },
      { parent: before, remove: ['b.md'] },
    );
    const t1 = await readFileTree(octokit, { owner: 'o', repo: 'r', treeish: before });
    const t2 = await readFileTree(octokit, { owner: 'o', repo: 'r', treeish: after });
    expect([...t1.keys()].sort()).toEqual(['a/x.yaml', 'a/y.yaml', 'b.md']);
    expect(diffFileTrees(t1, t2)).toEqual(['a/x.yaml', 'b.md', 'c/new.yaml']);
    expect(api.requests.at(-1)?.query.get('recursive')).toBe('true');
  });

  it('reads the null SHA as an empty tree, without a request', async () => {
    const count = api.requests.length;
    const empty = await readFileTree(octokit, { owner: 'o', repo: 'r', treeish: '0'.repeat(40) });
    expect(empty.size).toBe(0);
    expect(api.requests.length).toBe(count);
  });

  it('fails loudly on a truncated tree', async () => {
    const sha = api.commit('o', 'r', { 'a.txt': 'a' }, { truncated: true });
    const err = await readFileTree(octokit, { owner: 'o', repo: 'r', treeish: sha }).catch(
      (e: unknown) => e,
    );
    expect(GithubTreeTruncatedError.is(err)).toBe(true);
    expect(ReconError.is(err)).toBe(true);
    expect((err as GithubTreeTruncatedError).treeSha).toBe(sha);
  });
});
