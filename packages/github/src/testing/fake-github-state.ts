/**
 * The data behind FakeGithubApi: repositories, commits with their full file trees, branches and
 * check runs, shaped as the REST API returns them. Blob SHAs are computed the way git does, so
 * equal content has an equal SHA across commits.
 */
import { createHash, randomBytes } from 'node:crypto';

export interface FakeRepo {
  owner: string;
  name: string;
  defaultBranch: string;
  branches: Map<string, string>;
  /** commit SHA → tree */
  commits: Map<string, FakeTree>;
  checkRuns: FakeCheckRun[];
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

/** git's blob SHA-1 of `content`. */
export function gitBlobSha(content: string): string {
  const body = Buffer.from(content, 'utf8');
  return createHash('sha1').update(`blob ${body.length}\0`).update(body).digest('hex');
}

export function randomSha(): string {
  return randomBytes(20).toString('hex');
}

/** The REST shape of a recursive tree listing, directories included, in git's path order. */
export function treeJson(owner: string, repo: string, sha: string, tree: FakeTree): unknown {
  const entries: Record<string, unknown>[] = [];
  const dirs = new Set<string>();
  for (const path of tree.files.keys()) {
    const parts = path.split('/');
    for (let i = 1; i < parts.length; i++) dirs.add(parts.slice(0, i).join('/'));
  }
  for (const dir of dirs) {
    entries.push({ path: dir, mode: '040000', type: 'tree', sha: sha1(`tree:${sha}:${dir}`) });
  }
  for (const [path, blobSha] of tree.files) {
    entries.push({
      path,
      mode: '100644',
      type: 'blob',
      sha: blobSha,
      size: 1,
      url: blobUrl(owner, repo, blobSha),
    });
  }
  entries.sort((a, b) => (String(a['path']) < String(b['path']) ? -1 : 1));
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

function sha1(text: string): string {
  return createHash('sha1').update(text).digest('hex');
}

function blobUrl(owner: string, repo: string, sha: string): string {
  return `https://api.github.com/repos/${owner}/${repo}/git/blobs/${sha}`;
}
