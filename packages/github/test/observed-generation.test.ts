import { InvalidArgumentError } from '@recon/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createGithubClient,
  decodeCheckRunStatus,
  encodeCheckRunStatus,
  readObservedGeneration,
  recordObservedGeneration,
  type CheckRunTarget,
  type Octokit,
} from '../src/index.ts';
import { FakeGithubApi } from '../src/testing/index.ts';

interface LintStatus {
  findings: number;
  files: string[];
}

describe('observed generation through check runs', () => {
  let api: FakeGithubApi;
  let octokit: Octokit;
  const sha = 'a'.repeat(40);
  const target: CheckRunTarget = { owner: 'o', repo: 'r', headSha: sha, name: 'lint-reconciler' };

  beforeAll(async () => {
    api = await FakeGithubApi.start({ token: 'ghs_secret' });
    api.addRepo('o', 'r');
    octokit = createGithubClient({ baseUrl: api.url, token: 'ghs_secret' });
  });
  afterAll(() => api.close());

  it('reads nothing for a SHA that was never reconciled', async () => {
    expect(
      await readObservedGeneration(octokit, { ...target, headSha: 'b'.repeat(40) }),
    ).toBeUndefined();
  });

  it('records, reads back, and reports the SHA as reconciled', async () => {
    const status: LintStatus = { findings: 2, files: ['a.go', 'b.go'] };
    const recorded = await recordObservedGeneration(octokit, target, { status, completed: false });
    expect(recorded).toMatchObject({ reconciled: false, status, headSha: sha });

    const inProgress = await readObservedGeneration<LintStatus>(octokit, target);
    expect(inProgress).toMatchObject({
      reconciled: false,
      checkRunId: recorded.checkRunId,
      status,
    });

    const done = await recordObservedGeneration(octokit, target, {
      status: { ...status, findings: 0 },
      checkRunId: recorded.checkRunId,
      conclusion: 'neutral',
    });
    expect(done.checkRunId).toBe(recorded.checkRunId);

    const read = await readObservedGeneration<LintStatus>(octokit, target);
    expect(read).toMatchObject({
      reconciled: true,
      conclusion: 'neutral',
      status: { findings: 0 },
    });
    const runs = api.checkRuns('o', 'r');
    expect(runs).toHaveLength(1);
    expect(runs[0]?.name).toBe('lint-reconciler');
    expect(runs[0]?.output.text).toContain('"findings": 0');
  });

  it('updates the existing run when no id is given instead of creating a second one', async () => {
    const other = { ...target, name: 'other-reconciler' };
    await recordObservedGeneration(octokit, other, { status: { n: 1 } });
    await recordObservedGeneration(octokit, other, { status: { n: 2 } });
    const runs = api.checkRuns('o', 'r').filter((r) => r.name === 'other-reconciler');
    expect(runs).toHaveLength(1);
    expect((await readObservedGeneration(octokit, other))?.status).toEqual({ n: 2 });
  });

  it('costs one read and one write on a first reconcile given what the read returned', async () => {
    const first = { ...target, headSha: 'd'.repeat(40), name: 'first-reconcile' };
    const seen = api.requests.length;
    const calls = () => api.requests.slice(seen).map((r) => `${r.method} ${r.path}`);
    const listForRef = `GET /repos/o/r/commits/${'d'.repeat(40)}/check-runs`;

    const observed = await readObservedGeneration(octokit, first);
    expect(observed).toBeUndefined();
    const recorded = await recordObservedGeneration(octokit, first, {
      status: { n: 1 },
      completed: false,
      observed: observed ?? null,
    });
    expect(calls()).toEqual([listForRef, 'POST /repos/o/r/check-runs']);

    // The next reconcile finds the run in progress and updates it: again one read, one write.
    const again = await readObservedGeneration(octokit, first);
    await recordObservedGeneration(octokit, first, { status: { n: 2 }, observed: again });
    expect(calls().slice(2)).toEqual([
      listForRef,
      `PATCH /repos/o/r/check-runs/${recorded.checkRunId}`,
    ]);
    expect(api.checkRuns('o', 'r').filter((r) => r.name === 'first-reconcile')).toHaveLength(1);
  });

  it('looks the run up when the caller did not read it, and refuses a read of another SHA', async () => {
    const other = { ...target, headSha: 'e'.repeat(40), name: 'no-read' };
    const seen = api.requests.length;
    await recordObservedGeneration(octokit, other, { status: { n: 1 } });
    expect(api.requests.slice(seen).map((r) => r.method)).toEqual(['GET', 'POST']);

    const observed = await readObservedGeneration(octokit, other);
    const count = api.requests.length;
    await expect(
      recordObservedGeneration(
        octokit,
        { ...other, headSha: 'f'.repeat(40) },
        { status: { n: 2 }, observed },
      ),
    ).rejects.toSatisfy((err) => InvalidArgumentError.is(err) && err.field === 'observed');
    expect(api.requests.length).toBe(count);
  });

  it('keeps reconcilers apart on the same SHA', async () => {
    const a = { ...target, headSha: 'c'.repeat(40), name: 'a' };
    const b = { ...target, headSha: 'c'.repeat(40), name: 'b' };
    await recordObservedGeneration(octokit, a, { status: 'A' });
    expect(await readObservedGeneration(octokit, b)).toBeUndefined();
    expect((await readObservedGeneration(octokit, a))?.status).toBe('A');
  });

  it('sends the token and validates its input', async () => {
    expect(api.requests.every((r) => r.headers.authorization === 'token ghs_secret')).toBe(true);
    await expect(readObservedGeneration(octokit, { ...target, headSha: 'main' })).rejects.toSatisfy(
      (err) => InvalidArgumentError.is(err) && err.field === 'headSha',
    );
    expect(() => encodeCheckRunStatus({ blob: 'x'.repeat(70_000) })).toThrow(/at most 65535/);
  });

  it('reads bare JSON and tolerates foreign text', () => {
    expect(decodeCheckRunStatus('{"a":1}')).toEqual({ a: 1 });
    expect(decodeCheckRunStatus('All good!')).toBeUndefined();
    expect(decodeCheckRunStatus(null)).toBeUndefined();
    expect(decodeCheckRunStatus(encodeCheckRunStatus([1, 2]))).toEqual([1, 2]);
  });
});
