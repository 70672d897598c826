import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cli, tempDir } from './support/run-cli.ts';
import { withLocalStore } from './support/local-store.ts';

let dir: string;
let remove: () => Promise<void>;
beforeEach(async () => ({ dir, remove } = await tempDir()));
afterEach(() => remove());

describe('recon enqueue', () => {
  it('has help with an example and says which store it acts on', async () => {
    const r = await cli(['enqueue', '--help'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Examples:\n  recon enqueue');
    expect(r.stdout).toContain('the local store of `recon dev`');
  });

  it('enqueues into the local store when recon dev is not running', async () => {
    const r = await cli(
      ['enqueue', 'repo/a', 'repo/b', '--priority', '7', '--delay', '5m', '--json'],
      { cwd: dir },
    );
    expect(r.code).toBe(0);
    expect(r.json()).toEqual({
      queue: 'local store .recon/gcs (recon dev is not running)',
      enqueued: [
        { key: 'repo/a', priority: 7, delayMs: 300_000, result: 'added' },
        { key: 'repo/b', priority: 7, delayMs: 300_000, result: 'added' },
      ],
    });
    const again = await cli(['enqueue', 'repo/a', '--json'], { cwd: dir });
    expect(again.json<{ enqueued: Array<{ result: string }> }>().enqueued[0]?.result).toBe(
      'deduped',
    );
    await withLocalStore(dir, async (store) => {
      expect(await store.getKeyState('repo/a')).toMatchObject({ status: 'QUEUED', priority: 7 });
    });
  });

  it('prints a table on a terminal, plain text otherwise', async () => {
    const tty = await cli(['enqueue', 'k1'], { cwd: dir, isTTY: true });
    expect(tty.stdout).toMatch(/KEY\s+RESULT\s+PRIORITY\s+DELAY/);
    expect(tty.stdout).toContain('\u001b[32menqueued 1 key\u001b[39m');
    const plain = await cli(['enqueue', 'k2'], { cwd: dir });
    expect(plain.stdout).not.toContain('\u001b[');
    expect(plain.stdout).toContain('enqueued 1 key into local store');
  });

  it.each([
    [['enqueue', ''], 'error: key: must not be empty'],
    [
      ['enqueue', 'ok', 'bad\u0001key'],
      'error: key #2: contains control character U+0001 at index 3',
    ],
    [['enqueue', 'k', '--priority', 'high'], 'error: --priority: must be an integer, got "high"'],
    [
      ['enqueue', 'k', '--priority', '2147483648'],
      'error: --priority: 2147483648 is outside the signed 32-bit range',
    ],
    [
      ['enqueue', 'k', '--delay', '5 minutes'],
      'error: --delay: "5 minutes" is not a duration (use e.g. 500ms, 30s, 5m, 2h)',
    ],
    [['enqueue', 'k', '--delay', '-5s'], 'error: --delay: "-5s" is not a duration'],
    [['enqueue', 'k', '--bogus'], "error: unknown option '--bogus'"],
    [['enqueue'], "error: missing required argument 'key'"],
  ])(
    'rejects bad input %j with exit 2 and one line, before anything is stored',
    async (argv, message) => {
      const r = await cli(argv, { cwd: dir });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(message);
      expect(r.stdout).toBe('');
      await withLocalStore(dir, async (store) => {
        expect((await store.stats()).queued).toBe(0);
      });
    },
  );

  it('prints a stack trace only with --verbose', async () => {
    const quiet = await cli(['enqueue', 'k', '--priority', 'x'], { cwd: dir });
    expect(quiet.stderr.trim().split('\n')).toHaveLength(1);
    const verbose = await cli(['--verbose', 'enqueue', 'k', '--priority', 'x'], { cwd: dir });
    expect(verbose.stderr).toMatch(/\n\s+at /);
  });
});
