/**
 * Pull requests and their labels in FakeGithubApi: `GET /repos/{o}/{r}/pulls/{n}`,
 * `POST /repos/{o}/{r}/issues/{n}/labels` (`{ labels: string[] }`; adds, keeps the others) and
 * `DELETE /repos/{o}/{r}/issues/{n}/labels/{name}`. A pull request's head is a real commit of the
 * fake on branch `pr-<n>`, so trees, refs and check runs of that SHA work as for any commit.
 *
 * Answers: 404 `Not Found` for a pull request that does not exist, 404 `Label does not exist` for
 * removing a label the pull request does not carry, 422 `Validation Failed` for labels that are
 * not a list of strings.
 */
import type { FakeAnswer, FakePullRequest, FakeRepo } from './fake-github-state.ts';
import { notFound } from './fake-github-state.ts';

/** What the pull requests take from FakeGithubApi: its repositories and its commits. */
export interface FakePullRequestsHost {
  repo(owner: string, name: string): FakeRepo;
  commit(
    owner: string,
    name: string,
    files: Readonly<Record<string, string>>,
    options: { parent?: string; branch?: string },
  ): string;
}

/** Opens, moves and edits the pull requests of a FakeGithubApi (`api.pulls`). */
export class FakePullRequests {
  readonly #host: FakePullRequestsHost;
  #pushes = 0;

  constructor(host: FakePullRequestsHost) {
    this.#host = host;
  }

  /** Opens pull request `number`; its head is a new commit (a README) on branch `pr-<n>`. */
  open(
    owner: string,
    repo: string,
    pr: { number: number; title: string; labels?: readonly string[] },
  ): FakePullRequest {
    const pulls = this.#host.repo(owner, repo).pulls;
    if (pulls.has(pr.number)) throw new Error(`pull request ${owner}/${repo}#${pr.number} exists`);
    const headRef = `pr-${pr.number}`;
    const headSha = this.#host.commit(
      owner,
      repo,
      { 'README.md': `# ${pr.title}\n` },
      { branch: headRef },
    );
    const pull: FakePullRequest = {
      owner,
      repo,
      number: pr.number,
      title: pr.title,
      state: 'open',
      headSha,
      headRef,
      labels: [...(pr.labels ?? [])],
    };
    pulls.set(pr.number, pull);
    return copy(pull);
  }

  /** A new commit on the pull request's branch: a new head SHA (a new generation). Returns it. */
  push(owner: string, repo: string, number: number): string {
    const pull = this.#pull(owner, repo, number);
    pull.headSha = this.#host.commit(
      owner,
      repo,
      { [`change-${++this.#pushes}.txt`]: 'x' },
      { parent: pull.headSha, branch: pull.headRef },
    );
    return pull.headSha;
  }

  /** Changes what GitHub would show, as a person editing the pull request would. */
  edit(
    owner: string,
    repo: string,
    number: number,
    changes: Partial<Pick<FakePullRequest, 'title' | 'state' | 'labels'>>,
  ): void {
    const pull = this.#pull(owner, repo, number);
    Object.assign(pull, changes);
    if (changes.labels) pull.labels = [...changes.labels];
  }

  /** A copy of the pull request as it is now. */
  get(owner: string, repo: string, number: number): FakePullRequest {
    return copy(this.#pull(owner, repo, number));
  }

  #pull(owner: string, repo: string, number: number): FakePullRequest {
    const pull = this.#host.repo(owner, repo).pulls.get(number);
    if (!pull) throw new Error(`no pull request ${owner}/${repo}#${number}`);
    return pull;
  }
}

/** The answer to a pull-request or label request, or `undefined` when `rest` is another endpoint. */
export function routePullRequests(
  repo: FakeRepo,
  method: string,
  rest: readonly string[],
  body: unknown,
): FakeAnswer | undefined {
  const [section, n, sub, label] = rest;
  const isPull = section === 'pulls' && rest.length === 2 && method === 'GET';
  const isAddLabels = section === 'issues' && sub === 'labels' && rest.length === 3;
  const isRemoveLabel = section === 'issues' && sub === 'labels' && rest.length === 4;
  if (!isPull && !(isAddLabels && method === 'POST') && !(isRemoveLabel && method === 'DELETE')) {
    return undefined;
  }
  const pull = /^\d+$/.test(n ?? '') ? repo.pulls.get(Number(n)) : undefined;
  if (!pull) return notFound();
  if (isPull) return [200, pullJson(repo, pull)];
  if (isAddLabels) {
    const labels = (body as { labels?: unknown } | undefined)?.labels;
    if (!Array.isArray(labels) || !labels.every((l) => typeof l === 'string')) {
      return [422, { message: 'Validation Failed' }];
    }
    for (const l of labels) if (!pull.labels.includes(l)) pull.labels.push(l);
    return [200, pull.labels.map(labelJson)];
  }
  if (label === undefined || !pull.labels.includes(label)) {
    return [404, { message: 'Label does not exist' }];
  }
  pull.labels = pull.labels.filter((l) => l !== label);
  return [200, pull.labels.map(labelJson)];
}

function copy(pull: FakePullRequest): FakePullRequest {
  return { ...pull, labels: [...pull.labels] };
}

function pullJson(repo: FakeRepo, pull: FakePullRequest): unknown {
  const owner = repo.owner;
  return {
    id: pull.number,
    number: pull.number,
    state: pull.state,
    title: pull.title,
    html_url: `https://github.com/${owner}/${repo.name}/pull/${pull.number}`,
    draft: false,
    merged: false,
    user: { login: 'octocat' },
    labels: pull.labels.map(labelJson),
    head: { sha: pull.headSha, ref: pull.headRef, label: `${owner}:${pull.headRef}` },
    base: { ref: repo.defaultBranch, label: `${owner}:${repo.defaultBranch}` },
  };
}

function labelJson(name: string): unknown {
  return { id: name.length, name, color: 'ededed', default: false };
}
