// @recon/image-builder: container images from a TypeScript entry point, without a Docker daemon.
export { bundleEntry, type Bundle, type BundleOptions } from './bundle.ts';
export {
  buildLayer,
  DEFAULT_APP_ROOT,
  type Layer,
  type LayerFile,
  type LayerOptions,
} from './layer.ts';
export { deriveConfig, type DeriveConfigOptions, type ProcessSettings } from './image-config.ts';
export {
  buildImage,
  CREATED_BY,
  type BaseImage,
  type BuildImageOptions,
  type BuiltImage,
} from './build-image.ts';
export { pullBaseImage, type PullBaseImageOptions } from './base-image.ts';
export {
  copyBlob,
  pushBlobIfMissing,
  type BlobTransfer,
  type RepositoryClient,
  type TransferOutcome,
} from './blob-transfer.ts';
export { publishImage, type PublishedImage, type PublishImageOptions } from './publish.ts';
export {
  RegistryClient,
  type BlobBody,
  type BlobStream,
  type FetchedManifest,
  type RegistryClientOptions,
  type RequestOptions,
} from './registry-client.ts';
export {
  parseChallenges,
  RegistryAuth,
  type AuthScope,
  type Challenge,
  type CredentialHelper,
  type RegistryCredential,
} from './registry-auth.ts';
export {
  DOCKER_HUB,
  formatReference,
  isValidTag,
  parseReference,
  parseRepository,
  type ImageReference,
  type Repository,
} from './reference.ts';
export { isDigest, sha256Digest, verifyDigest, type Digest } from './digest.ts';
export { parseImageConfig, parseManifest, type ParsedManifest } from './oci-parse.ts';
export {
  DEFAULT_PLATFORM,
  MANIFEST_ACCEPT,
  MediaTypes,
  type ContainerConfig,
  type Descriptor,
  type HistoryEntry,
  type ImageConfig,
  type ImageIndex,
  type ImageManifest,
  type IndexMediaType,
  type ManifestMediaType,
  type Platform,
} from './oci-types.ts';
export {
  BundleError,
  DigestMismatchError,
  ImageFormatError,
  ImageInputError,
  RegistryAuthError,
  RegistryError,
  type RegistryErrorDetails,
} from './errors.ts';
