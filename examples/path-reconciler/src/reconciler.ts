/**
 * The entry `recon dev --reconciler` (and a deployment) loads: the only file that reads the
 * environment. The reconciler takes its Octokit from a factory, so tests inject one.
 *
 *   GITHUB_API_URL=http://127.0.0.1:3001 npx recon dev --reconciler examples/path-reconciler/src/reconciler.ts
 */
import { createGithubClient } from '@recon/github';
import { parsePathReconcilerConfig } from './config.ts';
import { createPathReconciler } from './path-reconciler.ts';
import { validateServiceConfig } from './service-config.ts';

const config = parsePathReconcilerConfig(process.env);

export default createPathReconciler({
  patterns: config.patterns,
  validate: validateServiceConfig,
  checkName: config.checkName,
  revisitMs: config.revisitMs,
  ...(config.repository ? { repository: config.repository } : {}),
  octokit: () =>
    createGithubClient({
      baseUrl: config.githubApiUrl,
      ...(config.githubToken ? { token: config.githubToken } : {}),
    }),
});
