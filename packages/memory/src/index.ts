export { MemoryBackend, createMemoryBackend } from './memory-backend.ts';
export type { MemoryBackendOptions } from './memory-backend.ts';
