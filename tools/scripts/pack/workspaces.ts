// The workspace packages of this repository and the @recon packages each one imports.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

export interface WorkspacePackage {
  name: string;
  version: string;
  /** Absolute directory. */
  dir: string;
  /** Directory relative to the repository root, with `/` separators. */
  rel: string;
  manifest: Record<string, unknown>;
}

/** Every workspace package (the root `workspaces` globs are `dir/*`), by name. */
export function readWorkspaces(root: string): Map<string, WorkspacePackage> {
  const rootManifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    workspaces?: string[];
  };
  const found = new Map<string, WorkspacePackage>();
  for (const glob of rootManifest.workspaces ?? []) {
    const parent = join(root, glob.replace(/\/\*$/, ''));
    if (!existsSync(parent)) continue;
    for (const entry of readdirSync(parent, { withFileTypes: true })) {
      const dir = join(parent, entry.name);
      const file = join(dir, 'package.json');
      if (!entry.isDirectory() || !existsSync(file)) continue;
      const manifest = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
      const name = manifest['name'];
      if (typeof name !== 'string') continue;
      found.set(name, {
        name,
        version: typeof manifest['version'] === 'string' ? manifest['version'] : '0.0.0',
        dir,
        rel: relative(root, dir).split('\\').join('/'),
        manifest,
      });
    }
  }
  return found;
}

/** The source files a package publishes: `src/**\/*.ts` without tests and scratch files. */
export function sourceFiles(pkg: WorkspacePackage): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.ts$/.test(entry.name) && !/\.(test|tmp|d)\.ts$/.test(entry.name)) out.push(path);
    }
  };
  if (existsSync(join(pkg.dir, 'src'))) walk(join(pkg.dir, 'src'));
  return out.sort();
}

const specifierPattern =
  /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+|\brequire\s*\(\s*)(['"])([^'"\n]+)\1/g;

/** Bare module specifiers in a source text (static, dynamic and type-only imports). */
export function bareSpecifiers(text: string): string[] {
  const out = new Set<string>();
  for (const m of text.matchAll(specifierPattern)) {
    const spec = m[2] ?? '';
    if (spec.startsWith('.') || spec.startsWith('/') || spec.startsWith('node:')) continue;
    out.add(spec);
  }
  return [...out];
}

/** `@scope/name/sub` → `@scope/name`; `name/sub` → `name`. */
export function packageNameOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier);
}

/** `roots` and every workspace package they import, directly or not. */
export function workspaceClosure(
  roots: readonly string[],
  all: Map<string, WorkspacePackage>,
): WorkspacePackage[] {
  const seen = new Map<string, WorkspacePackage>();
  const visit = (name: string) => {
    if (seen.has(name)) return;
    const pkg = all.get(name);
    if (!pkg) throw new Error(`no workspace package named ${name}`);
    seen.set(name, pkg);
    for (const file of sourceFiles(pkg)) {
      for (const spec of bareSpecifiers(readFileSync(file, 'utf8'))) {
        const dep = packageNameOf(spec);
        if (all.has(dep) && dep !== name) visit(dep);
      }
    }
  };
  for (const root of roots) visit(root);
  return [...seen.values()].sort((a, b) => a.name.localeCompare(b.name));
}
