/**
 * Observed generation for pull-request reconcilers, kept on GitHub itself: one Check Run per
 * (reconciler name, head SHA). The head SHA is the generation: a reconciler reads first and
 * returns early when its check run for that SHA is completed, so a redelivered event or a resync
 * costs one API call. The check run's `output.text` carries the reconciler's status as JSON.
 *
 *   const observed = await readObservedGeneration(octokit, target);
 *   if (observed?.reconciled) return done();
 *   const status = await converge();
 *   await recordObservedGeneration(octokit, target, { status, observed: observed ?? null });
 *
 * Passing what was read (`null`: there is no run yet) spares the record a second lookup.
 */
import type { Octokit } from '@octokit/rest';
import { InvalidArgumentError } from '@recon/core';
import { decodeCheckRunStatus, encodeCheckRunStatus } from './check-run-text.ts';

/** Which check run: the reconciler's name (the check run's name) on a commit of a repository. */
export interface CheckRunTarget {
  owner: string;
  repo: string;
  /** The pull request's head SHA (the generation). */
  headSha: string;
  /** The reconciler's name; also the check run's name. */
  name: string;
}

export type CheckRunConclusion =
  'success' | 'failure' | 'neutral' | 'cancelled' | 'skipped' | 'timed_out' | 'action_required';

export interface ObservedGeneration<S> {
  checkRunId: number;
  headSha: string;
  /** The check run is completed: this SHA was reconciled. */
  reconciled: boolean;
  /** The recorded status; `undefined` when the check run holds none (or not as JSON). */
  status: S | undefined;
  conclusion: string | null;
}

export interface RecordOptions<S> {
  status: S;
  /** Completed (the SHA is reconciled) or still in progress. Default true. */
  completed?: boolean;
  /** For a completed run. Default `success`. */
  conclusion?: CheckRunConclusion;
  /** Default: the reconciler's name. */
  title?: string;
  /** Markdown shown on the Checks tab. Default `Reconciled.` / `Reconciling.` */
  summary?: string;
  detailsUrl?: string;
  /** The run to update. Default: the one `observed` names; without `observed`, looked up. */
  checkRunId?: number;
  /**
   * What `readObservedGeneration` just returned for this target, `null` when it found none: its
   * run is updated, or (`null`) one is created, without another request to look. Absent: the run
   * is looked up, then created if none.
   */
  observed?: ObservedGeneration<unknown> | null;
}

export interface RequestOptions {
  signal?: AbortSignal;
}

interface CheckRunShape {
  id: number;
  name: string;
  head_sha: string;
  status: string | null;
  conclusion: string | null;
  output?: { text?: string | null } | null;
}

/** The latest check run of this reconciler on this SHA, or `undefined` when there is none. */
export async function readObservedGeneration<S = unknown>(
  octokit: Octokit,
  target: CheckRunTarget,
  options: RequestOptions = {},
): Promise<ObservedGeneration<S> | undefined> {
  checkTarget(target);
  const { data } = await octokit.rest.checks.listForRef({
    owner: target.owner,
    repo: target.repo,
    ref: target.headSha,
    check_name: target.name,
    filter: 'latest',
    per_page: 100,
    request: requestOptions(options),
  });
  const runs = (data.check_runs as CheckRunShape[])
    .filter((r) => r.name === target.name && r.head_sha === target.headSha)
    .sort((a, b) => b.id - a.id);
  const latest = runs[0];
  return latest ? toObserved<S>(latest) : undefined;
}

/**
 * Creates or updates the check run of this reconciler on this SHA with `status`: one request
 * when the run is known (`checkRunId`, or `observed` from `readObservedGeneration`), else a
 * lookup first.
 */
export async function recordObservedGeneration<S>(
  octokit: Octokit,
  target: CheckRunTarget,
  record: RecordOptions<S>,
  options: RequestOptions = {},
): Promise<ObservedGeneration<S>> {
  checkTarget(target);
  if (record.observed && record.observed.headSha !== target.headSha) {
    throw new InvalidArgumentError(
      'observed',
      `was read for head SHA ${record.observed.headSha}, not ${target.headSha}`,
    );
  }
  const completed = record.completed ?? true;
  const output = {
    title: record.title ?? target.name,
    summary: record.summary ?? (completed ? 'Reconciled.' : 'Reconciling.'),
    text: encodeCheckRunStatus(record.status),
  };
  const state = completed
    ? { status: 'completed' as const, conclusion: record.conclusion ?? 'success' }
    : { status: 'in_progress' as const };
  const common = {
    owner: target.owner,
    repo: target.repo,
    ...state,
    output,
    ...(record.detailsUrl ? { details_url: record.detailsUrl } : {}),
    request: requestOptions(options),
  };
  const known = record.checkRunId !== undefined || record.observed !== undefined;
  const checkRunId = known
    ? (record.checkRunId ?? record.observed?.checkRunId)
    : (await readObservedGeneration(octokit, target, options))?.checkRunId;
  const { data } =
    checkRunId === undefined
      ? await octokit.rest.checks.create({ ...common, name: target.name, head_sha: target.headSha })
      : await octokit.rest.checks.update({ ...common, check_run_id: checkRunId });
  return toObserved<S>(data as CheckRunShape);
}

function toObserved<S>(run: CheckRunShape): ObservedGeneration<S> {
  return {
    checkRunId: run.id,
    headSha: run.head_sha,
    reconciled: run.status === 'completed',
    status: decodeCheckRunStatus<S>(run.output?.text),
    conclusion: run.conclusion,
  };
}

function checkTarget(target: CheckRunTarget): void {
  if (!target.name) throw new InvalidArgumentError('name', 'must be the reconciler name');
  if (!/^[0-9a-f]{40}(?:[0-9a-f]{24})?$/.test(target.headSha)) {
    throw new InvalidArgumentError(
      'headSha',
      `must be a commit SHA, got ${JSON.stringify(target.headSha)}`,
    );
  }
}

function requestOptions(options: RequestOptions): { signal?: AbortSignal } {
  return options.signal ? { signal: options.signal } : {};
}
