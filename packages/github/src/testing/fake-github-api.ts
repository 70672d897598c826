/**
 * A local fake of the GitHub REST API endpoints recon uses, on a real socket (127.0.0.1, port 0).
 * Point Octokit at it with `baseUrl: fake.url`. It serves repositories, recursive git trees,
 * refs and branches, check runs (list for ref, create, update, get), pull requests and their
 * labels (`fake-pull-requests.ts`, driven through `fake.pulls`) and file contents
 * (`fake-contents.ts`); it can answer the next matching requests with an injected failure (rate
 * limits, 5xx), and records every request. Owner and repository names match in any case.
 * For tests only: no pagination beyond one page, no permissions beyond one optional token.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { routeContents } from './fake-contents.ts';
import {
  gitBlobSha,
  notFound,
  randomSha,
  repoJson,
  resolveCommit,
  treeJson,
  type FakeAnswer,
  type FakeCheckRun,
  type FakeRepo,
} from './fake-github-state.ts';
import { FakePullRequests, routePullRequests } from './fake-pull-requests.ts';

export interface FakeGithubApiOptions {
  /** When set, requests must carry `authorization: token <t>` (or `Bearer <t>`), else 401. */
  token?: string;
  /** Clock for check-run timestamps. Default Date.now. */
  now?: () => number;
  /** Port on 127.0.0.1. Default 0 (any free port). */
  port?: number;
  /** Called with every request as it is recorded (to print them, say). */
  onRequest?: (request: RecordedRequest) => void;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: unknown;
}

export interface InjectedResponse {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

export interface CommitOptions {
  /** Move this branch to the new commit. */
  branch?: string;
  /** Start from this commit's files (then `files` adds or replaces, `remove` deletes). */
  parent?: string;
  remove?: readonly string[];
  /** GitHub truncated the recursive listing of this commit. */
  truncated?: boolean;
}

interface Injection {
  method?: string;
  path?: RegExp;
  response: InjectedResponse;
  remaining: number;
}

export class FakeGithubApi {
  /** Every request received, in order (clear it with `requests.length = 0`). */
  readonly requests: RecordedRequest[] = [];
  /** The repositories' pull requests: open, push to, edit, read. */
  readonly pulls: FakePullRequests;
  readonly #repos = new Map<string, FakeRepo>();
  readonly #injections: Injection[] = [];
  readonly #options: FakeGithubApiOptions;
  #server: Server | undefined;
  #url = '';
  #nextCheckRunId = 1;

  private constructor(options: FakeGithubApiOptions) {
    this.#options = options;
    this.pulls = new FakePullRequests({
      repo: (owner, name) => this.#repo(owner, name),
      commit: (owner, name, files, commitOptions) => this.commit(owner, name, files, commitOptions),
    });
  }

  static async start(options: FakeGithubApiOptions = {}): Promise<FakeGithubApi> {
    const fake = new FakeGithubApi(options);
    const server = createServer((req, res) => void fake.#serve(req, res));
    await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
    fake.#server = server;
    fake.#url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return fake;
  }

  /** The base URL to give Octokit. */
  get url(): string {
    return this.#url;
  }

  addRepo(owner: string, name: string, options: { defaultBranch?: string } = {}): void {
    this.#repos.set(repoKey(owner, name), {
      owner,
      name,
      defaultBranch: options.defaultBranch ?? 'main',
      branches: new Map(),
      commits: new Map(),
      blobs: new Map(),
      checkRuns: [],
      pulls: new Map(),
    });
  }

  /**
   * Records a commit whose full tree is `files` (path → content); returns its SHA. The content
   * is kept, for the contents API.
   */
  commit(
    owner: string,
    name: string,
    files: Readonly<Record<string, string>> | ReadonlyMap<string, string>,
    options: CommitOptions = {},
  ): string {
    const repo = this.#repo(owner, name);
    const parent = options.parent ? repo.commits.get(options.parent) : undefined;
    if (options.parent && !parent) throw new Error(`no commit ${options.parent}`);
    const tree = new Map(parent?.files ?? []);
    for (const path of options.remove ?? []) tree.delete(path);
    const entries = files instanceof Map ? files.entries() : Object.entries(files);
    for (const [path, content] of entries) {
      const blobSha = gitBlobSha(content);
      repo.blobs.set(blobSha, content);
      tree.set(path, blobSha);
    }
    const sha = randomSha();
    repo.commits.set(sha, { files: tree, truncated: options.truncated ?? false });
    if (options.branch) repo.branches.set(options.branch, sha);
    return sha;
  }

  /** Answers the next `times` requests matching `match` with `response` instead. */
  failNext(match: { method?: string; path?: RegExp }, response: InjectedResponse, times = 1): void {
    this.#injections.push({ ...match, response, remaining: times });
  }

  checkRuns(owner: string, name: string): readonly FakeCheckRun[] {
    return this.#repo(owner, name).checkRuns;
  }

  /** The recorded requests that change something: anything but GET. */
  writes(): RecordedRequest[] {
    return this.requests.filter((r) => r.method !== 'GET');
  }

  async close(): Promise<void> {
    const server = this.#server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  #repo(owner: string, name: string): FakeRepo {
    const repo = this.#repos.get(repoKey(owner, name));
    if (!repo) throw new Error(`no repository ${owner}/${name}`);
    return repo;
  }

  async #serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const method = req.method ?? 'GET';
    const body = await readJson(req);
    const recorded = {
      method,
      path: url.pathname,
      query: url.searchParams,
      headers: req.headers,
      body,
    };
    this.requests.push(recorded);
    this.#options.onRequest?.(recorded);
    const send = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
      res.end(payload === undefined ? '' : JSON.stringify(payload));
    };
    const injected = this.#takeInjection(method, url.pathname);
    if (injected)
      return send(
        injected.status,
        injected.body ?? { message: 'injected failure' },
        injected.headers,
      );
    if (this.#options.token !== undefined && !authorized(req, this.#options.token)) {
      return send(401, {
        message: 'Bad credentials',
        documentation_url: 'https://docs.github.com/rest',
      });
    }
    try {
      const [status, payload] = this.#route(method, url, body);
      send(status, payload);
    } catch (err) {
      send(500, { message: String(err) });
    }
  }

  #takeInjection(method: string, path: string): InjectedResponse | undefined {
    const hit = this.#injections.find(
      (i) =>
        i.remaining > 0 && (!i.method || i.method === method) && (!i.path || i.path.test(path)),
    );
    if (!hit) return undefined;
    hit.remaining--;
    return hit.response;
  }

  #route(method: string, url: URL, body: unknown): FakeAnswer {
    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    if (parts[0] !== 'repos' || parts.length < 3) return notFound();
    const repo = this.#repos.get(repoKey(parts[1] ?? '', parts[2] ?? ''));
    if (!repo) return notFound();
    const rest = parts.slice(3);
    const answer =
      routePullRequests(repo, method, rest, body) ??
      routeContents(repo, method, rest, url.searchParams);
    if (answer) return answer;
    const route = `${method} ${rest[0] ?? ''}${rest[1] ? `/${rest[1]}` : ''}`;
    if (method === 'GET' && rest.length === 0) return [200, repoJson(repo)];
    if (route === 'GET git/trees' && rest.length === 3) return this.#tree(repo, rest[2] ?? '');
    const refPath = rest.slice(2).join('/');
    if (route === 'GET git/ref' && refPath.startsWith('heads/')) {
      return this.#ref(repo, refPath.slice('heads/'.length));
    }
    if (route.startsWith('GET branches/') && rest.length >= 2) {
      const sha = repo.branches.get(rest.slice(1).join('/'));
      return sha ? [200, { name: rest.slice(1).join('/'), commit: { sha } }] : notFound();
    }
    if (method === 'GET' && rest[0] === 'commits' && rest.at(-1) === 'check-runs') {
      return this.#listCheckRuns(repo, rest.slice(1, -1).join('/'), url.searchParams);
    }
    if (route === 'POST check-runs' && rest.length === 1) return this.#createCheckRun(repo, body);
    if (rest[0] === 'check-runs' && rest.length === 2) {
      const run = repo.checkRuns.find((r) => r.id === Number(rest[1]));
      if (!run) return notFound();
      if (method === 'GET') return [200, run];
      if (method === 'PATCH') return [200, this.#applyCheckRun(run, body)];
    }
    return notFound();
  }

  #tree(repo: FakeRepo, treeish: string): FakeAnswer {
    const sha = resolveCommit(repo, treeish);
    const tree = sha ? repo.commits.get(sha) : undefined;
    if (!sha || !tree) return notFound();
    return [200, treeJson(repo.owner, repo.name, sha, tree)];
  }

  #ref(repo: FakeRepo, branch: string): FakeAnswer {
    const sha = repo.branches.get(branch);
    if (!sha) return notFound();
    return [200, { ref: `refs/heads/${branch}`, object: { sha, type: 'commit' } }];
  }

  #listCheckRuns(repo: FakeRepo, ref: string, query: URLSearchParams): FakeAnswer {
    const sha = resolveCommit(repo, ref) ?? ref;
    const name = query.get('check_name');
    let runs = repo.checkRuns.filter((r) => r.head_sha === sha && (!name || r.name === name));
    if (query.get('filter') !== 'all') {
      const latest = new Map<string, FakeCheckRun>();
      for (const run of runs)
        if ((latest.get(run.name)?.id ?? 0) < run.id) latest.set(run.name, run);
      runs = [...latest.values()];
    }
    runs = [...runs].sort((a, b) => b.id - a.id);
    return [200, { total_count: runs.length, check_runs: runs }];
  }

  #createCheckRun(repo: FakeRepo, body: unknown): FakeAnswer {
    const b = (body ?? {}) as Record<string, unknown>;
    if (typeof b['name'] !== 'string' || typeof b['head_sha'] !== 'string') {
      return [
        422,
        { message: 'Validation Failed', errors: [{ field: 'name/head_sha', code: 'missing' }] },
      ];
    }
    const run: FakeCheckRun = {
      id: this.#nextCheckRunId++,
      name: b['name'],
      head_sha: b['head_sha'],
      status: 'queued',
      conclusion: null,
      details_url: null,
      started_at: this.#now(),
      completed_at: null,
      output: { title: null, summary: null, text: null },
    };
    repo.checkRuns.push(run);
    return [201, this.#applyCheckRun(run, b)];
  }

  #applyCheckRun(run: FakeCheckRun, body: unknown): FakeCheckRun {
    const b = (body ?? {}) as Record<string, unknown>;
    if (typeof b['status'] === 'string') run.status = b['status'];
    if (typeof b['conclusion'] === 'string') {
      run.conclusion = b['conclusion'];
      run.status = 'completed';
    }
    if (run.status === 'completed') {
      run.conclusion ??= 'success';
      run.completed_at ??= this.#now();
    } else {
      run.conclusion = null;
      run.completed_at = null;
    }
    if (typeof b['details_url'] === 'string') run.details_url = b['details_url'];
    const output = b['output'] as Partial<FakeCheckRun['output']> | undefined;
    if (output) run.output = { ...run.output, ...output };
    return run;
  }

  #now(): string {
    return new Date((this.#options.now ?? Date.now)()).toISOString();
  }
}

/** Owner and repository names are case-insensitive on GitHub. */
function repoKey(owner: string, name: string): string {
  return `${owner}/${name}`.toLowerCase();
}

function authorized(req: IncomingMessage, token: string): boolean {
  const header = req.headers.authorization ?? '';
  return (
    header === `token ${token}` || header === `Bearer ${token}` || header === `bearer ${token}`
  );
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  if (chunks.length === 0) return undefined;
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}
