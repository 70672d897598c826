// Every template, rendered, typechecks and passes its own tests against this workspace's
// packages (resolved through a node_modules link to the repository's), without an install.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workspaceRoot } from '../src/commands/init-packages.ts';
import { registrySource } from '../src/commands/init-packages.ts';
import { renderProject, templates, type TemplateName } from '../src/commands/init-templates.ts';
import { tempDir } from './support/run-cli.ts';

const root = workspaceRoot()!;
const names = Object.keys(templates) as TemplateName[];
let dir: string;
let remove: () => Promise<void>;

beforeAll(async () => {
  ({ dir, remove } = await tempDir('recon-templates-'));
  await symlink(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir');
  for (const template of names) {
    const files = await renderProject({
      template,
      name: `t-${template}`,
      deps: registrySource('0.1.0'),
    });
    for (const [path, content] of files) {
      await mkdir(dirname(join(dir, template, path)), { recursive: true });
      await writeFile(join(dir, template, path), content);
    }
  }
});
afterAll(() => remove());

describe('project templates', () => {
  it('render with every variable filled', async () => {
    for (const template of names) {
      const files = await renderProject({ template, name: 'x', deps: registrySource('0.1.0') });
      for (const [path, content] of files)
        expect([path, /\{\{/.test(content)]).toEqual([path, false]);
    }
  });

  it('typecheck: reconciler, tests and Pulumi program', () => {
    const rootNames = names.flatMap((t) =>
      ['src/reconciler.ts', 'src/serve.ts', 'test/reconciler.test.ts', 'infra/index.ts'].map((f) =>
        join(dir, t, f),
      ),
    );
    const parsed = ts.getParsedCommandLineOfConfigFile(
      join(dir, 'basic', 'tsconfig.json'),
      {},
      {
        ...ts.sys,
        onUnRecoverableConfigFileDiagnostic: (d) => {
          throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
        },
      },
    );
    const program = ts.createProgram({ rootNames, options: parsed!.options });
    const problems = ts.getPreEmitDiagnostics(program).map((d) =>
      ts.formatDiagnostic(d, {
        getCanonicalFileName: (f) => f,
        getCurrentDirectory: () => dir,
        getNewLine: () => '\n',
      }),
    );
    expect(problems).toEqual([]);
  }, 120_000);

  it('pass their own tests', () => {
    const vitest = join(root, 'node_modules', 'vitest', 'vitest.mjs');
    const output = join(dir, 'report.json');
    const run = spawnSync(
      process.execPath,
      [vitest, 'run', '--root', dir, '--reporter=json', `--outputFile=${output}`],
      {
        cwd: dir,
        encoding: 'utf8',
        timeout: 120_000,
        env: { ...process.env, FORCE_COLOR: undefined, NO_COLOR: '1' },
      },
    );
    expect(run.status, run.stderr).toBe(0);
    const report = JSON.parse(readFileSync(output, 'utf8')) as {
      numPassedTests: number;
      numFailedTests: number;
      testResults: Array<{ name: string; status: string }>;
    };
    expect(report.testResults.map((r) => [r.name.replace(dir, ''), r.status]).sort()).toEqual(
      names.map((t) => [`/${t}/test/reconciler.test.ts`, 'passed']).sort(),
    );
    expect(report.numFailedTests).toBe(0);
    expect(report.numPassedTests).toBe(names.length * 4);
  }, 120_000);
});
