export * from './env-reader.ts';
export * from './open-queue.ts';
export * from './queue-config.ts';
export * from './run-service.ts';
