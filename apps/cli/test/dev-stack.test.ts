import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createWorkqueueClient } from '@recon/proto';
import { done, reconciler, serve, type Served } from '@recon/sdk';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '@recon/observability';
import { startDevStack, type DevStack } from '../src/dev/dev-stack.ts';

let dir: string;
const cleanups: Array<() => Promise<void>> = [];
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'recon-dev-'));
});
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
  await rm(dir, { recursive: true, force: true });
});

async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 15_000,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function start(options: { target?: string } = {}): Promise<DevStack> {
  return startDevStack({
    dir,
    cwd: dir,
    reconciler: options.target ? { target: options.target } : { example: true },
    basePort: 0,
    logger: silentLogger,
    write: () => {},
  }).then((stack) => {
    cleanups.push(() => stack.stop());
    return stack;
  });
}

describe('recon dev stack', () => {
  it('takes a key from the receiver through the local bucket to the reconciler', async () => {
    const stack = await start();
    const state = JSON.parse(await readFile(join(dir, 'dev.json'), 'utf8')) as {
      receiver: string;
      pid: number;
    };
    expect(state).toMatchObject({ receiver: stack.endpoints.receiver, pid: process.pid });

    const client = createWorkqueueClient(stack.endpoints.receiver);
    cleanups.push(async () => client.close());
    await client.enqueue({ key: 'demo/ok-7' });
    await client.enqueue({ key: 'demo/flaky-7' });
    await waitFor('the queue to drain', async () => {
      const s = await stack.queue.stats();
      return s.queued === 0 && s.inProgress === 0 ? s : undefined;
    });
    expect(await stack.queue.getKeyState('demo/ok-7')).toBeUndefined();
    expect(
      stack.dispatcher.metrics.registry.getSingleMetric('workqueue_outcomes_total'),
    ).toBeDefined();
    const metrics = await stack.dispatcher.metrics.registry.metrics();
    expect(metrics).toMatch(/workqueue_outcomes_total\{outcome="success"\} 2/);
    expect(metrics).toMatch(/workqueue_outcomes_total\{outcome="retried"\} 1/);
  });

  it('stops with nothing lost: an in-flight key goes back unspent and resumes after a restart', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => (release = r));
    let calls = 0;
    const slow: Served = await serve(
      reconciler(async (_key, ctx) => {
        calls++;
        await Promise.race([gate, new Promise((r) => ctx.signal.addEventListener('abort', r))]);
        return done();
      }),
      {
        port: 0,
        host: '127.0.0.1',
        handleSignals: false,
        logger: silentLogger,
        drainTimeoutMs: 200,
      },
    );
    cleanups.push(() => slow.close());
    const target = `http://127.0.0.1:${slow.port}`;

    const first = await start({ target });
    await first.queue.enqueue({ key: 'tenant-a/db-3', priority: 7 });
    first.dispatcher.wake('local');
    await waitFor('the attempt to start', async () => (calls > 0 ? true : undefined));
    await first.stop();

    const reopened = await start({ target });
    const state = await reopened.queue.getKeyState('tenant-a/db-3');
    expect(state).toMatchObject({ status: 'QUEUED', priority: 7, attempts: 0 });
    release();
    await waitFor('the key to complete', async () =>
      (await reopened.queue.getKeyState('tenant-a/db-3')) === undefined ? true : undefined,
    );
    expect(calls).toBe(2);
  });
});
