/**
 * A pull-request reconciler. Keys are PR URLs (`https://github.com/<o>/<r>/pull/<n>`); for each
 * open PR it makes GitHub show what the title's conventional-commit prefix says:
 *
 * - a `type: <type>` label (plus `breaking-change` for `feat!:`), stale managed labels removed;
 * - a Check Run named after the reconciler on the head SHA: `success` for a conventional title,
 *   `failure` otherwise, its output carrying the reconciled state as JSON.
 *
 * That Check Run is also the observed generation. The head SHA is the generation, so a read of
 * the PR and of its check run decides whether anything is left to do; a redelivered webhook or a
 * resync of a converged PR costs two GET requests and writes nothing. The title and labels live
 * outside the commit, so the recorded status names the title it was computed from and the labels
 * are compared too: an edited title or a label removed by hand is converged again.
 *
 * Failures: a key that is not a PR URL is dropped (non-retriable); a missing PR is dropped; GitHub
 * rate limits requeue the key at the reset time plus jitter instead of burning retries; anything
 * else is thrown and retried with backoff.
 */
import {
  type CheckRunConclusion,
  GithubKeyError,
  type Octokit,
  parseGithubKey,
  rateLimitRequeue,
  readObservedGeneration,
  recordObservedGeneration,
} from '@recon/github';
import { done, nonRetriable, type Reconciler, reconciler, type ReconcileResult } from '@recon/sdk';
import {
  desiredLabels,
  isManagedLabel,
  type ParsedTitle,
  parseConventionalTitle,
  planLabels,
} from './conventional-title.ts';

export interface PrReconcilerOptions {
  /**
   * Where the Octokit client comes from; called once, on the first reconcile (so loading the
   * module never reaches the network). The entry builds one from the environment; tests point
   * one at the fake GitHub API.
   */
  octokit: () => Octokit;
  /** The check run's name, and the reconciler's. Default `pr-title`. */
  checkName?: string;
  /** Jitter source for rate-limit requeues (up to 5 s). Default Math.random. */
  random?: () => number;
}

/** What the check run records: the state the reconciler converged the PR to. */
export interface PrTitleStatus {
  title: string;
  conventional: boolean;
  labels: string[];
  problem?: string;
}

export function createPrReconciler(options: PrReconcilerOptions): Reconciler {
  const name = options.checkName ?? 'pr-title';
  let client: Octokit | undefined;
  const octokit = () => (client ??= options.octokit());

  return reconciler(
    async (key, ctx): Promise<ReconcileResult> => {
      const pr = parseGithubKey(key); // GithubKeyError: non-retriable, the key is dropped
      if (pr.kind !== 'pull') {
        return nonRetriable(
          new GithubKeyError(key, { problem: 'expected a pull request URL (/pull/<n>)' }),
          'invalid-github-key',
        );
      }
      const { owner, repo } = pr;
      const request = { signal: ctx.signal };
      try {
        const { data } = await octokit().rest.pulls.get({
          owner,
          repo,
          pull_number: pr.number,
          request,
        });
        if (data.state !== 'open') {
          ctx.logger.info('pull request is not open; nothing to do', { state: data.state });
          return done();
        }
        const parsed = parseConventionalTitle(data.title);
        const desired = desiredLabels(parsed);
        const current = data.labels.map((l) => l.name);
        const plan = planLabels(current, desired);
        const target = { owner, repo, headSha: data.head.sha, name };

        const observed = await readObservedGeneration<PrTitleStatus>(octokit(), target, request);
        const upToDate =
          observed?.reconciled === true &&
          observed.status?.title === data.title &&
          plan.add.length === 0 &&
          plan.remove.length === 0;
        if (upToDate) {
          ctx.logger.info('already reconciled at this head SHA', { headSha: data.head.sha });
          return done();
        }

        if (plan.add.length > 0) {
          await octokit().rest.issues.addLabels({
            owner,
            repo,
            issue_number: pr.number,
            labels: plan.add,
            request,
          });
        }
        for (const label of plan.remove) {
          await removeLabel(
            octokit(),
            { owner, repo, issue_number: pr.number, name: label },
            ctx.signal,
          );
        }

        const status: PrTitleStatus = {
          title: data.title,
          conventional: parsed.valid,
          labels: desired,
          ...(parsed.valid ? {} : { problem: parsed.problem }),
        };
        await recordObservedGeneration(
          octokit(),
          target,
          { status, observed: observed ?? null, ...checkOutput(parsed, data.title) },
          request,
        );
        ctx.logger.info('reconciled', {
          headSha: data.head.sha,
          conventional: parsed.valid,
          added: plan.add,
          removed: plan.remove,
          managedBefore: current.filter(isManagedLabel),
        });
        return done();
      } catch (err) {
        const requeue = rateLimitRequeue(err, ctx.clock, { random: options.random });
        if (requeue) {
          ctx.logger.warn('GitHub rate limit; requeueing at its reset', {
            delayMs: requeue.delayMs,
          });
          return requeue;
        }
        if (statusOf(err) === 404) return nonRetriable(err, 'not-found');
        throw err; // transient (5xx, network): retried with backoff
      }
    },
    { name },
  );
}

function checkOutput(
  parsed: ParsedTitle,
  title: string,
): { conclusion: CheckRunConclusion; title: string; summary: string } {
  if (parsed.valid) {
    return {
      conclusion: 'success',
      title: `Conventional title: ${parsed.type}${parsed.breaking ? ' (breaking)' : ''}`,
      summary: `\`${title}\` follows the conventional-commit format.`,
    };
  }
  return {
    conclusion: 'failure',
    title: 'The title is not a conventional commit',
    summary: `\`${title}\`: ${parsed.problem}.`,
  };
}

/** Removes a label; one that is already gone (404) is what we wanted anyway. */
async function removeLabel(
  octokit: Octokit,
  params: { owner: string; repo: string; issue_number: number; name: string },
  signal: AbortSignal,
): Promise<void> {
  try {
    await octokit.rest.issues.removeLabel({ ...params, request: { signal } });
  } catch (err) {
    if (statusOf(err) !== 404) throw err;
  }
}

function statusOf(err: unknown): unknown {
  return typeof err === 'object' && err !== null ? (err as { status?: unknown }).status : undefined;
}
