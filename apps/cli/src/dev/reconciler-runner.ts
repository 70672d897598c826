// Child process of `recon dev --reconciler FILE`: loads the user's reconciler and serves it over
// gRPC exactly as production does. Node's --watch restarts it when the file or its imports change.
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { serve } from '@recon/sdk';

const [file, portText] = process.argv.slice(2);
if (!file) {
  process.stderr.write('usage: reconciler-runner.ts FILE PORT\n');
  process.exit(2);
}
const mod = (await import(pathToFileURL(resolve(file)).href)) as Record<string, unknown>;
const exported = mod['default'] ?? mod['reconciler'];
if (typeof exported !== 'function' && (typeof exported !== 'object' || exported === null)) {
  process.stderr.write(
    `${file} must export a reconciler: \`export default reconciler(async (key, ctx) => done())\`\n`,
  );
  process.exit(2);
}
const served = await serve(exported as Parameters<typeof serve>[0], {
  port: Number(portText ?? 0),
  host: '127.0.0.1',
  handleSignals: true,
});
process.stdout.write(`reconciler listening on 127.0.0.1:${served.port}\n`);
