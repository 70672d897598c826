/**
 * The reconciler's configuration, parsed once from an environment map (the entry passes
 * `process.env`). Every problem is listed in one ConfigError. `PATH_PATTERNS`, `GITHUB_API_URL` and
 * `GITHUB_TOKEN` mean what they mean for `@recon/triggers`' push listener and resync, so one set of
 * variables configures the triggers and the reconciler they feed.
 *
 * | variable | default | meaning |
 * |---|---|---|
 * | GITHUB_OWNER, GITHUB_REPO | — (any repository) | when set, keys of other repositories are dropped |
 * | PATH_PATTERNS | `["^(services/[^/]+\\.json)$"]` | JSON array of anchored regexes, one capture group each |
 * | GITHUB_API_URL | https://api.github.com | REST base URL (GHES, or a fake) |
 * | GITHUB_TOKEN | — | a GitHub App installation token (Check Runs need one); never logged |
 * | CHECK_NAME | config-lint | prefix of the check run per file: `config-lint: services/a.json` |
 * | REVISIT_AFTER | 6h | periodic revisit of a checked file (a duration: 30m, 6h) |
 */
import { type Env, EnvReader } from '@recon/backends';
import { parsePathPatterns, type PathPatterns } from '@recon/triggers';

export const defaultPathPatterns = ['^(services/[^/]+\\.json)$'];

export interface PathReconcilerConfig {
  repository?: { owner: string; repo: string };
  patterns: PathPatterns;
  githubApiUrl: string;
  githubToken?: string;
  checkName: string;
  revisitMs: number;
}

export function parsePathReconcilerConfig(env: Env): PathReconcilerConfig {
  const r = new EnvReader(env);
  const owner = r.string('GITHUB_OWNER');
  const repo = r.string('GITHUB_REPO');
  if ((owner === undefined) !== (repo === undefined)) {
    r.problems.push('GITHUB_OWNER and GITHUB_REPO go together: set both or neither');
  }
  const patterns = parsePathPatterns(
    r.string('PATH_PATTERNS', JSON.stringify(defaultPathPatterns)),
    r.problems,
  );
  const githubApiUrl = r.url('GITHUB_API_URL') ?? 'https://api.github.com';
  const githubToken = r.string('GITHUB_TOKEN');
  const checkName = r.string('CHECK_NAME', 'config-lint') ?? 'config-lint';
  const revisitMs = r.durationMs('REVISIT_AFTER', 6 * 3_600_000);
  r.done();
  return {
    ...(owner && repo ? { repository: { owner, repo } } : {}),
    patterns: patterns as PathPatterns,
    githubApiUrl,
    ...(githubToken ? { githubToken } : {}),
    checkName,
    revisitMs,
  };
}
