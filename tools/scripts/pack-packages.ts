// Packs recon's workspace packages as installable npm tarballs: `npm run pack:packages`.
//
// Our package.json `exports` point at TypeScript sources, which Node refuses to run from
// node_modules. So each package (and every workspace package it imports) is compiled once with
// tsc into JavaScript plus declarations, staged with a package.json whose exports, bin and
// dependencies point at that output, and packed with `npm pack`. The tarballs are exactly what
// would be published:
//
//   npm run pack:packages                         # → dist/packages/*.tgz + packages.json
//   npm run pack:packages -- --out /tmp/pkgs @recon/sdk
//   npm run pack:packages -- --publish [--dry-run] # then `npm publish` each, dependencies first
//
// `recon init` points a new project's dependencies at these tarballs until they are published.
import { execFileSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { compileSources } from './pack/compile.ts';
import { packedManifest } from './pack/manifest.ts';
import {
  bareSpecifiers,
  readWorkspaces,
  sourceFiles,
  workspaceClosure,
  type WorkspacePackage,
} from './pack/workspaces.ts';

/** What a scaffolded project depends on; their closure is packed. */
const defaultRoots = [
  '@recon/sdk',
  '@recon/testkit',
  '@recon/github',
  '@recon/pulumi-gcp',
  '@recon/cli',
];

/** Top-level files and folders a package reads at run time or shows to users. */
const assetNames = /^(README|LICENSE|CHANGELOG)(\..*)?$|^(templates|static)$/i;

const root = resolve(import.meta.dirname, '..', '..');
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    out: { type: 'string', default: join(root, 'dist', 'packages') },
    publish: { type: 'boolean', default: false },
    'dry-run': { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});
if (values.help) {
  process.stdout.write(
    'usage: node tools/scripts/pack-packages.ts [--out DIR] [--publish [--dry-run]] [@recon/name ...]\n',
  );
  process.exit(0);
}
const outDir = resolve(values.out);
const log = (line: string) => process.stderr.write(line + '\n');

const workspace = readWorkspaces(root);
const packages = workspaceClosure(positionals.length ? positionals : defaultRoots, workspace);
log(`packing ${packages.length} packages: ${packages.map((p) => p.name).join(', ')}`);

const work = mkdtempSync(join(tmpdir(), 'recon-pack-'));
try {
  const started = Date.now();
  const { problems } = compileSources(root, packages.flatMap(sourceFiles), join(work, 'emit'));
  log(
    `compiled in ${((Date.now() - started) / 1000).toFixed(1)} s` +
      (problems.length ? ` (${problems.length} type diagnostics; emitted anyway)` : ''),
  );
  for (const p of problems.slice(0, 10)) log(`  ${p.split('\n')[0]}`);

  const staged = packages.map((pkg) =>
    stage(
      pkg,
      join(work, 'emit', pkg.rel, 'src'),
      join(work, 'stage', pkg.name.replace('/', '__')),
    ),
  );
  mkdirSync(outDir, { recursive: true });
  removePreviousTarballs(outDir);
  const packed = JSON.parse(
    execFileSync('npm', ['pack', ...staged, '--pack-destination', outDir, '--json', '--silent'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    }),
  ) as Array<{ name: string; version: string; filename: string }>;
  const index = Object.fromEntries(
    packed.map((p) => [p.name, { version: p.version, file: p.filename }]),
  );
  writeFileSync(join(outDir, 'packages.json'), JSON.stringify({ packages: index }, null, 2) + '\n');
  log(`wrote ${packed.length} tarballs to ${relative(process.cwd(), outDir) || '.'}`);
  if (values.publish) publish(packages, index);
  else log('publish them with: npm run pack:packages -- --publish');
} finally {
  rmSync(work, { recursive: true, force: true });
}

/** Tarballs an earlier run listed in `packages.json` (and nothing else in the folder). */
function removePreviousTarballs(dir: string): void {
  const index = join(dir, 'packages.json');
  if (!existsSync(index)) return;
  const previous = JSON.parse(readFileSync(index, 'utf8')) as {
    packages?: Record<string, { file?: string }>;
  };
  for (const { file } of Object.values(previous.packages ?? {})) {
    if (file && /^[\w.-]+\.tgz$/.test(file)) rmSync(join(dir, file), { force: true });
  }
}

/** Builds the staged package folder: dist/, assets and the rewritten package.json. */
function stage(pkg: WorkspacePackage, emitted: string, dir: string): string {
  mkdirSync(dir, { recursive: true });
  if (existsSync(emitted)) cpSync(emitted, join(dir, 'dist'), { recursive: true });
  copySrcAssets(join(pkg.dir, 'src'), join(dir, 'dist'));
  for (const entry of readdirSync(pkg.dir)) {
    if (assetNames.test(entry)) cpSync(join(pkg.dir, entry), join(dir, entry), { recursive: true });
  }
  const imports = new Set<string>();
  for (const file of walk(join(dir, 'dist'))) {
    if (file.endsWith('.js')) fixAssetUrls(file);
    if (file.endsWith('.d.ts')) fixDeclarationImports(file);
    if (/\.(js|d\.ts)$/.test(file))
      for (const s of bareSpecifiers(readFileSync(file, 'utf8'))) imports.add(s);
  }
  const { manifest, missing } = packedManifest({
    pkg,
    imports: [...imports].sort(),
    workspace,
    resolveFrom: pkg.dir,
  });
  if (missing.length)
    throw new Error(`${pkg.name} imports packages that are not installed: ${missing.join(', ')}`);
  writeFileSync(join(dir, 'package.json'), JSON.stringify(manifest, null, 2) + '\n');
  return dir;
}

/** `new URL('./runner.ts', import.meta.url)` must name the emitted `.js` file. */
function fixAssetUrls(file: string): void {
  const text = readFileSync(file, 'utf8');
  const fixed = text.replace(/new URL\((['"])(\.{1,2}\/[^'"]+)\.ts\1/g, 'new URL($1$2.js$1');
  if (fixed !== text) writeFileSync(file, fixed);
}

/** Declarations keep the sources' `./x.ts` specifiers; point them at the emitted `./x.js`. */
function fixDeclarationImports(file: string): void {
  const text = readFileSync(file, 'utf8');
  const fixed = text.replace(
    /((?:from|import)\s*\(?\s*)(['"])(\.{1,2}\/[^'"]+?)(?<!\.d)\.ts\2/g,
    '$1$2$3.js$2',
  );
  if (fixed !== text) writeFileSync(file, fixed);
}

function copySrcAssets(src: string, dest: string): void {
  for (const file of walk(src)) {
    if (file.endsWith('.ts')) continue;
    const target = join(dest, relative(src, file));
    mkdirSync(join(target, '..'), { recursive: true });
    cpSync(file, target);
  }
}

function walk(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

/** `npm publish` each tarball, dependencies before their dependents. */
function publish(list: WorkspacePackage[], index: Record<string, { file: string }>): void {
  const order: string[] = [];
  const visit = (name: string, path: string[]) => {
    if (order.includes(name) || path.includes(name)) return;
    const tgz = index[name];
    if (!tgz) return;
    const deps = JSON.parse(
      execFileSync('tar', ['-xzOf', join(outDir, tgz.file), 'package/package.json'], {
        encoding: 'utf8',
      }),
    ) as { dependencies?: Record<string, string> };
    for (const dep of Object.keys(deps.dependencies ?? {})) visit(dep, [...path, name]);
    order.push(name);
  };
  for (const pkg of list) visit(pkg.name, []);
  for (const name of order) {
    const file = join(outDir, index[name]?.file ?? '');
    log(`npm publish ${relative(process.cwd(), file)}${values['dry-run'] ? ' --dry-run' : ''}`);
    execFileSync(
      'npm',
      ['publish', file, '--access', 'public', ...(values['dry-run'] ? ['--dry-run'] : [])],
      {
        stdio: 'inherit',
      },
    );
  }
}
