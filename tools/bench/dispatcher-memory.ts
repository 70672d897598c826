/** Resident memory of a dispatcher process with 100,000 keys queued. */
import { join } from 'node:path';
import { reconciler, requeueAfter, serve, silentLogger } from '@recon/sdk';
import { deepQueue } from './lib/deep-queue.ts';
import { readRssBytes } from './lib/proc.ts';
import { startDispatcherProcess } from './lib/services.ts';
import { sleep } from './lib/stats.ts';
import type { Benchmark } from './lib/types.ts';

const MB = 1024 * 1024;

export const dispatcherMemoryBench: Benchmark = {
  id: 'dispatcher-memory',
  title: 'Dispatcher memory',
  method:
    'The deep bucket of the listing benchmark (100,000 queued keys). A dispatcher process ' +
    '(`apps/dispatcher/src/main.ts`, defaults: concurrency 20, queue gauges refreshed every ' +
    '30 s) runs against it; its reconciler holds every call, so 20 keys are in flight and the ' +
    'rest stay queued. RSS is read from /proc/<pid>/status every 200 ms for 35 s (a startup ' +
    'listing, re-listings of the snapshot, the first gauge refresh and the orphan sweep, both at ' +
    'start and again at 30 s); then SIGTERM drains the 20 keys back. Also: the same dispatcher on an empty ' +
    'bucket, for the baseline.',
  // One dispatcher process per run; RSS barely moves between runs (about 1%).
  runs: 1,
  async run({ quick, workDir, progress }) {
    const queue = await deepQueue(workDir);
    const depth = quick ? 10_000 : 100_000;
    if (queue.depth < depth) {
      progress(`filling to ${depth.toLocaleString('en-US')} keys`);
      await queue.fillTo(depth);
    }
    const release = new AbortController();
    let held = 0;
    const served = await serve(
      reconciler(async (_key, ctx) => {
        held++;
        await new Promise<void>((resolve) => {
          const done = () => resolve();
          ctx.signal.addEventListener('abort', done, { once: true });
          release.signal.addEventListener('abort', done, { once: true });
        });
        return requeueAfter(1000);
      }),
      { port: 0, host: '127.0.0.1', handleSignals: false, logger: silentLogger },
    );
    try {
      const measure = async (bucket: string, seconds: number, name: string) => {
        const dispatcher = await startDispatcherProcess({
          name,
          bucket,
          emulatorHost: queue.emulator.url,
          target: `http://127.0.0.1:${served.port}`,
          logFile: join(workDir, `${name}.log`),
        });
        const samples: number[] = [];
        const end = performance.now() + seconds * 1000;
        while (performance.now() < end) {
          const rss = readRssBytes(dispatcher.child.pid);
          if (rss !== undefined) samples.push(rss);
          await sleep(200);
        }
        await dispatcher.child.stop();
        return { peak: Math.max(...samples), last: samples[samples.length - 1] ?? 0 };
      };
      progress('baseline: empty bucket');
      const idle = await measure(
        `empty-${Date.now().toString(36)}`,
        quick ? 4 : 8,
        'dispatcher-empty',
      );
      progress(`${depth.toLocaleString('en-US')} queued keys`);
      const deep = await measure(queue.bucket, quick ? 8 : 35, 'dispatcher-deep');
      const label = depth.toLocaleString('en-US');
      return {
        figures: [
          {
            id: 'peak',
            label: `dispatcher RSS, peak, ${label} keys queued`,
            value: deep.peak / MB,
            unit: 'MB',
            digits: 1,
            ...(depth === 100_000 ? { target: { op: '<=' as const, value: 150 } } : {}),
          },
          {
            id: 'last',
            label: `dispatcher RSS after 35 s, ${label} keys queued`,
            value: deep.last / MB,
            unit: 'MB',
            digits: 1,
          },
          {
            id: 'idle',
            label: 'dispatcher RSS, peak, empty queue',
            value: idle.peak / MB,
            unit: 'MB',
            digits: 1,
          },
          {
            id: 'held',
            label: 'keys started (held in flight) while measuring',
            value: held,
            unit: 'keys',
          },
          {
            id: 'per-key',
            label: 'RSS per queued key (peak − empty queue) ÷ keys',
            value: (deep.peak - idle.peak) / depth / 1024,
            unit: 'KiB',
            digits: 2,
          },
        ],
      };
    } finally {
      release.abort();
      await served.close();
    }
  },
};
