// Builds a new image on top of a base, in memory: app layer, config, manifest and their digests.
import type { Bundle } from './bundle.ts';
import { sha256Digest, type Digest } from './digest.ts';
import { ImageInputError } from './errors.ts';
import { deriveConfig, type ProcessSettings } from './image-config.ts';
import {
  buildLayer,
  DEFAULT_APP_ROOT,
  rootComponents,
  type Layer,
  type LayerFile,
} from './layer.ts';
import {
  MediaTypes,
  type Descriptor,
  type ImageConfig,
  type ImageManifest,
  type ManifestMediaType,
} from './oci-types.ts';

/** A base image as pulled from a registry (see `pullBaseImage`). */
export interface BaseImage {
  /** Human-readable reference it was pulled by, e.g. `docker.io/library/node:24-slim`. */
  readonly reference: string;
  readonly manifestDigest: Digest;
  readonly manifest: ImageManifest;
  readonly config: ImageConfig;
}

export interface BuildImageOptions extends ProcessSettings {
  readonly baseImage: BaseImage;
  /** Files of the app layer, relative to `appRoot`. Give `files`, `bundle`, or both. */
  readonly files?: readonly LayerFile[];
  /** A bundle from `bundleEntry`, added to the app layer as `<appRoot>/<bundle.fileName>`. */
  readonly bundle?: Bundle;
  /** Absolute directory of the app layer. Default `/app`. */
  readonly appRoot?: string;
  /**
   * Build time in seconds since the Unix epoch, used for file mtimes, `created` and the history
   * entry. Default 0. Pass `SOURCE_DATE_EPOCH` here when the build has one.
   */
  readonly sourceDateEpoch?: number;
}

export interface BuiltImage {
  readonly manifest: ImageManifest;
  readonly manifestBytes: Uint8Array;
  readonly manifestDigest: Digest;
  readonly config: ImageConfig;
  readonly configBytes: Uint8Array;
  readonly configDigest: Digest;
  /** The one new layer; every other layer is the base's. */
  readonly layer: Layer;
}

export const CREATED_BY = '@recon/image-builder';

const ANNOTATION_BASE_DIGEST = 'org.opencontainers.image.base.digest';
const ANNOTATION_BASE_NAME = 'org.opencontainers.image.base.name';

function encodeJson(value: unknown): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(value));
}

function rfc3339(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');
}

function descriptor(mediaType: string, digest: Digest, size: number): Descriptor {
  return { mediaType, digest, size };
}

/**
 * Layers the app files onto `baseImage`. Pure apart from CPU: the same options give byte-identical
 * output, so the manifest digest changes exactly when the app files, the process settings or the
 * base image change. The manifest has the base manifest's format (OCI or Docker v2 schema 2).
 */
export async function buildImage(options: BuildImageOptions): Promise<BuiltImage> {
  const files: LayerFile[] = [...(options.files ?? [])];
  if (options.bundle !== undefined) {
    files.push({ path: options.bundle.fileName, contents: options.bundle.contents });
  }
  if (files.length === 0) throw new ImageInputError('files', 'give files, a bundle, or both');
  const epoch = options.sourceDateEpoch ?? 0;
  const appRoot = options.appRoot ?? DEFAULT_APP_ROOT;
  rootComponents(appRoot, 'appRoot');
  const layer = await buildLayer({ files, root: appRoot, mtime: epoch });

  const base = options.baseImage;
  const config = deriveConfig({
    entrypoint: options.entrypoint,
    cmd: options.cmd,
    env: options.env,
    workdir: options.workdir,
    labels: options.labels,
    base: base.config,
    diffId: layer.diffId,
    created: rfc3339(epoch),
    createdBy: `${CREATED_BY}: ${appRoot}`,
  });
  const configBytes = encodeJson(config);
  const configDigest = sha256Digest(configBytes);

  const mediaType: ManifestMediaType = base.manifest.mediaType;
  const oci = mediaType === MediaTypes.ociManifest;
  const manifest: ImageManifest = {
    schemaVersion: 2,
    mediaType,
    config: descriptor(
      oci ? MediaTypes.ociConfig : MediaTypes.dockerConfig,
      configDigest,
      configBytes.byteLength,
    ),
    layers: [
      ...base.manifest.layers,
      descriptor(
        oci ? MediaTypes.ociLayerGzip : MediaTypes.dockerLayerGzip,
        layer.digest,
        layer.blob.byteLength,
      ),
    ],
    ...(oci
      ? {
          annotations: {
            [ANNOTATION_BASE_DIGEST]: base.manifestDigest,
            [ANNOTATION_BASE_NAME]: base.reference,
          },
        }
      : {}),
  };
  const manifestBytes = encodeJson(manifest);
  return {
    manifest,
    manifestBytes,
    manifestDigest: sha256Digest(manifestBytes),
    config,
    configBytes,
    configDigest,
    layer,
  };
}
