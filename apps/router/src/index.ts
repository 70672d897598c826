export { fnv1a32, shardIndex } from './fnv1a.ts';
export { startRouter, type Router, type RouterOptions } from './router.ts';
export { parseRouterConfig, type RouterConfig } from './config.ts';
export { serveRouterFromEnv } from './serve-from-env.ts';
