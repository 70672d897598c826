// A gate in front of a real registry that demands auth the way hosted registries do: either a
// Bearer token from its own token service (which takes Basic `oauth2accesstoken:<secret>`, like
// Artifact Registry) or plain Basic auth. Requests pass through to the registry untouched, Host
// header included, so upload Locations point back at the gate.
import {
  createServer,
  request,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';

export interface AuthProxy {
  /** `127.0.0.1:<port>` */
  readonly host: string;
  /** Scope parameters the token service was asked for, in order. */
  readonly tokenScopes: string[][];
  /** Requests refused with 401. */
  readonly challenges: string[];
  close(): Promise<void>;
}

export interface AuthProxyOptions {
  readonly upstream: string;
  readonly scheme: 'bearer' | 'basic';
  readonly username: string;
  readonly password: string;
}

export async function startAuthProxy(options: AuthProxyOptions): Promise<AuthProxy> {
  const [upstreamHost, upstreamPort] = options.upstream.split(':');
  const basic = `Basic ${Buffer.from(`${options.username}:${options.password}`).toString('base64')}`;
  const issued = new Set<string>();
  const tokenScopes: string[][] = [];
  const challenges: string[] = [];
  let host = '';

  const forward = (req: IncomingMessage, res: ServerResponse): void => {
    const upstream = request(
      {
        host: upstreamHost,
        port: Number(upstreamPort),
        method: req.method,
        path: req.url,
        headers: req.headers,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  };

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', `http://${host}`);
    if (url.pathname === '/token') {
      if (req.headers.authorization !== basic) {
        res.writeHead(401).end();
        return;
      }
      tokenScopes.push(url.searchParams.getAll('scope'));
      const token = `t${issued.size + 1}`;
      issued.add(token);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ token, expires_in: 300 }));
      return;
    }
    const auth = req.headers.authorization ?? '';
    const ok =
      options.scheme === 'basic' ? auth === basic : issued.has(auth.replace(/^Bearer /, ''));
    if (!ok) {
      challenges.push(`${req.method} ${url.pathname}`);
      const challenge =
        options.scheme === 'basic'
          ? 'Basic realm="test"'
          : `Bearer realm="http://${host}/token",service="test-registry"`;
      req.resume();
      res.writeHead(401, { 'www-authenticate': challenge, 'content-type': 'application/json' });
      res.end(
        JSON.stringify({ errors: [{ code: 'UNAUTHORIZED', message: 'authentication required' }] }),
      );
      return;
    }
    forward(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    host,
    tokenScopes,
    challenges,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
