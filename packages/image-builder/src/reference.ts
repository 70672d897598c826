// Image references: `[registry/]repository[:tag][@sha256:...]`, normalised the way Docker does.
import { isDigest, type Digest } from './digest.ts';
import { ImageInputError } from './errors.ts';

export interface Repository {
  /** `host[:port]`, e.g. `us-docker.pkg.dev`, `127.0.0.1:5000`, `docker.io`. */
  readonly registry: string;
  /** Path inside the registry, e.g. `my-project/recon/receiver`, `library/node`. */
  readonly repository: string;
}

export interface ImageReference extends Repository {
  readonly tag?: string;
  readonly digest?: Digest;
}

export const DOCKER_HUB = 'docker.io';

const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const REGISTRY =
  /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*|\[[0-9A-Fa-f:]+\])(?::[0-9]+)?$/;

function looksLikeRegistry(component: string): boolean {
  return component.includes('.') || component.includes(':') || component === 'localhost';
}

/** Parses `repository` (no tag or digest) such as `127.0.0.1:5000/recon/hello`. */
export function parseRepository(value: string, field = 'repository'): Repository {
  const parts = value.split('/');
  let registry = DOCKER_HUB;
  if (parts.length > 1 && looksLikeRegistry(parts[0]!)) {
    registry = parts.shift()!;
    if (!REGISTRY.test(registry)) {
      throw new ImageInputError(field, `${JSON.stringify(registry)} is not a registry host`);
    }
  }
  if (registry === DOCKER_HUB && parts.length === 1) parts.unshift('library');
  for (const part of parts) {
    if (!PATH_COMPONENT.test(part)) {
      throw new ImageInputError(
        field,
        `${JSON.stringify(value)}: path component ${JSON.stringify(part)} must be lowercase ` +
          'letters and digits separated by ".", "_", "__" or "-"',
      );
    }
  }
  return { registry, repository: parts.join('/') };
}

/** Parses a full reference such as `node:24-slim` or `host/a/b@sha256:...`. */
export function parseReference(value: string, field = 'reference'): ImageReference {
  let rest = value;
  let digest: Digest | undefined;
  const at = rest.indexOf('@');
  if (at !== -1) {
    const candidate = rest.slice(at + 1);
    if (!isDigest(candidate)) {
      throw new ImageInputError(field, `${JSON.stringify(candidate)} is not a sha256 digest`);
    }
    digest = candidate;
    rest = rest.slice(0, at);
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag))
      throw new ImageInputError(field, `${JSON.stringify(tag)} is not a valid tag`);
  }
  const repo = parseRepository(rest, field);
  if (tag === undefined && digest === undefined) tag = 'latest';
  return {
    ...repo,
    ...(tag === undefined ? {} : { tag }),
    ...(digest === undefined ? {} : { digest }),
  };
}

export function isValidTag(tag: string): boolean {
  return TAG.test(tag);
}

/** `registry/repository[:tag][@digest]`, always with the registry spelled out. */
export function formatReference(ref: ImageReference): string {
  const tag = ref.tag === undefined ? '' : `:${ref.tag}`;
  const digest = ref.digest === undefined ? '' : `@${ref.digest}`;
  return `${ref.registry}/${ref.repository}${tag}${digest}`;
}
