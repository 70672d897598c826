// Every queue command as a real process against a GCS emulator: `--bucket` plus
// STORAGE_EMULATOR_HOST, exactly as against Cloud Storage.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../src/dev/free-port.ts';
import { deadLetter, openStore, type OpenStore } from './support/local-store.ts';
import { childEnv, recon } from './support/processes.ts';
import { tempDir } from './support/run-cli.ts';

const bucket = 'e2e-queue';
let opened: OpenStore;
let dir: string;
let remove: () => Promise<void>;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  ({ dir, remove } = await tempDir());
  opened = await openStore({ bucket });
  env = childEnv({ STORAGE_EMULATOR_HOST: opened.emulator.url });
});
afterAll(async () => {
  await opened.close();
  await remove();
});

const run = (...args: string[]) => recon([...args, '--bucket', bucket], { cwd: dir, env });

describe('recon against a GCS emulator (subprocess)', { timeout: 60_000 }, () => {
  it('enqueue → queue stats → queue get', async () => {
    const enq = await run('enqueue', 'e/1', 'e/2', '--priority', '5', '--delay', '500ms', '--json');
    expect(enq.code).toBe(0);
    expect(JSON.parse(enq.stdout)).toMatchObject({
      queue: `bucket ${bucket}`,
      enqueued: [{ key: 'e/1', delayMs: 500 }, { key: 'e/2' }],
    });

    const stats = await run('queue', 'stats', '--json');
    expect(stats.code).toBe(0);
    expect(JSON.parse(stats.stdout)).toMatchObject({ queued: 2, inProgress: 0, deadLettered: 0 });

    const got = await run('queue', 'get', 'e/2', '--json');
    expect(JSON.parse(got.stdout)).toMatchObject({
      key: 'e/2',
      status: 'QUEUED',
      priority: 5,
      attempts: 0,
    });

    const missing = await run('queue', 'get', 'e/404');
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim()).toBe(
      `error: key not found: "e/404" is not queued, in progress or dead-lettered in bucket ${bucket}`,
    );
  });

  it('dlq list → dlq reenqueue', async () => {
    await deadLetter(opened.store, 'd/1', 'first failure');
    await deadLetter(opened.store, 'd/2', 'second failure');
    const list = await run('dlq', 'list', '--json');
    expect(JSON.parse(list.stdout)).toMatchObject({
      keys: [{ key: 'd/1', lastError: 'first failure' }, { key: 'd/2' }],
    });

    const dry = await run('dlq', 'reenqueue', '--prefix', 'd/', '--dry-run', '--json');
    expect(JSON.parse(dry.stdout)).toMatchObject({
      dryRun: true,
      selected: ['d/1', 'd/2'],
      moved: [],
    });

    const moved = await run('dlq', 'reenqueue', '--all', '--rate', '20/s');
    expect(moved.code).toBe(0);
    expect(moved.stdout).toContain(`moved 2 keys back to the queue in bucket ${bucket}`);
    expect(await opened.store.getKeyState('d/1')).toMatchObject({ status: 'QUEUED', attempts: 0 });
    const empty = await run('dlq', 'list');
    expect(empty.stdout).toContain('no dead-lettered keys');
  });

  it('exits 2 with one line for bad flags, and prints help', async () => {
    const bad = await run('enqueue', 'k', '--priority', '1.5');
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim()).toBe('error: --priority: must be an integer, got "1.5"');
    const help = await recon(['dlq', 'reenqueue', '--help'], { cwd: dir, env });
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('recon dlq reenqueue --all --dry-run');
  });

  it('exits 1 with one line when the storage is unreachable', async () => {
    // A closed port, not :1 — fetch refuses port 1 outright ("bad port") without connecting.
    const closed = await freePort();
    const r = await recon(['queue', 'stats', '--bucket', bucket], {
      cwd: dir,
      env: childEnv({ STORAGE_EMULATOR_HOST: `http://127.0.0.1:${closed}` }),
    });
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^error: cannot reach the storage of bucket e2e-queue: /);
  });
});
