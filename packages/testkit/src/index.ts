export { FakeClock } from '@recon/core';
export { MemoryBackend } from '@recon/workqueue-memory';
export * from './harness.ts';
export * from './faults.ts';
