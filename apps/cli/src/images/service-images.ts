/**
 * recon's own service images (`recon images push`): serve-entry.ts bundled once into `recon.mjs`,
 * laid on a Node base, and pushed as `<registry>/<role>` for each role — one app layer shared by
 * every role, the config differing only in `Cmd ["serve", "<role>"]`. Base layers are copied from
 * the base's registry once, into the first role's repository; the other roles mount them (and the
 * app layer) from there, so a remote base is streamed only once.
 */
import { createHash } from 'node:crypto';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type {
  BlobTransfer,
  CredentialHelper,
  Digest,
  RegistryClient,
  RepositoryClient,
} from '@recon/image-builder';
import type * as ImageBuilderModule from '@recon/image-builder';
import { CommandError } from '../errors.ts';

type ImageBuilder = typeof ImageBuilderModule;

/** The image's entry, next to this directory (`.ts` in the repo, `.js` once packed). */
export const serveEntryPath = fileURLToPath(
  new URL(`../serve-entry${extname(import.meta.url)}`, import.meta.url),
);
export const bundleFileName = 'recon.mjs';
export const appRoot = '/app';
/** The entrypoint of every role: `serve <role>` (the Cmd, or Cloud Run's args) follows it. */
export const imageEntrypoint = ['node', `${appRoot}/${bundleFileName}`] as const;

export interface ServiceImagesRequest {
  /** `host[/path]`: each role goes to `<registry>/<role>`. */
  registry: string;
  roles: readonly string[];
  /** Default: `sourceTag(bundle)`. */
  tag?: string;
  baseImage: string;
  registryAuth?: CredentialHelper;
  /** One line of progress at a time (stderr). */
  log: (line: string) => void;
  signal?: AbortSignal;
}

export interface PushedServiceImage {
  role: string;
  /** `<registry>/<role>@sha256:…`: what a deployment pins. */
  reference: string;
  digest: Digest;
}

export interface PushedServiceImages {
  /** The tag pushed with every role. */
  tag: string;
  images: PushedServiceImage[];
}

/** The default tag: the first 12 hex digits of the bundle's sha256 (same source, same tag). */
export function sourceTag(bundle: Uint8Array): string {
  return createHash('sha256').update(bundle).digest('hex').slice(0, 12);
}

/**
 * Runs one registry step, turning its failure into one line that says which registry and what
 * for: unreachable (no response), credentials refused, or the registry's own answer.
 */
async function step<T>(
  ib: ImageBuilder,
  what: { doing: string; host: string },
  work: () => Promise<T>,
): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (ib.RegistryError.is(err) && err.status === 0)
      throw new CommandError(
        `cannot reach the registry ${what.host} (${what.doing}): ${rootMessage(err)}`,
        { cause: err },
      );
    if (ib.RegistryAuthError.is(err))
      throw new CommandError(
        `${what.doing}: ${err.message} (only Artifact Registry and gcr.io get credentials, from gcloud auth application-default login)`,
        { cause: err },
      );
    if (ib.RegistryError.is(err) || ib.ImageFormatError.is(err) || ib.DigestMismatchError.is(err))
      throw new CommandError(`${what.doing}: ${err.message}`, { cause: err });
    throw err;
  }
}

/** The innermost cause's message: `connect ECONNREFUSED 127.0.0.1:5000` rather than `fetch failed`. */
function rootMessage(err: Error): string {
  let inner: unknown = err;
  while (inner instanceof Error && inner.cause instanceof Error) inner = inner.cause;
  return inner instanceof Error ? inner.message : String(inner);
}

function outcomes(transfers: readonly BlobTransfer[]): string {
  const counts = new Map<string, number>();
  for (const t of transfers) counts.set(t.outcome, (counts.get(t.outcome) ?? 0) + 1);
  return [...counts].map(([outcome, n]) => `${n} ${outcome}`).join(', ');
}

export async function pushServiceImages(
  request: ServiceImagesRequest,
): Promise<PushedServiceImages> {
  const ib = await import('@recon/image-builder');
  const { log, signal } = request;
  const registry = request.registry.replace(/\/+$/, '');
  const base = ib.parseReference(request.baseImage, '--base-image');
  const clients = new Map<string, RegistryClient>();
  const clientFor = (host: string): RegistryClient => {
    let client = clients.get(host);
    if (!client) {
      client = new ib.RegistryClient({
        registry: host,
        ...(request.registryAuth ? { credentials: request.registryAuth } : {}),
      });
      clients.set(host, client);
    }
    return client;
  };
  const targets = request.roles.map((role) => {
    const repo = ib.parseRepository(`${registry}/${role}`, '--registry');
    return {
      role,
      name: `${repo.registry}/${repo.repository}`,
      host: repo.registry,
      at: { client: clientFor(repo.registry), repository: repo.repository } as RepositoryClient,
    };
  });

  log(`bundling ${serveEntryPath} and pulling ${ib.formatReference(base)}…`);
  const [bundle, baseImage] = await Promise.all([
    ib.bundleEntry({ entry: serveEntryPath, fileName: bundleFileName, signal }),
    step(ib, { doing: `pulling ${ib.formatReference(base)}`, host: base.registry }, () =>
      ib.pullBaseImage({ client: clientFor(base.registry), reference: base, signal }),
    ),
  ]);
  const tag = request.tag ?? sourceTag(bundle.contents);
  const built = await Promise.all(
    targets.map(async (target) => ({
      ...target,
      image: await ib.buildImage({
        baseImage,
        bundle,
        appRoot,
        entrypoint: imageEntrypoint,
        cmd: ['serve', target.role],
        env: { NODE_ENV: 'production' },
        workdir: appRoot,
      }),
    })),
  );
  const layerSize = built[0]?.image.layer.blob.byteLength ?? 0;
  log(
    `bundled ${bundleFileName}: ${mb(bundle.contents.byteLength)} (layer ${mb(layerSize)}), tag ${tag}`,
  );

  const source = { client: clientFor(base.registry), repository: base.repository };
  const push = async (
    target: (typeof built)[number],
    from: RepositoryClient | undefined,
  ): Promise<PushedServiceImage> =>
    step(ib, { doing: `pushing ${target.name}`, host: target.host }, async () => {
      const { image, at } = target;
      const appLayer = image.manifest.layers[image.manifest.layers.length - 1]!;
      const layers = await Promise.all([
        ...baseImage.manifest.layers.map((l) => ib.copyBlob(from ?? source, at, l, signal)),
        from
          ? ib.copyBlob(from, at, appLayer, signal)
          : ib.pushBlobIfMissing(at, image.layer.digest, image.layer.blob, signal),
      ]);
      await ib.pushBlobIfMissing(at, image.configDigest, image.configBytes, signal);
      const digest = await at.client.putManifest(
        at.repository,
        tag,
        { bytes: image.manifestBytes, mediaType: image.manifest.mediaType },
        { signal },
      );
      log(`pushed ${target.name}:${tag} (layers: ${outcomes(layers)})`);
      return { role: target.role, reference: `${target.name}@${digest}`, digest };
    });

  // The first role takes the base layers from the base's registry; the rest mount from it.
  const [first, ...rest] = built;
  if (!first) return { tag, images: [] };
  const seeded = await push(first, undefined);
  const others = await Promise.all(rest.map((target) => push(target, first.at)));
  return { tag, images: [seeded, ...others] };
}

function mb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
