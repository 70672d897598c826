/**
 * A local GitHub for trying the reconciler under `recon dev` without touching github.com:
 * FakeGithubApi (which serves pull requests, labels and check runs), seeded with two PRs of
 * `acme/widgets`.
 *
 *   npx node examples/pr-reconciler/test/support/serve-fake-github.ts        # PORT=3000 by default
 *   GITHUB_API_URL=http://127.0.0.1:3000 npx recon dev --reconciler examples/pr-reconciler/src/reconciler.ts
 *   npx recon enqueue https://github.com/acme/widgets/pull/1 https://github.com/acme/widgets/pull/2
 *
 * It prints every request it answers, and the PRs' labels and checks when they change.
 */
import { FakeGithubApi } from '@recon/github/testing';

const api = await FakeGithubApi.start({
  port: Number(process.env['PORT'] ?? 3000),
  onRequest: (r) => process.stdout.write(`${r.method} ${r.path}\n`),
});
api.addRepo('acme', 'widgets');
api.pulls.open('acme', 'widgets', { number: 1, title: 'feat(api)!: add widgets' });
api.pulls.open('acme', 'widgets', {
  number: 2,
  title: 'Update the readme',
  labels: ['type: docs'],
});

process.stdout.write(
  [
    `fake GitHub API on ${api.url} (acme/widgets, pull requests 1 and 2)`,
    `  GITHUB_API_URL=${api.url} npx recon dev --reconciler examples/pr-reconciler/src/reconciler.ts`,
    '  npx recon enqueue https://github.com/acme/widgets/pull/1 https://github.com/acme/widgets/pull/2',
    '',
  ].join('\n'),
);

let lastState = '';
const timer = setInterval(() => {
  const state = [1, 2]
    .map((n) => {
      const pr = api.pulls.get('acme', 'widgets', n);
      const check = api.checkRuns('acme', 'widgets').find((c) => c.head_sha === pr.headSha);
      return `#${n} ${JSON.stringify(pr.title)} labels=${JSON.stringify(pr.labels)} check=${check?.conclusion ?? 'none'}`;
    })
    .join('\n');
  if (state !== lastState) process.stdout.write(`${state}\n`);
  lastState = state;
}, 500);

const stop = () => {
  clearInterval(timer);
  void api.close();
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
