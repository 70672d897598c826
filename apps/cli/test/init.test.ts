import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { reconPackagesFor, toolVersions } from '../src/commands/init-templates.ts';
import { workspaceRoot } from '../src/commands/init-packages.ts';
import { cli, tempDir } from './support/run-cli.ts';

let dir: string;
let remove: () => Promise<void>;
beforeEach(async () => ({ dir, remove } = await tempDir()));
afterEach(() => remove());

const readJson = async (path: string) =>
  JSON.parse(await readFile(path, 'utf8')) as Record<string, any>;

describe('recon init', () => {
  it('has help listing the templates, with an example', async () => {
    const r = await cli(['init', '--help'], { cwd: dir });
    expect(r.code).toBe(0);
    for (const t of ['basic', 'github-pr', 'github-path', 'cloudevents'])
      expect(r.stdout).toMatch(new RegExp(`^  ${t} `, 'm'));
    expect(r.stdout).toContain('Examples:\n  recon init my-reconciler');
  });

  it('scaffolds a project that depends on published packages with --no-link-workspace', async () => {
    const r = await cli(['init', 'My Reconciler', '--no-link-workspace', '--json'], { cwd: dir });
    expect(r.code).toBe(0);
    const doc = r.json<{ name: string; template: string; files: string[]; dependencies: string }>();
    expect(doc).toMatchObject({
      name: 'my-reconciler',
      template: 'basic',
      dependencies: 'the npm registry',
    });
    expect(doc.files).toEqual([
      '.gitignore',
      'README.md',
      'infra/Pulumi.yaml',
      'infra/index.ts',
      'infra/package.json',
      'infra/tsconfig.json',
      'package.json',
      'recon.config.json',
      'src/reconciler.ts',
      'src/serve.ts',
      'test/reconciler.test.ts',
      'tsconfig.json',
    ]);
    const project = join(dir, 'My Reconciler');
    const manifest = await readJson(join(project, 'package.json'));
    expect(manifest).toMatchObject({
      name: 'my-reconciler',
      type: 'module',
      scripts: { test: 'vitest run', dev: 'recon dev' },
      dependencies: { '@recon/sdk': '^0.1.0' },
      devDependencies: {
        '@recon/testkit': '^0.1.0',
        '@recon/cli': '^0.1.0',
        vitest: toolVersions.vitest,
      },
    });
    expect(manifest['overrides']).toBeUndefined();
    expect(await readJson(join(project, 'recon.config.json'))).toEqual({
      reconciler: 'src/reconciler.ts',
      infra: 'infra',
      stacks: ['dev'],
      queues: { local: {} },
      deploy: { serve: 'src/serve.ts' },
    });
    const source = await readFile(join(project, 'src/reconciler.ts'), 'utf8');
    expect(source).toContain("from '@recon/sdk'");
    expect(source).toContain("{ name: 'my-reconciler' }");
    expect(await readFile(join(project, 'infra/index.ts'), 'utf8')).toContain(
      "new RegionalReconciler('my-reconciler'",
    );
    expect(await readFile(join(project, 'README.md'), 'utf8')).toContain('npx recon enqueue hello');
  });

  it('prints next steps for humans', async () => {
    const r = await cli(['init', 'p', '--no-link-workspace', '--template', 'github-pr'], {
      cwd: dir,
    });
    expect(r.stdout).toContain('created p (template github-pr) in p');
    expect(r.stdout).toContain('  cd p\n  npm install\n  npm test\n');
    expect(r.stdout).toContain('npx recon enqueue https://github.com/OWNER/REPO/pull/1');
    expect((await readJson(join(dir, 'p', 'package.json')))['dependencies']).toHaveProperty(
      '@recon/github',
    );
  });

  it('refuses a non-empty directory unless --force', async () => {
    await mkdir(join(dir, 'taken'));
    await writeFile(join(dir, 'taken', 'notes.txt'), 'mine');
    const r = await cli(['init', 'taken', '--no-link-workspace'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      'error: taken is not empty (1 entries): choose an empty or new directory, or pass --force to write into it\n',
    );
    expect(existsSync(join(dir, 'taken', 'package.json'))).toBe(false);
    const forced = await cli(['init', 'taken', '--no-link-workspace', '--force'], { cwd: dir });
    expect(forced.code).toBe(0);
    expect(await readFile(join(dir, 'taken', 'notes.txt'), 'utf8')).toBe('mine');
    expect(existsSync(join(dir, 'taken', 'package.json'))).toBe(true);
  });

  it.each([
    [
      ['init', 'x', '--template', 'rust'],
      'error: unknown template "rust"; one of: basic, github-pr, github-path, cloudevents',
    ],
    [['init', 'x', '--name', 'Not Valid'], 'error: --name: "Not Valid" is not an npm package name'],
    [['init'], "error: missing required argument 'dir'"],
  ])('rejects %j with exit 2', async (argv, message) => {
    const r = await cli(argv, { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
  });

  it('points dependencies at packed tarballs with --link-workspace, overriding nested ones', async () => {
    const packages = join(dir, 'pkgs');
    await mkdir(packages);
    const names = [...reconPackagesFor('github-path'), '@recon/core'];
    const index: Record<string, { version: string; file: string }> = {};
    for (const name of names) {
      const file = `${name.slice(1).replace('/', '-')}-0.1.0.tgz`;
      index[name] = { version: '0.1.0', file };
      await writeFile(join(packages, file), '');
    }
    await writeFile(join(packages, 'packages.json'), JSON.stringify({ packages: index }));
    const r = await cli(
      [
        'init',
        'linked',
        '--template',
        'github-path',
        '--link-workspace',
        '--packages',
        'pkgs',
        '--json',
      ],
      { cwd: dir },
    );
    expect(r.code).toBe(0);
    const manifest = await readJson(join(dir, 'linked', 'package.json'));
    expect(manifest['dependencies']).toEqual({
      '@recon/sdk': `file:${join(packages, 'recon-sdk-0.1.0.tgz')}`,
      '@recon/github': `file:${join(packages, 'recon-github-0.1.0.tgz')}`,
    });
    expect(manifest['overrides']['@recon/core']).toBe(
      `file:${join(packages, 'recon-core-0.1.0.tgz')}`,
    );
    const infra = await readJson(join(dir, 'linked', 'infra', 'package.json'));
    expect(infra['dependencies']['@recon/pulumi-gcp']).toBe(
      `file:${join(packages, 'recon-pulumi-gcp-0.1.0.tgz')}`,
    );
  });

  it('links the workspace by default when run from the repository checkout', () => {
    const root = workspaceRoot();
    expect(root).toBeDefined();
    expect(existsSync(join(root!, 'tools', 'scripts', 'pack-packages.ts'))).toBe(true);
    expect(
      workspaceRoot('/somewhere/node_modules/@recon/cli/dist/commands/init-packages.js'),
    ).toBeUndefined();
  });

  it("gives projects this repository's tool versions", async () => {
    const root = await readJson(join(workspaceRoot()!, 'package.json'));
    const all = { ...root['dependencies'], ...root['devDependencies'] } as Record<string, string>;
    for (const [name, version] of Object.entries(toolVersions))
      expect([name, all[name]]).toEqual([name, version]);
  });
});
