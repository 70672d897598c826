import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cli, tempDir } from './support/run-cli.ts';
import { deadLetter, openStore, withLocalStore } from './support/local-store.ts';

let dir: string;
let remove: () => Promise<void>;
beforeEach(async () => ({ dir, remove } = await tempDir()));
afterEach(() => remove());

async function seedDeadLetters(keys: string[]): Promise<void> {
  await withLocalStore(dir, async (store) => {
    for (const key of keys) await deadLetter(store, key, `failed: ${key}`);
  });
}

describe('recon dlq list', () => {
  it('has help with an example', async () => {
    const r = await cli(['dlq', 'list', '--help'], { cwd: dir });
    expect(r.stdout).toContain('Examples:\n  recon dlq list');
  });

  it('says so when there are no dead-lettered keys', async () => {
    const r = await cli(['dlq', 'list'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      'no dead-lettered keys in local store .recon/gcs (recon dev is not running)\n',
    );
    const filtered = await cli(['dlq', 'list', '--prefix', 'x/'], { cwd: dir });
    expect(filtered.stdout).toContain('no dead-lettered keys with prefix "x/"');
  });

  it('lists failed time, attempts and last error', async () => {
    await seedDeadLetters(['a/1', 'a/2', 'b/1']);
    const r = await cli(['dlq', 'list', '--json'], { cwd: dir });
    expect(r.code).toBe(0);
    const doc = r.json<{ keys: Array<Record<string, unknown>>; truncated: boolean }>();
    expect(doc.truncated).toBe(false);
    expect(doc.keys.map((k) => k['key'])).toEqual(['a/1', 'a/2', 'b/1']);
    expect(doc.keys[0]).toMatchObject({
      attempts: 1,
      priority: 0,
      lastError: 'failed: a/1',
      failedAt: expect.any(String) as unknown,
    });

    const human = await cli(['dlq', 'list', '--prefix', 'a/'], { cwd: dir });
    expect(human.stdout).toMatch(/^KEY +FAILED +ATTEMPTS +PRIORITY +LAST ERROR$/m);
    expect(human.stdout).toMatch(/^a\/1 +\d+(ms|s) ago +1 +0 +failed: a\/1$/m);
    expect(human.stdout).not.toContain('b/1');
    expect(human.stdout).toContain('2 dead-lettered keys with prefix "a/"');

    const limited = await cli(['dlq', 'list', '--limit', '2', '--json'], { cwd: dir });
    expect(limited.json()).toMatchObject({
      truncated: true,
      keys: [{ key: 'a/1' }, { key: 'a/2' }],
    });
  });

  it('rejects a bad --limit with exit 2', async () => {
    const r = await cli(['dlq', 'list', '--limit', 'lots'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--limit must be a positive integer');
  });
});

describe('recon dlq reenqueue', () => {
  it.each([
    [['dlq', 'reenqueue'], 'choose which keys to move: one of --all, --key K... or --prefix P'],
    [['dlq', 'reenqueue', '--all', '--prefix', 'a/'], 'choose which keys to move'],
    [
      ['dlq', 'reenqueue', '--all', '--rate', 'fast'],
      '--rate must be a positive number of keys per second',
    ],
    [['dlq', 'reenqueue', '--all', '--rate', '0/s'], '--rate must be a positive number'],
    [['dlq', 'reenqueue', '--key', ''], '--key: must not be empty'],
  ])('rejects %j with exit 2', async (argv, message) => {
    const r = await cli(argv, { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
  });

  it('--dry-run lists what would move and changes nothing', async () => {
    await seedDeadLetters(['a/1', 'b/1']);
    const r = await cli(['dlq', 'reenqueue', '--prefix', 'a/', '--dry-run'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      'dry run: would move 1 key back to the queue in local store .recon/gcs (recon dev is not running):\n  a/1\n',
    );
    const stats = await cli(['queue', 'stats', '--json'], { cwd: dir });
    expect(stats.json()).toMatchObject({ queued: 0, deadLettered: 2 });
  });

  it('moves keys back with a summary, at a rate', async () => {
    await seedDeadLetters(['a/1', 'a/2', 'b/1']);
    const r = await cli(['dlq', 'reenqueue', '--all', '--rate', '50/s', '--json'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.json()).toEqual({
      selected: ['a/1', 'a/2', 'b/1'],
      moved: ['a/1', 'a/2', 'b/1'],
      failed: [],
      missing: [],
      dryRun: false,
    });
    const stats = await cli(['queue', 'stats', '--json'], { cwd: dir });
    expect(stats.json()).toMatchObject({ queued: 3, deadLettered: 0 });
    const key = await cli(['queue', 'get', 'a/1', '--json'], { cwd: dir });
    expect(key.json()).toMatchObject({ status: 'QUEUED', attempts: 0 });
  });

  it('draws a progress bar on a terminal and prints the summary', async () => {
    await seedDeadLetters(['a/1', 'a/2']);
    const r = await cli(['dlq', 'reenqueue', '--all'], { cwd: dir, isTTY: true });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('moving [');
    expect(r.stderr).toContain('2/2');
    expect(r.stdout).toContain('moved 2 keys');
  });

  it('says so when nothing matches', async () => {
    const r = await cli(['dlq', 'reenqueue', '--prefix', 'zzz'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('no dead-lettered keys match');
  });

  it('exits 1 when a named key is not dead-lettered', async () => {
    await seedDeadLetters(['a/1']);
    const r = await cli(['dlq', 'reenqueue', '--key', 'a/1', 'ghost'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('moved 1 key');
    expect(r.stdout).toContain('missing ghost: not in the dead-letter queue');
    expect(r.stderr).toBe('error: 1 key of 2 did not move\n');
  });

  it('exits 1 with the report when storage fails to move keys', async () => {
    const opened = await openStore({ bucket: 'dlq-test' });
    try {
      await deadLetter(opened.store, 'k/1', 'boom');
      await deadLetter(opened.store, 'k/2', 'boom');
      opened.emulator.setFaults({ errorRate: 1, errorStatuses: [403] });
      const env = { STORAGE_EMULATOR_HOST: opened.emulator.url };
      const r = await cli(
        ['dlq', 'reenqueue', '--key', 'k/1', 'k/2', '--bucket', 'dlq-test', '--json'],
        { cwd: dir, env },
      );
      expect(r.code).toBe(1);
      const report = r.json<{ moved: string[]; failed: Array<{ key: string; error: string }> }>();
      expect(report.moved).toEqual([]);
      expect(report.failed.map((f) => f.key)).toEqual(['k/1', 'k/2']);
      expect(r.stderr).toBe('error: 2 keys of 2 did not move\n');
    } finally {
      await opened.close();
    }
  });
});
