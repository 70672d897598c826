import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';

export interface OpsServerOptions {
  /** 0 = a free port. */
  port: number;
  /** Default 127.0.0.1; services on Cloud Run pass 0.0.0.0. */
  host?: string;
  /** Served at GET /metrics in Prometheus text format. */
  registry?: Registry;
  /** GET /healthz answers 200 while this returns true, else 503. Default always healthy. */
  healthy?: () => boolean;
  /**
   * Any other request. Return true when handled. Lets the dispatcher take its wake-up POSTs and
   * the UI its pages on the same port.
   */
  handle?: (req: IncomingMessage, res: ServerResponse) => boolean | Promise<boolean>;
}

export interface OpsServer {
  port: number;
  url: string;
  server: Server;
  close(): Promise<void>;
}

/** One small HTTP server for health, metrics and whatever a service mounts beside them. */
export async function startOpsServer(options: OpsServerOptions): Promise<OpsServer> {
  const server = createServer((req, res) => {
    void route(options, req, res).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`internal error: ${err instanceof Error ? err.message : String(err)}\n`);
    });
  });
  // Let keep-alive sockets close promptly on shutdown.
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const host = options.host === '0.0.0.0' || !options.host ? '127.0.0.1' : options.host;
  return {
    port,
    url: `http://${host}:${port}`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function route(
  options: OpsServerOptions,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const path = (req.url ?? '/').split('?')[0];
  if (req.method === 'GET' && path === '/healthz') {
    const ok = options.healthy?.() ?? true;
    res.writeHead(ok ? 200 : 503, { 'content-type': 'text/plain' });
    res.end(ok ? 'ok\n' : 'unhealthy\n');
    return;
  }
  if (req.method === 'GET' && path === '/metrics' && options.registry) {
    const body = await options.registry.metrics();
    res.writeHead(200, { 'content-type': options.registry.contentType });
    res.end(body);
    return;
  }
  if (options.handle && (await options.handle(req, res))) return;
  res.writeHead(404, { 'content-type': 'text/plain' });
  res.end('not found\n');
}
