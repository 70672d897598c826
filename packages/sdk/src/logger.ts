/**
 * Structured JSON logs with Cloud Logging field names (`severity`, `message`, `time`): the
 * platform's logger, re-exported so reconciler authors need only the SDK.
 */
export { createLogger, silentLogger } from '@recon/observability';
export type { LogFields, Logger, LoggerOptions, Severity } from '@recon/observability';
