/**
 * CI freshness check for src/gen: regenerates from proto/ into a temporary directory with the
 * same buf template and compares every file both ways. Exits 1, naming the stale files, when
 * src/gen does not match what the .proto files produce. Run as `npm run check:generated`.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const packageDir = dirname(dirname(fileURLToPath(import.meta.url)));
const committed = join(packageDir, 'src/gen');
/** Hand-written files that live beside the generated ones. */
const handWritten = new Set(['README.md']);

function listFiles(root: string): string[] {
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(root, join(entry.parentPath, entry.name)))
    .filter((path) => !handWritten.has(path))
    .sort();
}

const buf = createRequire(import.meta.url).resolve('@bufbuild/buf/bin/buf');
const scratch = mkdtempSync(join(tmpdir(), 'recon-proto-gen-'));
try {
  // `-o` prefixes the template's `out`, so the fresh copy lands in <scratch>/src/gen.
  execFileSync(process.execPath, [buf, 'generate', '-o', scratch], {
    cwd: packageDir,
    stdio: 'inherit',
  });
  const fresh = join(scratch, 'src/gen');
  const paths = new Set([...listFiles(committed), ...listFiles(fresh)]);
  const stale: string[] = [];
  for (const path of [...paths].sort()) {
    let a: Buffer | undefined;
    let b: Buffer | undefined;
    try {
      a = readFileSync(join(committed, path));
    } catch {
      stale.push(`${path} (missing from src/gen)`);
      continue;
    }
    try {
      b = readFileSync(join(fresh, path));
    } catch {
      stale.push(`${path} (no longer generated; delete it)`);
      continue;
    }
    if (!a.equals(b)) stale.push(`${path} (differs)`);
  }
  if (stale.length > 0) {
    console.error(
      `packages/proto/src/gen is stale — run \`npm run generate -w @recon/proto\` and commit:\n  ${stale.join('\n  ')}`,
    );
    process.exitCode = 1;
  } else {
    console.log(`packages/proto/src/gen is up to date (${paths.size} files).`);
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
