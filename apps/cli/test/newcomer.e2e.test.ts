// The scripted newcomer run: `recon init` in a temporary directory → npm install → npm test →
// `recon dev` with that reconciler → `recon enqueue` → `recon queue stats --json` shows the key
// processed. The project installs recon's packages from tarballs packed from this checkout (what
// `npm run pack:packages` publishes) and everything else from the npm registry (the cache first).
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bin, childEnv, eventually, run, start, type LongRunning } from './support/processes.ts';
import { tempDir } from './support/run-cli.ts';

let dir: string;
let remove: () => Promise<void>;
let app: string;
let dev: LongRunning | undefined;

beforeAll(async () => {
  ({ dir, remove } = await tempDir('recon-newcomer-'));
  app = join(dir, 'my-reconciler');
});
afterAll(async () => {
  await dev?.stop();
  await remove();
});

/** Commands as the newcomer types them, in the new project. */
const npx = (...args: string[]) =>
  run('npx', ['--no-install', ...args], { cwd: app, timeoutMs: 60_000 });
const show = (r: { code: number | null; stdout: string; stderr: string }) =>
  `exit ${r.code}\nstdout:\n${r.stdout.slice(-4000)}\nstderr:\n${r.stderr.slice(-4000)}`;

describe('a newcomer', { timeout: 600_000 }, () => {
  it('scaffolds a project with recon init', async () => {
    const init = await run(
      process.execPath,
      [bin, 'init', 'my-reconciler', '--packages', join(dir, 'packages'), '--json'],
      {
        cwd: dir,
        timeoutMs: 300_000,
      },
    );
    expect(init.code, show(init)).toBe(0);
    expect(JSON.parse(init.stdout)).toMatchObject({ name: 'my-reconciler', template: 'basic' });
    const manifest = JSON.parse(await readFile(join(app, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    expect(manifest.dependencies['@recon/sdk']).toMatch(/^file:.*recon-sdk-0\.1\.0\.tgz$/);
  });

  it('installs it and its tests pass', async () => {
    const install = await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund'], {
      cwd: app,
      timeoutMs: 480_000,
    });
    expect(install.code, show(install)).toBe(0);
    const test = await run('npm', ['test'], { cwd: app, timeoutMs: 120_000 });
    expect(test.code, show(test)).toBe(0);
    expect(test.stdout).toMatch(/Tests\s+4 passed/);
  });

  it('runs it under recon dev, enqueues a key, and sees it processed', async () => {
    dev = start('npm', ['run', '--silent', 'dev', '--', '--port', '0', '--json'], {
      cwd: app,
      env: childEnv(),
    });
    const ready = JSON.parse(await dev.waitForLine(/"event":"ready"/, 120_000)) as {
      reconciler: string;
    };
    expect(ready.reconciler).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    const enqueue = await npx('recon', 'enqueue', 'hello', '--json');
    expect(enqueue.code, show(enqueue)).toBe(0);
    expect(JSON.parse(enqueue.stdout)).toMatchObject({
      enqueued: [{ key: 'hello', result: 'sent' }],
    });

    const processed = () =>
      dev!.stdoutLines.some(
        (l) =>
          /"message":"attempt ended"/.test(l) &&
          l.includes('"key":"hello"') &&
          l.includes('"outcome":"success"'),
      );
    await eventually(async () => (processed() ? true : undefined), 60_000);
    const stats = await eventually(async () => {
      const r = await npx('recon', 'queue', 'stats', '--json');
      const doc = JSON.parse(r.stdout) as Record<string, number>;
      return doc['queued'] === 0 && doc['inProgress'] === 0 ? doc : undefined;
    }, 60_000);
    expect(stats).toMatchObject({ queued: 0, waiting: 0, inProgress: 0, deadLettered: 0 });

    await dev.stop();
    expect(existsSync(join(app, '.recon', 'dev.json'))).toBe(false); // stopped cleanly
  });

  it('is told what to install before recon deploy can run', async () => {
    // Only node on PATH: no Pulumi CLI, whatever this machine has.
    const cliBin = join(app, 'node_modules', '@recon', 'cli', 'dist', 'bin.js');
    const deploy = await run(process.execPath, [cliBin, 'deploy', '--preview'], {
      cwd: app,
      env: childEnv({ PATH: dirname(process.execPath) }),
    });
    expect(deploy.code, show(deploy)).toBe(1);
    expect(deploy.stderr).toBe(
      'error: Pulumi CLI not found: install it from https://www.pulumi.com/docs/install/ and run `pulumi login`\n',
    );
  });
});
