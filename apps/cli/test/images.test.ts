// `recon images push` against a real registry (Debian's `docker-registry`, as the image-builder
// tests run it) holding a small test base; the bundle is taken back out of the pushed layer and
// run with plain `node` from a directory outside the repository.
import { once } from 'node:events';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  parseImageConfig,
  parseManifest,
  RegistryClient,
  type ImageManifest,
} from '@recon/image-builder';
import { createWorkqueueClient, KeyState_Status } from '@recon/proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceRoles } from '../../../infra/gcp/src/images.ts';
import {
  registryAvailable,
  startRegistry,
  type LocalRegistry,
} from '../../../packages/image-builder/test/support/registry.ts';
import { readLayer } from '../../../packages/image-builder/test/support/tar.ts';
import {
  makeTestBase,
  pushTestBase,
} from '../../../packages/image-builder/test/support/test-base.ts';
import { parseRoles } from '../src/commands/images.ts';
import { freePort } from '../src/dev/free-port.ts';
import { deployedRoles } from '../src/commands/serve.ts';
import { run, start } from './support/processes.ts';
import { cli, tempDir } from './support/run-cli.ts';

interface Pushed {
  role: string;
  reference: string;
  digest: string;
}

describe('recon images push: arguments', () => {
  it('builds the roles the Pulumi components deploy by default', () => {
    expect([...deployedRoles]).toEqual([...serviceRoles]);
  });

  it('reads --roles as a comma-separated list, each role once', () => {
    expect(parseRoles(' receiver, dispatcher,receiver,')).toEqual(['receiver', 'dispatcher']);
    expect(parseRoles(undefined)).toEqual([...deployedRoles]);
  });

  it.each([
    [['--roles', ','], 'error: --roles: name at least one of receiver, dispatcher'],
    [['--tag', 'a b'], 'error: --tag: "a b" is not a valid tag'],
    [['--base-image', 'Node:24'], 'error: --base-image: "Node": path component "Node" must be'],
    [['--registry', '127.0.0.1:9/Recon'], 'path component "Recon" must be lowercase'],
  ])('rejects bad flags before building: %j', async (args, message) => {
    const r = await cli(['images', 'push', '--registry', '127.0.0.1:9/recon', ...args], {
      cwd: '/',
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.stdout).toBe('');
  });

  it('requires --registry', async () => {
    const r = await cli(['images', 'push'], { cwd: '/' });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("required option '--registry <host/path>' not specified");
  });
});

describe.skipIf(!registryAvailable('recon images push'))(
  'recon images push to a registry',
  { timeout: 60_000 },
  () => {
    let registry: LocalRegistry;
    let client: RegistryClient;
    let baseImage: string;
    let pushed: Pushed[];
    let stderr: string;

    const push = (...args: string[]) =>
      cli(['images', 'push', '--base-image', baseImage, ...args], { cwd: '/' });

    async function manifestOf(repository: string, ref: string) {
      const fetched = await client.getManifest(repository, ref);
      const parsed = parseManifest(fetched.bytes, fetched.mediaType);
      if (parsed.kind !== 'manifest') throw new Error(`${repository}@${ref} is an index`);
      return { digest: fetched.digest, manifest: parsed.manifest };
    }

    async function catalog(): Promise<string[]> {
      const response = await fetch(`http://${registry.host}/v2/_catalog`);
      return ((await response.json()) as { repositories: string[] }).repositories;
    }

    beforeAll(async () => {
      registry = await startRegistry();
      client = new RegistryClient({ registry: registry.host });
      await pushTestBase(client, 'base/node', '24', await makeTestBase('oci'));
      baseImage = `${registry.host}/base/node:24`;
      const r = await push(
        '--registry',
        `${registry.host}/recon`,
        '--roles',
        'receiver,dispatcher',
        '--json',
      );
      expect(r.stderr).toContain('pushed');
      expect(r.code).toBe(0);
      pushed = r.json<Pushed[]>();
      stderr = r.stderr;
    }, 60_000);
    afterAll(() => registry?.stop());

    it('pushes one image per role, pinned by the digest of its manifest', async () => {
      expect(pushed.map((p) => p.role)).toEqual(['receiver', 'dispatcher']);
      const tag = /tag ([0-9a-f]{12})\n/.exec(stderr)?.[1];
      expect(tag).toBeDefined();
      const appLayers = new Set<string>();
      for (const { role, reference, digest } of pushed) {
        expect(reference).toBe(`${registry.host}/recon/${role}@${digest}`);
        const byDigest = await manifestOf(`recon/${role}`, digest);
        expect(byDigest.digest).toBe(digest);
        expect((await manifestOf(`recon/${role}`, tag!)).digest).toBe(digest);

        const manifest: ImageManifest = byDigest.manifest;
        const config = parseImageConfig(
          await client.getBlob(`recon/${role}`, manifest.config.digest),
        );
        expect(config.config?.Entrypoint).toEqual(['node', '/app/recon.mjs']);
        expect(config.config?.Cmd).toEqual(['serve', role]);
        expect(config.config?.WorkingDir).toBe('/app');
        expect(config.config?.Env).toContain('NODE_ENV=production');
        expect(manifest.layers).toHaveLength(3); // the test base's two, and the bundle
        appLayers.add(manifest.layers[2]!.digest);
      }
      expect(appLayers.size).toBe(1); // one bundle, shared by every role
      expect(stderr).toMatch(/^bundled recon\.mjs: [\d.]+ MB/m);
    });

    it('pushes the same digests again from the same source, and prints a table', async () => {
      const r = await push('--registry', `${registry.host}/recon`, '--roles', 'receiver');
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^pushed 1 image \(tag [0-9a-f]{12}\)$/m);
      expect(r.stdout).toMatch(new RegExp(`^ {2}receiver +${pushed[0]!.reference}$`, 'm'));
      expect(r.stderr).toContain('(layers: 3 exists)');
    });

    it('runs the bundle from the layer with node alone: `serve receiver` serves gRPC', async () => {
      const { manifest } = await manifestOf('recon/receiver', pushed[0]!.digest);
      const layer = await readLayer(
        await client.getBlob('recon/receiver', manifest.layers[2]!.digest),
      );
      const bundle = layer.find((f) => f.header.name === 'app/recon.mjs');
      expect(bundle).toBeDefined();
      const { dir, remove } = await tempDir('recon-image-entry-');
      try {
        const file = join(dir, 'recon.mjs');
        await writeFile(file, bundle!.body);
        // Outside the repository, with no NODE_PATH: nothing but the file itself can resolve.
        const env = { PATH: process.env['PATH'], NO_COLOR: '1' };

        const bad = await run(process.execPath, [file, 'receiver'], { cwd: dir, env });
        expect(bad.code).toBe(2);
        expect(bad.stderr).toContain('error: expected `serve <service>`, got ["receiver"]');

        const server = start(process.execPath, [file, 'serve', 'receiver'], {
          cwd: dir,
          env: { ...env, WORKQUEUE_MODE: 'memory', PORT: '0' },
        });
        try {
          const line = await server.waitForLine(/"receiver listening"/, 20_000);
          const { port } = JSON.parse(line) as { port: number };
          const queue = createWorkqueueClient(`http://127.0.0.1:${port}`);
          try {
            await queue.enqueue({ key: 'image/probe' });
            expect(await queue.getKeyState({ key: 'image/probe' })).toMatchObject({
              key: 'image/probe',
              status: KeyState_Status.QUEUED,
            });
          } finally {
            queue.close();
          }
          const exited = once(server.child, 'exit');
          server.child.kill('SIGTERM');
          const [code] = (await exited) as [number | null];
          expect(code).toBe(0);
          expect(server.stderrLines).toContain('receiver: SIGTERM received, stopping');
        } finally {
          await server.stop();
        }
      } finally {
        await remove();
      }
    });

    it('names a bad role and the valid ones, and pushes nothing', async () => {
      const r = await push('--registry', `${registry.host}/bad`, '--roles', 'receiver,foo');
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe(
        'error: --roles: unknown role "foo"; valid roles: receiver, dispatcher, reenqueue, router, cloudevents-bridge, github-webhook, github-push, resync, gcs-emulator\n',
      );
      expect((await catalog()).filter((name) => name.startsWith('bad/'))).toEqual([]);
    });

    it('says which registry it cannot reach', async () => {
      const closed = `127.0.0.1:${await freePort()}`;
      const r = await push('--registry', `${closed}/recon`, '--roles', 'receiver', '--json');
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain(
        `error: cannot reach the registry ${closed} (pushing ${closed}/recon/receiver): connect ECONNREFUSED`,
      );
      const noBase = await cli(
        [
          'images',
          'push',
          '--registry',
          `${registry.host}/recon`,
          '--base-image',
          `${registry.host}/base/none:24`,
        ],
        { cwd: '/' },
      );
      expect(noBase.code).toBe(1);
      expect(noBase.stderr).toContain(
        `error: pulling ${registry.host}/base/none:24: GET http://${registry.host}/v2/base/none/manifests/24: HTTP 404 MANIFEST_UNKNOWN`,
      );
    });
  },
);
