import { Command, CommanderError } from 'commander';
import type { CliContext } from './context.ts';
import { describeFailure, exitCodes } from './errors.ts';
import { registerDev } from './commands/dev.ts';
import { registerServe } from './commands/serve.ts';
import { registerEnqueue } from './commands/enqueue.ts';
import { registerQueue } from './commands/queue.ts';
import { registerDlq } from './commands/dlq.ts';
import { registerInit } from './commands/init.ts';
import { registerDeploy } from './commands/deploy.ts';
import { registerImages } from './commands/images.ts';
import { registerUi } from './commands/ui.ts';

/** Every command registers itself on the program; a new one is one line here. */
const registrations: Array<(program: Command, ctx: CliContext) => void> = [
  registerDev,
  registerServe,
  registerEnqueue,
  registerQueue,
  registerDlq,
  registerInit,
  registerDeploy,
  registerImages,
  registerUi,
];

/** Builds the whole program; tests run it in-process with their own context. */
export function buildProgram(ctx: CliContext): Command {
  const program = new Command('recon')
    .description('Level-based reconcilers on Google Cloud: queues, services, SDK and deploys.')
    .option('--verbose', 'print stack traces with errors')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({ writeOut: ctx.stdout, writeErr: ctx.stderr });
  for (const register of registrations) register(program, ctx);
  return program;
}

/** Runs argv (without node and script) and resolves the exit code. Never throws. */
export async function runCli(argv: string[], ctx: CliContext): Promise<number> {
  const program = buildProgram(ctx);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCodes.ok;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version exit 0; every parse problem is a usage error.
      return err.exitCode === 0 ? exitCodes.ok : exitCodes.usage;
    }
    const verbose = argv.includes('--verbose');
    const { code, text } = describeFailure(err, verbose);
    ctx.stderr(text + '\n');
    return code;
  }
}
