/**
 * The entry `recon dev --reconciler` (and a deployment) loads: the only file that reads the
 * environment. Everything else takes its Octokit from a factory, so tests inject one.
 *
 *   GITHUB_API_URL=http://127.0.0.1:3000 npx recon dev --reconciler examples/pr-reconciler/src/reconciler.ts
 */
import { createGithubClient } from '@recon/github';
import { parsePrReconcilerConfig } from './config.ts';
import { createPrReconciler } from './pr-reconciler.ts';

const config = parsePrReconcilerConfig(process.env);

export default createPrReconciler({
  checkName: config.checkName,
  octokit: () =>
    createGithubClient({
      baseUrl: config.githubApiUrl,
      ...(config.githubToken ? { token: config.githubToken } : {}),
    }),
});
