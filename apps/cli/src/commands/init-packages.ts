/**
 * Where a scaffolded project's @recon dependencies come from. Until our packages are published,
 * a project made from this repository's checkout installs them from tarballs packed here
 * (`npm run pack:packages`, tools/scripts/pack-packages.ts): `file:` dependencies, plus npm
 * `overrides` so the packages' own @recon dependencies resolve to the tarballs too. Once
 * published, `--no-link-workspace` writes plain version ranges instead.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { CommandError } from '../errors.ts';

/** How the project names each @recon package it depends on. */
export interface DependencySource {
  /** `file:/…/recon-sdk-0.1.0.tgz` or `^0.1.0`. */
  spec(name: string): string;
  /** npm `overrides` for package.json (every packed package), or none. */
  overrides: Record<string, string> | undefined;
  /** For humans: where the packages come from. */
  description: string;
}

/** The recon repository this CLI runs from, when it runs from a checkout (not an install). */
export function workspaceRoot(from: string = fileURLToPath(import.meta.url)): string | undefined {
  if (from.split(/[\\/]/).includes('node_modules')) return undefined;
  for (let dir = dirname(from); dirname(dir) !== dir; dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (!existsSync(file)) continue;
    try {
      const manifest = JSON.parse(readFileSync(file, 'utf8')) as {
        name?: string;
        workspaces?: unknown;
      };
      if (manifest.name === 'recon' && Array.isArray(manifest.workspaces)) return dir;
    } catch {
      // not ours
    }
  }
  return undefined;
}

/** This CLI's version: what published @recon packages a new project asks for. */
export function cliVersion(): string {
  const manifest = JSON.parse(
    readFileSync(new URL('../../package.json', import.meta.url), 'utf8'),
  ) as { version?: string };
  return manifest.version ?? '0.1.0';
}

export function registrySource(version: string = cliVersion()): DependencySource {
  return { spec: () => `^${version}`, overrides: undefined, description: 'the npm registry' };
}

interface PackedIndex {
  packages: Record<string, { version: string; file: string }>;
}

/**
 * The tarballs in `packagesDir`, packed first when any of `needed` is missing. Packing needs
 * the repository (`root`); it takes about half a minute.
 */
export async function tarballSource(options: {
  packagesDir: string;
  needed: readonly string[];
  root: string | undefined;
  write: (line: string) => void;
}): Promise<DependencySource> {
  const dir = resolve(options.packagesDir);
  let index = await readIndex(dir);
  const missing = options.needed.filter((n) => !index?.packages[n]);
  if (missing.length) {
    if (!options.root) {
      throw new CommandError(
        `no packed ${missing.join(', ')} in ${dir}: run \`npm run pack:packages\` in the recon repository`,
      );
    }
    options.write(
      `packing recon's packages into ${dir} (once; refresh with \`npm run pack:packages\`)…`,
    );
    await runPacker(options.root, dir, options.write);
    index = await readIndex(dir);
  } else {
    const packed = (await stat(join(dir, 'packages.json'))).mtime;
    options.write(
      `using recon's packages packed into ${dir} at ${packed.toISOString()} (refresh with \`npm run pack:packages\`)`,
    );
  }
  const packages = index?.packages ?? {};
  const stillMissing = options.needed.filter((n) => !packages[n]);
  if (stillMissing.length)
    throw new CommandError(`packing did not produce ${stillMissing.join(', ')} in ${dir}`);
  const specOf = (name: string) => `file:${join(dir, packages[name]?.file ?? '')}`;
  return {
    spec: (name) => {
      if (!packages[name]) throw new CommandError(`no packed ${name} in ${dir}`);
      return specOf(name);
    },
    overrides: Object.fromEntries(
      Object.keys(packages)
        .sort()
        .map((n) => [n, specOf(n)]),
    ),
    description: `tarballs packed from this checkout in ${dir}`,
  };
}

async function readIndex(dir: string): Promise<PackedIndex | undefined> {
  try {
    const index = JSON.parse(await readFile(join(dir, 'packages.json'), 'utf8')) as PackedIndex;
    const complete = Object.values(index.packages).every((p) => existsSync(join(dir, p.file)));
    return complete ? index : undefined;
  } catch {
    return undefined;
  }
}

async function runPacker(root: string, out: string, write: (line: string) => void): Promise<void> {
  const script = join(root, 'tools', 'scripts', 'pack-packages.ts');
  const child = spawn(process.execPath, [script, '--out', out], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  createInterface({ input: child.stderr }).on('line', (line) => write(`  ${line}`));
  const code = await new Promise<number | null>((resolveExit, reject) => {
    child.once('error', reject);
    child.once('exit', resolveExit);
  });
  if (code !== 0)
    throw new CommandError(
      `packing recon's packages failed (exit ${code}); run \`npm run pack:packages\` to see why`,
    );
}
