export * from './errors.ts';
export * from './key.ts';
export * from './client.ts';
export * from './check-run-text.ts';
export * from './observed-generation.ts';
export * from './rate-limit.ts';
export * from './tree.ts';
