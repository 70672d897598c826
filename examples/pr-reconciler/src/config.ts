/**
 * The reconciler's configuration, parsed once from an environment map (the entry passes
 * `process.env`; tests pass a plain object). Every problem is listed in one ConfigError.
 *
 * | variable | default | meaning |
 * |---|---|---|
 * | GITHUB_API_URL | https://api.github.com | REST base URL (GHES `https://host/api/v3`, or a fake) |
 * | GITHUB_TOKEN | — | a GitHub App installation token (Check Runs cannot be written with a PAT); never logged |
 * | CHECK_NAME | pr-title | the check run's name: the reconciler's identity on each head SHA |
 */
import { type Env, EnvReader } from '@recon/backends';

export interface PrReconcilerConfig {
  githubApiUrl: string;
  /** Absent: anonymous calls (reads only, low rate limits). */
  githubToken?: string;
  checkName: string;
}

export function parsePrReconcilerConfig(env: Env): PrReconcilerConfig {
  const r = new EnvReader(env);
  const githubApiUrl = r.url('GITHUB_API_URL') ?? 'https://api.github.com';
  const githubToken = r.string('GITHUB_TOKEN');
  const checkName = r.string('CHECK_NAME', 'pr-title') ?? 'pr-title';
  if (checkName.length > 100) r.problems.push('CHECK_NAME must be at most 100 characters');
  r.done();
  return { githubApiUrl, checkName, ...(githubToken ? { githubToken } : {}) };
}
