export { createUiHandler } from './server/handler.ts';
export type { UiHandler } from './server/handler.ts';
export { startUi } from './server/start-ui.ts';
export type { StartUiOptions, UiServer } from './server/start-ui.ts';
export type { UiHandlerOptions } from './server/options.ts';
export type { UiQueue } from './server/actions.ts';
export { explainKey, runNowCheck } from './server/explain-key.ts';
export type {
  ExplainContext,
  Explanation,
  KeyCondition,
  KeyCopies,
  Reason,
  ReasonCode,
} from './server/explain-key.ts';
export {
  countersFromRegistries,
  countersFromUrls,
  parsePrometheusCounters,
} from './server/counters.ts';
export type { CounterSource, MetricsText, RateCounters } from './server/counters.ts';
export type { Overview } from './server/overview.ts';
export type { SeriesPoint } from './server/series.ts';
export { parseUiConfig } from './config.ts';
export type { UiConfig } from './config.ts';
export { serveUiFromEnv } from './serve.ts';
