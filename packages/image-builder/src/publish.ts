// Entry point → image in a registry, in one call: bundle, pull base, layer, push, digest.
import { pullBaseImage } from './base-image.ts';
import { copyBlob, pushBlobIfMissing, type BlobTransfer } from './blob-transfer.ts';
import { bundleEntry, type Bundle } from './bundle.ts';
import { buildImage, type BuiltImage } from './build-image.ts';
import type { Digest } from './digest.ts';
import { ImageInputError } from './errors.ts';
import type { ProcessSettings } from './image-config.ts';
import { DEFAULT_APP_ROOT, type LayerFile } from './layer.ts';
import type { Platform } from './oci-types.ts';
import { isValidTag, parseReference, parseRepository } from './reference.ts';
import type { CredentialHelper } from './registry-auth.ts';
import { RegistryClient } from './registry-client.ts';

export interface PublishImageOptions extends Partial<ProcessSettings> {
  /** TypeScript entry point to bundle. */
  readonly entry: string;
  /** Base image reference, e.g. `mirror.gcr.io/library/node:24-slim` or `...@sha256:...`. */
  readonly baseImage: string;
  /** Where to push, without tag: e.g. `us-docker.pkg.dev/my-project/recon/receiver`. */
  readonly repository: string;
  /** Tag to push as well. Default: none; the image is pushed by digest only. */
  readonly tag?: string;
  /** Credentials per registry host (used for the base and the target). Default: anonymous. */
  readonly registryAuth?: CredentialHelper;
  /** Default: linux/amd64. */
  readonly platform?: Platform;
  /** Default: `['node', '<appRoot>/<bundle file>']`. */
  readonly entrypoint?: readonly string[];
  /** Default: the app root, `/app`. */
  readonly workdir?: string;
  /** More files for the app layer next to the bundle (relative to `appRoot`). Default: none. */
  readonly files?: readonly LayerFile[];
  /** Passed to `bundleEntry`. Default: none. */
  readonly external?: readonly string[];
  /** Passed to `bundleEntry`. Default: false. */
  readonly minify?: boolean;
  /** Default `/app`. */
  readonly appRoot?: string;
  /** Seconds since the epoch for mtimes and `created`. Default 0; pass `SOURCE_DATE_EPOCH`. */
  readonly sourceDateEpoch?: number;
  /** Registries reached over plain http besides loopback ones (`localhost`, `127.0.0.1`). */
  readonly insecureRegistries?: readonly string[];
  /** Default: the global `fetch`. */
  readonly fetch?: typeof fetch;
  readonly signal?: AbortSignal;
}

export interface PublishedImage {
  /** The manifest digest: what a deployment should pin. */
  readonly digest: Digest;
  /** `registry/repository@sha256:...`. */
  readonly reference: string;
  /** `registry/repository:tag`, when a tag was pushed. */
  readonly tagged?: string;
  readonly image: BuiltImage;
  readonly bundle: Bundle;
  /** What happened to each blob: base layers, then the app layer, then the config. */
  readonly blobs: readonly BlobTransfer[];
}

export async function publishImage(options: PublishImageOptions): Promise<PublishedImage> {
  const { signal } = options;
  const base = parseReference(options.baseImage, 'baseImage');
  const target = parseRepository(options.repository, 'repository');
  if (options.tag !== undefined && !isValidTag(options.tag)) {
    throw new ImageInputError('tag', `${JSON.stringify(options.tag)} is not a valid tag`);
  }
  const appRoot = options.appRoot ?? DEFAULT_APP_ROOT;

  const clients = new Map<string, RegistryClient>();
  const clientFor = (registry: string): RegistryClient => {
    let client = clients.get(registry);
    if (client === undefined) {
      client = new RegistryClient({
        registry,
        ...(options.registryAuth === undefined ? {} : { credentials: options.registryAuth }),
        ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
        ...(options.insecureRegistries?.includes(registry) === true ? { plainHttp: true } : {}),
      });
      clients.set(registry, client);
    }
    return client;
  };
  const source = { client: clientFor(base.registry), repository: base.repository };
  const destination = { client: clientFor(target.registry), repository: target.repository };

  const [bundle, baseImage] = await Promise.all([
    bundleEntry({
      entry: options.entry,
      ...(options.external === undefined ? {} : { external: options.external }),
      ...(options.minify === undefined ? {} : { minify: options.minify }),
      signal,
    }),
    pullBaseImage({
      client: source.client,
      reference: base,
      ...(options.platform === undefined ? {} : { platform: options.platform }),
      signal,
    }),
  ]);

  const image = await buildImage({
    baseImage,
    bundle,
    files: options.files,
    appRoot,
    sourceDateEpoch: options.sourceDateEpoch,
    entrypoint: options.entrypoint ?? ['node', `${appRoot.replace(/\/$/, '')}/${bundle.fileName}`],
    cmd: options.cmd,
    env: options.env,
    workdir: options.workdir ?? appRoot,
    labels: options.labels,
  });

  const baseLayers = baseImage.manifest.layers;
  const copied = await Promise.all(
    baseLayers.map((layer) => copyBlob(source, destination, layer, signal)),
  );
  const appLayer = await pushBlobIfMissing(
    destination,
    image.layer.digest,
    image.layer.blob,
    signal,
  );
  const config = await pushBlobIfMissing(
    destination,
    image.configDigest,
    image.configBytes,
    signal,
  );
  const digest = await destination.client.putManifest(
    target.repository,
    options.tag ?? image.manifestDigest,
    { bytes: image.manifestBytes, mediaType: image.manifest.mediaType },
    { signal },
  );

  const name = `${target.registry}/${target.repository}`;
  return {
    digest,
    reference: `${name}@${digest}`,
    ...(options.tag === undefined ? {} : { tagged: `${name}:${options.tag}` }),
    image,
    bundle,
    blobs: [...copied, appLayer, config],
  };
}
