import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { BundleError, bundleEntry, ImageInputError } from '../src/index.ts';
import { tempFixtureApp } from './support/fixture-app.ts';

const run = promisify(execFile);
const dirs: string[] = [];

afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

async function app(message: string): Promise<string> {
  const fixture = await tempFixtureApp(message);
  dirs.push(fixture.dir);
  return fixture.entry;
}

describe('bundleEntry', () => {
  it('bundles TS and a CommonJS dependency into one ESM file that Node runs alone', async () => {
    const entry = await app('hello');
    const out = await mkdtemp(path.join(tmpdir(), 'image-builder-out-'));
    dirs.push(out);
    const bundle = await bundleEntry({ entry, outDir: out });

    expect(bundle.fileName).toBe('main.mjs');
    expect(bundle.path).toBe(path.join(out, 'main.mjs'));
    expect(bundle.inputs).toEqual(['greet.ts', 'main.ts', 'node_modules/cjs-dep/index.js']);
    expect(Buffer.from(await readFile(bundle.path!)).equals(Buffer.from(bundle.contents))).toBe(
      true,
    );
    // Run from a directory with no node_modules: everything must be inside the bundle.
    const { stdout } = await run(process.execPath, [bundle.path!], { cwd: out });
    expect(stdout.trim()).toBe('HELLO main.mjs');
  });

  it('gives identical bytes for the same tree checked out in different places', async () => {
    const [a, b] = await Promise.all([
      bundleEntry({ entry: await app('same') }),
      bundleEntry({ entry: await app('same') }),
    ]);
    expect(Buffer.from(a.contents).equals(Buffer.from(b.contents))).toBe(true);
    expect(Buffer.from(a.contents).toString()).not.toContain(tmpdir());
  });

  it('changes when the source changes', async () => {
    const a = await bundleEntry({ entry: await app('one') });
    const b = await bundleEntry({ entry: await app('two') });
    expect(Buffer.from(a.contents).equals(Buffer.from(b.contents))).toBe(false);
  });

  it('leaves externals as imports and honours fileName', async () => {
    const bundle = await bundleEntry({
      entry: await app('x'),
      external: ['cjs-dep'],
      fileName: 'server.mjs',
    });
    expect(bundle.fileName).toBe('server.mjs');
    expect(bundle.inputs).not.toContain('node_modules/cjs-dep/index.js');
    expect(Buffer.from(bundle.contents).toString()).toMatch(/from "cjs-dep"/);
  });

  it('reports esbuild errors as BundleError with locations', async () => {
    const entry = await app('broken');
    await writeFile(entry, "import { nope } from './missing.ts';\nconsole.log(nope);\n");
    const err = await bundleEntry({ entry }).catch((e: unknown) => e);
    expect(BundleError.is(err)).toBe(true);
    expect((err as BundleError).messages.join('\n')).toMatch(/main\.ts:1:\d+: Could not resolve/);
  });

  it('rejects a file name with a directory', async () => {
    const err = await bundleEntry({ entry: await app('x'), fileName: '../x.mjs' }).catch(
      (e: unknown) => e,
    );
    expect(ImageInputError.is(err) && err.field).toBe('fileName');
  });
});
