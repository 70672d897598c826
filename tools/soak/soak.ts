/**
 * `npm run soak [-- --minutes N] [-- --seed S] [-- --keys K]`: mixed load with injected faults
 * on loopback, then an audit. Default 30 minutes; CI runs `npm run soak -- --minutes 3`.
 *
 * Pieces (all on 127.0.0.1): a standalone GCS emulator whose faults change over time, its
 * `queued/` notifications fanned out to two dispatcher processes (one killed with SIGKILL at
 * random, one stopped with SIGTERM, each restarted), a receiver process, the soak reconciler
 * (SDK `serve`, in this process) that records every call, and a load generator enqueuing through
 * the receiver. Then a drain (faults off, no more kills) until the queue is empty, and the audit
 * of tools/soak/audit.ts. Prints `soak: N passed, M failed` and exits non-zero on any violation.
 * Every child process is stopped on the way out, whatever happens.
 *
 * `--sabotage lost,overlap` breaks the run on purpose to show the audit catching it: `lost`
 * records an enqueue as acknowledged without sending it (a key the queue lost); `overlap` calls
 * the reconciler for one key twice at once, as a rogue second owner would. The run must then fail.
 */
import { createWriteStream, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Storage } from '@google-cloud/storage';
import { createWorkqueueClient } from '@recon/proto';
import { reconciler, serve, silentLogger } from '@recon/sdk';
import { killAllChildren } from '../bench/lib/children.ts';
import { startEmulatorProcess } from '../bench/lib/emulator-process.ts';
import { startFanOut } from '../bench/lib/fanout.ts';
import { startReceiverProcess } from '../bench/lib/services.ts';
import { audit, formatReport, type BucketState, type CallRecord } from './audit.ts';
import { DispatcherSet } from './dispatchers.ts';
import { cycleFaults } from './faults.ts';
import { classOf, makeKeys } from './keys.ts';
import { runLoad, type LoadStats } from './load.ts';
import { seededRandom } from './random.ts';
import { createSoakReconciler } from './reconciler.ts';

type Sabotage = 'lost' | 'overlap';

interface Args {
  minutes: number;
  seed: number;
  keys: number;
  /** Break the run on purpose, to see the audit fail: `lost`, `overlap`. */
  sabotage: Sabotage[];
}

function parseArgs(argv: string[]): Args {
  const args: Args = { minutes: 30, seed: Date.now() % 1_000_000, keys: 1500, sabotage: [] };
  const problems: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = Number(argv[i + 1]);
    if (flag === '--minutes' || flag === '--seed' || flag === '--keys') {
      i++;
      if (!Number.isFinite(value) || value <= 0) problems.push(`${flag} needs a positive number`);
      else if (flag === '--minutes') args.minutes = value;
      else if (flag === '--seed') args.seed = value;
      else args.keys = value;
    } else if (flag === '--sabotage') {
      for (const kind of (argv[++i] ?? '').split(',')) {
        if (kind === 'lost' || kind === 'overlap') args.sabotage.push(kind);
        else problems.push(`--sabotage takes lost and/or overlap, got ${JSON.stringify(kind)}`);
      }
    } else problems.push(`unknown argument ${JSON.stringify(flag)}`);
  }
  if (args.minutes < 1) problems.push('--minutes must be at least 1 (load, then drain)');
  if (problems.length) {
    process.stderr.write(
      `soak: ${problems.join('; ')}\nusage: npm run soak [-- --minutes N] [-- --seed S] [-- --keys K] [-- --sabotage lost,overlap]\n`,
    );
    process.exit(2);
  }
  return args;
}

/** Queue settings of both dispatchers: short so retries, dead letters and orphans all happen. */
const maxRetry = 3;
const dispatcherEnv = {
  WORKQUEUE_CONCURRENCY: '8',
  WORKQUEUE_MAX_RETRY: String(maxRetry),
  WORKQUEUE_BACKOFF_BASE: '200ms',
  WORKQUEUE_BACKOFF_MAX: '2s',
  WORKQUEUE_LEASE: '10s',
  WORKQUEUE_ORPHAN_SWEEP_PERIOD: '3s',
  // Stands in for Cloud Scheduler's minute ping, scaled to the soak.
  WORKQUEUE_POLL_INTERVAL: '2s',
  WORKQUEUE_TIMEOUT: '30s',
};

const args = parseArgs(process.argv.slice(2));
const workDir = mkdtempSync(join(tmpdir(), 'recon-soak-'));
const random = seededRandom(args.seed);
const began = performance.now();
const elapsed = () => `${((performance.now() - began) / 1000).toFixed(0)}s`;
const log = (line: string) => process.stderr.write(`[soak ${elapsed()}] ${line}\n`);

const totalMs = args.minutes * 60_000;
const drainBudgetMs = Math.min(120_000, Math.max(45_000, totalMs * 0.1));
const loadMs = totalMs - drainBudgetMs;

// Bounded whatever happens: past the budget plus a margin, stop everything and fail.
const hardStop = setTimeout(() => {
  log(`still running ${Math.round((totalMs + 120_000) / 1000)} s after start; giving up`);
  console.log('soak: 0 passed, 1 failed');
  killAllChildren();
  process.exit(1);
}, totalMs + 120_000);

async function listBucket(storage: Storage, bucket: string): Promise<BucketState> {
  const names = async (prefix: string) => {
    const [files] = await storage.bucket(bucket).getFiles({ prefix, autoPaginate: true });
    return files.map((f) => f.name.slice(prefix.length));
  };
  const [queued, inProgress, deadLetter] = await Promise.all([
    names('queued/'),
    names('in-progress/'),
    names('dead-letter/'),
  ]);
  return { queued, inProgress, deadLetter };
}

async function main(): Promise<number> {
  log(
    `${args.minutes} min (load ${Math.round(loadMs / 1000)} s, drain ≤ ${Math.round(drainBudgetMs / 1000)} s), seed ${args.seed}, ${args.keys} keys; logs in ${workDir}`,
  );
  const bucket = `soak-${args.seed}`;
  const keys = makeKeys(args.keys);
  const world = new Map<string, number>();
  const acked = new Map<string, number>();
  const calls: CallRecord[] = [];
  const callLog = createWriteStream(join(workDir, 'calls.jsonl'));
  const outcomes: Record<string, number> = {};

  const cleanups: (() => Promise<unknown>)[] = [];
  try {
    const fanOut = await startFanOut();
    cleanups.push(() => fanOut.close());
    const emulator = await startEmulatorProcess({
      notifyUrl: fanOut.url,
      seed: args.seed,
      logFile: join(workDir, 'emulator.log'),
    });
    cleanups.push(() => emulator.stop());

    const soakReconciler = createSoakReconciler({
      world,
      random,
      transientErrorRate: 0.02,
      record: (call) => {
        calls.push(call);
        outcomes[call.outcome] = (outcomes[call.outcome] ?? 0) + 1;
        callLog.write(`${JSON.stringify(call)}\n`);
      },
    });
    const served = await serve(reconciler(soakReconciler.reconcile, { name: 'soak' }), {
      port: 0,
      host: '127.0.0.1',
      handleSignals: false,
      logger: silentLogger,
    });
    cleanups.push(() => served.close());

    const receiver = await startReceiverProcess({
      bucket,
      emulatorHost: emulator.url,
      logFile: join(workDir, 'receiver.log'),
    });
    cleanups.push(() => receiver.child.stop());
    const client = createWorkqueueClient(receiver.url);
    cleanups.push(async () => client.close());

    const dispatchers = new DispatcherSet({
      bucket,
      emulatorUrl: emulator.url,
      target: `http://127.0.0.1:${served.port}`,
      env: dispatcherEnv,
      workDir,
      random,
      onTargets: (urls) => fanOut.setTargets(urls),
      log,
    });
    cleanups.push(() => dispatchers.stopAll());
    await dispatchers.startAll();
    log('stack up: emulator, receiver, 2 dispatchers, reconciler');

    // Load, chaos and faults for the load phase.
    const loadPhase = new AbortController();
    const loadTimer = setTimeout(() => loadPhase.abort(), loadMs);
    let phaseName = 'calm';
    const progress = setInterval(() => {
      log(
        `faults ${phaseName}; ${acked.size} keys touched, ${calls.length} calls ` +
          `(${Object.entries(outcomes)
            .map(([k, v]) => `${k} ${v}`)
            .join(', ')}); ` +
          `kills ${dispatchers.stats.kills}, sigterms ${dispatchers.stats.sigterms}`,
      );
    }, 15_000);
    const [loadStats] = await Promise.all([
      runLoad({
        client,
        keys,
        world,
        acked,
        workers: 12,
        random,
        signal: loadPhase.signal,
        enqueueGiveUpMs: 60_000,
      }),
      dispatchers.chaos(
        loadPhase.signal,
        // Short runs (CI) kill more often, so they see several of each.
        args.minutes <= 5
          ? { killMs: [10_000, 25_000], termMs: [15_000, 35_000] }
          : { killMs: [15_000, 60_000], termMs: [20_000, 60_000] },
      ),
      cycleFaults({
        setFaults: (f) => emulator.setFaults(f),
        random,
        signal: loadPhase.signal,
        onPhase: (p) => {
          phaseName = p.name;
          log(`faults: ${p.name}`);
        },
      }),
    ]);
    clearTimeout(loadTimer);
    if (args.sabotage.includes('lost')) {
      // An enqueue the receiver "acknowledged" and the queue never got.
      const key = keys.find((k) => classOf(k) === 'ok')!;
      const version = (world.get(key) ?? 0) + 1;
      world.set(key, version);
      acked.set(key, version);
      log(`sabotage: ${key} v${version} recorded as enqueued but never sent`);
    }
    if (args.sabotage.includes('overlap')) {
      // A rogue second owner: two calls for one key at once, straight to the reconciler.
      const rogue = createWorkqueueClient(`http://127.0.0.1:${served.port}`);
      const key = keys.filter((k) => classOf(k) === 'ok')[1]!;
      await Promise.allSettled(
        [1, 2].map(() => rogue.process({ key, attempt: 1, maxAttempts: maxRetry })),
      );
      rogue.close();
      log(`sabotage: ${key} reconciled twice at once by a rogue caller`);
    }
    log(`load done: ${describeLoad(loadStats)}; draining (faults off, no kills)`);

    // Drain: until nothing is queued, in progress or running, twice in a row.
    const storage = new Storage({ apiEndpoint: emulator.url, projectId: 'soak' });
    const drainEnd = performance.now() + drainBudgetMs;
    let quiet = 0;
    let state = await listBucket(storage, bucket);
    while (performance.now() < drainEnd) {
      state = await listBucket(storage, bucket);
      quiet =
        state.queued.length + state.inProgress.length + soakReconciler.inFlight === 0
          ? quiet + 1
          : 0;
      if (quiet >= 2) break;
      await sleep(1000);
    }
    clearInterval(progress);
    log(
      quiet >= 2
        ? 'drained'
        : `drain budget spent: ${state.queued.length} queued, ${state.inProgress.length} in progress`,
    );
    await dispatchers.stopAll();
    state = await listBucket(storage, bucket);
    callLog.end();

    const report = audit({
      maxRetry,
      finalVersions: acked,
      calls,
      bucket: state,
      alwaysFails: (key) => classOf(key) === 'fail',
    });
    // The services themselves: exits nobody asked for, unclean SIGTERM stops.
    const incidents = dispatchers.stats.incidents;
    report.checks.push({
      name: 'dispatchers exited only when told to, and cleanly on SIGTERM',
      passed: incidents.length === 0,
      violations: incidents.length,
      details: incidents.length
        ? incidents.slice(0, 15)
        : [
            `${dispatchers.stats.kills} SIGKILLs, ${dispatchers.stats.sigterms} SIGTERMs, ${dispatchers.stats.restarts} restarts`,
          ],
    });
    report.passed = report.checks.filter((c) => c.passed).length;
    report.failed = report.checks.length - report.passed;

    const perClass: Record<string, number> = {};
    for (const key of acked.keys()) perClass[classOf(key)] = (perClass[classOf(key)] ?? 0) + 1;
    console.log(
      [
        `soak: seed ${args.seed}, ${args.minutes} min, logs in ${workDir}`,
        `  load: ${describeLoad(loadStats)}; keys by class ${JSON.stringify(perClass)}`,
        `  calls: ${calls.length} (${Object.entries(outcomes)
          .map(([k, v]) => `${k} ${v}`)
          .join(', ')})`,
        `  dispatchers: ${dispatchers.stats.kills} SIGKILLs, ${dispatchers.stats.sigterms} SIGTERMs; notifications fanned out: ${fanOut.received}`,
        `  end state: ${state.queued.length} queued, ${state.inProgress.length} in progress, ${state.deadLetter.length} dead-lettered`,
      ].join('\n'),
    );
    console.log(formatReport(report));
    if (args.sabotage.length) {
      console.log(`soak: sabotaged (${args.sabotage.join(', ')}): failures above are expected`);
    }
    if (report.failed > 0 && !args.sabotage.length) {
      for (const [name, tail] of Object.entries(dispatchers.tails())) {
        process.stderr.write(`--- last lines of ${name}\n${tail.slice(-10).join('\n')}\n`);
      }
    }
    return report.failed > 0 ? 1 : 0;
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  }
}

function describeLoad(s: LoadStats): string {
  return `${s.enqueues} enqueues acknowledged, ${s.retried} retried after an error, ${s.abandoned} abandoned`;
}

let code = 1;
try {
  code = await main();
} catch (err) {
  log(`soak failed to run: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  console.log('soak: 0 passed, 1 failed');
} finally {
  clearTimeout(hardStop);
  killAllChildren();
}
process.exit(code);
