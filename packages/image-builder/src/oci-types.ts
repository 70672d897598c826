// The slice of the OCI image spec (and its Docker v2 schema 2 twin) this package reads and writes.
import type { Digest } from './digest.ts';

export const MediaTypes = {
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  ociConfig: 'application/vnd.oci.image.config.v1+json',
  ociLayerGzip: 'application/vnd.oci.image.layer.v1.tar+gzip',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerManifestList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  dockerConfig: 'application/vnd.docker.container.image.v1+json',
  dockerLayerGzip: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
} as const;

export type ManifestMediaType = typeof MediaTypes.ociManifest | typeof MediaTypes.dockerManifest;
export type IndexMediaType = typeof MediaTypes.ociIndex | typeof MediaTypes.dockerManifestList;

/** Every manifest type a pull asks for, in order of preference. */
export const MANIFEST_ACCEPT: readonly string[] = [
  MediaTypes.ociIndex,
  MediaTypes.ociManifest,
  MediaTypes.dockerManifestList,
  MediaTypes.dockerManifest,
];

export interface Platform {
  readonly os: string;
  readonly architecture: string;
  readonly variant?: string;
}

/** Cloud Run runs linux/amd64. */
export const DEFAULT_PLATFORM: Platform = { os: 'linux', architecture: 'amd64' };

export interface Descriptor {
  readonly mediaType: string;
  readonly digest: Digest;
  readonly size: number;
  readonly urls?: readonly string[];
  readonly annotations?: Readonly<Record<string, string>>;
  readonly platform?: Platform;
}

export interface ImageManifest {
  readonly schemaVersion: 2;
  readonly mediaType: ManifestMediaType;
  readonly config: Descriptor;
  readonly layers: readonly Descriptor[];
  readonly annotations?: Readonly<Record<string, string>>;
}

export interface ImageIndex {
  readonly schemaVersion: 2;
  readonly mediaType: IndexMediaType;
  readonly manifests: readonly Descriptor[];
}

/** The `config` object of an image config: what the runtime uses to start a container. */
export interface ContainerConfig {
  readonly Env?: readonly string[] | null;
  readonly Entrypoint?: readonly string[] | null;
  readonly Cmd?: readonly string[] | null;
  readonly WorkingDir?: string;
  readonly User?: string;
  readonly Labels?: Readonly<Record<string, string>> | null;
  /** Fields this package does not interpret are carried over from the base untouched. */
  readonly [field: string]: unknown;
}

export interface HistoryEntry {
  readonly created?: string;
  readonly created_by?: string;
  readonly comment?: string;
  readonly empty_layer?: boolean;
  readonly [field: string]: unknown;
}

export interface ImageConfig {
  readonly architecture: string;
  readonly os: string;
  readonly variant?: string;
  readonly created?: string;
  readonly config?: ContainerConfig | null;
  readonly rootfs: { readonly type: 'layers'; readonly diff_ids: readonly Digest[] };
  readonly history?: readonly HistoryEntry[];
  readonly [field: string]: unknown;
}

export function isIndexMediaType(mediaType: string): mediaType is IndexMediaType {
  return mediaType === MediaTypes.ociIndex || mediaType === MediaTypes.dockerManifestList;
}

export function isManifestMediaType(mediaType: string): mediaType is ManifestMediaType {
  return mediaType === MediaTypes.ociManifest || mediaType === MediaTypes.dockerManifest;
}
