/**
 * Whole-repository file lists from the Git Trees API. The compare API caps at 300 files, so
 * changes are found by diffing the full recursive trees of two commits. A truncated listing is an
 * error (GithubTreeTruncatedError), never a silently partial answer.
 */
import type { Octokit } from '@octokit/rest';
import { GithubTreeTruncatedError } from './errors.ts';

/** A non-directory entry: a file (`blob`, symlinks included) or a submodule (`commit`). */
export interface TreeEntry {
  path: string;
  sha: string;
  type: 'blob' | 'commit';
  mode: string;
}

/** path → entry, for every file and submodule of a commit. */
export type FileTree = ReadonlyMap<string, TreeEntry>;

/** A commit SHA of all zeroes: GitHub's `before` of a new branch (and `after` of a deleted one). */
export function isNullSha(sha: string): boolean {
  return /^0+$/.test(sha);
}

export interface ReadTreeTarget {
  owner: string;
  repo: string;
  /** A commit SHA, tree SHA or branch name. The null SHA reads as an empty tree. */
  treeish: string;
}

/** Every file and submodule of `treeish`, recursively. GithubTreeTruncatedError if GitHub truncates. */
export async function readFileTree(
  octokit: Octokit,
  target: ReadTreeTarget,
  options: { signal?: AbortSignal } = {},
): Promise<FileTree> {
  const files = new Map<string, TreeEntry>();
  if (isNullSha(target.treeish)) return files;
  const { data } = await octokit.rest.git.getTree({
    owner: target.owner,
    repo: target.repo,
    tree_sha: target.treeish,
    recursive: 'true',
    request: options.signal ? { signal: options.signal } : {},
  });
  if (data.truncated) {
    throw new GithubTreeTruncatedError(`${target.owner}/${target.repo}`, {
      treeSha: target.treeish,
    });
  }
  for (const entry of data.tree) {
    if ((entry.type === 'blob' || entry.type === 'commit') && entry.path && entry.sha) {
      files.set(entry.path, {
        path: entry.path,
        sha: entry.sha,
        type: entry.type,
        mode: entry.mode ?? '',
      });
    }
  }
  return files;
}

/** Paths added, removed or changed (content, type or mode) between two trees, sorted. */
export function diffFileTrees(before: FileTree, after: FileTree): string[] {
  const changed: string[] = [];
  for (const [path, entry] of after) {
    const old = before.get(path);
    if (!old || old.sha !== entry.sha || old.type !== entry.type || old.mode !== entry.mode) {
      changed.push(path);
    }
  }
  for (const path of before.keys()) if (!after.has(path)) changed.push(path);
  return changed.sort();
}
