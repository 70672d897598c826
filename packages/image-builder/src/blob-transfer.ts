// Makes sure a target repository holds a blob, doing the least work: skip, mount, or copy.
import type { Digest } from './digest.ts';
import type { Descriptor } from './oci-types.ts';
import type { BlobBody, RegistryClient } from './registry-client.ts';

export interface RepositoryClient {
  readonly client: RegistryClient;
  readonly repository: string;
}

/** `exists`: already there; `mounted`: linked from another repository; `pushed`/`copied`: uploaded. */
export type TransferOutcome = 'exists' | 'mounted' | 'pushed' | 'copied';

export interface BlobTransfer {
  readonly digest: Digest;
  readonly outcome: TransferOutcome;
}

/** Pushes `body` unless the repository already has `digest` (HEAD first). */
export async function pushBlobIfMissing(
  target: RepositoryClient,
  digest: Digest,
  body: BlobBody,
  signal?: AbortSignal,
): Promise<BlobTransfer> {
  if (await target.client.hasBlob(target.repository, digest, { signal, access: 'push' })) {
    return { digest, outcome: 'exists' };
  }
  await target.client.pushBlob(target.repository, digest, body, { signal });
  return { digest, outcome: 'pushed' };
}

// Non-distributable ("foreign") layers are fetched by the runtime from their URLs, never pushed.
function isForeign(layer: Descriptor): boolean {
  return layer.mediaType.includes('foreign') || layer.mediaType.includes('nondistributable');
}

/**
 * Copies a blob from `source` to `target`: nothing if the target has it; a cross-repository mount
 * when both are on the same registry; otherwise a stream from the source straight into the
 * target's upload (never held whole in memory).
 */
export async function copyBlob(
  source: RepositoryClient,
  target: RepositoryClient,
  layer: Descriptor,
  signal?: AbortSignal,
): Promise<BlobTransfer> {
  const { digest } = layer;
  if (
    isForeign(layer) ||
    (await target.client.hasBlob(target.repository, digest, { signal, access: 'push' }))
  ) {
    return { digest, outcome: 'exists' };
  }
  const sameRegistry = source.client.baseUrl === target.client.baseUrl;
  if (sameRegistry && source.repository !== target.repository) {
    if (await target.client.mountBlob(target.repository, digest, source.repository, { signal })) {
      return { digest, outcome: 'mounted' };
    }
  }
  const { body } = await source.client.openBlob(source.repository, digest, { signal });
  try {
    await target.client.pushBlob(target.repository, digest, body, { signal });
  } catch (err) {
    // Release the source connection if the upload failed before reading the stream.
    if (!body.locked) await body.cancel().catch(() => undefined);
    throw err;
  }
  return { digest, outcome: 'copied' };
}
