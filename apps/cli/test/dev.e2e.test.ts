// The queue commands as real processes against a running `recon dev` (found through
// .recon/dev.json): enqueues go through its receiver and wake its dispatcher, reads go to its store.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emulatorEndpoint } from '@recon/backends';
import { Storage } from '@google-cloud/storage';
import { GcsBackend } from '@recon/workqueue-gcs';
import { deadLetter } from './support/local-store.ts';
import { bin, eventually, recon, start, type LongRunning } from './support/processes.ts';
import { tempDir } from './support/run-cli.ts';

let dir: string;
let remove: () => Promise<void>;
let dev: LongRunning;
let ready: { receiver: string; storage: string; bucket: string };

beforeAll(async () => {
  ({ dir, remove } = await tempDir());
  dev = start(
    process.execPath,
    [bin, 'dev', '--example', '--port', '0', '--dir', join(dir, '.recon'), '--json'],
    { cwd: dir },
  );
  ready = JSON.parse(await dev.waitForLine(/"event":"ready"/)) as typeof ready;
}, 60_000);
afterAll(async () => {
  await dev?.stop();
  await remove();
});

const run = (...args: string[]) => recon(args, { cwd: dir });
const stats = async () =>
  JSON.parse((await run('queue', 'stats', '--json')).stdout) as Record<string, number>;
const settled = async () => {
  const s = await stats();
  return s['queued'] === 0 && s['inProgress'] === 0 ? s : undefined;
};
const attemptEnded = (key: string) =>
  dev.stdoutLines.some(
    (l) =>
      l.includes('"attempt ended"') &&
      l.includes(`"key":"${key}"`) &&
      l.includes('"outcome":"success"'),
  );

describe('recon against a running recon dev (subprocess)', { timeout: 90_000 }, () => {
  it('enqueue goes through the receiver and the dispatcher processes the key', async () => {
    const enq = await run('enqueue', 'demo/ok-e2e', '--json');
    expect(enq.code).toBe(0);
    expect(JSON.parse(enq.stdout)).toMatchObject({
      queue: expect.stringContaining('recon dev is running') as unknown,
      enqueued: [{ result: 'sent' }],
    });
    await eventually(async () => (attemptEnded('demo/ok-e2e') ? true : undefined));
    const done = await eventually(settled);
    expect(done).toMatchObject({ queued: 0, inProgress: 0 });
    const get = await run('queue', 'get', 'demo/ok-e2e');
    expect(get.code).toBe(1);
    expect(get.stderr).toContain('key not found: "demo/ok-e2e"');
  });

  it('lists dead letters and moves them back to the running dispatcher', async () => {
    const storage = new Storage({
      apiEndpoint: emulatorEndpoint(ready.storage),
      projectId: 'recon-local',
    });
    const store = new GcsBackend({ storage, bucket: ready.bucket });
    try {
      await deadLetter(store, 'demo/ok-dead', 'gave up');
    } finally {
      await store.close();
    }
    const list = await run('dlq', 'list', '--json');
    expect(JSON.parse(list.stdout)).toMatchObject({
      keys: [{ key: 'demo/ok-dead', lastError: 'gave up' }],
    });
    const moved = await run('dlq', 'reenqueue', '--key', 'demo/ok-dead');
    expect(moved.code).toBe(0);
    expect(moved.stdout).toContain('moved 1 key');
    await eventually(async () => (attemptEnded('demo/ok-dead') ? true : undefined));
    expect(await eventually(settled)).toMatchObject({ deadLettered: 0 });
  });

  it('once recon dev stops, commands open its store directly', async () => {
    expect(await dev.stop()).toBe(0);
    expect(existsSync(join(dir, '.recon', 'dev.json'))).toBe(false);
    const enq = await run('enqueue', 'later', '--json');
    expect(JSON.parse(enq.stdout)).toMatchObject({
      queue: 'local store .recon/gcs (recon dev is not running)',
      enqueued: [{ result: 'added' }],
    });
    expect(await stats()).toMatchObject({ queued: 1 });
  });
});
