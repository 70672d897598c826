// The audit has teeth: synthetic histories with one violation each must fail exactly the check
// that guards against it, and a clean history must pass every check.
import { describe, expect, it } from 'vitest';
import { audit, formatReport, type AuditInput, type CallRecord } from '../audit.ts';

const call = (c: Partial<CallRecord> & Pick<CallRecord, 'key' | 'start' | 'end'>): CallRecord => ({
  sawVersion: 1,
  attempt: 1,
  outcome: 'success',
  ...c,
});

/** A clean history: a converging key enqueued twice, a dropped key, a key dead-lettered after 3 failures. */
function cleanHistory(): AuditInput {
  return {
    maxRetry: 3,
    finalVersions: new Map([
      ['ok/a', 2],
      ['drop/b', 1],
      ['fail/c', 1],
    ]),
    calls: [
      call({ key: 'ok/a', start: 0, end: 10, sawVersion: 1 }),
      // Enqueued again while the first call ran: the twin runs after it and sees v2.
      call({ key: 'ok/a', start: 10, end: 20, sawVersion: 2 }),
      call({ key: 'drop/b', start: 5, end: 8, outcome: 'dropped' }),
      call({ key: 'fail/c', start: 0, end: 5, outcome: 'error', attempt: 1 }),
      call({ key: 'fail/c', start: 205, end: 210, outcome: 'error', attempt: 2 }),
      call({ key: 'fail/c', start: 610, end: 615, outcome: 'error', attempt: 3 }),
    ],
    bucket: { queued: [], inProgress: [], deadLetter: ['fail/c'] },
    alwaysFails: (key) => key.startsWith('fail/'),
  };
}

function failedChecks(input: AuditInput): string[] {
  return audit(input)
    .checks.filter((c) => !c.passed)
    .map((c) => c.name);
}

describe('soak audit', () => {
  it('passes a clean history', () => {
    const report = audit(cleanHistory());
    expect(report.failed).toBe(0);
    expect(report.passed).toBe(report.checks.length);
    expect(formatReport(report)).toMatch(/soak: 5 passed, 0 failed$/);
  });

  it('catches a key reconciled twice at once', () => {
    const input = cleanHistory();
    input.calls = [...input.calls, call({ key: 'ok/a', start: 15, end: 25, sawVersion: 2 })];
    expect(failedChecks(input)).toEqual(['no key reconciled twice at once']);
    const detail = audit(input).checks[0]!.details[0]!;
    expect(detail).toContain('ok/a');
    expect(detail).toContain('overlaps');
  });

  it('catches an overlap even when the calls are listed out of order', () => {
    const input = cleanHistory();
    input.calls = [call({ key: 'ok/a', start: 12, end: 30, sawVersion: 2 }), ...input.calls];
    expect(failedChecks(input)).toContain('no key reconciled twice at once');
  });

  it('catches a key whose last enqueue no call saw (the twin never ran)', () => {
    const input = cleanHistory();
    input.calls = input.calls.filter((c) => !(c.key === 'ok/a' && c.sawVersion === 2));
    expect(failedChecks(input)).toEqual([
      'every key reconciled after its last enqueue',
      'no key lost',
    ]);
  });

  it('catches a lost key: enqueued, never reconciled, not in the queue or the dead letters', () => {
    const input = cleanHistory();
    input.finalVersions = new Map([...input.finalVersions, ['ok/lost', 1]]);
    const report = audit(input);
    expect(failedChecks(input)).toEqual([
      'every key reconciled after its last enqueue',
      'no key lost',
    ]);
    expect(report.checks.find((c) => c.name === 'no key lost')!.details[0]).toContain('ok/lost');
  });

  it('catches a key whose final run failed and was never retried (not converged)', () => {
    const input = cleanHistory();
    input.calls = input.calls.map((c) =>
      c.key === 'ok/a' && c.sawVersion === 2 ? { ...c, outcome: 'error' as const } : c,
    );
    expect(failedChecks(input)).toEqual(['no key lost']);
  });

  it('catches a key left in the queue after the drain', () => {
    const input = cleanHistory();
    input.bucket = { ...input.bucket, queued: ['ok/a'] };
    expect(failedChecks(input)).toEqual(['queue drained']);
  });

  it('catches a dead-lettered key that had retries left', () => {
    const input = cleanHistory();
    input.bucket = { ...input.bucket, deadLetter: ['fail/c', 'ok/a'] };
    expect(failedChecks(input)).toEqual(['dead-letter queue = keys that exhausted retries']);
  });

  it('catches a key that exhausted its retries but is missing from the dead letters', () => {
    const input = cleanHistory();
    input.bucket = { ...input.bucket, deadLetter: [] };
    const failed = failedChecks(input);
    expect(failed).toContain('dead-letter queue = keys that exhausted retries');
    expect(failed).toContain('no key lost');
  });

  it('catches an always-failing key that never got to the dead letters', () => {
    const input = cleanHistory();
    input.calls = input.calls.filter((c) => !(c.key === 'fail/c' && c.attempt === 3));
    input.bucket = { ...input.bucket, deadLetter: [] };
    expect(failedChecks(input)).toContain('dead-letter queue = keys that exhausted retries');
  });

  it('treats an aborted call (a drained dispatcher) as no reconcile of its version', () => {
    const input = cleanHistory();
    input.calls = input.calls.map((c) =>
      c.key === 'ok/a' && c.sawVersion === 2 ? { ...c, outcome: 'aborted' as const } : c,
    );
    expect(failedChecks(input)).toEqual(['no key lost']);
  });

  it('reports every violation, capped, with a count', () => {
    const input = cleanHistory();
    const lost = Array.from({ length: 40 }, (_, i) => [`ok/lost-${i}`, 1] as const);
    input.finalVersions = new Map([...input.finalVersions, ...lost]);
    const check = audit(input).checks.find((c) => c.name === 'no key lost')!;
    expect(check.violations).toBe(40);
    expect(check.details).toHaveLength(16);
    expect(check.details.at(-1)).toBe('… and 25 more');
    expect(formatReport(audit(input))).toMatch(/soak: 3 passed, 2 failed$/);
  });
});
