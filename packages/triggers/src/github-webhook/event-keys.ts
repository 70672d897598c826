/**
 * GitHub webhook events → the keys of the things they touch: a pull request URL for
 * pull_request, pull_request_review, pull_request_review_comment, check_run and check_suite (each
 * of their pull_requests[]) and issue_comment on a pull request; an issue URL for issues and
 * issue_comment on an issue. Other events map to nothing. Keys name github.com whatever the
 * payload's host, so they parse with @recon/github.
 */
import { issueKey, pullRequestKey } from '@recon/github';

/** The extension a key travels in on the broker. */
export type KeyExtension = 'pullrequesturl' | 'issueurl';

export interface EventKey {
  key: string;
  extension: KeyExtension;
  owner: string;
  repo: string;
}

type Payload = Record<string, unknown>;

export const mappedEvents = [
  'pull_request',
  'pull_request_review',
  'pull_request_review_comment',
  'check_run',
  'check_suite',
  'issues',
  'issue_comment',
] as const;

export function githubEventKeys(event: string, payload: unknown): EventKey[] {
  if (!isObject(payload)) return [];
  const repository = repoOf(payload['repository']);
  if (!repository) return [];
  const pull = (n: unknown, repo = repository): EventKey[] =>
    isNumber(n)
      ? [{ key: pullRequestKey(repo.owner, repo.repo, n), extension: 'pullrequesturl', ...repo }]
      : [];
  const issue = (n: unknown): EventKey[] =>
    isNumber(n)
      ? [
          {
            key: issueKey(repository.owner, repository.repo, n),
            extension: 'issueurl',
            ...repository,
          },
        ]
      : [];

  switch (event) {
    case 'pull_request':
    case 'pull_request_review':
    case 'pull_request_review_comment':
      return pull(field(payload, 'pull_request', 'number') ?? payload['number']);
    case 'check_run':
    case 'check_suite': {
      const prs = field(payload, event, 'pull_requests');
      if (!Array.isArray(prs)) return [];
      const keys = prs.flatMap((pr: unknown) =>
        isObject(pr) ? pull(pr['number'], baseRepoOf(pr) ?? repository) : [],
      );
      return dedupe(keys);
    }
    case 'issues':
      return issue(field(payload, 'issue', 'number'));
    case 'issue_comment': {
      const n = field(payload, 'issue', 'number');
      // An issue comment on a pull request carries `issue.pull_request`.
      return field(payload, 'issue', 'pull_request') ? pull(n) : issue(n);
    }
    default:
      return [];
  }
}

function repoOf(value: unknown): { owner: string; repo: string } | undefined {
  if (!isObject(value)) return undefined;
  const fullName = value['full_name'];
  if (typeof fullName === 'string') {
    const [owner, repo, ...rest] = fullName.split('/');
    if (owner && repo && rest.length === 0) return { owner, repo };
  }
  const owner = field(value, 'owner', 'login');
  const name = value['name'];
  return typeof owner === 'string' && typeof name === 'string' ? { owner, repo: name } : undefined;
}

/** A check's pull request lives in its base repository (`base.repo.url` = `…/repos/<o>/<r>`). */
function baseRepoOf(pr: Payload): { owner: string; repo: string } | undefined {
  const url = field(pr, 'base', 'repo');
  const apiUrl = isObject(url) ? url['url'] : undefined;
  if (typeof apiUrl !== 'string') return undefined;
  const m = /\/repos\/([^/]+)\/([^/]+)$/.exec(apiUrl);
  return m?.[1] && m[2] ? { owner: m[1], repo: m[2] } : undefined;
}

function field(value: unknown, ...path: string[]): unknown {
  let cur = value;
  for (const name of path) {
    if (!isObject(cur)) return undefined;
    cur = cur[name];
  }
  return cur;
}

function dedupe(keys: EventKey[]): EventKey[] {
  const seen = new Set<string>();
  return keys.filter((k) => !seen.has(k.key) && (seen.add(k.key), true));
}

function isObject(value: unknown): value is Payload {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0;
}
