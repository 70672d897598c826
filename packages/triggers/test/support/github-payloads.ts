/**
 * Webhook payloads in the shapes GitHub sends (trimmed to the fields that matter plus the usual
 * surroundings: sender, installation, organization, nested users and repos), built by hand.
 */
import { randomUUID } from 'node:crypto';
import { signGithubPayload } from '../../src/index.ts';

const owner = {
  login: 'chainguard-dev',
  id: 87436699,
  node_id: 'O_kgDOBTYFWw',
  type: 'Organization',
  site_admin: false,
  html_url: 'https://github.com/chainguard-dev',
};
const sender = {
  login: 'octocat',
  id: 583231,
  node_id: 'MDQ6VXNlcjU4MzIzMQ==',
  type: 'User',
  site_admin: false,
};

export function repository(name = 'recon', extra: Record<string, unknown> = {}) {
  return {
    id: 641234567,
    node_id: 'R_kgDOJjXxxx',
    name,
    full_name: `chainguard-dev/${name}`,
    private: false,
    owner,
    html_url: `https://github.com/chainguard-dev/${name}`,
    url: `https://api.github.com/repos/chainguard-dev/${name}`,
    default_branch: 'main',
    visibility: 'public',
    ...extra,
  };
}

const common = (name = 'recon') => ({
  repository: repository(name),
  organization: { login: 'chainguard-dev', id: 87436699 },
  sender,
  installation: { id: 12345678, node_id: 'MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uMTIzNDU2Nzg=' },
});

function pullRequest(number: number, name = 'recon') {
  const repo = repository(name);
  return {
    url: `https://api.github.com/repos/chainguard-dev/${name}/pulls/${number}`,
    id: 1800000000 + number,
    node_id: 'PR_kwDOJjXxxx',
    html_url: `https://github.com/chainguard-dev/${name}/pull/${number}`,
    number,
    state: 'open',
    locked: false,
    title: 'Add the resync sharder',
    user: sender,
    body: 'Spreads resyncs over the period.',
    draft: false,
    head: { label: 'octocat:resync', ref: 'resync', sha: 'f'.repeat(40), user: sender, repo },
    base: { label: 'chainguard-dev:main', ref: 'main', sha: 'e'.repeat(40), user: owner, repo },
    merged: false,
    mergeable_state: 'clean',
    commits: 3,
    additions: 120,
    deletions: 4,
    changed_files: 5,
  };
}

function issue(number: number, isPull: boolean) {
  return {
    url: `https://api.github.com/repos/chainguard-dev/recon/issues/${number}`,
    html_url: `https://github.com/chainguard-dev/recon/${isPull ? 'pull' : 'issues'}/${number}`,
    id: 2100000000 + number,
    number,
    title: isPull ? 'Add the resync sharder' : 'Resync bursts at the top of the hour',
    user: sender,
    labels: [{ id: 1, name: 'bug', color: 'd73a4a', default: true }],
    state: 'open',
    comments: 1,
    author_association: 'MEMBER',
    body: 'Seen in production.',
    ...(isPull
      ? {
          pull_request: {
            url: `https://api.github.com/repos/chainguard-dev/recon/pulls/${number}`,
            html_url: `https://github.com/chainguard-dev/recon/pull/${number}`,
            diff_url: `https://github.com/chainguard-dev/recon/pull/${number}.diff`,
            patch_url: `https://github.com/chainguard-dev/recon/pull/${number}.patch`,
            merged_at: null,
          },
        }
      : {}),
  };
}

function checkPullRequests(numbers: number[], name = 'recon') {
  return numbers.map((number) => ({
    url: `https://api.github.com/repos/chainguard-dev/${name}/pulls/${number}`,
    id: 1800000000 + number,
    number,
    head: {
      ref: 'resync',
      sha: 'f'.repeat(40),
      repo: { id: 641234567, url: `https://api.github.com/repos/chainguard-dev/${name}`, name },
    },
    base: {
      ref: 'main',
      sha: 'e'.repeat(40),
      repo: { id: 641234567, url: `https://api.github.com/repos/chainguard-dev/${name}`, name },
    },
  }));
}

export const payloads = {
  pullRequestOpened: (n = 42) => ({
    action: 'opened',
    number: n,
    pull_request: pullRequest(n),
    ...common(),
  }),
  pullRequestSynchronize: (n = 42) => ({
    action: 'synchronize',
    number: n,
    before: 'd'.repeat(40),
    after: 'f'.repeat(40),
    pull_request: pullRequest(n),
    ...common(),
  }),
  reviewSubmitted: (n = 42) => ({
    action: 'submitted',
    review: {
      id: 9000001,
      user: sender,
      body: 'LGTM',
      state: 'approved',
      commit_id: 'f'.repeat(40),
      submitted_at: '2026-01-01T00:00:00Z',
    },
    pull_request: pullRequest(n),
    ...common(),
  }),
  reviewComment: (n = 42) => ({
    action: 'created',
    comment: {
      id: 9100001,
      path: 'src/resync/sharder.ts',
      line: 12,
      body: 'nit: name',
      user: sender,
      commit_id: 'f'.repeat(40),
    },
    pull_request: pullRequest(n),
    ...common(),
  }),
  checkRunCompleted: (numbers = [42]) => ({
    action: 'completed',
    check_run: {
      id: 30000001,
      name: 'lint',
      head_sha: 'f'.repeat(40),
      status: 'completed',
      conclusion: 'failure',
      app: { id: 1, slug: 'recon-ci' },
      check_suite: { id: 31000001, head_branch: 'resync', head_sha: 'f'.repeat(40) },
      pull_requests: checkPullRequests(numbers),
    },
    ...common(),
  }),
  checkSuiteCompleted: (numbers = [42, 43]) => ({
    action: 'completed',
    check_suite: {
      id: 31000001,
      head_branch: 'resync',
      head_sha: 'f'.repeat(40),
      status: 'completed',
      conclusion: 'success',
      app: { id: 1, slug: 'recon-ci' },
      pull_requests: checkPullRequests(numbers),
    },
    ...common(),
  }),
  issueOpened: (n = 7) => ({ action: 'opened', issue: issue(n, false), ...common() }),
  issueComment: (n = 7) => ({
    action: 'created',
    issue: issue(n, false),
    comment: { id: 1, body: '+1', user: sender },
    ...common(),
  }),
  prComment: (n = 42) => ({
    action: 'created',
    issue: issue(n, true),
    comment: { id: 2, body: '/retest', user: sender },
    ...common(),
  }),
  ping: () => ({
    zen: 'Keep it logically awesome.',
    hook_id: 1,
    hook: { type: 'Organization', events: ['*'], active: true },
    ...common(),
  }),
  star: () => ({ action: 'created', starred_at: '2026-01-01T00:00:00Z', ...common() }),
  push: (init: {
    ref?: string;
    before: string;
    after: string;
    name?: string;
    defaultBranch?: string;
  }) => ({
    ref: init.ref ?? 'refs/heads/main',
    before: init.before,
    after: init.after,
    created: /^0+$/.test(init.before),
    deleted: false,
    forced: false,
    base_ref: null,
    compare: `https://github.com/chainguard-dev/${init.name ?? 'recon'}/compare/${init.before.slice(0, 12)}...${init.after.slice(0, 12)}`,
    commits: [
      {
        id: init.after,
        message: 'Update images',
        timestamp: '2026-01-01T00:00:00Z',
        author: { name: 'Octo Cat', email: 'octocat@github.com' },
        added: [],
        removed: [],
        modified: [],
      },
    ],
    head_commit: { id: init.after, message: 'Update images' },
    pusher: { name: 'octocat', email: 'octocat@github.com' },
    ...common(init.name),
    repository: {
      ...repository(init.name ?? 'recon', {
        default_branch: init.defaultBranch ?? 'main',
        master_branch: init.defaultBranch ?? 'main',
      }),
      owner: { ...owner, name: 'chainguard-dev', email: null },
    },
  }),
};

export interface DeliveryInit {
  secret?: string;
  /** Override the computed signature ('' = none). */
  signature?: string;
  delivery?: string;
  contentType?: 'json' | 'form';
}

/** POSTs a delivery the way GitHub does: raw JSON body, signed, with the usual headers. */
export async function deliver(
  url: string,
  event: string,
  payload: unknown,
  init: DeliveryInit = {},
) {
  const json = JSON.stringify(payload);
  const body = init.contentType === 'form' ? `payload=${encodeURIComponent(json)}` : json;
  const headers: Record<string, string> = {
    'content-type':
      init.contentType === 'form' ? 'application/x-www-form-urlencoded' : 'application/json',
    'user-agent': 'GitHub-Hookshot/4f4f4f4',
    'x-github-event': event,
    'x-github-delivery': init.delivery ?? randomUUID(),
    'x-github-hook-id': '123456789',
    'x-github-hook-installation-target-type': 'organization',
  };
  const signature =
    init.signature ?? (init.secret === undefined ? '' : signGithubPayload(init.secret, body));
  if (signature !== '') headers['x-hub-signature-256'] = signature;
  const res = await fetch(url, { method: 'POST', headers, body });
  const text = await res.text();
  return { status: res.status, text, json: () => JSON.parse(text) as Record<string, unknown> };
}
