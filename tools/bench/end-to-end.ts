/** End to end: receiver → emulator → dispatcher → no-op reconciler, keys per second. */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { OperationCounters } from '@recon/gcs-emulator';
import { cpuMeter } from './lib/proc.ts';
import { startStack } from './lib/stack.ts';
import type { Benchmark, Figure } from './lib/types.ts';

const roles = ['emulator', 'receiver', 'dispatcher', 'bench (load + reconciler)'] as const;

interface Drive {
  keysPerSecond: number;
  enqueuePerSecond: number;
  /** CPU share of one core, per role. */
  cpu: Record<string, number>;
  before: OperationCounters;
  after: OperationCounters;
}

/** Enqueues `keys` new keys (64 calls in flight) into a fresh stack and waits until all ran. */
async function drive(options: {
  keys: number;
  workDir: string;
  concurrency: number;
}): Promise<Drive> {
  const seen = new Set<string>();
  let lastStart = 0;
  let allSeen: () => void = () => {};
  const finished = new Promise<void>((resolve) => (allSeen = resolve));
  const stack = await startStack({
    workDir: options.workDir,
    dispatcherEnv: { WORKQUEUE_CONCURRENCY: String(options.concurrency) },
    reconcile: (key) => {
      if (!key.startsWith('e2e/')) return;
      seen.add(key);
      lastStart = performance.now();
      if (seen.size === options.keys) allSeen();
    },
  });
  try {
    const before = await stack.emulator.counters();
    const meter = cpuMeter(stack.pids);
    const began = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: 64 }, async () => {
        while (next < options.keys) {
          await stack.client.enqueue({ key: `e2e/${String(next++).padStart(6, '0')}` });
        }
      }),
    );
    const enqueuedAt = performance.now();
    const timeout = setTimeout(() => allSeen(), 180_000);
    await finished;
    clearTimeout(timeout);
    const cpu = meter.end();
    if (seen.size < options.keys) {
      throw new Error(`only ${seen.size} of ${options.keys} keys were reconciled within 180 s`);
    }
    return {
      keysPerSecond: options.keys / ((lastStart - began) / 1000),
      enqueuePerSecond: options.keys / ((enqueuedAt - began) / 1000),
      cpu,
      before,
      after: await stack.emulator.counters(),
    };
  } finally {
    await stack.stop();
  }
}

export const endToEndBench: Benchmark = {
  id: 'end-to-end',
  title: 'End to end',
  method:
    'The stack of the latency benchmark (receiver, emulator and dispatcher processes; the ' +
    'dispatcher at its defaults: concurrency 20, 1 s dispatch period). The bench enqueues 5,000 ' +
    'new keys through the receiver, 64 calls in flight, while the dispatcher drains them into a ' +
    'no-op reconciler. Keys/s = keys ÷ (last reconcile start − first enqueue). CPU shares are ' +
    "each process's CPU seconds over the run from /proc (2 cores = 200%); CPU per key is that " +
    "share over the key rate. GCS requests per key are the emulator's billed counters over the " +
    'run (receiver and dispatcher together). Each run is repeated on a fresh stack with ' +
    '`WORKQUEUE_CONCURRENCY=64`, to tell a slot-bound dispatcher from a CPU-bound machine.',
  runs: 3,
  async run({ quick, workDir, progress }) {
    const keys = quick ? 1000 : 5000;
    const dir = (name: string) => {
      const d = join(workDir, name);
      mkdirSync(d, { recursive: true });
      return d;
    };
    const base = await drive({ keys, workDir: dir('concurrency-20'), concurrency: 20 });
    progress(`concurrency 20: ${base.keysPerSecond.toFixed(0)} keys/s`);
    const wide = await drive({ keys, workDir: dir('concurrency-64'), concurrency: 64 });
    progress(`concurrency 64: ${wide.keysPerSecond.toFixed(0)} keys/s`);

    const { before, after } = base;
    const per = (f: (c: OperationCounters) => number) => (f(after) - f(before)) / keys;
    const figures: Figure[] = [
      {
        id: 'keys-per-s',
        label: `keys/s, receiver → emulator → dispatcher → reconciler (${keys} keys)`,
        value: base.keysPerSecond,
        unit: 'keys/s',
        target: { op: '>=', value: 300 },
      },
      {
        id: 'keys-per-s-64',
        label: 'the same with dispatcher concurrency 64',
        value: wide.keysPerSecond,
        unit: 'keys/s',
      },
      {
        id: 'enqueue-per-s',
        label: 'enqueues/s accepted by the receiver meanwhile',
        value: base.enqueuePerSecond,
        unit: 'keys/s',
      },
      {
        id: 'class-a',
        label: 'GCS Class A per key (whole stack)',
        value: per((c) => c.classA),
        unit: 'ops',
        digits: 3,
      },
      {
        id: 'class-b',
        label: 'GCS Class B per key (whole stack)',
        value: per((c) => c.classB),
        unit: 'ops',
        digits: 3,
      },
      {
        id: 'deletes',
        label: 'GCS deletes per key (whole stack)',
        value: per((c) => c.delete),
        unit: 'ops',
        digits: 3,
      },
    ];
    for (const role of roles) {
      const share = base.cpu[role] ?? 0;
      figures.push(
        {
          id: `cpu-${role}`,
          label: `CPU: ${role}`,
          value: share * 100,
          unit: '% of a core',
          digits: 0,
        },
        {
          id: `cpu-ms-${role}`,
          label: `CPU per key: ${role}`,
          value: (share * 1000) / base.keysPerSecond,
          unit: 'ms',
          digits: 2,
        },
      );
    }
    return {
      figures,
      notes: [
        `Billed operations by method, per key: ${Object.entries(after.byOperation)
          .map(
            ([op, n]) =>
              [
                op,
                (n - (before.byOperation[op as keyof typeof before.byOperation] ?? 0)) / keys,
              ] as const,
          )
          .filter(([, n]) => n > 0)
          .map(([op, n]) => `${op} ${n.toFixed(3)}`)
          .join(', ')}.`,
      ],
    };
  },
  summarize(m) {
    const perKey = roles
      .map((r) => [r, m.get(`cpu-ms-${r}`) ?? 0] as const)
      .sort((a, b) => b[1] - a[1]);
    const totalMs = perKey.reduce((s, [, v]) => s + v, 0);
    const used = roles.reduce((s, r) => s + (m.get(`cpu-${r}`) ?? 0), 0);
    const rate = m.get('keys-per-s') ?? 0;
    const wide = m.get('keys-per-s-64') ?? 0;
    const [top] = perKey;
    const ceiling = 2000 / totalMs;
    const cost =
      `A key costs ${totalMs.toFixed(1)} ms of CPU across the four processes, most of it in the ${top![0]} ` +
      `(${top![1].toFixed(1)} ms: the \`@google-cloud/storage\` client's requests — list share, copy, two deletes — ` +
      `and the gRPC call), so two dedicated cores cap the stack near ${ceiling.toFixed(0)} keys/s.`;
    const verdict =
      used >= 160
        ? `CPU: the four processes used ${used.toFixed(0)}% of the 200% two cores give, and 64 slots instead of 20 gave ${wide.toFixed(0)} keys/s against ${rate.toFixed(0)}.`
        : wide > rate * 1.5
          ? `the dispatcher's slots: with 64 in flight instead of 20 it moved ${wide.toFixed(0)} keys/s instead of ${rate.toFixed(0)}; each slot waits on its GCS round trips (a copy and two deletes per key).`
          : `not the dispatcher's slots (64 in flight instead of 20 gave ${wide.toFixed(0)} keys/s against ${rate.toFixed(0)}), and not a saturated machine either (the four processes used ${used.toFixed(0)}% of the 200%): the run is paced by the waits of the pipeline — one dispatch pass per second, served from a \`queued/\` snapshot re-listed at most once a second, then a copy, a delete, the call and a delete per key — with the cores shared with other work on the machine (see the load averages).`;
    return [`**Bottleneck:** ${verdict} ${cost}`];
  },
};
