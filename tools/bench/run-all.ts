/**
 * `npm run bench [-- --quick] [-- --only id,id]`: runs every benchmark, each several times, and
 * writes docs/benchmarks.md with the machine, the command and the median of each figure next to
 * its target. Progress goes to stderr. Exits 1 only when a benchmark could not run (a missed
 * target is a finding, reported in the file, not a crash).
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, release, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { dedupStormBench } from './dedup-storm.ts';
import { dispatcherMemoryBench } from './dispatcher-memory.ts';
import { emulatorBench } from './emulator.ts';
import { endToEndBench } from './end-to-end.ts';
import { gcsOpsBench } from './gcs-ops.ts';
import { latencyBench } from './latency.ts';
import { killAllChildren, repoRoot } from './lib/children.ts';
import { closeDeepQueue } from './lib/deep-queue.ts';
import { renderReport, type BenchOutcome, type MachineInfo } from './lib/report.ts';
import type { Benchmark, Figure } from './lib/types.ts';
import { listingBench } from './listing.ts';
import { memoryBench } from './memory.ts';

const benchmarks: Benchmark[] = [
  memoryBench,
  dedupStormBench,
  emulatorBench,
  gcsOpsBench,
  latencyBench,
  endToEndBench,
  listingBench,
  dispatcherMemoryBench,
];

interface Args {
  quick: boolean;
  only: string[] | undefined;
  out: string;
}

function parseArgs(argv: string[]): Args {
  const args: Args = {
    quick: false,
    only: undefined,
    out: join(repoRoot, 'docs', 'benchmarks.md'),
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--quick') args.quick = true;
    else if (a === '--only') args.only = (argv[++i] ?? '').split(',').filter(Boolean);
    else if (a === '--out') args.out = argv[++i] ?? args.out;
    else {
      process.stderr.write(
        `bench: unknown argument ${JSON.stringify(a)}\n` +
          `usage: npm run bench [-- --quick] [-- --only ${benchmarks.map((b) => b.id).join(',')}] [-- --out FILE]\n`,
      );
      process.exit(2);
    }
  }
  const unknown = args.only?.filter((id) => !benchmarks.some((b) => b.id === id)) ?? [];
  if (unknown.length) {
    process.stderr.write(`bench: no benchmark named ${unknown.join(', ')}\n`);
    process.exit(2);
  }
  return args;
}

function log(message: string): void {
  process.stderr.write(`${message}\n`);
}

const args = parseArgs(process.argv.slice(2));
const workDir = mkdtempSync(join(tmpdir(), 'recon-bench-'));
const began = Date.now();
const cpuList = cpus();
const machine: MachineInfo = {
  cpu: `${cpuList[0]?.model.trim() ?? 'unknown'} × ${cpuList.length}`,
  memoryGiB: totalmem() / 1024 ** 3,
  node: process.version,
  os: `${process.platform} ${release()}`,
  date: new Date(began).toISOString(),
  command: `npm run bench${args.quick ? ' -- --quick' : ''}${args.only ? ` -- --only ${args.only.join(',')}` : ''}`,
  loadAtStart: loadavg(),
  loadAtEnd: [],
  durationSeconds: 0,
};
log(`bench: ${machine.cpu}, Node ${machine.node}; logs in ${workDir}`);

const outcomes: BenchOutcome[] = [];
let crashed = 0;
try {
  for (const bench of benchmarks) {
    if (args.only && !args.only.includes(bench.id)) continue;
    const runs = args.quick ? 1 : bench.runs;
    const perRun: Figure[][] = [];
    const notes: string[] = [];
    let error: string | undefined;
    const loadAtStart = loadavg()[0] ?? 0;
    for (let run = 1; run <= runs; run++) {
      const t = performance.now();
      log(`[${bench.id}] run ${run}/${runs}`);
      const dir = join(workDir, bench.id, String(run));
      mkdirSync(dir, { recursive: true });
      try {
        const result = await bench.run({
          quick: args.quick,
          workDir: dir,
          progress: (m) => log(`[${bench.id}]   ${m}`),
        });
        perRun.push(result.figures);
        if (run === runs) notes.push(...(result.notes ?? []));
      } catch (err) {
        error = err instanceof Error ? (err.stack ?? err.message) : String(err);
        log(`[${bench.id}] FAILED: ${error}`);
        crashed++;
        break;
      }
      log(`[${bench.id}] run ${run} done in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    }
    outcomes.push({ bench, perRun, notes, loadAtStart, ...(error ? { error } : {}) });
  }
} finally {
  await closeDeepQueue().catch(() => undefined);
  killAllChildren();
}

machine.durationSeconds = (Date.now() - began) / 1000;
machine.loadAtEnd = loadavg();
const { markdown, summary } = renderReport(machine, outcomes, { quick: args.quick });
mkdirSync(join(args.out, '..'), { recursive: true });
writeFileSync(args.out, markdown);
for (const line of summary) console.log(line);
console.log(`bench: wrote ${args.out} in ${(machine.durationSeconds / 60).toFixed(1)} min`);
process.exit(crashed ? 1 : 0);
