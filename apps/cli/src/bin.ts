#!/usr/bin/env node
import { processContext } from './context.ts';
import { runCli } from './program.ts';

const code = await runCli(process.argv.slice(2), processContext());
process.exitCode = code;
// Output is flushed by now or within a moment; whatever else is left (a storage client's retry
// timer after a stopped service) must not keep the process alive past its stop.
setTimeout(() => process.exit(code), 1000).unref();
