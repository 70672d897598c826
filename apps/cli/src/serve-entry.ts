/**
 * The entry of recon's service images: `node /app/recon.mjs serve <role> [args…]` takes the same
 * argv as `recon serve <role>`, so the container args the Pulumi components pass (`serve <role>`)
 * work unchanged. `recon images push` bundles this file alone — not the whole CLI, whose UI,
 * Pulumi and esbuild parts do not belong in (or run from) a one-file bundle.
 */
import { describeFailure, exitCodes } from './errors.ts';
import { describeServices, serveService } from './commands/serve.ts';

const usage = `usage: recon serve <service> [args...]\n\nServices:\n${describeServices()}\n`;

async function main(argv: string[]): Promise<number> {
  const [command, name, ...args] = argv;
  if (command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(usage);
    return exitCodes.ok;
  }
  if (command !== 'serve' || name === undefined) {
    process.stderr.write(`error: expected \`serve <service>\`, got ${JSON.stringify(argv)}\n`);
    process.stderr.write(usage);
    return exitCodes.usage;
  }
  try {
    await serveService(name, args, {
      env: process.env,
      write: (line) => process.stderr.write(line + '\n'),
    });
    return exitCodes.ok;
  } catch (err) {
    const { code, text } = describeFailure(err, false);
    process.stderr.write(text + '\n');
    return code;
  }
}

const code = await main(process.argv.slice(2));
process.exitCode = code;
// As in bin.ts: whatever is left after a stop (a client's retry timer) must not hold the process.
setTimeout(() => process.exit(code), 1000).unref();
