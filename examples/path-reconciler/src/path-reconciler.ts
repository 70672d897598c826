/**
 * A path reconciler: one key per file of a repository,
 * `https://github.com/<o>/<r>/blob/<branch>/<path>` — the keys `@recon/triggers`' push listener
 * and resync produce for the files their `PATH_PATTERNS` match. For its key it:
 *
 * 1. resolves the branch to its head commit (`git/ref/heads/<branch>`);
 * 2. returns early when the check run `<checkName>: <path>` on that commit is completed — the
 *    file at that commit cannot change, so the commit SHA is the generation;
 * 3. reads the file there (contents API); a file that is gone has nothing left to check: `done()`;
 * 4. validates it and records the result as that check run (`success` / `failure`, the problems
 *    as JSON in its output);
 * 5. comes back after `revisitMs` (`requeueAfter`, with jitter): a periodic revisit, on top of
 *    the push listener (every change, at once) and the resync (every key, once per period).
 *
 * Bad keys (not a blob URL, another repository, a path no pattern names) are non-retriable;
 * GitHub rate limits requeue at the reset; other failures are retried with backoff.
 */
import {
  type Octokit,
  parseGithubKey,
  rateLimitRequeue,
  readObservedGeneration,
  recordObservedGeneration,
} from '@recon/github';
import {
  done,
  nonRetriable,
  type Reconciler,
  reconciler,
  type ReconcileResult,
  requeueAfter,
} from '@recon/sdk';
import type { PathPatterns } from '@recon/triggers';

export interface PathReconcilerOptions {
  /** Where the Octokit client comes from; called once, on the first reconcile. */
  octokit: () => Octokit;
  /** The files this reconciler owns: a key's path must be a pattern's whole capture. */
  patterns: PathPatterns;
  /** When set, keys of any other repository are dropped. Default: any repository. */
  repository?: { owner: string; repo: string };
  /** `(path, content) => problems`; an empty list means valid. */
  validate: (path: string, text: string) => string[];
  /** Check run name prefix; the reconciler's name too. Default `config-lint`. */
  checkName?: string;
  /** Periodic revisit. Default 6 h. */
  revisitMs?: number;
  /** Fraction of `revisitMs` added at random so revisits spread. Default 0.1. */
  revisitJitter?: number;
  /** Jitter source for rate-limit requeues. Default Math.random. */
  random?: () => number;
}

/** What the check run records for a file. */
export interface FileCheckStatus {
  path: string;
  /** The git blob SHA of the content checked. */
  blobSha: string;
  problems: string[];
}

export function createPathReconciler(options: PathReconcilerOptions): Reconciler {
  const checkName = options.checkName ?? 'config-lint';
  const revisit = () =>
    requeueAfter(options.revisitMs ?? 6 * 3_600_000, { jitter: options.revisitJitter ?? 0.1 });
  let client: Octokit | undefined;
  const octokit = () => (client ??= options.octokit());

  return reconciler(
    async (key, ctx): Promise<ReconcileResult> => {
      const file = parseFileKey(key, options);
      const { owner, repo, ref: branch, path } = file;
      const request = { signal: ctx.signal };
      try {
        const head = await headOf(octokit(), { owner, repo, branch }, ctx.signal);
        if (head === undefined) {
          ctx.logger.info('branch not found; nothing to check', { branch });
          return done();
        }
        const target = { owner, repo, headSha: head, name: `${checkName}: ${path}` };
        const observed = await readObservedGeneration<FileCheckStatus>(octokit(), target, request);
        if (observed?.reconciled) {
          ctx.logger.info('already checked at this commit', {
            head,
            conclusion: observed.conclusion,
          });
          return revisit();
        }

        const content = await readFile(octokit(), { owner, repo, path, ref: head }, ctx.signal);
        if (content === undefined) {
          ctx.logger.info('file not found at the branch head; nothing to check', { head });
          return done(); // a deleted file: the resync will not list it again
        }
        const problems =
          content.text === undefined
            ? ['the file is over 1 MB; the contents API does not return it']
            : options.validate(path, content.text);
        const status: FileCheckStatus = { path, blobSha: content.sha, problems };
        await recordObservedGeneration(
          octokit(),
          target,
          {
            status,
            observed: observed ?? null,
            conclusion: problems.length === 0 ? 'success' : 'failure',
            title:
              problems.length === 0
                ? `${path} is valid`
                : `${problems.length} problem(s) in ${path}`,
            summary:
              problems.length === 0
                ? `\`${path}\` passed every check.`
                : problems.map((p) => `- ${p}`).join('\n'),
          },
          request,
        );
        ctx.logger.info('checked', { head, blobSha: content.sha, problems: problems.length });
        return revisit();
      } catch (err) {
        const requeue = rateLimitRequeue(err, ctx.clock, { random: options.random });
        if (requeue) {
          ctx.logger.warn('GitHub rate limit; requeueing at its reset', {
            delayMs: requeue.delayMs,
          });
          return requeue;
        }
        throw err; // transient: retried with backoff
      }
    },
    { name: checkName },
  );
}

interface FileKey {
  owner: string;
  repo: string;
  ref: string;
  path: string;
}

/** The key's file; NonRetriableError (the key is dropped) for anything this reconciler does not own. */
function parseFileKey(key: string, options: PathReconcilerOptions): FileKey {
  const parsed = parseGithubKey(key); // GithubKeyError: non-retriable
  const fail = (problem: string): never => {
    throw nonRetriable(new Error(`${key}: ${problem}`), 'not-a-managed-file');
  };
  if (parsed.kind !== 'blob') return fail('expected a file URL (/blob/<branch>/<path>)');
  const expected = options.repository;
  if (
    expected &&
    (parsed.owner.toLowerCase() !== expected.owner.toLowerCase() ||
      parsed.repo.toLowerCase() !== expected.repo.toLowerCase())
  ) {
    return fail(`only files of ${expected.owner}/${expected.repo} are reconciled here`);
  }
  if (options.patterns.match(parsed.path) !== parsed.path) {
    return fail(`${parsed.path} is not matched by ${JSON.stringify(options.patterns.sources)}`);
  }
  return { owner: parsed.owner, repo: parsed.repo, ref: parsed.ref, path: parsed.path };
}

/** The commit a branch points at; undefined when the branch does not exist. */
async function headOf(
  octokit: Octokit,
  target: { owner: string; repo: string; branch: string },
  signal: AbortSignal,
): Promise<string | undefined> {
  try {
    const { data } = await octokit.rest.git.getRef({
      owner: target.owner,
      repo: target.repo,
      ref: `heads/${target.branch}`,
      request: { signal },
    });
    return data.object.sha;
  } catch (err) {
    if (statusOf(err) === 404) return undefined;
    throw err;
  }
}

/**
 * A file's blob SHA and text at `ref`; undefined when there is no file at that path (a directory
 * counts as none). `text` is undefined for files over 1 MB, which the contents API does not inline.
 */
async function readFile(
  octokit: Octokit,
  target: { owner: string; repo: string; path: string; ref: string },
  signal: AbortSignal,
): Promise<{ sha: string; text: string | undefined } | undefined> {
  try {
    const { data } = await octokit.rest.repos.getContent({ ...target, request: { signal } });
    if (Array.isArray(data) || data.type !== 'file') return undefined;
    const text =
      'content' in data && data.encoding === 'base64'
        ? Buffer.from(data.content, 'base64').toString('utf8')
        : undefined;
    return { sha: data.sha, text };
  } catch (err) {
    if (statusOf(err) === 404) return undefined;
    throw err;
  }
}

function statusOf(err: unknown): unknown {
  return typeof err === 'object' && err !== null ? (err as { status?: unknown }).status : undefined;
}
