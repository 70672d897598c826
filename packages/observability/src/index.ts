export * from './dispatch-events.ts';
export * from './logger.ts';
export * from './metric-names.ts';
export * from './ops-server.ts';
export * from './workqueue-metrics.ts';
