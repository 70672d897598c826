/** What a benchmark returns, and what the runner gives it. */

export interface Target {
  op: '>=' | '<=';
  value: number;
  /** How the target reads in the report, e.g. `≥ 100,000 /s`. Default built from op and value. */
  text?: string;
}

export interface Figure {
  /** Stable within its benchmark: the runner takes the median of each id over the runs. */
  id: string;
  label: string;
  value: number;
  unit: string;
  /** Decimals shown. Default: 0 for values ≥ 100, else 2. */
  digits?: number;
  target?: Target;
}

export interface BenchResult {
  figures: Figure[];
  /** Free text kept from the last run (breakdowns, settings used). */
  notes?: string[];
}

export interface BenchContext {
  quick: boolean;
  /** A fresh directory for this run's logs and data. */
  workDir: string;
  /** Progress line on stderr. */
  progress(message: string): void;
}

export interface Benchmark {
  id: string;
  title: string;
  /** What is measured and how, one paragraph for the report. */
  method: string;
  /** Runs in a full `npm run bench` (the median is reported); `--quick` runs once. */
  runs: number;
  run(ctx: BenchContext): Promise<BenchResult>;
  /** Notes computed from the medians, e.g. the bottleneck. */
  summarize?(medians: ReadonlyMap<string, number>): string[];
}
