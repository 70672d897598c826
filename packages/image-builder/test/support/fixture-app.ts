// A small TypeScript app on disk: a local module, and a CommonJS dependency that uses `require`
// and `__dirname`, which only work in an ESM bundle thanks to bundleEntry's banner and defines.
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface FixtureApp {
  readonly dir: string;
  readonly entry: string;
}

export async function writeFixtureApp(dir: string, message: string): Promise<FixtureApp> {
  const dep = path.join(dir, 'node_modules', 'cjs-dep');
  await mkdir(dep, { recursive: true });
  await writeFile(
    path.join(dep, 'package.json'),
    JSON.stringify({ name: 'cjs-dep', version: '1.0.0', main: 'index.js' }),
  );
  await writeFile(
    path.join(dep, 'index.js'),
    [
      "const path = require('path');",
      'exports.shout = (s) => s.toUpperCase();',
      'exports.where = () => path.basename(__filename);',
      '',
    ].join('\n'),
  );
  await writeFile(
    path.join(dir, 'greet.ts'),
    [
      'export interface Greeting { readonly text: string }',
      `export const greeting: Greeting = { text: ${JSON.stringify(message)} };`,
      '',
    ].join('\n'),
  );
  await writeFile(
    path.join(dir, 'main.ts'),
    [
      "import dep from 'cjs-dep';",
      "import { greeting } from './greet.ts';",
      'const parts: string[] = [dep.shout(greeting.text), dep.where()];',
      "console.log(parts.join(' '));",
      '',
    ].join('\n'),
  );
  return { dir, entry: path.join(dir, 'main.ts') };
}

export async function tempFixtureApp(message: string): Promise<FixtureApp> {
  return writeFixtureApp(await mkdtemp(path.join(tmpdir(), 'image-builder-app-')), message);
}
