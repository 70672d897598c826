/** docs/benchmarks.md from the runs: medians, targets, PASS/MISS, machine and command. */
import { median } from './stats.ts';
import type { Benchmark, Figure, Target } from './types.ts';

export interface MachineInfo {
  cpu: string;
  memoryGiB: number;
  node: string;
  os: string;
  date: string;
  command: string;
  loadAtStart: number[];
  loadAtEnd: number[];
  durationSeconds: number;
}

export interface BenchOutcome {
  bench: Benchmark;
  /** The figures of each completed run. */
  perRun: Figure[][];
  notes: string[];
  /** 1-minute load average when the benchmark started: other work on the machine skews figures. */
  loadAtStart: number;
  error?: string;
}

interface Row {
  figure: Figure;
  median: number;
  values: number[];
  verdict?: 'PASS' | 'MISS';
}

export function formatNumber(value: number, digits?: number): string {
  if (!Number.isFinite(value)) return String(value);
  const d = digits ?? (Math.abs(value) >= 100 || Number.isInteger(value) ? 0 : 2);
  return value.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
}

function targetText(t: Target, unit: string): string {
  if (t.text) return t.text;
  return `${t.op === '>=' ? '≥' : '≤'} ${formatNumber(t.value, Number.isInteger(t.value) ? 0 : 2)} ${unit}`.trim();
}

function meets(t: Target, value: number): boolean {
  return t.op === '>=' ? value >= t.value : value <= t.value;
}

function rowsOf(outcome: BenchOutcome): Row[] {
  const byId = new Map<string, { figure: Figure; values: number[] }>();
  for (const run of outcome.perRun) {
    for (const f of run) {
      const entry = byId.get(f.id) ?? { figure: f, values: [] };
      entry.values.push(f.value);
      byId.set(f.id, entry);
    }
  }
  return [...byId.values()].map(({ figure, values }) => {
    const m = median(values);
    const row: Row = { figure, median: m, values };
    if (figure.target) row.verdict = meets(figure.target, m) ? 'PASS' : 'MISS';
    return row;
  });
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

export function renderReport(
  machine: MachineInfo,
  outcomes: BenchOutcome[],
  options: { quick: boolean },
): { markdown: string; summary: string[] } {
  const out: string[] = [];
  const summary: string[] = [];
  out.push('# Benchmarks', '');
  out.push(
    'Written by `npm run bench` (`tools/bench/run-all.ts`); do not edit by hand. Every figure is ' +
      'the **median** of the runs listed next to it; the range shows the lowest and highest run. ' +
      'Everything runs on this one machine over loopback (127.0.0.1): the emulator, receiver and ' +
      'dispatcher are separate processes competing with the load generator for the same cores.',
    '',
  );
  if (options.quick) {
    out.push('> **Quick run** (`--quick`): one run each, smaller sizes. Not for comparison.', '');
  }
  out.push('## Machine and command', '', '| | |', '|---|---|');
  out.push(`| CPU | ${cell(machine.cpu)} |`);
  out.push(`| memory | ${machine.memoryGiB.toFixed(1)} GiB |`);
  out.push(`| Node | ${machine.node} |`);
  out.push(`| OS | ${cell(machine.os)} |`);
  out.push(`| date | ${machine.date} |`);
  out.push(`| command | \`${machine.command}\` |`);
  const loads = (l: number[]) => l.map((x) => x.toFixed(2)).join(', ');
  out.push(
    `| load average (1, 5, 15 min) | ${loads(machine.loadAtStart)} at start, ${loads(machine.loadAtEnd)} at the end; 2 = both cores busy |`,
  );
  out.push(`| duration | ${(machine.durationSeconds / 60).toFixed(1)} min |`, '');

  const all = outcomes.map((o) => ({ outcome: o, rows: rowsOf(o) }));
  out.push('## Targets', '', '| benchmark | figure | target | median | |', '|---|---|---|---|---|');
  for (const { outcome, rows } of all) {
    if (outcome.error && rows.length === 0) {
      out.push(`| ${outcome.bench.title} | — | — | did not run | **FAILED** |`);
      summary.push(`FAILED ${outcome.bench.id}`);
      continue;
    }
    for (const r of rows) {
      if (!r.figure.target || !r.verdict) continue;
      const value = `${formatNumber(r.median, r.figure.digits)} ${r.figure.unit}`.trim();
      out.push(
        `| ${outcome.bench.title} | ${cell(r.figure.label)} | ${cell(targetText(r.figure.target, r.figure.unit))} | ${cell(value)} | ${r.verdict === 'PASS' ? 'PASS' : '**MISS**'} |`,
      );
      summary.push(`${r.verdict} ${outcome.bench.id}: ${r.figure.label} = ${value}`);
    }
  }
  out.push('');

  for (const { outcome, rows } of all) {
    const { bench } = outcome;
    out.push(
      `## ${bench.title}`,
      '',
      bench.method,
      '',
      `Load average (1 min) when it started: ${outcome.loadAtStart.toFixed(2)}.`,
      '',
    );
    if (outcome.error) {
      out.push('**The benchmark failed:**', '', '```', outcome.error, '```', '');
    }
    if (rows.length === 0) continue;
    const runs = outcome.perRun.length;
    out.push(
      `| figure | median of ${runs} run${runs === 1 ? '' : 's'} | range | target | |`,
      '|---|---|---|---|---|',
    );
    for (const r of rows) {
      const value = `${formatNumber(r.median, r.figure.digits)} ${r.figure.unit}`.trim();
      const range =
        r.values.length > 1
          ? `${formatNumber(Math.min(...r.values), r.figure.digits)} – ${formatNumber(Math.max(...r.values), r.figure.digits)}`
          : '';
      const target = r.figure.target ? targetText(r.figure.target, r.figure.unit) : '';
      const verdict = r.verdict === 'MISS' ? '**MISS**' : (r.verdict ?? '');
      out.push(
        `| ${cell(r.figure.label)} | ${cell(value)} | ${range} | ${cell(target)} | ${verdict} |`,
      );
    }
    out.push('');
    const medians = new Map(rows.map((r) => [r.figure.id, r.median]));
    const notes = [...outcome.notes, ...(bench.summarize?.(medians) ?? [])];
    if (notes.length) out.push(...notes.map((n) => `- ${n}`), '');
  }
  return { markdown: out.join('\n'), summary };
}
