export * from './job.ts';
export * from './reenqueue.ts';
