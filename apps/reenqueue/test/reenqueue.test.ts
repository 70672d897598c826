/**
 * The re-enqueue job on the GCS emulator with the real client: dead letters go back to queued/
 * with attempts reset and their priority kept, the dead-letter copy goes, the job paces itself,
 * reports progress, stops on abort, and exits non-zero when a key could not be moved.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { silentLogger } from '@recon/observability';
import { afterEach, describe, expect, it } from 'vitest';
import { reenqueueDeadLetters, runReenqueueFromEnv } from '../src/index.ts';
import { noClientRetries, useGcs } from './support/gcs.ts';

const gcs = useGcs();
afterEach(() => gcs.emulator.setFaults({}));

describe('reenqueueDeadLetters', { timeout: 20_000 }, () => {
  it('moves every dead letter back: attempts reset, priority and first-queued kept, dead-letter copy gone', async () => {
    const bucket = gcs.bucket();
    await gcs.deadLetter(bucket, 'a', 7);
    await gcs.deadLetter(bucket, 'b', 123_456_789);
    const before = await gcs.metadata(bucket, 'dead-letter/a');
    expect(before).toMatchObject({
      attempts: '1',
      priority: '00000007',
      'last-error': 'gave up on a',
    });

    const progress: unknown[] = [];
    const report = await reenqueueDeadLetters({
      queue: gcs.backend(bucket),
      select: { all: true },
      onProgress: (p) => progress.push(p),
    });
    expect(report).toEqual({
      selected: ['a', 'b'],
      moved: ['a', 'b'],
      failed: [],
      missing: [],
      dryRun: false,
    });
    expect(progress).toEqual([
      { done: 1, total: 2, key: 'a', ok: true },
      { done: 2, total: 2, key: 'b', ok: true },
    ]);
    expect(await gcs.names(bucket)).toEqual(['queued/a', 'queued/b']);
    const queued = await gcs.metadata(bucket, 'queued/a');
    expect(queued).toMatchObject({
      attempts: '0',
      priority: '00000007',
      'first-queued': before?.['first-queued'],
    });
    expect((await gcs.metadata(bucket, 'queued/b'))?.['priority']).toBe('123456789');
  });

  it('paces itself at REENQUEUE_RATE', async () => {
    const bucket = gcs.bucket();
    for (const k of ['r1', 'r2', 'r3', 'r4']) await gcs.deadLetter(bucket, k);
    const began = Date.now();
    const report = await reenqueueDeadLetters({
      queue: gcs.backend(bucket),
      select: { prefix: 'r' },
      ratePerSecond: 10,
    });
    expect(report.moved).toHaveLength(4);
    expect(Date.now() - began).toBeGreaterThanOrEqual(300); // three gaps of 100 ms at least
  });

  it('an abort stops the run: the rest is reported failed ("interrupted") and stays dead-lettered', async () => {
    const bucket = gcs.bucket();
    for (const k of ['s1', 's2', 's3']) await gcs.deadLetter(bucket, k);
    const stop = new AbortController();
    const report = await reenqueueDeadLetters({
      queue: gcs.backend(bucket),
      select: { keys: ['s1', 's2', 's3'] },
      signal: stop.signal,
      onProgress: ({ done }) => done === 1 && stop.abort(),
    });
    expect(report.moved).toEqual(['s1']);
    expect(report.failed).toEqual([
      { key: 's2', error: 'interrupted' },
      { key: 's3', error: 'interrupted' },
    ]);
    expect(await gcs.names(bucket)).toEqual(['dead-letter/s2', 'dead-letter/s3', 'queued/s1']);
  });

  it('a storage failure is reported per key; the dead-letter copy stays', async () => {
    const bucket = gcs.bucket();
    await gcs.deadLetter(bucket, 'f1');
    const queue = gcs.backend(bucket, {
      storage: gcs.storage(noClientRetries),
      retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 2 },
    });
    gcs.emulator.setFaults({ errorRate: 1, errorStatuses: [503] });
    const report = await reenqueueDeadLetters({ queue, select: { keys: ['f1'] } });
    gcs.emulator.setFaults({});
    expect(report.moved).toEqual([]);
    expect(report.failed).toHaveLength(1);
    expect(report.failed[0]?.key).toBe('f1');
    expect(await gcs.names(bucket)).toEqual(['dead-letter/f1']);
  });
});

describe('runReenqueueFromEnv (the Cloud Run job)', { timeout: 20_000 }, () => {
  it('returns 0 when every selected key moved, and missing keys are not failures', async () => {
    const bucket = gcs.bucket();
    await gcs.deadLetter(bucket, 'x');
    const env = {
      WORKQUEUE_BUCKET: bucket,
      STORAGE_EMULATOR_HOST: gcs.host,
      REENQUEUE_KEYS: 'x,not-there',
    };
    expect(await runReenqueueFromEnv(env, silentLogger)).toBe(0);
    expect(await gcs.names(bucket)).toEqual(['queued/x']);
  });

  it('returns 1 when a key could not be moved', async () => {
    const bucket = gcs.bucket();
    await gcs.deadLetter(bucket, 'y');
    // An answer nobody retries, so the run fails fast.
    gcs.emulator.setFaults({ errorRate: 1, errorStatuses: [400] });
    const code = await runReenqueueFromEnv(
      { WORKQUEUE_BUCKET: bucket, STORAGE_EMULATOR_HOST: gcs.host, REENQUEUE_KEYS: 'y' },
      silentLogger,
    );
    gcs.emulator.setFaults({});
    expect(code).toBe(1);
    expect(await gcs.names(bucket)).toEqual(['dead-letter/y']);
  });
});

describe('src/main.ts as a process', { timeout: 20_000 }, () => {
  const main = fileURLToPath(new URL('../src/main.ts', import.meta.url));
  const run = async (env: Record<string, string>) => {
    const child = spawn(process.execPath, [main], {
      env: { PATH: process.env['PATH'] ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    const [code] = (await once(child, 'exit')) as [number | null];
    clearTimeout(timer);
    return { code, stdout, stderr };
  };

  it('moves the keys with STORAGE_EMULATOR_HOST in its usual host:port form', async () => {
    const bucket = gcs.bucket();
    await gcs.deadLetter(bucket, 'p/1');
    const result = await run({
      WORKQUEUE_BUCKET: bucket,
      STORAGE_EMULATOR_HOST: gcs.host,
      REENQUEUE_PREFIX: 'p/',
    });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout.trim())).toMatchObject({
      message: 'dead-lettered keys re-enqueued',
      selected: 1,
      moved: 1,
      failed: 0,
    });
    expect(await gcs.names(bucket)).toEqual(['queued/p/1']);
  });

  it('exits 1 listing every configuration problem', async () => {
    const result = await run({
      REENQUEUE_KEYS: 'a',
      REENQUEUE_PREFIX: 'b',
      REENQUEUE_RATE: 'fast',
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('reenqueue: invalid configuration');
    expect(result.stderr).toContain('WORKQUEUE_BUCKET is required');
    expect(result.stderr).toContain('set REENQUEUE_KEYS or REENQUEUE_PREFIX, not both');
    expect(result.stderr).toContain('REENQUEUE_RATE must be an integer, got "fast"');
  });
});
