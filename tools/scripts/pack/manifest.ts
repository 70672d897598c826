// The packed copy of a package.json: exports and bin point at the emitted JavaScript, and every
// import is a dependency (workspace packages at their exact version, third-party packages at the
// version installed here).
import { existsSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join } from 'node:path';
import type { WorkspacePackage } from './workspaces.ts';
import { packageNameOf } from './workspaces.ts';

const builtins = new Set(builtinModules);

/** `./src/a/b.ts` → `./dist/a/b.js` (`.d.ts` with `types`). */
export function toDist(path: string, ext: '.js' | '.d.ts'): string {
  return path.replace(/^\.\/src\//, './dist/').replace(/\.ts$/, ext);
}

function rewriteExports(exports: unknown): unknown {
  if (typeof exports === 'string') {
    return exports.endsWith('.ts')
      ? { types: toDist(exports, '.d.ts'), default: toDist(exports, '.js') }
      : exports;
  }
  if (typeof exports !== 'object' || exports === null) return exports;
  return Object.fromEntries(Object.entries(exports).map(([k, v]) => [k, rewriteExports(v)]));
}

/** The version of `name` that `fromDir` resolves, or undefined when it is not installed. */
export function installedVersion(name: string, fromDir: string): string | undefined {
  // Node's lookup order, by hand: `exports` may hide a package's own package.json.
  for (let dir = fromDir; ; dir = dirname(dir)) {
    const file = join(dir, 'node_modules', name, 'package.json');
    if (existsSync(file))
      return (JSON.parse(readFileSync(file, 'utf8')) as { version?: string }).version;
    if (dirname(dir) === dir) return undefined;
  }
}

export interface PackedManifestInput {
  pkg: WorkspacePackage;
  /** Bare specifiers found in the emitted code and declarations. */
  imports: readonly string[];
  workspace: Map<string, WorkspacePackage>;
  /** Where third-party versions are resolved from (the package dir, then the root). */
  resolveFrom: string;
}

export function packedManifest(input: PackedManifestInput): {
  manifest: Record<string, unknown>;
  missing: string[];
} {
  const { pkg } = input;
  const dependencies: Record<string, string> = {};
  const missing: string[] = [];
  for (const spec of input.imports) {
    const name = packageNameOf(spec);
    if (name.startsWith('node:') || builtins.has(name) || name === pkg.name || dependencies[name])
      continue;
    const local = input.workspace.get(name);
    const version = local ? local.version : installedVersion(name, input.resolveFrom);
    if (version) dependencies[name] = version;
    else missing.push(name);
  }
  const {
    scripts: _scripts,
    devDependencies: _dev,
    nx: _nx,
    exports,
    bin,
    main,
    types: _types,
    dependencies: _declared,
    ...rest
  } = pkg.manifest;
  const manifest: Record<string, unknown> = { ...rest };
  if (exports !== undefined) manifest['exports'] = rewriteExports(exports);
  if (typeof main === 'string') manifest['main'] = toDist(main, '.js');
  if (typeof bin === 'string') manifest['bin'] = toDist(bin, '.js');
  else if (bin && typeof bin === 'object') {
    manifest['bin'] = Object.fromEntries(
      Object.entries(bin).map(([k, v]) => [k, typeof v === 'string' ? toDist(v, '.js') : v]),
    );
  }
  manifest['dependencies'] = Object.fromEntries(
    Object.entries(dependencies).sort(([a], [b]) => a.localeCompare(b)),
  );
  manifest['engines'] = { node: '>=22.18' };
  manifest['publishConfig'] = { access: 'public' };
  return { manifest, missing };
}
