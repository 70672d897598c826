import { describe, expect, it } from 'vitest';
import {
  buildImage,
  ImageInputError,
  MediaTypes,
  parseImageConfig,
  parseManifest,
  sha256Digest,
  type BuildImageOptions,
} from '../src/index.ts';
import { BASE_ENV, makeTestBase } from './support/test-base.ts';

async function options(overrides: Partial<BuildImageOptions> = {}): Promise<BuildImageOptions> {
  return {
    baseImage: await makeTestBase('oci'),
    files: [{ path: 'main.mjs', contents: 'console.log(1)\n' }],
    entrypoint: ['node', '/app/main.mjs'],
    ...overrides,
  };
}

describe('buildImage', () => {
  it('appends one layer and sets the process settings over the base config', async () => {
    const base = await makeTestBase('oci');
    const image = await buildImage({
      ...(await options()),
      baseImage: base,
      env: { NODE_ENV: 'production', NODE_VERSION: '24-override' },
      workdir: '/app',
      labels: { 'org.opencontainers.image.source': 'https://example.com/recon' },
    });

    expect(image.manifest.layers.slice(0, 2)).toEqual(base.manifest.layers);
    expect(image.manifest.layers[2]).toEqual({
      mediaType: MediaTypes.ociLayerGzip,
      digest: image.layer.digest,
      size: image.layer.blob.byteLength,
    });
    expect(image.config.rootfs.diff_ids).toEqual([
      ...base.config.rootfs.diff_ids,
      image.layer.diffId,
    ]);
    expect(image.config.config).toEqual({
      Env: [BASE_ENV[0], 'NODE_VERSION=24-override', 'NODE_ENV=production'],
      Entrypoint: ['node', '/app/main.mjs'],
      // No Cmd: the base's `node` would otherwise become an argument of our entrypoint.
      WorkingDir: '/app',
      Labels: {
        'org.example.base': 'test',
        'org.opencontainers.image.source': 'https://example.com/recon',
      },
    });
    expect(image.config.created).toBe('1970-01-01T00:00:00Z');
    expect(image.config.history).toHaveLength(3);
    expect(image.config.history?.[2]).toEqual({
      created: '1970-01-01T00:00:00Z',
      created_by: '@recon/image-builder: /app',
    });
    expect(image.manifest.annotations).toEqual({
      'org.opencontainers.image.base.digest': base.manifestDigest,
      'org.opencontainers.image.base.name': base.reference,
    });
  });

  it('serialises what it describes, so digests and sizes match the bytes', async () => {
    const image = await buildImage(await options());
    expect(image.manifestDigest).toBe(sha256Digest(image.manifestBytes));
    expect(image.configDigest).toBe(sha256Digest(image.configBytes));
    expect(image.manifest.config).toMatchObject({
      mediaType: MediaTypes.ociConfig,
      digest: image.configDigest,
      size: image.configBytes.byteLength,
    });
    const parsed = parseManifest(image.manifestBytes, '');
    expect(parsed.kind === 'manifest' && parsed.manifest).toEqual(image.manifest);
    expect(parseImageConfig(image.configBytes)).toEqual(image.config);
  });

  it('matches a Docker v2 schema 2 base with Docker media types', async () => {
    const image = await buildImage(await options({ baseImage: await makeTestBase('docker') }));
    expect(image.manifest.mediaType).toBe(MediaTypes.dockerManifest);
    expect(image.manifest.config.mediaType).toBe(MediaTypes.dockerConfig);
    expect(image.manifest.layers.map((l) => l.mediaType)).toEqual(
      Array(3).fill(MediaTypes.dockerLayerGzip),
    );
    expect(image.manifest.annotations).toBeUndefined();
  });

  it('gives the same digest for the same inputs and a new one for any change', async () => {
    const same = await Promise.all([buildImage(await options()), buildImage(await options())]);
    expect(same[0].manifestDigest).toBe(same[1].manifestDigest);

    const variants = await Promise.all([
      buildImage(await options({ files: [{ path: 'main.mjs', contents: 'console.log(2)\n' }] })),
      buildImage(await options({ env: { A: '1' } })),
      buildImage(await options({ cmd: ['--flag'] })),
      buildImage(await options({ sourceDateEpoch: 1_700_000_000 })),
      buildImage(
        await options({
          baseImage: await makeTestBase('oci', { os: 'linux', architecture: 'arm64' }),
        }),
      ),
    ]);
    const digests = new Set([same[0].manifestDigest, ...variants.map((v) => v.manifestDigest)]);
    expect(digests.size).toBe(6);
    expect(variants[2]!.config.config?.Cmd).toEqual(['--flag']);
    expect(variants[3]!.config.created).toBe('2023-11-14T22:13:20Z');
  });

  it('names the field on bad input', async () => {
    const cases: [Partial<BuildImageOptions>, string][] = [
      [{ files: [] }, 'files'],
      [{ entrypoint: [] }, 'entrypoint'],
      [{ workdir: 'app' }, 'workdir'],
      [{ env: { 'A=B': 'x' } }, 'env.A=B'],
      [{ appRoot: 'relative' }, 'appRoot'],
    ];
    for (const [override, field] of cases) {
      const err = await buildImage(await options(override)).catch((e: unknown) => e);
      expect(ImageInputError.is(err) && err.field, field).toBe(field);
    }
  });
});
