// Entry of the standalone emulator: `node src/main.ts --port 0`. The one place that maps
// errors to exit codes.

import { runGcsEmulatorCli, CLI_USAGE } from './cli.ts';
import { CliUsageError } from './errors.ts';

// Persistence is one temp-file write and one rename per operation, all on libuv's thread pool;
// its default of 4 threads caps throughput when the disk is slow. Takes effect because nothing
// has used the pool yet.
process.env['UV_THREADPOOL_SIZE'] ??= '16';

try {
  await runGcsEmulatorCli(process.argv.slice(2), process.env);
} catch (err) {
  if (CliUsageError.is(err)) {
    process.stderr.write(`${err.message}\n${CLI_USAGE}\n`);
    process.exitCode = 2;
  } else {
    process.stderr.write(
      `gcs-emulator: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    );
    process.exitCode = 1;
  }
}
