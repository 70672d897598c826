/**
 * The soak's audit: a pure function from what happened (every reconciler call, every key's final
 * "world version", the bucket at the end) to a verdict per check. No I/O, so the self-test can
 * feed it synthetic histories and prove each check fails when it should.
 *
 * The load generator bumps a key's world version, then enqueues the key; each reconciler call
 * records the version current when it started. So "reconciled after its last enqueue" is judged
 * on what the reconciler saw, level-based, not on clocks of different processes.
 */

export type CallOutcome = 'success' | 'requeue' | 'error' | 'dropped' | 'aborted';

export interface CallRecord {
  key: string;
  /** Monotonic ms (one clock: the reconciler's process). */
  start: number;
  end: number;
  /** The key's world version when the call started. */
  sawVersion: number;
  /** 1-based attempt the dispatcher sent (ext field). */
  attempt: number;
  outcome: CallOutcome;
}

export interface BucketState {
  queued: string[];
  inProgress: string[];
  deadLetter: string[];
}

export interface AuditInput {
  /** WORKQUEUE_MAX_RETRY of the dispatchers. */
  maxRetry: number;
  /** key → the version of its last acknowledged enqueue (every key ever enqueued). */
  finalVersions: ReadonlyMap<string, number>;
  calls: readonly CallRecord[];
  /** The bucket after the drain. */
  bucket: BucketState;
  /** Keys designed to fail on every call: each must end in the dead-letter queue. */
  alwaysFails: (key: string) => boolean;
}

export interface CheckResult {
  name: string;
  passed: boolean;
  /** One line per violation (capped), or a one-line confirmation. */
  details: string[];
  violations: number;
}

export interface AuditReport {
  checks: CheckResult[];
  passed: number;
  failed: number;
}

const shown = 15;

function check(name: string, problems: string[], ok: string): CheckResult {
  return {
    name,
    passed: problems.length === 0,
    violations: problems.length,
    details:
      problems.length === 0
        ? [ok]
        : [
            ...problems.slice(0, shown),
            ...(problems.length > shown ? [`… and ${problems.length - shown} more`] : []),
          ],
  };
}

function byKey(calls: readonly CallRecord[]): Map<string, CallRecord[]> {
  const map = new Map<string, CallRecord[]>();
  for (const c of calls) {
    const list = map.get(c.key) ?? [];
    list.push(c);
    map.set(c.key, list);
  }
  for (const list of map.values()) list.sort((a, b) => a.start - b.start || a.end - b.end);
  return map;
}

const fmt = (c: CallRecord) =>
  `[${c.start.toFixed(1)}–${c.end.toFixed(1)} ms, attempt ${c.attempt}, saw v${c.sawVersion}, ${c.outcome}]`;

export function audit(input: AuditInput): AuditReport {
  const calls = byKey(input.calls);
  const deadLetter = new Set(input.bucket.deadLetter);
  const checks: CheckResult[] = [];

  // (a) Never twice at once: a key's calls, in start order, never overlap.
  const overlaps: string[] = [];
  for (const [key, list] of calls) {
    for (let i = 1; i < list.length; i++) {
      const prev = list[i - 1]!;
      const next = list[i]!;
      if (next.start < prev.end) overlaps.push(`${key}: ${fmt(prev)} overlaps ${fmt(next)}`);
    }
  }
  checks.push(
    check(
      'no key reconciled twice at once',
      overlaps,
      `${input.calls.length} calls over ${calls.size} keys, none overlapping`,
    ),
  );

  // (b) Every key's last enqueue is followed by a call that saw it.
  const unseen: string[] = [];
  for (const [key, version] of input.finalVersions) {
    const list = calls.get(key) ?? [];
    const latest = Math.max(0, ...list.map((c) => c.sawVersion));
    if (latest < version) {
      unseen.push(
        `${key}: last enqueue was v${version}, calls saw at most v${latest} (${list.length} calls)`,
      );
    }
  }
  checks.push(
    check(
      'every key reconciled after its last enqueue',
      unseen,
      `${input.finalVersions.size} keys, each with a call that saw its last enqueue`,
    ),
  );

  // (c) None lost: each key either converged (a success or a drop that saw its final version)
  // or is in the dead-letter queue — and is no longer queued or in progress.
  const lost: string[] = [];
  const stillQueued = new Set([...input.bucket.queued, ...input.bucket.inProgress]);
  for (const [key, version] of input.finalVersions) {
    const list = calls.get(key) ?? [];
    const converged = list.some(
      (c) => c.sawVersion >= version && (c.outcome === 'success' || c.outcome === 'dropped'),
    );
    if (converged || deadLetter.has(key)) continue;
    const last = list[list.length - 1];
    lost.push(
      `${key}: never converged on v${version} and not dead-lettered` +
        `${stillQueued.has(key) ? ' (still in the queue)' : ''}; last call ${last ? fmt(last) : 'none'}`,
    );
  }
  checks.push(
    check('no key lost', lost, `${input.finalVersions.size} keys converged or dead-lettered`),
  );

  // (d) The dead-letter queue holds exactly the keys that exhausted their retries: those whose
  // last call failed on attempt >= maxRetry. Keys built to always fail must all be there.
  const exhausted = new Set<string>();
  for (const [key, list] of calls) {
    const last = list[list.length - 1];
    if (last && last.outcome === 'error' && last.attempt >= input.maxRetry) exhausted.add(key);
  }
  const dlqProblems: string[] = [];
  for (const key of deadLetter) {
    if (!exhausted.has(key)) {
      const last = calls.get(key)?.at(-1);
      dlqProblems.push(
        `${key}: dead-lettered but did not exhaust its retries (last call ${last ? fmt(last) : 'none'})`,
      );
    }
  }
  for (const key of exhausted) {
    if (!deadLetter.has(key))
      dlqProblems.push(`${key}: exhausted its retries but is not dead-lettered`);
  }
  for (const key of input.finalVersions.keys()) {
    if (input.alwaysFails(key) && !deadLetter.has(key) && !exhausted.has(key)) {
      dlqProblems.push(`${key}: always fails, yet neither exhausted its retries nor dead-lettered`);
    }
  }
  checks.push(
    check(
      'dead-letter queue = keys that exhausted retries',
      dlqProblems,
      `${deadLetter.size} dead-lettered keys, exactly those whose last call failed at attempt >= ${input.maxRetry}`,
    ),
  );

  // (e) The drain finished: nothing queued or in progress is left.
  const left = [
    ...input.bucket.queued.map((k) => `${k}: still queued`),
    ...input.bucket.inProgress.map((k) => `${k}: still in progress`),
  ];
  checks.push(check('queue drained', left, 'queued/ and in-progress/ are empty'));

  const passed = checks.filter((c) => c.passed).length;
  return { checks, passed, failed: checks.length - passed };
}

/** The report as printed: one block per check, then `soak: N passed, M failed`. */
export function formatReport(report: AuditReport): string {
  const lines: string[] = [];
  for (const c of report.checks) {
    lines.push(
      `${c.passed ? 'PASS' : 'FAIL'} ${c.name}${c.passed ? '' : ` (${c.violations} violations)`}`,
    );
    for (const d of c.details) lines.push(`     ${d}`);
  }
  lines.push(`soak: ${report.passed} passed, ${report.failed} failed`);
  return lines.join('\n');
}
