/** Memory backend: full key cycles per second on one core, and how each operation scales with depth. */
import { benchMemoryBackend } from '@recon/workqueue-memory/bench';
import type { Benchmark, Figure } from './lib/types.ts';

export const memoryBench: Benchmark = {
  id: 'memory',
  title: 'Memory backend',
  method:
    '`benchMemoryBackend` (`@recon/workqueue-memory/bench`): enqueue → `listEligible(1)` + start → ' +
    'complete cycles in batches of 1,000 against a backlog of queued keys, timed by the main ' +
    "thread's CPU time (one core's throughput) and by the wall clock. Run at 1,000 and at " +
    '1,000,000 queued keys; each operation at 1M is compared with its cost at 1k.',
  runs: 3,
  async run({ quick, progress }) {
    const deepKeys = quick ? 100_000 : 1_000_000;
    progress(`1k queued keys, ${quick ? '20k' : '200k'} cycles`);
    const small = await benchMemoryBackend({ queuedKeys: 1000, cycles: quick ? 20_000 : 200_000 });
    progress(`${deepKeys.toLocaleString('en-US')} queued keys`);
    const deep = await benchMemoryBackend({
      queuedKeys: deepKeys,
      cycles: quick ? 20_000 : 100_000,
    });
    const depth = quick ? '100k' : '1M';
    const figures: Figure[] = [
      {
        id: 'cycles',
        label: 'enqueue + start + complete cycles/s, one core (CPU time), 1k queued',
        value: small.cyclesPerSecond,
        unit: 'cycles/s',
        target: { op: '>=', value: 100_000 },
      },
      {
        id: 'cycles-wall',
        label: 'the same by the wall clock',
        value: small.wallCyclesPerSecond,
        unit: 'cycles/s',
      },
      {
        id: 'cycles-deep',
        label: `cycles/s (CPU time), ${depth} queued`,
        value: deep.cyclesPerSecond,
        unit: 'cycles/s',
      },
    ];
    for (const op of ['enqueue', 'start', 'complete'] as const) {
      const field = `${op}Ns` as const;
      figures.push(
        { id: `${op}-1k`, label: `${op} at 1k queued`, value: small[field], unit: 'ns' },
        { id: `${op}-deep`, label: `${op} at ${depth} queued`, value: deep[field], unit: 'ns' },
        {
          id: `${op}-ratio`,
          label: `${op}: cost at ${depth} ÷ cost at 1k`,
          value: deep[field] / small[field],
          unit: '×',
          target: { op: '<=', value: 2 },
        },
      );
    }
    return { figures };
  },
};
