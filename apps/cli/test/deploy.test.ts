import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DeployContext } from '../src/commands/deploy.ts';
import {
  automationEngine,
  type AutomationModule,
  type AutomationStack,
} from '../src/deploy/automation-engine.ts';
import type { DeployEngine, DeployRequest } from '../src/deploy/engine.ts';
import type { ImageRequest } from '../src/deploy/image.ts';
import { cli, tempDir } from './support/run-cli.ts';

let dir: string;
let remove: () => Promise<void>;
let env: Record<string, string>;
beforeEach(async () => {
  ({ dir, remove } = await tempDir());
  env = await prerequisites(dir);
});
afterEach(() => remove());

/** A fake `pulumi` on PATH and a gcloud ADC file under HOME. */
async function prerequisites(root: string): Promise<Record<string, string>> {
  const bin = join(root, 'bin');
  await mkdir(bin);
  await writeFile(join(bin, 'pulumi'), '#!/bin/sh\nexit 0\n');
  await chmod(join(bin, 'pulumi'), 0o755);
  const home = join(root, 'home');
  await mkdir(join(home, '.config', 'gcloud'), { recursive: true });
  await writeFile(join(home, '.config', 'gcloud', 'application_default_credentials.json'), '{}');
  return { PATH: bin, HOME: home };
}

async function project(
  config: Record<string, unknown> = { reconciler: 'src/reconciler.ts', infra: 'infra' },
): Promise<void> {
  await mkdir(join(dir, 'infra'), { recursive: true });
  await writeFile(join(dir, 'infra', 'Pulumi.yaml'), 'name: t\nruntime: nodejs\n');
  await writeFile(join(dir, 'recon.config.json'), JSON.stringify(config));
}

/** An engine that records what it was asked and answers with canned results. */
function fakeEngine(): DeployEngine & { calls: Array<{ op: string; request: DeployRequest }> } {
  const calls: Array<{ op: string; request: DeployRequest }> = [];
  return {
    calls,
    async preview(request) {
      calls.push({ op: 'preview', request });
      request.onOutput('Previewing update (dev)\n');
      return { changes: { create: 12, same: 0 } };
    },
    async up(request) {
      calls.push({ op: 'up', request });
      request.onOutput('Updating (dev)\n');
      return { changes: { create: 12 }, outputs: { buckets: ['t-wq'], token: '[secret]' } };
    },
  };
}

function deployCtx(
  engine: DeployEngine,
  images: ImageRequest[] = [],
): Pick<DeployContext, 'deploy'> {
  return {
    deploy: {
      engine,
      publishImage: async (request) => {
        images.push(request);
        return {
          reference: `${request.repository}@sha256:${'a'.repeat(64)}`,
          digest: `sha256:${'a'.repeat(64)}`,
        };
      },
    },
  };
}

describe('recon deploy', () => {
  it('has help with an example and says what it needs', async () => {
    const r = await cli(['deploy', '--help'], { cwd: dir, env });
    expect(r.stdout).toContain('Examples:\n  recon deploy --preview');
    expect(r.stdout).toContain('Needs: a recon project');
  });

  it('previews through the engine, and prints the plan as JSON', async () => {
    await project();
    const engine = fakeEngine();
    const r = await cli(['deploy', '--preview', '--json'], {
      cwd: dir,
      env,
      extra: deployCtx(engine),
    });
    expect(r.code).toBe(0);
    expect(r.json()).toEqual({ stack: 'dev', preview: true, changes: { create: 12, same: 0 } });
    expect(engine.calls.map((c) => [c.op, c.request.stack, c.request.workDir])).toEqual([
      ['preview', 'dev', join(dir, 'infra')],
    ]);
    expect(r.stderr).toContain('Previewing update (dev)');
    expect(r.stderr).toContain(
      'not building an image: recon.config.json has no "deploy": { "registry": … }',
    );
  });

  it('builds the image from the serve entry and passes its digest as reconImage', async () => {
    await project({
      infra: 'infra',
      stacks: ['staging', 'prod'],
      deploy: {
        project: 'my-proj',
        registry: 'us-docker.pkg.dev/my-proj/recon/',
        serve: 'src/main.ts',
      },
    });
    const engine = fakeEngine();
    const images: ImageRequest[] = [];
    const r = await cli(['deploy'], { cwd: dir, env, extra: deployCtx(engine, images) });
    expect(r.code).toBe(0);
    const repository = `us-docker.pkg.dev/my-proj/recon/${dir.split('/').pop()!.toLowerCase()}`;
    expect(images).toMatchObject([
      {
        entry: join(dir, 'src/main.ts'),
        repository,
        baseImage: 'mirror.gcr.io/library/node:24-slim',
      },
    ]);
    expect(engine.calls[0]?.request).toMatchObject({
      stack: 'staging',
      config: { 'gcp:project': 'my-proj', reconImage: `${repository}@sha256:${'a'.repeat(64)}` },
    });
    expect(r.stdout).toContain('stack staging is up to date');
    expect(r.stdout).toMatch(/^ {2}create +12$/m);
    expect(r.stdout).toMatch(/^ {2}buckets +\["t-wq"\]$/m);
  });

  it('takes --stack and reports outputs as JSON', async () => {
    await project();
    const r = await cli(['deploy', '--stack', 'prod', '--json'], {
      cwd: dir,
      env,
      extra: deployCtx(fakeEngine()),
    });
    expect(r.json()).toEqual({
      stack: 'prod',
      preview: false,
      changes: { create: 12 },
      outputs: { buckets: ['t-wq'], token: '[secret]' },
    });
  });

  it('says to run recon init when there is no project', async () => {
    const r = await cli(['deploy'], { cwd: dir, env, extra: deployCtx(fakeEngine()) });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('error: no recon project here: run `recon init`\n');
  });

  it('says what to install when the Pulumi CLI is missing', async () => {
    await project();
    const r = await cli(['deploy'], {
      cwd: dir,
      env: { ...env, PATH: join(dir, 'nowhere') },
      extra: deployCtx(fakeEngine()),
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      'error: Pulumi CLI not found: install it from https://www.pulumi.com/docs/install/ and run `pulumi login`\n',
    );
  });

  it('says how to log in when there are no Google Cloud credentials', async () => {
    await project();
    const engine = fakeEngine();
    const r = await cli(['deploy'], {
      cwd: dir,
      env: { ...env, HOME: join(dir, 'empty-home') },
      extra: deployCtx(engine),
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      'error: no Google Cloud credentials: run `gcloud auth application-default login`\n',
    );
    expect(engine.calls).toEqual([]);
    const badFile = await cli(['deploy'], {
      cwd: dir,
      env: { ...env, GOOGLE_APPLICATION_CREDENTIALS: '/no/such.json' },
      extra: deployCtx(engine),
    });
    expect(badFile.stderr).toContain(
      'GOOGLE_APPLICATION_CREDENTIALS names /no/such.json, which does not exist',
    );
  });

  it('rejects a bad stack name and a bad deploy setting with exit 2', async () => {
    await project();
    expect(
      (await cli(['deploy', '--stack', 'a b'], { cwd: dir, env, extra: deployCtx(fakeEngine()) }))
        .code,
    ).toBe(2);
    await project({ infra: 'infra', deploy: { registry: 42 } });
    const r = await cli(['deploy'], { cwd: dir, env, extra: deployCtx(fakeEngine()) });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('error: recon.config.json: deploy.registry must be a string\n');
  });
});

describe('the Automation API engine', () => {
  function fakeAutomation() {
    const seen: Record<string, unknown[]> = { select: [], config: [], preview: [], up: [] };
    const stack: AutomationStack = {
      setAllConfig: async (config) => void seen['config']!.push(config),
      preview: async (options) => {
        seen['preview']!.push(options);
        options.onOutput?.('plan…\n');
        return { changeSummary: { create: 3 } };
      },
      up: async (options) => {
        seen['up']!.push(options);
        return {
          outputs: {
            url: { value: 'https://x', secret: false },
            key: { value: 's3cr3t', secret: true },
          },
          summary: { resourceChanges: { update: 1 } },
        };
      },
    };
    const automation: AutomationModule = {
      LocalWorkspace: { createOrSelectStack: async (args) => (seen['select']!.push(args), stack) },
    };
    return { automation, seen };
  }

  it('selects the stack in the program directory, sets config, streams output', async () => {
    const { automation, seen } = fakeAutomation();
    const installs: string[] = [];
    const engine = automationEngine({
      load: () => automation,
      install: async (d) => void installs.push(d),
    });
    await writeFile(join(dir, 'package.json'), '{}');
    const output: string[] = [];
    const request = {
      stack: 'dev',
      workDir: dir,
      config: { reconImage: 'img@sha256:1' },
      onOutput: (t: string) => void output.push(t),
    };
    expect(await engine.preview(request)).toEqual({ changes: { create: 3 } });
    expect(seen['select']).toEqual([{ stackName: 'dev', workDir: dir }]);
    expect(seen['config']).toEqual([{ reconImage: { value: 'img@sha256:1' } }]);
    expect(installs).toEqual([dir]); // no node_modules yet: the program's dependencies are installed first
    expect(output.join('')).toContain('plan…');
    expect(await engine.up(request)).toEqual({
      changes: { update: 1 },
      outputs: { url: 'https://x', key: '[secret]' },
    });
  });
});
