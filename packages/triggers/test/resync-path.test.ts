/**
 * The path reconciler's resync against the fake GitHub API: 10,000 matching paths over a 6-hour
 * period, a FakeClock advanced minute by minute through one whole period. Every key is enqueued
 * exactly once, and no tick enqueues more than 2 × ceil(N / periodMinutes) = 2 × 28 = 56 keys.
 */
import { FakeClock } from '@recon/core';
import { createGithubClient } from '@recon/github';
import { FakeGithubApi } from '@recon/github/testing';
import { MemoryBackend } from '@recon/workqueue-memory';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  compilePathPatterns,
  createResyncSharder,
  githubPathKeySource,
  runResyncFromEnv,
  runResyncLoop,
  type ResyncTick,
} from '../src/index.ts';
import { RecordingPort } from './support/ports.ts';
import { startTestReceiver, type TestReceiver } from './support/test-receiver.ts';

const owner = 'chainguard-dev';
const repo = 'images';
const periodMs = 6 * 3_600_000;
const periodMinutes = periodMs / 60_000;
const N = 10_000;
const burstFactor = 2;

describe('path resync against a fake GitHub API', () => {
  let api: FakeGithubApi;
  let expected: Set<string>;

  beforeAll(async () => {
    api = await FakeGithubApi.start();
    api.addRepo(owner, repo, { defaultBranch: 'trunk' });
    const files = new Map<string, string>();
    expected = new Set();
    for (let i = 0; i < N; i++) {
      files.set(`configs/c-${i}.yaml`, `config ${i}`);
      expected.add(`https://github.com/${owner}/${repo}/blob/trunk/configs/c-${i}.yaml`);
    }
    for (let i = 0; i < 500; i++) files.set(`docs/d-${i}.md`, 'doc');
    api.commit(owner, repo, files, { branch: 'trunk' });
  });
  afterAll(() => api.close());

  it(`enqueues each of ${N} keys exactly once per 6-hour period, at most ${burstFactor} × ceil(N/P) per minute`, async () => {
    const periodStart = Date.UTC(2026, 0, 1, 6);
    const clock = new FakeClock(periodStart);
    const port = new RecordingPort(new MemoryBackend({ clock }));
    const source = githubPathKeySource({
      octokit: createGithubClient({ baseUrl: api.url }),
      repository: { owner, repo },
      patterns: compilePathPatterns(['^(configs/.+\\.yaml)$']),
    });
    const sharder = createResyncSharder({
      listKeys: () => source.listKeys(),
      periodMs,
      enqueue: port,
      clock,
    });
    const ticks: ResyncTick[] = [];
    let waiting: (() => void) | undefined;
    const stop = new AbortController();
    const loop = runResyncLoop({
      sharder,
      clock,
      signal: stop.signal,
      onTick: (t) => {
        if ('error' in t) throw t.error;
        ticks.push(t);
        waiting?.();
      },
    });
    const ticked = (count: number) =>
      new Promise<void>((resolve) => {
        waiting = () => ticks.length >= count && resolve();
        waiting();
      });

    const treeReads = () => api.requests.filter((r) => r.path.includes('/git/trees/')).length;
    await ticked(1);
    for (let minute = 1; minute < periodMinutes; minute++) {
      await clock.advance(60_000);
      await ticked(minute + 1);
    }
    stop.abort();
    await clock.advance(60_000);
    await loop;

    expect(ticks).toHaveLength(periodMinutes);
    expect(ticks.map((t) => t.windowStart)).toEqual(
      Array.from({ length: periodMinutes }, (_, i) => periodStart + i * 60_000),
    );
    const counts = port.counts();
    expect(counts.size).toBe(N);
    expect(new Set(counts.keys())).toEqual(expected);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    const bound = burstFactor * Math.ceil(N / periodMinutes);
    const largest = Math.max(...ticks.map((t) => t.due));
    expect(largest).toBeLessThanOrEqual(bound);
    expect(ticks.every((t) => t.failed.length === 0 && t.listed === N)).toBe(true);
    expect(port.calls.every((c) => c.priority === 0)).toBe(true);
    // The 10,000-entry tree was read once; later ticks only looked the branch head up.
    expect(treeReads()).toBe(1);
  }, 60_000);

  it('runResyncFromEnv: one tick through a real gRPC receiver, exit 0; receiver down → exit 1', async () => {
    const now = Date.UTC(2026, 0, 1, 6, 20, 15);
    const clock = new FakeClock(now);
    const queue = new MemoryBackend({ clock });
    const receiver: TestReceiver = await startTestReceiver(queue);
    const env = {
      GITHUB_OWNER: owner,
      GITHUB_REPO: repo,
      GITHUB_API_URL: api.url,
      PATH_PATTERNS: JSON.stringify(['^(configs/.+\\.yaml)$']),
      RECEIVER_URL: receiver.url,
      RESYNC_PERIOD_HOURS: '6',
      RESYNC_TICK_MINUTES: '10',
    };
    const lines: string[] = [];
    const logger = (await import('@recon/observability')).createLogger({
      write: (l) => lines.push(l),
    });
    try {
      expect(await runResyncFromEnv(env, { clock, logger })).toBe(0);
      const done = JSON.parse(lines.at(-1) ?? '{}') as Record<string, number | string>;
      expect(done).toMatchObject({
        message: 'resync tick done',
        windowStart: '2026-01-01T06:20:00.000Z',
        listed: N,
        failed: 0,
      });
      expect(done['enqueued']).toBe(done['due']);
      // Spot-check: a due key waits until its minute (the wire rounds up to whole seconds).
      const sharder = createResyncSharder({
        listKeys: async () => [...expected],
        periodMs,
        tickMs: 600_000,
        enqueue: queue,
        clock,
      });
      const due = [...expected].filter((k) => {
        const at = sharder.dueAt(k, now);
        return at >= Date.UTC(2026, 0, 1, 6, 20) && at < Date.UTC(2026, 0, 1, 6, 30);
      });
      expect(due.length).toBe(done['due']);
      for (const key of due.slice(0, 50)) {
        const state = await queue.getKeyState(key);
        const at = sharder.dueAt(key, now);
        expect(state?.notBefore ?? 0).toBe(
          at > now ? Math.ceil((at - now) / 1000) * 1000 + now : 0,
        );
      }
      receiver.down = true;
      expect(await runResyncFromEnv(env, { clock, logger })).toBe(1);
      expect(lines.at(-1)).toContain('could not enqueue every key');
    } finally {
      await receiver.close();
      await queue.close();
    }
  }, 60_000);
});
