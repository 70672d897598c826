// @recon/gcs-emulator: a GCS JSON API emulator for @google-cloud/storage — persistence,
// preconditions, notifications, operation counters and fault injection.

export { startGcsEmulator } from './emulator.ts';
export type { GcsEmulator, GcsEmulatorOptions } from './emulator.ts';
export type { FaultOptions } from './faults.ts';
export type { NotifyOptions, NotificationEventType } from './notifications.ts';
export type { OperationCounters, OperationName } from './counters.ts';
export { CliUsageError, InvalidOptionError } from './errors.ts';
export { crc32c, crc32cBase64 } from './crc32c.ts';
export { CLI_USAGE, parseCliArgs, runGcsEmulatorCli } from './cli.ts';
export type { CliConfig, CliIo } from './cli.ts';
export { benchEmulator } from './bench.ts';
export type { BenchOptions, BenchResult, PhaseResult } from './bench.ts';
