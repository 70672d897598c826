export * from './config.ts';
export * from './dispatcher.ts';
export * from './error-events.ts';
export * from './grpc-reconciler.ts';
export * from './serve.ts';
