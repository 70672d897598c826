/**
 * A fault wrapper in front of the emulator: an HTTP proxy that forwards every request and, when
 * told, lets one matching request reach the store but destroys the client's connection instead of
 * relaying the answer — the "applied, but the response was lost" failure, deterministically.
 */
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface LossyProxy {
  readonly url: string;
  /** Loses the answer of the next `times` requests for which `match(method, url)` holds. */
  loseAnswer(match: (method: string, url: string) => boolean, times?: number): void;
  /** Requests whose answer was lost so far. */
  readonly lost: number;
  close(): Promise<void>;
}

export async function startLossyProxy(target: string): Promise<LossyProxy> {
  const upstream = new URL(target);
  let rule: { match: (method: string, url: string) => boolean; times: number } | undefined;
  let lost = 0;
  const server = createServer((req, res) => {
    const drop =
      rule !== undefined && rule.times > 0 && rule.match(req.method ?? 'GET', req.url ?? '');
    if (drop && rule) rule.times--;
    const forward = request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: upstream.host },
      },
      (answer) => {
        if (drop) {
          answer.resume();
          answer.on('end', () => {
            lost++;
            req.socket.destroy();
          });
          return;
        }
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on('error', () => req.socket.destroy());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    loseAnswer(match, times = 1) {
      rule = { match, times };
    },
    get lost() {
      return lost;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
