export * from './fake-github-api.ts';
export { FakePullRequests } from './fake-pull-requests.ts';
export { gitBlobSha } from './fake-github-state.ts';
export type { FakeCheckRun, FakePullRequest } from './fake-github-state.ts';
