/**
 * A push to the default branch → the keys of the files it changed. Changes come from diffing the
 * full recursive trees of `before` and `after` (the compare API stops at 300 files); a new branch
 * (`before` = 000…0) changes every file; deletions count (the reconciler sees the file gone). A
 * truncated tree fails loudly (GithubTreeTruncatedError); the resync covers what is missed.
 */
import {
  blobKey,
  diffFileTrees,
  isNullSha,
  readFileTree,
  type FileTree,
  type Octokit,
} from '@recon/github';
import type { PathPatterns } from './patterns.ts';

export interface RepositoryRef {
  owner: string;
  repo: string;
}

export type PushDecision =
  | { kind: 'ignored'; reason: string }
  | { kind: 'keys'; branch: string; changed: number; keys: string[] };

export interface PushKeysOptions {
  octokit: Octokit;
  /** Pushes to any other repository are ignored. */
  repository: RepositoryRef;
  patterns: PathPatterns;
  signal?: AbortSignal;
  /** Told when `before` is gone (a force push over a pruned commit) and every file counts. */
  onMissingBefore?: (sha: string) => void;
}

interface PushPayload {
  ref: string;
  before: string;
  after: string;
  deleted?: boolean;
  repository: { name: string; owner: { login?: string; name?: string }; default_branch: string };
}

export async function pushKeys(payload: unknown, options: PushKeysOptions): Promise<PushDecision> {
  const push = asPush(payload);
  if (!push) return { kind: 'ignored', reason: 'not a push payload' };
  const owner = push.repository.owner.login ?? push.repository.owner.name ?? '';
  const { repository } = options;
  if (
    owner.toLowerCase() !== repository.owner.toLowerCase() ||
    push.repository.name.toLowerCase() !== repository.repo.toLowerCase()
  ) {
    return {
      kind: 'ignored',
      reason: `push to ${owner}/${push.repository.name}, not ${repository.owner}/${repository.repo}`,
    };
  }
  const branch = push.repository.default_branch;
  if (push.ref !== `refs/heads/${branch}`) {
    return { kind: 'ignored', reason: `${push.ref} is not the default branch ${branch}` };
  }
  if (push.deleted === true || isNullSha(push.after))
    return { kind: 'ignored', reason: 'the branch was deleted' };

  const target = { owner: repository.owner, repo: repository.repo };
  const read = (treeish: string) =>
    readFileTree(options.octokit, { ...target, treeish }, signalOf(options));
  const [before, after] = await Promise.all([
    readBefore(push.before, read, options),
    read(push.after),
  ]);
  const changed = diffFileTrees(before, after);
  const keys = new Set<string>();
  for (const path of changed) {
    const capture = options.patterns.match(path);
    if (capture !== undefined)
      keys.add(blobKey(repository.owner, repository.repo, branch, capture));
  }
  return { kind: 'keys', branch, changed: changed.length, keys: [...keys].sort() };
}

async function readBefore(
  sha: string,
  read: (treeish: string) => Promise<FileTree>,
  options: PushKeysOptions,
): Promise<FileTree> {
  try {
    return await read(sha);
  } catch (err) {
    if ((err as { status?: unknown }).status !== 404) throw err;
    options.onMissingBefore?.(sha);
    return new Map();
  }
}

function signalOf(options: PushKeysOptions): { signal?: AbortSignal } {
  return options.signal ? { signal: options.signal } : {};
}

function asPush(payload: unknown): PushPayload | undefined {
  const p = payload as Partial<PushPayload> | null;
  const repo = p?.repository;
  if (
    typeof p?.ref !== 'string' ||
    typeof p.before !== 'string' ||
    typeof p.after !== 'string' ||
    typeof repo?.name !== 'string' ||
    typeof repo.default_branch !== 'string' ||
    typeof repo.owner !== 'object' ||
    repo.owner === null
  ) {
    return undefined;
  }
  return p as PushPayload;
}
