// A tiny stand-in for a Node base image (there is none offline): two layers, /etc/os-release and a
// fake /usr/local/bin/node, a config with Env/Cmd/Labels, in OCI or Docker v2 format.
import {
  buildLayer,
  MediaTypes,
  sha256Digest,
  type BaseImage,
  type Descriptor,
  type Digest,
  type ImageConfig,
  type ImageManifest,
  type Layer,
  type Platform,
  type RegistryClient,
} from '../../src/index.ts';

export type ManifestFormat = 'oci' | 'docker';

export interface TestBaseImage extends BaseImage {
  readonly manifestBytes: Uint8Array;
  readonly configBytes: Uint8Array;
  readonly layers: readonly Layer[];
}

export const BASE_ENV = ['PATH=/usr/local/bin:/usr/bin:/bin', 'NODE_VERSION=24.0.0-fake'] as const;

function bytes(value: unknown): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(value));
}

export async function makeTestBase(
  format: ManifestFormat,
  platform: Platform = { os: 'linux', architecture: 'amd64' },
): Promise<TestBaseImage> {
  const os = await buildLayer({
    root: '/',
    files: [{ path: 'etc/os-release', contents: `ID=recon-test\nARCH=${platform.architecture}\n` }],
  });
  const node = await buildLayer({
    root: '/',
    files: [{ path: 'usr/local/bin/node', contents: '#!/bin/sh\necho fake node\n', mode: 0o755 }],
  });
  const layers = [os, node];
  const config: ImageConfig = {
    architecture: platform.architecture,
    os: platform.os,
    created: '2024-01-01T00:00:00Z',
    config: { Env: [...BASE_ENV], Cmd: ['node'], Labels: { 'org.example.base': 'test' } },
    rootfs: { type: 'layers', diff_ids: layers.map((l) => l.diffId) },
    history: [{ created_by: 'os layer' }, { created_by: 'node layer' }],
  };
  const configBytes = bytes(config);
  const oci = format === 'oci';
  const manifest: ImageManifest = {
    schemaVersion: 2,
    mediaType: oci ? MediaTypes.ociManifest : MediaTypes.dockerManifest,
    config: {
      mediaType: oci ? MediaTypes.ociConfig : MediaTypes.dockerConfig,
      digest: sha256Digest(configBytes),
      size: configBytes.byteLength,
    },
    layers: layers.map((l) => ({
      mediaType: oci ? MediaTypes.ociLayerGzip : MediaTypes.dockerLayerGzip,
      digest: l.digest,
      size: l.blob.byteLength,
    })),
  };
  const manifestBytes = bytes(manifest);
  return {
    reference: `test/base-${format}`,
    manifestDigest: sha256Digest(manifestBytes),
    manifest,
    manifestBytes,
    config,
    configBytes,
    layers,
  };
}

/** Pushes the base's blobs and manifest under `tag`; returns the manifest's descriptor. */
export async function pushTestBase(
  client: RegistryClient,
  repository: string,
  tag: string,
  base: TestBaseImage,
): Promise<Descriptor> {
  for (const layer of base.layers) await client.pushBlob(repository, layer.digest, layer.blob);
  await client.pushBlob(repository, base.manifest.config.digest, base.configBytes);
  const digest = await client.putManifest(repository, tag, {
    bytes: base.manifestBytes,
    mediaType: base.manifest.mediaType,
  });
  return { mediaType: base.manifest.mediaType, digest, size: base.manifestBytes.byteLength };
}

/** Pushes an OCI index over already-pushed manifests. */
export async function pushTestIndex(
  client: RegistryClient,
  repository: string,
  tag: string,
  entries: readonly { readonly descriptor: Descriptor; readonly platform: Platform }[],
): Promise<Digest> {
  const index = {
    schemaVersion: 2,
    mediaType: MediaTypes.ociIndex,
    manifests: entries.map((e) => ({ ...e.descriptor, platform: e.platform })),
  };
  return client.putManifest(repository, tag, {
    bytes: bytes(index),
    mediaType: MediaTypes.ociIndex,
  });
}
