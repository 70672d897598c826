import { Octokit } from '@octokit/rest';

export interface GithubClientOptions {
  /** A token (PAT or installation token). Default: none (anonymous; low rate limits). */
  token?: string;
  /** REST API base URL. Default `https://api.github.com`; GHES `https://host/api/v3`; tests a fake. */
  baseUrl?: string;
  /** Default `recon`. */
  userAgent?: string;
}

/**
 * An Octokit for the REST API. The token is handed to Octokit's auth only: never logged, and
 * Octokit keeps it out of its error messages. Octokit's own logging is silenced (it would write
 * deprecation notices to the console); errors reach the caller.
 */
export function createGithubClient(options: GithubClientOptions = {}): Octokit {
  const quiet = () => {};
  return new Octokit({
    ...(options.token ? { auth: options.token } : {}),
    baseUrl: (options.baseUrl ?? 'https://api.github.com').replace(/\/+$/, ''),
    userAgent: options.userAgent ?? 'recon',
    log: { debug: quiet, info: quiet, warn: quiet, error: quiet },
  });
}

export type { Octokit };
