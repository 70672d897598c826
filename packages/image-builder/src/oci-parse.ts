// Checks JSON from a registry against the shapes in oci-types.ts before anything relies on it.
import { isDigest } from './digest.ts';
import { ImageFormatError } from './errors.ts';
import {
  isIndexMediaType,
  isManifestMediaType,
  type Descriptor,
  type ImageConfig,
  type ImageIndex,
  type ImageManifest,
} from './oci-types.ts';

export type ParsedManifest =
  | { readonly kind: 'manifest'; readonly manifest: ImageManifest }
  | { readonly kind: 'index'; readonly index: ImageIndex };

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseJson(what: string, bytes: Uint8Array): Json {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder().decode(bytes));
  } catch (err) {
    throw new ImageFormatError(`${what} is not JSON`, { cause: err });
  }
  if (!isObject(value)) throw new ImageFormatError(`${what} is not a JSON object`);
  return value;
}

function descriptor(what: string, value: unknown): Descriptor {
  if (
    !isObject(value) ||
    typeof value.mediaType !== 'string' ||
    !isDigest(value.digest) ||
    typeof value.size !== 'number' ||
    !Number.isSafeInteger(value.size) ||
    value.size < 0
  ) {
    throw new ImageFormatError(`${what} is not a valid sha256 descriptor`);
  }
  return value as unknown as Descriptor;
}

/**
 * Parses a manifest or an index. `contentType` (the response header) decides the type when the
 * document has no `mediaType` field, as older OCI documents may omit it.
 */
export function parseManifest(bytes: Uint8Array, contentType: string): ParsedManifest {
  const doc = parseJson('manifest', bytes);
  const mediaType = typeof doc.mediaType === 'string' ? doc.mediaType : contentType.split(';')[0]!;
  if (doc.schemaVersion !== 2) {
    throw new ImageFormatError(
      `manifest schemaVersion ${String(doc.schemaVersion)} is not supported`,
    );
  }
  if (isIndexMediaType(mediaType)) {
    if (!Array.isArray(doc.manifests)) throw new ImageFormatError('index has no manifests array');
    const manifests = doc.manifests.map((m, i) => descriptor(`index.manifests[${i}]`, m));
    return { kind: 'index', index: { ...doc, schemaVersion: 2, mediaType, manifests } };
  }
  if (isManifestMediaType(mediaType)) {
    if (!Array.isArray(doc.layers)) throw new ImageFormatError('manifest has no layers array');
    const config = descriptor('manifest.config', doc.config);
    const layers = doc.layers.map((l, i) => descriptor(`manifest.layers[${i}]`, l));
    return { kind: 'manifest', manifest: { ...doc, schemaVersion: 2, mediaType, config, layers } };
  }
  throw new ImageFormatError(`manifest media type ${JSON.stringify(mediaType)} is not supported`);
}

export function parseImageConfig(bytes: Uint8Array): ImageConfig {
  const doc = parseJson('image config', bytes);
  if (typeof doc.os !== 'string' || typeof doc.architecture !== 'string') {
    throw new ImageFormatError('image config lacks os or architecture');
  }
  const rootfs = doc.rootfs;
  if (!isObject(rootfs) || rootfs.type !== 'layers' || !Array.isArray(rootfs.diff_ids)) {
    throw new ImageFormatError('image config lacks rootfs.diff_ids');
  }
  if (!rootfs.diff_ids.every(isDigest)) {
    throw new ImageFormatError('image config rootfs.diff_ids holds a non-sha256 digest');
  }
  if (doc.config !== undefined && doc.config !== null && !isObject(doc.config)) {
    throw new ImageFormatError('image config field "config" is not an object');
  }
  if (doc.history !== undefined && !Array.isArray(doc.history)) {
    throw new ImageFormatError('image config field "history" is not an array');
  }
  return doc as unknown as ImageConfig;
}
