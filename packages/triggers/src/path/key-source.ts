/**
 * Every key of a path reconciler: the files of the default branch's full tree that a pattern
 * matches, as `https://github.com/<o>/<r>/blob/<branch>/<capture>`. The tree is read again only
 * when the branch head moves (one small ref lookup per listing otherwise).
 */
import { blobKey, readFileTree, type Octokit } from '@recon/github';
import type { PathPatterns } from './patterns.ts';
import type { RepositoryRef } from './push-keys.ts';

export interface PathKeySourceOptions {
  octokit: Octokit;
  repository: RepositoryRef;
  patterns: PathPatterns;
}

export interface PathKeySource {
  listKeys(signal?: AbortSignal): Promise<string[]>;
}

export function githubPathKeySource(options: PathKeySourceOptions): PathKeySource {
  const { octokit, patterns } = options;
  const { owner, repo } = options.repository;
  let cache: { branch: string; sha: string; keys: string[] } | undefined;
  return {
    async listKeys(signal) {
      const request = signal ? { signal } : {};
      const { data: repository } = await octokit.rest.repos.get({ owner, repo, request });
      const branch = repository.default_branch;
      const { data: ref } = await octokit.rest.git.getRef({
        owner,
        repo,
        ref: `heads/${branch}`,
        request,
      });
      const sha = ref.object.sha;
      if (cache?.branch === branch && cache.sha === sha) return cache.keys;
      const tree = await readFileTree(octokit, { owner, repo, treeish: sha }, request);
      const keys = new Set<string>();
      for (const path of tree.keys()) {
        const capture = patterns.match(path);
        if (capture !== undefined) keys.add(blobKey(owner, repo, branch, capture));
      }
      cache = { branch, sha, keys: [...keys].sort() };
      return cache.keys;
    },
  };
}
