// End to end against real registries: build a base, publish a TypeScript entry on top, then pull
// everything back and check it, including running the bundled app out of the pushed layer.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  MediaTypes,
  parseImageConfig,
  parseManifest,
  publishImage,
  RegistryClient,
  sha256Digest,
  type Descriptor,
  type ImageManifest,
  type PublishImageOptions,
} from '../src/index.ts';
import { startAuthProxy, type AuthProxy } from './support/auth-proxy.ts';
import { tempFixtureApp, type FixtureApp } from './support/fixture-app.ts';
import { registryAvailable, startRegistry, type LocalRegistry } from './support/registry.ts';
import { readLayer } from './support/tar.ts';
import { BASE_ENV, makeTestBase, pushTestBase, pushTestIndex } from './support/test-base.ts';

const run = promisify(execFile);
const available = registryAvailable('publishImage end-to-end tests');

describe.skipIf(!available)('publishImage', { timeout: 30_000 }, () => {
  let registry: LocalRegistry;
  let client: RegistryClient;
  const dirs: string[] = [];
  const apps = new Map<string, FixtureApp>();

  async function app(message: string): Promise<FixtureApp> {
    const fixture = await tempFixtureApp(message);
    dirs.push(fixture.dir);
    return fixture;
  }

  beforeAll(async () => {
    registry = await startRegistry();
    client = new RegistryClient({ registry: registry.host });
    await pushTestBase(client, 'base/node', '24', await makeTestBase('oci'));
    await pushTestBase(client, 'base/node-docker', '24', await makeTestBase('docker'));
    const amd64 = { os: 'linux', architecture: 'amd64' };
    const arm64 = { os: 'linux', architecture: 'arm64', variant: 'v8' };
    await pushTestIndex(client, 'base/multi', '24', [
      {
        descriptor: await pushTestBase(
          client,
          'base/multi',
          'amd64',
          await makeTestBase('oci', amd64),
        ),
        platform: amd64,
      },
      {
        descriptor: await pushTestBase(
          client,
          'base/multi',
          'arm64',
          await makeTestBase('oci', arm64),
        ),
        platform: arm64,
      },
    ]);
    apps.set('hello', await app('hello'));
  }, 30_000);

  afterAll(async () => {
    await registry?.stop();
    await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
  });

  function opts(overrides: Partial<PublishImageOptions> = {}): PublishImageOptions {
    return {
      entry: apps.get('hello')!.entry,
      baseImage: `${registry.host}/base/node:24`,
      repository: `${registry.host}/apps/hello`,
      env: { NODE_ENV: 'production' },
      ...overrides,
    };
  }

  async function pulledManifest(repository: string, ref: string): Promise<ImageManifest> {
    const fetched = await client.getManifest(repository, ref);
    const parsed = parseManifest(fetched.bytes, fetched.mediaType);
    if (parsed.kind !== 'manifest') throw new Error('expected an image manifest');
    return parsed.manifest;
  }

  it('pushes base layers + one app layer, a config and a manifest, and returns the digest', async () => {
    const published = await publishImage(opts({ tag: 'v1' }));
    const name = `${registry.host}/apps/hello`;
    expect(published.reference).toBe(`${name}@${published.digest}`);
    expect(published.tagged).toBe(`${name}:v1`);

    // The manifest under the tag is byte-for-byte the one we built, so its digest is ours.
    const fetched = await client.getManifest('apps/hello', 'v1');
    expect(fetched.digest).toBe(published.digest);
    expect(fetched.mediaType).toBe(MediaTypes.ociManifest);
    const manifest = await pulledManifest('apps/hello', published.digest);
    expect(manifest.layers).toHaveLength(3);

    const config = parseImageConfig(await client.getBlob('apps/hello', manifest.config.digest));
    expect(config.config?.Entrypoint).toEqual(['node', '/app/main.mjs']);
    expect(config.config?.Cmd).toBeUndefined();
    expect(config.config?.Env).toEqual([...BASE_ENV, 'NODE_ENV=production']);
    expect(config.config?.WorkingDir).toBe('/app');
    expect(config.rootfs.diff_ids).toHaveLength(2 + 1);

    // Every layer blob hashes to its descriptor digest, and unpacks to its diff_id.
    for (const [i, layer] of manifest.layers.entries()) {
      const bytes = await client.getBlob('apps/hello', layer.digest); // verifies the digest
      expect(bytes.byteLength).toBe(layer.size);
      expect(sha256Digest(gunzipSync(bytes))).toBe(config.rootfs.diff_ids[i]);
    }
    expect(published.blobs.map((b) => b.outcome)).toEqual([
      'mounted',
      'mounted',
      'pushed',
      'pushed',
    ]);

    // The app layer holds /app/main.mjs, and that file runs on its own.
    const appLayer = await client.getBlob('apps/hello', manifest.layers[2]!.digest);
    const records = await readLayer(appLayer);
    expect(records.map((r) => r.header.name)).toEqual(['app/', 'app/main.mjs']);
    const out = await mkdtemp(path.join(tmpdir(), 'image-builder-run-'));
    dirs.push(out);
    await writeFile(path.join(out, 'main.mjs'), records[1]!.body);
    const { stdout } = await run(process.execPath, [path.join(out, 'main.mjs')], { cwd: out });
    expect(stdout.trim()).toBe('HELLO main.mjs');
  });

  it('gives the same digest for the same source, even from another checkout, and uploads nothing', async () => {
    const first = await publishImage(opts());
    const elsewhere = await app('hello');
    const second = await publishImage(opts({ entry: elsewhere.entry }));
    expect(second.digest).toBe(first.digest);
    expect(second.tagged).toBeUndefined();
    expect(second.blobs.every((b) => b.outcome === 'exists')).toBe(true);
    expect((await client.getManifest('apps/hello', first.digest)).digest).toBe(first.digest);
  });

  it('gives a different digest when the source changes', async () => {
    const before = await publishImage(opts());
    const changed = await app('hello, changed');
    const after = await publishImage(opts({ entry: changed.entry }));
    expect(after.digest).not.toBe(before.digest);
    expect(after.blobs.map((b) => b.outcome)).toEqual(['exists', 'exists', 'pushed', 'pushed']);
    expect(after.image.manifest.layers.slice(0, 2)).toEqual(
      before.image.manifest.layers.slice(0, 2),
    );
  });

  it('keeps the Docker v2 format of a Docker base', async () => {
    const published = await publishImage(
      opts({
        baseImage: `${registry.host}/base/node-docker:24`,
        repository: `${registry.host}/apps/docker`,
      }),
    );
    const fetched = await client.getManifest('apps/docker', published.digest);
    expect(fetched.mediaType).toBe(MediaTypes.dockerManifest);
    const manifest = await pulledManifest('apps/docker', published.digest);
    expect(manifest.config.mediaType).toBe(MediaTypes.dockerConfig);
    expect(
      manifest.layers.every((l: Descriptor) => l.mediaType === MediaTypes.dockerLayerGzip),
    ).toBe(true);
  });

  it('picks the requested platform from a multi-platform base', async () => {
    const arm = await publishImage(
      opts({
        baseImage: `${registry.host}/base/multi:24`,
        repository: `${registry.host}/apps/multi`,
        platform: { os: 'linux', architecture: 'arm64' },
      }),
    );
    const armBase = await client.getManifest('base/multi', 'arm64');
    expect(arm.image.config.architecture).toBe('arm64');
    expect(arm.image.manifest.annotations?.['org.opencontainers.image.base.digest']).toBe(
      armBase.digest,
    );

    const amd = await publishImage(
      opts({
        baseImage: `${registry.host}/base/multi:24`,
        repository: `${registry.host}/apps/multi`,
      }),
    );
    expect(amd.image.config.architecture).toBe('amd64');
    expect(amd.digest).not.toBe(arm.digest);
  });

  describe('to another registry behind Bearer auth', () => {
    let target: LocalRegistry;
    let gate: AuthProxy;
    const credential = { username: 'oauth2accesstoken', password: 'access-token' };

    beforeAll(async () => {
      target = await startRegistry();
      gate = await startAuthProxy({ upstream: target.host, scheme: 'bearer', ...credential });
    }, 30_000);
    afterAll(async () => {
      await gate?.close();
      await target?.stop();
    });

    it('streams base layers across registries and pushes with the helper credentials', async () => {
      const published = await publishImage(
        opts({
          repository: `${gate.host}/project/recon/hello`,
          tag: 'latest',
          registryAuth: (host) => (host === gate.host ? credential : undefined),
        }),
      );
      expect(published.blobs.map((b) => b.outcome)).toEqual([
        'copied',
        'copied',
        'pushed',
        'pushed',
      ]);
      // Parallel checks share one token, asked for with push access up front.
      expect(gate.tokenScopes).toEqual([['repository:project/recon/hello:pull,push']]);

      const direct = new RegistryClient({ registry: target.host });
      const fetched = await direct.getManifest('project/recon/hello', 'latest');
      expect(fetched.digest).toBe(published.digest);
      for (const layer of published.image.manifest.layers) {
        await direct.getBlob('project/recon/hello', layer.digest); // throws on a digest mismatch
      }
      // Same content as on the first registry: the digest does not depend on where it is pushed.
      const local = await publishImage(opts());
      expect(published.digest).toBe(local.digest);
    });
  });
});
