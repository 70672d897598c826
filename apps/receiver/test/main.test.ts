/**
 * The entry file as a process: configuration errors exit 1 listing every problem; in memory
 * mode it serves, and SIGTERM stops it cleanly.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { wireClient } from './wire-client.ts';

const main = fileURLToPath(new URL('../src/main.ts', import.meta.url));

function run(env: Record<string, string>) {
  return spawn(process.execPath, [main], {
    env: { PATH: process.env['PATH'] ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

describe('main.ts', () => {
  it('exits 1 listing every configuration problem', async () => {
    const child = run({ PORT: 'x', WORKQUEUE_MODE: 'disk' });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const [code] = (await once(child, 'exit')) as [number];
    expect(code).toBe(1);
    expect(stderr).toContain('PORT must be a port number');
    expect(stderr).toContain('WORKQUEUE_MODE must be one of gcs, memory');
  });

  it('serves in memory mode and stops on SIGTERM with exit 0', async () => {
    const child = run({ WORKQUEUE_MODE: 'memory', PORT: '0' });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = once(child, 'exit');
    let port = 0;
    for await (const line of createInterface({ input: child.stdout })) {
      const entry = JSON.parse(line) as { message?: string; port?: number };
      if (entry.message === 'receiver listening') {
        port = entry.port ?? 0;
        break;
      }
    }
    expect(port).toBeGreaterThan(0);
    // Answers also prove the child's event loop has turned since start-up, so its SIGTERM
    // handler is installed (until then the default disposition would kill it outright).
    const client = wireClient(port);
    await client.process({ key: 'from-main' });
    expect((await client.getKeyState({ key: 'from-main' })).key).toBe('from-main');
    client.close();
    child.kill('SIGTERM');
    const [code, signal] = (await exited) as [number, string];
    expect({ code, signal, stderr }).toMatchObject({ code: 0, signal: null });
  }, 15_000);
});
