import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MemoryBackend } from '@recon/workqueue-memory';
import { startReceiver, type Receiver } from '@recon/receiver';
import { createLogger } from '@recon/observability';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cli, tempDir } from './support/run-cli.ts';
import {
  deadLetter,
  openStore,
  withLocalStore,
  writeDevState,
  type OpenStore,
} from './support/local-store.ts';

let dir: string;
let remove: () => Promise<void>;
const cleanups: Array<() => Promise<unknown>> = [];
beforeEach(async () => ({ dir, remove } = await tempDir()));
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
  await remove();
});

const quiet = createLogger({ write: () => {} });

/** What a running `recon dev` looks like to other commands: an emulator, a receiver, dev.json. */
async function fakeDev(): Promise<{ opened: OpenStore; receiver: Receiver; enqueued: string[] }> {
  const opened = await openStore();
  const enqueued: string[] = [];
  const receiver = await startReceiver({
    queue: opened.store,
    port: 0,
    host: '127.0.0.1',
    logger: quiet,
    onEnqueue: ({ key }) => void enqueued.push(key),
  });
  cleanups.push(
    () => opened.close(),
    () => receiver.close(),
  );
  await writeDevState(join(dir, '.recon'), {
    pid: process.pid,
    receiver: `http://127.0.0.1:${receiver.port}`,
    storage: opened.emulator.url,
    bucket: 'recon-dev',
  });
  return { opened, receiver, enqueued };
}

describe('addressing a queue', () => {
  it('goes through the receiver of a running recon dev, and reads its store', async () => {
    const dev = await fakeDev();
    const r = await cli(['enqueue', 'via-dev', '--delay', '1500ms', '--json'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.json()).toMatchObject({
      queue: expect.stringContaining('recon dev is running') as unknown,
      enqueued: [{ key: 'via-dev', result: 'sent' }],
    });
    expect(r.stderr).toContain(
      'note: the receiver takes whole seconds; --delay 1500ms was rounded up to 2s',
    );
    expect(dev.enqueued).toEqual(['via-dev']);
    const state = await cli(['queue', 'get', 'via-dev', '--json'], { cwd: dir });
    expect(state.json()).toMatchObject({ key: 'via-dev', status: 'QUEUED' });
    const stats = await cli(['queue', 'stats', '--json'], { cwd: dir });
    expect(stats.json()).toMatchObject({ queued: 1, waiting: 1 });
  });

  it('says recon dev may have stopped when its receiver is unreachable', async () => {
    const dev = await fakeDev();
    await dev.receiver.close();
    const r = await cli(['enqueue', 'k'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `error: cannot reach the receiver at http://127.0.0.1:${dev.receiver.port}: is \`recon dev\` still running?\n`,
    );
  });

  it('ignores a dev.json left by a recon dev that is gone', async () => {
    await writeDevState(join(dir, '.recon'), {
      pid: 2 ** 22 + 12345,
      receiver: 'http://127.0.0.1:1',
      storage: 'http://127.0.0.1:1',
      bucket: 'recon-dev',
    });
    const r = await cli(['enqueue', 'k', '--json'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.json()).toMatchObject({
      queue: 'local store .recon/gcs (recon dev is not running)',
      enqueued: [{ result: 'added' }],
    });
  });

  it('addresses a bucket (the emulator at STORAGE_EMULATOR_HOST)', async () => {
    const opened = await openStore({ bucket: 'team-queue' });
    cleanups.push(() => opened.close());
    await deadLetter(opened.store, 'dead/1', 'nope');
    const env = { STORAGE_EMULATOR_HOST: opened.emulator.url };
    const r = await cli(['enqueue', 'b/1', '--bucket', 'team-queue', '--json'], { cwd: dir, env });
    expect(r.json()).toMatchObject({ queue: 'bucket team-queue', enqueued: [{ result: 'added' }] });
    const stats = await cli(['queue', 'stats', '--bucket', 'team-queue', '--json'], {
      cwd: dir,
      env,
    });
    expect(stats.json()).toMatchObject({ queued: 1, deadLettered: 1 });
    expect(await opened.store.getKeyState('b/1')).toMatchObject({ status: 'QUEUED' });
  });

  it('addresses a queue named in recon.config.json, or by RECON_QUEUE', async () => {
    const opened = await openStore({ bucket: 'configured-q' });
    cleanups.push(() => opened.close());
    await writeFile(
      join(dir, 'recon.config.json'),
      JSON.stringify({ queues: { local: {}, prod: { bucket: 'configured-q', project: 'p1' } } }),
    );
    const env = { STORAGE_EMULATOR_HOST: opened.emulator.url };
    const r = await cli(['enqueue', 'c/1', '--queue', 'prod', '--json'], { cwd: dir, env });
    expect(r.json()).toMatchObject({ queue: 'queue prod: bucket configured-q' });
    const byEnv = await cli(['queue', 'stats', '--json'], {
      cwd: dir,
      env: { ...env, RECON_QUEUE: 'prod' },
    });
    expect(byEnv.json()).toMatchObject({ queued: 1 });
    const local = await cli(['queue', 'stats', '--queue', 'local', '--json'], { cwd: dir, env });
    expect(local.json()).toMatchObject({ queued: 0 });

    const unknown = await cli(['queue', 'stats', '--queue', 'staging'], { cwd: dir, env });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe(
      'error: no queue "staging" in recon.config.json (queues: local, prod)\n',
    );
  });

  it('enqueues and reads key state through a receiver alone', async () => {
    const queue = new MemoryBackend();
    const receiver = await startReceiver({ queue, port: 0, host: '127.0.0.1', logger: quiet });
    cleanups.push(() => receiver.close());
    const url = `http://127.0.0.1:${receiver.port}`;
    const r = await cli(['enqueue', 'r/1', '--priority', '3', '--receiver', url, '--json'], {
      cwd: dir,
    });
    expect(r.json()).toMatchObject({
      queue: `receiver ${url}`,
      enqueued: [{ key: 'r/1', result: 'sent' }],
    });
    expect(await queue.getKeyState('r/1')).toMatchObject({ priority: 3 });
    const got = await cli(['queue', 'get', 'r/1', '--receiver', url, '--json'], { cwd: dir });
    expect(got.json()).toMatchObject({
      key: 'r/1',
      status: 'QUEUED',
      priority: 3,
      copies: ['QUEUED'],
    });
    const missing = await cli(['queue', 'get', 'r/2', '--receiver', url], { cwd: dir });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('key not found: "r/2"');
    const stats = await cli(['queue', 'stats', '--receiver', url], { cwd: dir });
    expect(stats.code).toBe(2);
    expect(stats.stderr).toContain("this command reads the queue's bucket: pass --bucket");
  });

  it('gives one clear line for an unreachable receiver', async () => {
    const r = await cli(['enqueue', 'k', '--receiver', 'http://127.0.0.1:1'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      'error: cannot reach the receiver at http://127.0.0.1:1: is the URL right, and reachable from here?\n',
    );
  });

  it.each([
    [['enqueue', 'k', '--receiver', 'not a url'], '--receiver must be a URL'],
    [['queue', 'stats', '--bucket', 'Bad_Bucket!'], '--bucket: "Bad_Bucket!" is not a bucket name'],
  ])('rejects %j with exit 2', async (argv, message) => {
    const r = await cli(argv, { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
  });

  it('reads the local store when nothing is configured', async () => {
    await withLocalStore(dir, async (store) => void (await store.enqueue({ key: 'here' })));
    const r = await cli(['queue', 'get', 'here', '--json'], { cwd: dir });
    expect(r.json()).toMatchObject({ key: 'here', status: 'QUEUED' });
  });
});
