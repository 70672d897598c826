/**
 * A queue bucket filled once and deepened step by step (1k → 10k → 100k keys), shared by the
 * listing and dispatcher-memory benchmarks so 100,000 keys are written once per `npm run bench`.
 * Filled through the GCS backend by two filler processes against a standalone emulator.
 */
import { join } from 'node:path';
import { spawnChild } from './children.ts';
import { startEmulatorProcess, type EmulatorProcess } from './emulator-process.ts';

export interface DeepQueue {
  readonly emulator: EmulatorProcess;
  readonly bucket: string;
  /** Keys queued so far. */
  readonly depth: number;
  /** Enqueues new keys until `depth` keys are queued; resolves with the fill rate (keys/s). */
  fillTo(depth: number): Promise<number>;
}

let shared: Promise<DeepQueue> | undefined;

export function deepQueue(workDir: string): Promise<DeepQueue> {
  shared ??= create(workDir);
  return shared;
}

export async function closeDeepQueue(): Promise<void> {
  const q = await shared?.catch(() => undefined);
  shared = undefined;
  await q?.emulator.stop();
}

const fillers = 2;

async function create(workDir: string): Promise<DeepQueue> {
  const emulator = await startEmulatorProcess({
    name: 'deep-queue-emulator',
    logFile: join(workDir, 'deep-queue-emulator.log'),
  });
  const bucket = `deep-${Date.now().toString(36)}`;
  let depth = 0;
  return {
    emulator,
    bucket,
    get depth() {
      return depth;
    },
    async fillTo(target) {
      if (target <= depth) return Number.NaN;
      const began = performance.now();
      const per = Math.ceil((target - depth) / fillers);
      const jobs = Array.from({ length: fillers }, (_, i) => {
        const from = depth + i * per;
        const to = Math.min(target, from + per);
        const child = spawnChild({
          name: `filler-${i}`,
          script: 'tools/bench/lib/fill-main.ts',
          env: {
            EMULATOR_URL: emulator.url,
            BUCKET: bucket,
            FROM: String(from),
            TO: String(to),
            CONCURRENCY: '32',
            PREFIX: 'deep/',
          },
        });
        return child.exited.then(({ code }) => {
          if (code !== 0)
            throw new Error(`filler-${i} failed (${code})\n${child.tail().join('\n')}`);
        });
      });
      await Promise.all(jobs);
      const rate = (target - depth) / ((performance.now() - began) / 1000);
      depth = target;
      return rate;
    },
  };
}
