/**
 * Builds the reconciler's image from source (no Docker daemon: @recon/image-builder bundles the
 * serve entry and layers it onto a Node base) and pushes it, returning the digest reference a
 * deployment pins.
 */
import type { CredentialHelper } from '@recon/image-builder';
import type { GoogleAuth } from 'google-auth-library';

export interface ImageRequest {
  /** The production entry, e.g. `<project>/src/serve.ts`. */
  entry: string;
  /** `registry/path/name`, e.g. `us-docker.pkg.dev/my-project/recon/my-reconciler`. */
  repository: string;
  baseImage: string;
  signal?: AbortSignal;
}

export interface PublishedReconcilerImage {
  /** `repository@sha256:…`. */
  reference: string;
  digest: string;
}

export type ImagePublisher = (request: ImageRequest) => Promise<PublishedReconcilerImage>;

export const defaultBaseImage = 'mirror.gcr.io/library/node:24-slim';

/**
 * Registry credentials for @recon/image-builder: Artifact Registry and Container Registry hosts
 * get an OAuth2 access token from Application Default Credentials; every other registry (a base
 * image's, a local one) is reached anonymously.
 */
export function googleRegistryAuth(): CredentialHelper {
  let auth: Promise<GoogleAuth> | undefined;
  return async (host) => {
    if (!host.endsWith('-docker.pkg.dev') && host !== 'gcr.io' && !host.endsWith('.gcr.io'))
      return undefined;
    auth ??= import('google-auth-library').then(
      ({ GoogleAuth }) =>
        new GoogleAuth({ scopes: 'https://www.googleapis.com/auth/cloud-platform' }),
    );
    return { username: 'oauth2accesstoken', password: (await (await auth).getAccessToken()) ?? '' };
  };
}

export const publishReconcilerImage: ImagePublisher = async (request) => {
  const { publishImage } = await import('@recon/image-builder');
  const published = await publishImage({
    entry: request.entry,
    baseImage: request.baseImage,
    repository: request.repository,
    env: { NODE_ENV: 'production' },
    registryAuth: googleRegistryAuth(),
    ...(request.signal ? { signal: request.signal } : {}),
  });
  return { reference: published.reference, digest: published.digest };
};
