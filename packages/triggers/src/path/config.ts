/**
 * The path reconciler's triggers, configured by environment only; every problem is listed.
 *
 * | variable | default | used by | meaning |
 * |---|---|---|---|
 * | GITHUB_OWNER, GITHUB_REPO | required | both | the repository |
 * | PATH_PATTERNS | required | both | JSON array of anchored regexes, one capture group each |
 * | RECEIVER_URL | required | both | the workqueue receiver |
 * | GITHUB_TOKEN | — | both | API token (never logged) |
 * | GITHUB_API_URL | https://api.github.com | both | REST base URL (GHES, or a fake in tests) |
 * | PORT, HOST | 8080, 0.0.0.0 | push | webhook endpoint (POST /), /healthz, /metrics |
 * | GITHUB_WEBHOOK_SECRET | required | push | the webhook's secret (never logged) |
 * | RESYNC_PERIOD_HOURS | 24 | resync | 1–744; over 24, a multiple of 24 |
 * | RESYNC_TICK_MINUTES | 1 | resync | the job's cron interval; divides the period |
 */
import { EnvReader, type Env } from '@recon/backends';
import { parsePathPatterns, type PathPatterns } from './patterns.ts';
import type { RepositoryRef } from './push-keys.ts';
import { readListen, readReceiverUrl, type ListenConfig } from '../util/service-config.ts';

export interface PathSourceConfig {
  repository: RepositoryRef;
  patterns: PathPatterns;
  receiverUrl: string;
  /** Absent: anonymous API calls. */
  githubToken?: string;
  githubApiUrl: string;
}

export interface GithubPushConfig extends PathSourceConfig, ListenConfig {
  secret: string;
}

export interface ResyncConfig extends PathSourceConfig {
  periodMs: number;
  tickMs: number;
}

const ownerPattern = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/;
const repoPattern = /^[A-Za-z0-9._-]{1,100}$/;

export function parseGithubPushConfig(env: Env): GithubPushConfig {
  const r = new EnvReader(env);
  const listen = readListen(r);
  const secret = r.required(
    'GITHUB_WEBHOOK_SECRET',
    '(the secret the webhook signs deliveries with)',
  );
  const source = readPathSource(r);
  r.done();
  return { ...listen, ...(source as PathSourceConfig), secret };
}

export function parseResyncConfig(env: Env): ResyncConfig {
  const r = new EnvReader(env);
  const source = readPathSource(r);
  const hours = r.int('RESYNC_PERIOD_HOURS', 24, { min: 1, max: 744 });
  if (hours > 24 && hours % 24 !== 0) {
    r.problems.push(
      `RESYNC_PERIOD_HOURS over 24 must be a multiple of 24 (whole days), got ${hours}`,
    );
  }
  const tickMinutes = r.int('RESYNC_TICK_MINUTES', 1, { min: 1, max: 1440 });
  if ((hours * 60) % tickMinutes !== 0) {
    r.problems.push(
      `RESYNC_TICK_MINUTES (${tickMinutes}) must divide the period (${hours * 60} minutes)`,
    );
  }
  r.done();
  return {
    ...(source as PathSourceConfig),
    periodMs: hours * 3_600_000,
    tickMs: tickMinutes * 60_000,
  };
}

function readPathSource(r: EnvReader): Partial<PathSourceConfig> {
  const owner = r.required('GITHUB_OWNER', '(the repository owner)');
  const repo = r.required('GITHUB_REPO', '(the repository name)');
  if (owner && !ownerPattern.test(owner))
    r.problems.push(`GITHUB_OWNER is not a GitHub owner: ${JSON.stringify(owner)}`);
  if (repo && !repoPattern.test(repo))
    r.problems.push(`GITHUB_REPO is not a repository name: ${JSON.stringify(repo)}`);
  const patterns = parsePathPatterns(r.string('PATH_PATTERNS'), r.problems);
  const config: Partial<PathSourceConfig> = {
    repository: { owner, repo },
    receiverUrl: readReceiverUrl(r, '(the workqueue receiver, http://host:port or https://…)'),
    githubApiUrl: r.url('GITHUB_API_URL') ?? 'https://api.github.com',
    ...(patterns ? { patterns } : {}),
  };
  const token = r.string('GITHUB_TOKEN');
  if (token) config.githubToken = token;
  return config;
}
