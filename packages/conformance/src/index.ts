export { runConformanceSuite } from './suite.ts';
export { conformanceOptions, listLimit } from './factory.ts';
export type { ConformanceContext, ConformanceFactory } from './factory.ts';
