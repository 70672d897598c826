/**
 * Pull requests and issue labels in front of `FakeGithubApi`, which serves repositories, commits
 * and check runs but not `GET /repos/{o}/{r}/pulls/{n}` nor the labels endpoints. This server
 * answers those itself and forwards every other request to the fake unchanged (so its check runs,
 * `failNext` injections and token check all apply). It records every request it sees.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FakeGithubApi } from '@recon/github/testing';

export interface FakePullRequest {
  owner: string;
  repo: string;
  number: number;
  title: string;
  state: 'open' | 'closed';
  headSha: string;
  headRef: string;
  labels: string[];
}

export interface SeenRequest {
  method: string;
  path: string;
}

export class FakePullRequests {
  readonly requests: SeenRequest[] = [];
  readonly #api: FakeGithubApi;
  readonly #token: string | undefined;
  readonly #pulls = new Map<string, FakePullRequest>();
  #server: Server | undefined;
  #pushes = 0;
  #url = '';

  private constructor(api: FakeGithubApi, token: string | undefined) {
    this.#api = api;
    this.#token = token;
  }

  /** Starts on 127.0.0.1 (port 0 unless told), in front of `api`. Give Octokit `url` as its base URL. */
  static async start(
    api: FakeGithubApi,
    options: { token?: string; port?: number } = {},
  ): Promise<FakePullRequests> {
    const fake = new FakePullRequests(api, options.token);
    const server = createServer((req, res) => {
      fake.#serve(req, res).catch((err: unknown) => {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ message: String(err) }));
      });
    });
    await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
    fake.#server = server;
    fake.#url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return fake;
  }

  get url(): string {
    return this.#url;
  }

  /** Opens a pull request whose head is a new commit on branch `pr-<n>` of the fake. */
  open(
    owner: string,
    repo: string,
    pr: { number: number; title: string; labels?: string[] },
  ): FakePullRequest {
    const headRef = `pr-${pr.number}`;
    const headSha = this.#api.commit(
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
    this.#pulls.set(keyOf(owner, repo, pr.number), pull);
    return { ...pull, labels: [...pull.labels] };
  }

  /** A new commit on the PR's branch: a new head SHA, so a new generation. */
  push(owner: string, repo: string, number: number): string {
    const pull = this.#pull(owner, repo, number);
    pull.headSha = this.#api.commit(
      owner,
      repo,
      { [`change-${++this.#pushes}.txt`]: 'x' },
      {
        parent: pull.headSha,
        branch: pull.headRef,
      },
    );
    return pull.headSha;
  }

  edit(
    owner: string,
    repo: string,
    number: number,
    changes: Partial<Pick<FakePullRequest, 'title' | 'state' | 'labels'>>,
  ): void {
    Object.assign(this.#pull(owner, repo, number), changes);
  }

  get(owner: string, repo: string, number: number): FakePullRequest {
    const pull = this.#pull(owner, repo, number);
    return { ...pull, labels: [...pull.labels] };
  }

  /** Requests that changed something (anything but GET). */
  writes(): SeenRequest[] {
    return this.requests.filter((r) => r.method !== 'GET');
  }

  async close(): Promise<void> {
    const server = this.#server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  #pull(owner: string, repo: string, number: number): FakePullRequest {
    const pull = this.#pulls.get(keyOf(owner, repo, number));
    if (!pull) throw new Error(`no pull request ${owner}/${repo}#${number}`);
    return pull;
  }

  async #serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', 'http://fake');
    const body = await readBody(req);
    this.requests.push({ method, path: url.pathname });
    const send = (status: number, payload: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify(payload));
    };
    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    const [root, owner = '', repo = '', section, n, sub, labelName] = parts;
    const number = Number(n);
    const pull =
      root === 'repos' && Number.isInteger(number)
        ? this.#pulls.get(keyOf(owner, repo, number))
        : undefined;
    const ours =
      root === 'repos' &&
      ((method === 'GET' && section === 'pulls' && parts.length === 5) ||
        (section === 'issues' && sub === 'labels' && (method === 'POST' || method === 'DELETE')));
    if (!ours) return this.#forward(req, method, body, res);
    if (this.#token !== undefined && !authorized(req, this.#token)) {
      return send(401, { message: 'Bad credentials' });
    }
    if (!pull) return send(404, { message: 'Not Found' });

    if (section === 'pulls') return send(200, pullJson(pull));
    if (method === 'POST') {
      const labels = (JSON.parse(body.toString('utf8') || '{}') as { labels?: unknown }).labels;
      if (!Array.isArray(labels) || !labels.every((l) => typeof l === 'string')) {
        return send(422, { message: 'Validation Failed' });
      }
      for (const l of labels) if (!pull.labels.includes(l)) pull.labels.push(l);
      return send(200, pull.labels.map(labelJson));
    }
    if (labelName === undefined || !pull.labels.includes(labelName)) {
      return send(404, { message: 'Label does not exist' });
    }
    pull.labels = pull.labels.filter((l) => l !== labelName);
    return send(200, pull.labels.map(labelJson));
  }

  async #forward(
    req: IncomingMessage,
    method: string,
    body: Buffer,
    res: ServerResponse,
  ): Promise<void> {
    const headers: Record<string, string> = {};
    for (const name of ['authorization', 'content-type', 'accept', 'user-agent']) {
      const v = req.headers[name];
      if (typeof v === 'string') headers[name] = v;
    }
    const upstream = await fetch(`${this.#api.url}${req.url ?? '/'}`, {
      method,
      headers,
      ...(body.length > 0 ? { body: new Uint8Array(body) } : {}),
    });
    const out: Record<string, string> = {};
    upstream.headers.forEach((value, name) => {
      if (name !== 'content-length' && name !== 'transfer-encoding' && name !== 'connection') {
        out[name] = value;
      }
    });
    res.writeHead(upstream.status, out);
    res.end(Buffer.from(await upstream.arrayBuffer()));
  }
}

function keyOf(owner: string, repo: string, number: number): string {
  return `${owner}/${repo}#${number}`.toLowerCase();
}

function pullJson(pull: FakePullRequest): unknown {
  return {
    id: pull.number,
    number: pull.number,
    state: pull.state,
    title: pull.title,
    html_url: `https://github.com/${pull.owner}/${pull.repo}/pull/${pull.number}`,
    draft: false,
    merged: false,
    user: { login: 'octocat' },
    labels: pull.labels.map(labelJson),
    head: { sha: pull.headSha, ref: pull.headRef, label: `${pull.owner}:${pull.headRef}` },
    base: { ref: 'main', label: `${pull.owner}:main` },
  };
}

function labelJson(name: string): unknown {
  return { id: name.length, name, color: 'ededed', default: false };
}

function authorized(req: IncomingMessage, token: string): boolean {
  const header = req.headers.authorization ?? '';
  return [`token ${token}`, `Bearer ${token}`, `bearer ${token}`].includes(header);
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
