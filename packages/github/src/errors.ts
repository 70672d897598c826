/**
 * @recon/github's branded errors. Match them with `X.is(err)`, never by message text.
 */
import { ReconError } from '@recon/core';
import { NonRetriableError } from '@recon/sdk';

const githubKeyBrand = Symbol.for('recon.github.key-error');

/**
 * A key that is not a GitHub URL this package understands. Retrying cannot help, so it is a
 * `NonRetriableError` (code `NON_RETRIABLE`, reason `invalid-github-key`): thrown from a reconciler
 * it drops the key, through both SDK runtimes. `GithubKeyError.is(err)` matches this error only
 * (by its own global brand), while `NonRetriableError.is(err)` matches it too.
 */
export class GithubKeyError extends NonRetriableError {
  readonly [githubKeyBrand] = true;
  /** The key as given. */
  readonly key: string;
  /** What is wrong with it, for humans. */
  readonly problem: string;

  constructor(key: string, options: ErrorOptions & { problem?: string } = {}) {
    const problem = options.problem ?? 'not a GitHub key';
    super(`invalid GitHub key ${JSON.stringify(key)}: ${problem}`, {
      ...options,
      reason: 'invalid-github-key',
    });
    this.key = key;
    this.problem = problem;
  }

  static override is<T>(this: abstract new (...args: never[]) => T, err: unknown): err is T {
    return (
      typeof err === 'object' &&
      err !== null &&
      (err as Record<symbol, unknown>)[githubKeyBrand] === true
    );
  }
}

/**
 * GitHub answered a recursive tree listing with `truncated: true` (over 100,000 entries or 7 MB):
 * a diff or a resync over it would silently miss files, so the caller fails loudly instead.
 */
export class GithubTreeTruncatedError extends ReconError {
  static override readonly code = 'GITHUB_TREE_TRUNCATED';
  readonly repository: string;
  readonly treeSha: string;

  constructor(repository: string, options: ErrorOptions & { treeSha: string }) {
    super(
      `the recursive tree ${options.treeSha} of ${repository} is truncated by GitHub; ` +
        'refusing to work from a partial file list',
      options,
    );
    this.repository = repository;
    this.treeSha = options.treeSha;
  }
}
