/** Resident memory of a dispatcher process with 100,000 keys queued. */
import { join } from 'node:path';
import { bundleEntry } from '@recon/image-builder';
import { reconciler, requeueAfter, serve, silentLogger } from '@recon/sdk';
import { repoRoot } from './lib/children.ts';
import { deepQueue } from './lib/deep-queue.ts';
import { readRssBytes } from './lib/proc.ts';
import { dispatcherNodeOptions, startDispatcherProcess } from './lib/services.ts';
import { sleep } from './lib/stats.ts';
import type { Benchmark } from './lib/types.ts';

const MB = 1024 * 1024;

export const dispatcherMemoryBench: Benchmark = {
  id: 'dispatcher-memory',
  title: 'Dispatcher memory',
  method:
    'The deep bucket of the listing benchmark (100,000 queued keys). A dispatcher process runs ' +
    'against it as deployed: `apps/dispatcher/src/main.ts` bundled to JavaScript by ' +
    '`@recon/image-builder` (what a container runs; published packages are compiled JavaScript ' +
    `too), with the NODE_OPTIONS infra sets (\`${dispatcherNodeOptions}\`), defaults otherwise: ` +
    'concurrency 20, a snapshot of the best 10,000 queued keys, the dead-letter gauge refreshed ' +
    'every 30 s. Its reconciler holds every call, so 20 keys are in flight and the rest stay ' +
    'queued. RSS is read from /proc/<pid>/status every 200 ms for 35 s (the startup listing, ' +
    'background re-listings of the whole prefix every 10 s, the orphan sweep and the dead-letter ' +
    'count at start and again at 30 s); then SIGTERM drains the 20 keys back. Also: the same ' +
    'bundle on an empty bucket (the baseline), with V8 defaults (no NODE_OPTIONS), and the ' +
    'TypeScript source run directly (`node main.ts`, as `recon dev` and the tests do).',
  // One dispatcher process per run; RSS barely moves between runs (about 1%).
  runs: 1,
  async run({ quick, workDir, progress }) {
    const queue = await deepQueue(workDir);
    const depth = quick ? 10_000 : 100_000;
    if (queue.depth < depth) {
      progress(`filling to ${depth.toLocaleString('en-US')} keys`);
      await queue.fillTo(depth);
    }
    const bundle = await bundleEntry({
      entry: join(repoRoot, 'apps/dispatcher/src/main.ts'),
      outDir: workDir,
      fileName: 'dispatcher.mjs',
    });
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
      const measure = async (
        name: string,
        bucket: string,
        seconds: number,
        form: { script?: string; nodeOptions?: string } = {},
      ) => {
        progress(name);
        const heldBefore = held;
        const dispatcher = await startDispatcherProcess({
          name,
          bucket,
          emulatorHost: queue.emulator.url,
          target: `http://127.0.0.1:${served.port}`,
          logFile: join(workDir, `${name}.log`),
          ...(form.script ? { script: form.script } : {}),
          ...(form.nodeOptions !== undefined ? { env: { NODE_OPTIONS: form.nodeOptions } } : {}),
        });
        const samples: number[] = [];
        const end = performance.now() + seconds * 1000;
        while (performance.now() < end) {
          const rss = readRssBytes(dispatcher.child.pid);
          if (rss !== undefined) samples.push(rss);
          await sleep(200);
        }
        await dispatcher.child.stop();
        return {
          peak: Math.max(...samples),
          last: samples[samples.length - 1] ?? 0,
          held: held - heldBefore,
        };
      };
      const bundled = { script: bundle.path ?? '' };
      const seconds = quick ? 8 : 35;
      const idle = await measure(
        'dispatcher-empty',
        `empty-${Date.now().toString(36)}`,
        quick ? 4 : 8,
        bundled,
      );
      const deep = await measure('dispatcher-deep', queue.bucket, seconds, bundled);
      const v8Defaults = await measure('dispatcher-deep-v8-defaults', queue.bucket, seconds, {
        ...bundled,
        nodeOptions: '',
      });
      const source = await measure('dispatcher-deep-source', queue.bucket, seconds);
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
            label: `dispatcher RSS after ${seconds} s, ${label} keys queued`,
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
            id: 'per-key',
            label: 'RSS per queued key (peak − empty queue) ÷ keys',
            value: (deep.peak - idle.peak) / depth / 1024,
            unit: 'KiB',
            digits: 2,
          },
          {
            id: 'v8-defaults',
            label: `the same with V8 defaults (no NODE_OPTIONS), peak, ${label} keys queued`,
            value: v8Defaults.peak / MB,
            unit: 'MB',
            digits: 1,
          },
          {
            id: 'source',
            label: `the TypeScript source (\`node main.ts\`), peak, ${label} keys queued`,
            value: source.peak / MB,
            unit: 'MB',
            digits: 1,
          },
          {
            id: 'held',
            label: 'keys started (held in flight) while measuring',
            value: deep.held,
            unit: 'keys',
          },
        ],
      };
    } finally {
      release.abort();
      await served.close();
    }
  },
};
