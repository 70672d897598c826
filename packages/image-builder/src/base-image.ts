// Pulls what building on a base needs: its manifest (picked from an index by platform) and config.
// Layers are not downloaded; publishing copies or mounts them registry-side.
import type { BaseImage } from './build-image.ts';
import { ImageFormatError, ImageInputError } from './errors.ts';
import { parseImageConfig, parseManifest } from './oci-parse.ts';
import { DEFAULT_PLATFORM, type Platform } from './oci-types.ts';
import { formatReference, type ImageReference } from './reference.ts';
import type { RegistryClient } from './registry-client.ts';

export interface PullBaseImageOptions {
  /** A client for `reference.registry`. */
  readonly client: RegistryClient;
  readonly reference: ImageReference;
  /** Which manifest of a multi-platform index to use. Default linux/amd64 (Cloud Run). */
  readonly platform?: Platform;
  readonly signal?: AbortSignal;
}

function formatPlatform(p: Platform): string {
  return `${p.os}/${p.architecture}${p.variant === undefined ? '' : `/${p.variant}`}`;
}

export async function pullBaseImage(options: PullBaseImageOptions): Promise<BaseImage> {
  const { client, reference, signal } = options;
  const platform = options.platform ?? DEFAULT_PLATFORM;
  const name = formatReference(reference);
  const ref = reference.digest ?? reference.tag;
  if (ref === undefined) throw new ImageInputError('baseImage', `${name} has no tag or digest`);

  let fetched = await client.getManifest(reference.repository, ref, { signal });
  let parsed = parseManifest(fetched.bytes, fetched.mediaType);
  if (parsed.kind === 'index') {
    const match = parsed.index.manifests.find(
      (m) =>
        m.platform !== undefined &&
        m.platform.os === platform.os &&
        m.platform.architecture === platform.architecture &&
        (platform.variant === undefined || m.platform.variant === platform.variant),
    );
    if (match === undefined) {
      const offered = parsed.index.manifests.flatMap((m) =>
        m.platform ? [formatPlatform(m.platform)] : [],
      );
      throw new ImageInputError(
        'platform',
        `${name} has no ${formatPlatform(platform)} image (it has ${offered.join(', ') || 'none'})`,
      );
    }
    fetched = await client.getManifest(reference.repository, match.digest, { signal });
    parsed = parseManifest(fetched.bytes, fetched.mediaType);
    if (parsed.kind !== 'manifest') {
      throw new ImageFormatError(`${name}: index entry ${match.digest} is itself an index`);
    }
  }
  const manifest = parsed.manifest;
  const configBytes = await client.getBlob(reference.repository, manifest.config.digest, {
    signal,
  });
  const config = parseImageConfig(configBytes);
  if (config.rootfs.diff_ids.length !== manifest.layers.length) {
    throw new ImageFormatError(
      `${name}: manifest has ${manifest.layers.length} layers but the config lists ` +
        `${config.rootfs.diff_ids.length} diff_ids`,
    );
  }
  return { reference: name, manifestDigest: fetched.digest, manifest, config };
}
