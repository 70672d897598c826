/** The GCS emulator's own throughput: what the other GCS figures run on. */
import { join } from 'node:path';
import { benchEmulator } from '@recon/gcs-emulator';
import { startEmulatorProcess } from './lib/emulator-process.ts';
import { cpuMeter } from './lib/proc.ts';
import type { Benchmark } from './lib/types.ts';

export const emulatorBench: Benchmark = {
  id: 'emulator',
  title: 'GCS emulator',
  method:
    '`benchEmulator({ url })` from this process against a standalone emulator process (memory ' +
    'only), with the real `@google-cloud/storage` client, 16 requests in flight: creates ' +
    '(`ifGenerationMatch=0`), metadata patches, deletes, and a five-request key lifecycle ' +
    '(create, patch, copy to in-progress, delete both). CPU shares are of one core, measured from /proc.',
  runs: 3,
  async run({ quick, workDir }) {
    const emulator = await startEmulatorProcess({ logFile: join(workDir, 'emulator.log') });
    try {
      const meter = cpuMeter({ emulator: emulator.child.pid, client: process.pid });
      const r = await benchEmulator({ url: emulator.url, seconds: quick ? 2 : 8, concurrency: 16 });
      const cpu = meter.end();
      return {
        figures: [
          {
            id: 'create',
            label: 'object creates/s',
            value: r.create.requestsPerSecond,
            unit: 'req/s',
          },
          {
            id: 'patch',
            label: 'metadata patches/s',
            value: r.patch.requestsPerSecond,
            unit: 'req/s',
          },
          { id: 'delete', label: 'deletes/s', value: r.delete.requestsPerSecond, unit: 'req/s' },
          {
            id: 'lifecycle',
            label: 'key lifecycle requests/s',
            value: r.lifecycle.requestsPerSecond,
            unit: 'req/s',
          },
          {
            id: 'lifecycle-keys',
            label: 'key lifecycles/s',
            value: r.lifecycle.keysPerSecond,
            unit: 'keys/s',
          },
          {
            id: 'cpu-emulator',
            label: 'emulator process CPU',
            value: cpu['emulator']! * 100,
            unit: '% of a core',
          },
          {
            id: 'cpu-client',
            label: 'client (storage library) CPU',
            value: cpu['client']! * 100,
            unit: '% of a core',
          },
        ],
      };
    } finally {
      await emulator.stop();
    }
  },
  summarize(m) {
    const emu = m.get('cpu-emulator') ?? 0;
    const client = m.get('cpu-client') ?? 0;
    return [
      client > emu
        ? `The client side (the \`@google-cloud/storage\` library) used ${client.toFixed(0)}% of a core against the emulator's ${emu.toFixed(0)}%: these figures measure the client library as much as the emulator.`
        : `The emulator used ${emu.toFixed(0)}% of a core, the client ${client.toFixed(0)}%.`,
    ];
  },
};
