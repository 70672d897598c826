/** The UI as its own server: `recon ui`, or a Cloud Run service behind IAM. */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createUiHandler } from './handler.ts';
import type { UiHandlerOptions } from './options.ts';

export interface StartUiOptions extends UiHandlerOptions {
  /** 0 = a free port. */
  port: number;
  /** Default 127.0.0.1; on Cloud Run pass 0.0.0.0. */
  host?: string;
}

export interface UiServer {
  /** Where the page is, e.g. `http://127.0.0.1:8090/`. */
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function startUi(options: StartUiOptions): Promise<UiServer> {
  const handler = createUiHandler(options);
  const server = createServer((req, res) => {
    void answer(req, res).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`internal error: ${err instanceof Error ? err.message : String(err)}\n`);
    });
  });
  const answer = async (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/healthz' && req.method === 'GET') {
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n');
      return;
    }
    if (await handler(req, res)) return;
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
  };
  server.keepAliveTimeout = 5000;
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const shown =
    host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shown}:${port}${handler.basePath}/`,
    port,
    async close() {
      await handler.close();
      await new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
    },
  };
}
