/**
 * Builds the reconciler's image from source (no Docker daemon: @recon/image-builder bundles the
 * serve entry and layers it onto a Node base) and pushes it, returning the digest reference a
 * deployment pins.
 */
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

/** Google registries get an OAuth2 access token from Application Default Credentials. */
export const publishReconcilerImage: ImagePublisher = async (request) => {
  const { publishImage } = await import('@recon/image-builder');
  const { GoogleAuth } = await import('google-auth-library');
  const auth = new GoogleAuth({ scopes: 'https://www.googleapis.com/auth/cloud-platform' });
  const published = await publishImage({
    entry: request.entry,
    baseImage: request.baseImage,
    repository: request.repository,
    env: { NODE_ENV: 'production' },
    registryAuth: async (host: string) =>
      host.endsWith('-docker.pkg.dev') || host === 'gcr.io' || host.endsWith('.gcr.io')
        ? { username: 'oauth2accesstoken', password: (await auth.getAccessToken()) ?? '' }
        : undefined,
    ...(request.signal ? { signal: request.signal } : {}),
  });
  return { reference: published.reference, digest: published.digest };
};
