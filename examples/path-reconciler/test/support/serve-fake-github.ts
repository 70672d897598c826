/**
 * A local GitHub for trying the reconciler under `recon dev` without touching github.com:
 * FakeGithubApi (which serves file contents, refs and check runs), with `acme/service-configs`
 * seeded on `main` (one valid and one invalid service config, and a README no pattern matches).
 *
 *   npx node examples/path-reconciler/test/support/serve-fake-github.ts      # PORT=3001 by default
 *   GITHUB_API_URL=http://127.0.0.1:3001 npx recon dev --reconciler examples/path-reconciler/src/reconciler.ts
 *   npx recon enqueue https://github.com/acme/service-configs/blob/main/services/checkout.json \
 *                     https://github.com/acme/service-configs/blob/main/services/search.json
 *
 * It prints every request it answers, and each check run when it changes.
 */
import { FakeGithubApi } from '@recon/github/testing';

const api = await FakeGithubApi.start({
  port: Number(process.env['PORT'] ?? 3001),
  onRequest: (r) => process.stdout.write(`${r.method} ${r.path}\n`),
});
api.addRepo('acme', 'service-configs');
const config = (doc: unknown) => JSON.stringify(doc, null, 2) + '\n';
api.commit(
  'acme',
  'service-configs',
  {
    'services/checkout.json': config({
      name: 'checkout',
      owner: 'team-payments',
      replicas: 3,
      image: 'ghcr.io/acme/checkout:1.4.2',
    }),
    'services/search.json': config({
      name: 'search',
      replicas: 0,
      image: 'ghcr.io/acme/search:latest',
    }),
    'README.md': '# service configs\n',
  },
  { branch: 'main' },
);

const base = 'https://github.com/acme/service-configs/blob/main/services';
process.stdout.write(
  [
    `fake GitHub API on ${api.url} (acme/service-configs: services/checkout.json, services/search.json)`,
    `  GITHUB_API_URL=${api.url} npx recon dev --reconciler examples/path-reconciler/src/reconciler.ts`,
    `  npx recon enqueue ${base}/checkout.json ${base}/search.json`,
    '',
  ].join('\n'),
);

const seen = new Map<number, string>();
const timer = setInterval(() => {
  for (const run of api.checkRuns('acme', 'service-configs')) {
    const line = `check ${JSON.stringify(run.name)} ${run.status} ${run.conclusion ?? ''} ${run.output.title ?? ''}`;
    if (seen.get(run.id) !== line) process.stdout.write(`${line}\n`);
    seen.set(run.id, line);
  }
}, 500);

const stop = () => {
  clearInterval(timer);
  void api.close();
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
