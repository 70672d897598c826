/** The entry file as a process: it serves until SIGTERM, and a bad configuration exits 1. */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { status as GrpcCode } from '@grpc/grpc-js';
import { createWorkqueueClient } from '@recon/proto';
import { describe, expect, it } from 'vitest';

const main = fileURLToPath(new URL('../src/main.ts', import.meta.url));
const run = (env: Record<string, string>) =>
  spawn(process.execPath, [main], {
    env: { PATH: process.env['PATH'] ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });

describe('main.ts', () => {
  it('exits 1 listing every configuration problem', async () => {
    const child = run({ PORT: 'x' });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const [code] = (await once(child, 'exit')) as [number];
    expect(code).toBe(1);
    expect(stderr).toContain('WORKQUEUE_SHARDS is required');
    expect(stderr).toContain('PORT must be a port number');
  });

  it('serves, then stops on SIGTERM with exit 0', async () => {
    const child = run({ WORKQUEUE_SHARDS: 'http://127.0.0.1:1,http://127.0.0.1:2', PORT: '0' });
    const exited = once(child, 'exit');
    let port = 0;
    for await (const line of createInterface({ input: child.stdout })) {
      const entry = JSON.parse(line) as { message?: string; port?: number };
      if (entry.message === 'router listening') {
        port = entry.port ?? 0;
        break;
      }
    }
    // An answer proves the child's event loop has turned since start-up, so its SIGTERM handler
    // is installed (until then the default disposition would kill it outright). Both shards are
    // unreachable: the router passes their UNAVAILABLE back.
    const client = createWorkqueueClient(`http://127.0.0.1:${port}`);
    await expect(client.process({ key: 'k' })).rejects.toMatchObject({
      code: GrpcCode.UNAVAILABLE,
    });
    client.close();
    child.kill('SIGTERM');
    const [code] = (await exited) as [number];
    expect(code).toBe(0);
  }, 15_000);
});
