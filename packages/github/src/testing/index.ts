export * from './fake-github-api.ts';
export { gitBlobSha } from './fake-github-state.ts';
export type { FakeCheckRun } from './fake-github-state.ts';
