import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cli, tempDir } from './support/run-cli.ts';
import { deadLetter, startKey, withLocalStore } from './support/local-store.ts';

let dir: string;
let remove: () => Promise<void>;
beforeEach(async () => ({ dir, remove } = await tempDir()));
afterEach(() => remove());

describe('recon queue stats', () => {
  it('has help with an example', async () => {
    const r = await cli(['queue', 'stats', '--help'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('recon queue stats --watch');
    expect((await cli(['queue', '--help'], { cwd: dir })).stdout).toContain('Examples:');
  });

  it('says so when the queue is empty, and creates no store to say it', async () => {
    const r = await cli(['queue', 'stats'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('the queue is empty');
    const { existsSync } = await import('node:fs');
    expect(existsSync(`${dir}/.recon`)).toBe(false);
  });

  it('reports every gauge as one JSON document', async () => {
    await withLocalStore(dir, async (store) => {
      await store.enqueue({ key: 'due-1' });
      await store.enqueue({ key: 'later', delayMs: 3_600_000 });
      await startKey(store, 'running');
      await deadLetter(store, 'broken', 'boom');
    });
    const r = await cli(['queue', 'stats', '--json'], { cwd: dir });
    expect(r.code).toBe(0);
    const doc = r.json();
    expect(Object.keys(doc).sort()).toEqual(
      [
        'deadLettered',
        'inProgress',
        'leaseAgesMs',
        'maxAttempts',
        'oldestQueuedAgeMs',
        'queued',
        'waiting',
      ].sort(),
    );
    expect(doc).toMatchObject({
      queued: 2,
      waiting: 1,
      inProgress: 1,
      deadLettered: 1,
      maxAttempts: 1,
    });
    expect(doc['oldestQueuedAgeMs']).toBeGreaterThanOrEqual(0);
    expect(doc['leaseAgesMs']).toHaveLength(1);
  });

  it('prints aligned rows for humans', async () => {
    await withLocalStore(dir, (store) => store.enqueue({ key: 'a' }).then(() => undefined));
    const r = await cli(['queue', 'stats'], { cwd: dir });
    expect(r.stdout).toMatch(/^queued {2,}1$/m);
    expect(r.stdout).toMatch(/^dead-lettered {2,}0$/m);
    expect(r.stdout).not.toContain('empty');
  });

  it('--watch prints one JSON line per refresh off a terminal', async () => {
    const r = await cli(['queue', 'stats', '--watch', '--interval', '100ms', '--count', '2'], {
      cwd: dir,
    });
    expect(r.code).toBe(0);
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({ queued: 0, inProgress: 0 });
    expect(typeof lines[0]?.['time']).toBe('string');
  });

  it('--watch redraws in place on a terminal and stops on Ctrl-C', async () => {
    const stop = new AbortController();
    let frames = 0;
    const r = await cli(['queue', 'stats', '--watch', '--interval', '100ms'], {
      cwd: dir,
      isTTY: true,
      signal: stop.signal,
      onStdout: () => {
        frames += 1;
        if (frames === 2) stop.abort(); // Ctrl-C after the second frame
      },
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Ctrl-C to stop');
    expect(r.stdout).toMatch(/\u001b\[\d+A\u001b\[0J/); // cursor up + clear: the previous frame is replaced
  });

  it.each([
    [['queue', 'stats', '--interval', 'soon', '--watch'], '--interval'],
    [['queue', 'stats', '--watch', '--count', '0'], '--count must be a positive integer'],
    [['queue', 'stats', '--queue', 'prod'], '--queue prod: there is no recon.config.json'],
  ])('rejects %j with exit 2', async (argv, message) => {
    const r = await cli(argv, { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
  });
});

describe('recon queue get', () => {
  it('shows the state with first queued and last error', async () => {
    await withLocalStore(dir, async (store) => {
      await deadLetter(store, 'repo/x', 'the API said no');
    });
    const r = await cli(['queue', 'get', 'repo/x', '--json'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.json()).toMatchObject({
      key: 'repo/x',
      status: 'DEAD_LETTER',
      copies: ['DEAD_LETTER'],
      attempts: 1,
      lastError: 'the API said no',
      firstQueuedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) as unknown,
      failedAt: expect.stringMatching(/^\d{4}-/) as unknown,
    });
    const human = await cli(['queue', 'get', 'repo/x'], { cwd: dir });
    expect(human.stdout).toMatch(/^status +dead-lettered$/m);
    expect(human.stdout).toMatch(/^last error +the API said no$/m);
    expect(human.stdout).toMatch(/^first queued +\d+(ms|s) ago$/m);
  });

  it('lists every copy of a key that is in progress and queued again', async () => {
    await withLocalStore(dir, async (store) => {
      await startKey(store, 'twin');
      await store.enqueue({ key: 'twin' });
    });
    const r = await cli(['queue', 'get', 'twin', '--json'], { cwd: dir });
    expect(r.json()).toMatchObject({
      status: 'IN_PROGRESS',
      copies: ['IN_PROGRESS', 'QUEUED'],
      owner: 'test-owner',
    });
  });

  it('says "key not found" with exit 1 for an unknown key', async () => {
    const r = await cli(['queue', 'get', 'nope'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      'error: key not found: "nope" is not queued, in progress or dead-lettered in local store .recon/gcs (recon dev is not running)\n',
    );
  });

  it('rejects an invalid key with exit 2', async () => {
    const r = await cli(['queue', 'get', ''], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('key: must not be empty');
  });
});
