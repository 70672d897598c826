/**
 * The local stand-in for the bucket notification's Pub/Sub push subscriptions: the emulator
 * POSTs every new `queued/` object here, and each push is forwarded to every registered
 * dispatcher (as one push subscription per region would). Answers 204 at once; a dispatcher that
 * is down misses the push, exactly as a failed push would be retried later — its poll and the
 * other dispatcher cover it.
 */
import { createServer } from 'node:http';

export interface FanOut {
  /** Where the emulator should push. */
  readonly url: string;
  /** Pushes received from the emulator. */
  readonly received: number;
  /** Replaces the dispatchers pushes go to (base URLs; the push is a POST to `/`). */
  setTargets(urls: readonly string[]): void;
  close(): Promise<void>;
}

export async function startFanOut(): Promise<FanOut> {
  let targets: readonly string[] = [];
  let received = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      received++;
      res.writeHead(204).end();
      for (const target of targets) {
        fetch(target, {
          method: 'POST',
          body: '{}',
          headers: { 'content-type': 'application/json' },
        })
          .then((r) => r.body?.cancel())
          .catch(() => undefined);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('fan-out: no port');
  return {
    url: `http://127.0.0.1:${address.port}/`,
    get received() {
      return received;
    },
    setTargets(urls) {
      targets = [...urls];
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
