/**
 * The contents API in front of `FakeGithubApi`. The fake keeps each commit's tree as path → blob
 * SHA only, and serves no file content; this server keeps the content of every file committed
 * through it (by blob SHA, computed the way git does) and answers
 * `GET /repos/{o}/{r}/contents/{path}?ref=` from the fake's own recursive tree of that ref. Every
 * other request goes to the fake unchanged (check runs, refs, trees, `failNext` injections).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type CommitOptions, type FakeGithubApi, gitBlobSha } from '@recon/github/testing';

export interface SeenRequest {
  method: string;
  path: string;
}

interface TreeEntry {
  path: string;
  type: string;
  sha: string;
}

export class FakeContents {
  readonly requests: SeenRequest[] = [];
  readonly #api: FakeGithubApi;
  readonly #blobs = new Map<string, string>();
  #server: Server | undefined;
  #url = '';

  private constructor(api: FakeGithubApi) {
    this.#api = api;
  }

  /** Starts on 127.0.0.1 (port 0 unless told), in front of `api`. Give Octokit `url`. */
  static async start(api: FakeGithubApi, options: { port?: number } = {}): Promise<FakeContents> {
    const fake = new FakeContents(api);
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

  /** `FakeGithubApi.commit`, keeping the files' content so the contents API can serve it. */
  commit(
    owner: string,
    repo: string,
    files: Readonly<Record<string, string>>,
    options: CommitOptions = {},
  ): string {
    for (const content of Object.values(files)) this.#blobs.set(gitBlobSha(content), content);
    return this.#api.commit(owner, repo, files, options);
  }

  /** Requests for file content. */
  contentReads(): SeenRequest[] {
    return this.requests.filter(
      (r) => r.method === 'GET' && /^\/repos\/[^/]+\/[^/]+\/contents\//.test(r.path),
    );
  }

  async close(): Promise<void> {
    const server = this.#server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  async #serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', 'http://fake');
    const body = await readBody(req);
    this.requests.push({ method, path: url.pathname });
    const m = /^\/repos\/([^/]+)\/([^/]+)\/contents\/(.+)$/.exec(url.pathname);
    if (method !== 'GET' || !m) return this.#forward(req, method, body, res);
    const [, owner = '', repo = '', rawPath = ''] = m;
    const path = decodeURIComponent(rawPath);
    const send = (status: number, payload: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify(payload));
    };

    // Through the fake, so its token check and injected failures apply here too.
    const ref = url.searchParams.get('ref') ?? (await this.#defaultBranch(req, owner, repo));
    const tree = await this.#upstream(
      req,
      `/repos/${owner}/${repo}/git/trees/${encodeURIComponent(ref ?? '')}?recursive=1`,
    );
    if (tree.status !== 200) return send(tree.status, tree.body);
    const entries = (tree.body as { tree: TreeEntry[] }).tree;
    const entry = entries.find((e) => e.path === path);
    if (entry?.type === 'blob') {
      const content = this.#blobs.get(entry.sha);
      if (content === undefined)
        return send(500, { message: `no content kept for blob ${entry.sha}` });
      return send(200, fileJson(owner, repo, path, entry.sha, content));
    }
    const children = entries.filter(
      (e) => e.path.startsWith(`${path}/`) && !e.path.slice(path.length + 1).includes('/'),
    );
    if (entry?.type === 'tree' || children.length > 0) {
      return send(
        200,
        children.map((c) => ({
          type: c.type === 'tree' ? 'dir' : 'file',
          name: c.path.slice(path.length + 1),
          path: c.path,
          sha: c.sha,
        })),
      );
    }
    return send(404, {
      message: 'Not Found',
      documentation_url: 'https://docs.github.com/rest/repos/contents',
    });
  }

  async #defaultBranch(
    req: IncomingMessage,
    owner: string,
    repo: string,
  ): Promise<string | undefined> {
    const r = await this.#upstream(req, `/repos/${owner}/${repo}`);
    return r.status === 200 ? (r.body as { default_branch?: string }).default_branch : undefined;
  }

  async #upstream(req: IncomingMessage, path: string): Promise<{ status: number; body: unknown }> {
    const auth = req.headers.authorization;
    const res = await fetch(`${this.#api.url}${path}`, {
      headers: auth ? { authorization: auth } : {},
    });
    return { status: res.status, body: (await res.json()) as unknown };
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
      if (name !== 'content-length' && name !== 'transfer-encoding' && name !== 'connection')
        out[name] = value;
    });
    res.writeHead(upstream.status, out);
    res.end(Buffer.from(await upstream.arrayBuffer()));
  }
}

/** The contents API's shape for a file: base64 in lines of 60 characters, as GitHub sends it. */
function fileJson(
  owner: string,
  repo: string,
  path: string,
  sha: string,
  content: string,
): unknown {
  const base64 = Buffer.from(content, 'utf8').toString('base64');
  return {
    type: 'file',
    encoding: 'base64',
    size: Buffer.byteLength(content),
    name: path.slice(path.lastIndexOf('/') + 1),
    path,
    sha,
    content: (base64.match(/.{1,60}/g) ?? []).join('\n') + '\n',
    html_url: `https://github.com/${owner}/${repo}/blob/main/${path}`,
  };
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
