/** GCS requests per key by billing class, for a key processed on its first attempt. */
import { join } from 'node:path';
import { benchGcsOpsPerKey } from '@recon/workqueue-gcs';
import { startEmulatorProcess } from './lib/emulator-process.ts';
import type { Benchmark } from './lib/types.ts';

export const gcsOpsBench: Benchmark = {
  id: 'gcs-ops',
  title: 'GCS requests per key',
  method:
    '`benchGcsOpsPerKey` (`@recon/workqueue-gcs`) against a standalone emulator process: fill a ' +
    'queue to 10,000 keys, then process every key once (list, start, complete) with 20 in ' +
    "flight, and divide the emulator's billed operations (its counters, by class) by the keys. " +
    'Enqueue, start, completion and the listing share are all included. The Go implementation ' +
    'spends 2 Class A + 3 deletes per key, plus a full-bucket listing on every dispatch pass.',
  // The counts hardly move between runs; one run keeps `npm run bench` within its budget.
  runs: 1,
  async run({ quick, workDir }) {
    const depth = quick ? 1000 : 10_000;
    const emulator = await startEmulatorProcess({ logFile: join(workDir, 'gcs-ops-emulator.log') });
    try {
      const r = await benchGcsOpsPerKey({ emulatorUrl: emulator.url, depth, concurrency: 20 });
      const at = `depth ${depth.toLocaleString('en-US')}, concurrency 20`;
      return {
        figures: [
          {
            id: 'class-a',
            label: `Class A per key (${at})`,
            value: r.classAPerKey,
            unit: 'ops',
            digits: 3,
            target: { op: '<=', value: 2.2 },
          },
          {
            id: 'deletes',
            label: `deletes per key (${at})`,
            value: r.deletesPerKey,
            unit: 'ops',
            digits: 3,
            target: { op: '<=', value: 2 },
          },
          {
            id: 'class-b',
            label: `Class B per key (${at})`,
            value: r.classBPerKey,
            unit: 'ops',
            digits: 3,
            target: { op: '<=', value: 0.5 },
          },
          {
            id: 'keys-per-s',
            label: 'keys processed/s (one process: client + backend, emulator apart)',
            value: r.keysPerSecond,
            unit: 'keys/s',
          },
        ],
        notes: [
          `By operation, per key: ${Object.entries(r.perKeyByOperation)
            .map(([op, n]) => `${op} ${n.toFixed(3)}`)
            .join(', ')}.`,
        ],
      };
    } finally {
      await emulator.stop();
    }
  },
};
