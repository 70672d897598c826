// Runs every project's tests through Nx, then prints one summary line that CI and people can read:
// "tests: N passed, N failed" (plus skipped), summed from each project's vitest JSON report.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..', '..');
const reports = join(root, 'reports', 'tests');
rmSync(reports, { recursive: true, force: true });
mkdirSync(reports, { recursive: true });

const extra = process.argv.slice(2);
const nx = spawnSync('npx', ['nx', 'run-many', '-t', 'test', '--outputStyle=stream', ...extra], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, NX_NO_CLOUD: 'true', NX_DAEMON: process.env.NX_DAEMON ?? 'false' },
});

// The soak audit's self-test lives outside the workspaces (tools/soak is a script, not a package).
const soakSelfTest = spawnSync(
  'npx',
  [
    'vitest',
    'run',
    '--root',
    'tools/soak',
    '--reporter=default',
    '--reporter=json',
    '--outputFile.json=../../reports/tests/soak-audit.json',
  ],
  { cwd: root, stdio: 'inherit', env: process.env },
);

interface VitestJson {
  numPassedTests?: number;
  numFailedTests?: number;
  numPendingTests?: number;
  numTodoTests?: number;
}

let passed = 0;
let failed = 0;
let skipped = 0;
const perProject: string[] = [];
for (const file of readdirSync(reports)
  .filter((f) => f.endsWith('.json'))
  .sort()) {
  const r = JSON.parse(readFileSync(join(reports, file), 'utf8')) as VitestJson;
  passed += r.numPassedTests ?? 0;
  failed += r.numFailedTests ?? 0;
  skipped += (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
  perProject.push(
    `  ${file.replace(/\.json$/, '').padEnd(20)} ${r.numPassedTests ?? 0} passed, ${r.numFailedTests ?? 0} failed`,
  );
}
console.log(`\nper project:\n${perProject.join('\n')}`);
// A failing Nx run with no failed test counted (a crash, a type error at import) still fails.
if ((nx.status !== 0 || soakSelfTest.status !== 0) && failed === 0) failed = 1;
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(nx.status === 0 && soakSelfTest.status === 0 && failed === 0 ? 0 : 1);
