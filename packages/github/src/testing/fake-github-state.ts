/**
 * The data behind FakeGithubApi: repositories, commits with their full file trees and the
 * content of every file, branches, check runs and pull requests, shaped as the REST API returns
 * them. Blob SHAs are computed the way git does, so equal content has an equal SHA across commits.
 */
import { createHash, randomBytes } from 'node:crypto';

export interface FakeRepo {
  owner: string;
  name: string;
  defaultBranch: string;
  branches: Map<string, string>;
  /** commit SHA → tree */
  commits: Map<string, FakeTree>;
  /** blob SHA → the file content committed with that SHA (served by the contents API) */
  blobs: Map<string, string>;
  checkRuns: FakeCheckRun[];
  /** pull request number → pull request */
  pulls: Map<number, FakePullRequest>;
}

export interface FakeTree {
  /** path → blob SHA */
  files: Map<string, string>;
  truncated: boolean;
}

export interface FakeCheckRun {
  id: number;
  name: string;
  head_sha: string;
  status: string;
  conclusion: string | null;
  details_url: string | null;
  started_at: string;
  completed_at: string | null;
  output: { title: string | null; summary: string | null; text: string | null };
}

export interface FakePullRequest {
  owner: string;
  repo: string;
  number: number;
  title: string;
  state: 'open' | 'closed';
  /** A commit of the fake, on branch `headRef`. */
  headSha: string;
  headRef: string;
  labels: string[];
}

/** One entry of a recursive tree listing: a file (`blob`) or a directory (`tree`). */
export interface FakeTreeEntry {
  path: string;
  type: 'blob' | 'tree';
  sha: string;
}

/** A status and a JSON body, as a route answers. */
export type FakeAnswer = [status: number, body: unknown];

/** git's blob SHA-1 of `content`. */
export function gitBlobSha(content: string): string {
  const body = Buffer.from(content, 'utf8');
  return createHash('sha1').update(`blob ${body.length}\0`).update(body).digest('hex');
}

export function randomSha(): string {
  return randomBytes(20).toString('hex');
}

/** The commit a SHA or a branch (`main`, `heads/main`, `refs/heads/main`) names, if any. */
export function resolveCommit(repo: FakeRepo, treeish: string): string | undefined {
  if (repo.commits.has(treeish)) return treeish;
  return repo.branches.get(treeish.replace(/^refs\/heads\//, '').replace(/^heads\//, ''));
}

/** Every file and directory of commit `sha`, in git's path order. */
export function treeEntries(sha: string, tree: FakeTree): FakeTreeEntry[] {
  const entries: FakeTreeEntry[] = [];
  const dirs = new Set<string>();
  for (const path of tree.files.keys()) {
    const parts = path.split('/');
    for (let i = 1; i < parts.length; i++) dirs.add(parts.slice(0, i).join('/'));
  }
  for (const dir of dirs)
    entries.push({ path: dir, type: 'tree', sha: sha1(`tree:${sha}:${dir}`) });
  for (const [path, blobSha] of tree.files) entries.push({ path, type: 'blob', sha: blobSha });
  return entries.sort((a, b) => (a.path < b.path ? -1 : 1));
}

/** The REST shape of a recursive tree listing, directories included, in git's path order. */
export function treeJson(owner: string, repo: string, sha: string, tree: FakeTree): unknown {
  const entries = treeEntries(sha, tree).map((e) =>
    e.type === 'tree'
      ? { ...e, mode: '040000' }
      : { ...e, mode: '100644', size: 1, url: blobUrl(owner, repo, e.sha) },
  );
  return {
    sha,
    url: `https://api.github.com/repos/${owner}/${repo}/git/trees/${sha}`,
    tree: entries,
    truncated: tree.truncated,
  };
}

export function repoJson(repo: FakeRepo): unknown {
  return {
    id: 1,
    name: repo.name,
    full_name: `${repo.owner}/${repo.name}`,
    owner: { login: repo.owner, type: 'Organization' },
    private: false,
    html_url: `https://github.com/${repo.owner}/${repo.name}`,
    default_branch: repo.defaultBranch,
  };
}

/** GitHub's 404 body; `documentationUrl` names the endpoint's page when GitHub's does. */
export function notFound(documentationUrl = 'https://docs.github.com/rest'): FakeAnswer {
  return [404, { message: 'Not Found', documentation_url: documentationUrl }];
}

function sha1(text: string): string {
  return createHash('sha1').update(text).digest('hex');
}

function blobUrl(owner: string, repo: string, sha: string): string {
  return `https://api.github.com/repos/${owner}/${repo}/git/blobs/${sha}`;
}
