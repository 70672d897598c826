// Branded error classes: match with `X.is(err)`, never by message text. The brand is a
// `Symbol.for` key, so the check survives two copies of this package in one process.

const INPUT = Symbol.for('@recon/image-builder.ImageInputError');
const BUNDLE = Symbol.for('@recon/image-builder.BundleError');
const REGISTRY = Symbol.for('@recon/image-builder.RegistryError');
const AUTH = Symbol.for('@recon/image-builder.RegistryAuthError');
const DIGEST = Symbol.for('@recon/image-builder.DigestMismatchError');
const FORMAT = Symbol.for('@recon/image-builder.ImageFormatError');

function hasBrand(err: unknown, brand: symbol): boolean {
  return (
    typeof err === 'object' && err !== null && (err as Record<symbol, unknown>)[brand] === true
  );
}

/** Bad input from the caller; `field` names the option that is wrong. */
export class ImageInputError extends Error {
  override readonly name = 'ImageInputError';
  readonly [INPUT] = true;
  readonly field: string;

  constructor(field: string, message: string, options?: ErrorOptions) {
    super(`${field}: ${message}`, options);
    this.field = field;
  }

  static is(err: unknown): err is ImageInputError {
    return hasBrand(err, INPUT);
  }
}

/** esbuild could not bundle the entry point; `messages` are esbuild's formatted errors. */
export class BundleError extends Error {
  override readonly name = 'BundleError';
  readonly [BUNDLE] = true;
  readonly entry: string;
  readonly messages: readonly string[];

  constructor(entry: string, messages: readonly string[], options?: ErrorOptions) {
    super(`bundling ${entry} failed:\n${messages.join('\n')}`, options);
    this.entry = entry;
    this.messages = messages;
  }

  static is(err: unknown): err is BundleError {
    return hasBrand(err, BUNDLE);
  }
}

export interface RegistryErrorDetails {
  readonly method: string;
  readonly url: string;
  /** HTTP status; 0 when no response came back (connection refused, DNS, TLS). */
  readonly status: number;
  /** The `errors[].code` values of an OCI error body (e.g. `MANIFEST_UNKNOWN`), if any. */
  readonly codes: readonly string[];
  readonly detail: string;
}

/** A registry answered with a status the protocol step did not expect, or did not answer. */
export class RegistryError extends Error {
  override readonly name = 'RegistryError';
  readonly [REGISTRY] = true;
  readonly method: string;
  readonly url: string;
  readonly status: number;
  readonly codes: readonly string[];

  constructor(details: RegistryErrorDetails, options?: ErrorOptions) {
    super(`${details.method} ${details.url}: HTTP ${details.status} ${details.detail}`, options);
    this.method = details.method;
    this.url = details.url;
    this.status = details.status;
    this.codes = details.codes;
  }

  static is(err: unknown): err is RegistryError {
    return hasBrand(err, REGISTRY);
  }
}

/** Credentials were missing or refused, or the token service failed. */
export class RegistryAuthError extends Error {
  override readonly name = 'RegistryAuthError';
  readonly [AUTH] = true;
  readonly registry: string;

  constructor(registry: string, message: string, options?: ErrorOptions) {
    super(`${registry}: ${message}`, options);
    this.registry = registry;
  }

  static is(err: unknown): err is RegistryAuthError {
    return hasBrand(err, AUTH);
  }
}

/** Content did not hash to the digest it was fetched or pushed under. */
export class DigestMismatchError extends Error {
  override readonly name = 'DigestMismatchError';
  readonly [DIGEST] = true;
  readonly expected: string;
  readonly actual: string;

  constructor(what: string, expected: string, actual: string) {
    super(`${what}: expected digest ${expected}, got ${actual}`);
    this.expected = expected;
    this.actual = actual;
  }

  static is(err: unknown): err is DigestMismatchError {
    return hasBrand(err, DIGEST);
  }
}

/** A manifest, index or config from a registry is malformed or of an unsupported type. */
export class ImageFormatError extends Error {
  override readonly name = 'ImageFormatError';
  readonly [FORMAT] = true;

  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
  }

  static is(err: unknown): err is ImageFormatError {
    return hasBrand(err, FORMAT);
  }
}
