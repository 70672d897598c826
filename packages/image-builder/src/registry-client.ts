// A small OCI Distribution API client on `fetch`: manifests and blobs, pull and push.
import { sha256Digest, verifyDigest, type Digest } from './digest.ts';
import { RegistryAuthError, RegistryError } from './errors.ts';
import { MANIFEST_ACCEPT } from './oci-types.ts';
import { DOCKER_HUB } from './reference.ts';
import { RegistryAuth, type AuthScope, type CredentialHelper } from './registry-auth.ts';

export interface RegistryClientOptions {
  /** `host[:port]` as written in image references; `docker.io` talks to `registry-1.docker.io`. */
  readonly registry: string;
  /** Default: anonymous (still answers Bearer challenges, as Docker Hub wants). */
  readonly credentials?: CredentialHelper;
  /** Use `http://`. Default: only for `localhost`, `127.0.0.1` and `[::1]`, any port. */
  readonly plainHttp?: boolean;
  /** Default: the global `fetch`. */
  readonly fetch?: typeof fetch;
}

export interface RequestOptions {
  readonly signal?: AbortSignal;
}

export interface FetchedManifest {
  /** Media type from the response's Content-Type. */
  readonly mediaType: string;
  readonly bytes: Uint8Array;
  /** sha256 of `bytes`; checked against the reference when that was a digest. */
  readonly digest: Digest;
}

export interface BlobStream {
  readonly body: ReadableStream<Uint8Array>;
  /** Content-Length, when the registry sent it. */
  readonly size?: number;
}

export type BlobBody = Uint8Array | ReadableStream<Uint8Array>;

interface Call {
  readonly method: string;
  /** Path below the registry root (`/v2/...`) or an absolute URL (upload locations). */
  readonly url: string;
  readonly scope: AuthScope;
  readonly expect: readonly number[];
  readonly headers?: Record<string, string>;
  readonly body?: BlobBody;
  readonly signal?: AbortSignal | undefined;
}

const LOOPBACK = /^(?:localhost|127\.0\.0\.1|\[::1\])(?::\d+)?$/;

function isLoopback(registry: string): boolean {
  return LOOPBACK.test(registry);
}

async function errorDetail(response: Response): Promise<{ codes: string[]; detail: string }> {
  const text = await response.text().catch(() => '');
  try {
    const body = JSON.parse(text) as { errors?: { code?: unknown; message?: unknown }[] };
    const errors = Array.isArray(body.errors) ? body.errors : [];
    const codes = errors.map((e) => String(e.code));
    const detail = errors.map((e) => `${String(e.code)}: ${String(e.message)}`).join('; ');
    return { codes, detail };
  } catch {
    return { codes: [], detail: text.slice(0, 200) };
  }
}

export class RegistryClient {
  /** The registry as written in references, e.g. `127.0.0.1:5000`. */
  readonly registry: string;
  /** Root URL of the API, e.g. `http://127.0.0.1:5000`. */
  readonly baseUrl: string;
  readonly #fetch: typeof fetch;
  readonly #auth: RegistryAuth;

  constructor(options: RegistryClientOptions) {
    this.registry = options.registry;
    const host = options.registry === DOCKER_HUB ? 'registry-1.docker.io' : options.registry;
    const scheme = (options.plainHttp ?? isLoopback(options.registry)) ? 'http' : 'https';
    this.baseUrl = `${scheme}://${host}`;
    this.#fetch = options.fetch ?? globalThis.fetch;
    this.#auth = new RegistryAuth({
      registry: options.registry,
      fetch: this.#fetch,
      ...(options.credentials === undefined ? {} : { credentials: options.credentials }),
    });
  }

  /** `GET /v2/<name>/manifests/<reference>` accepting OCI and Docker manifests and indexes. */
  async getManifest(
    repository: string,
    reference: string,
    options: RequestOptions = {},
  ): Promise<FetchedManifest> {
    const response = await this.#call({
      method: 'GET',
      url: `/v2/${repository}/manifests/${reference}`,
      scope: { repository, push: false },
      expect: [200],
      headers: { accept: MANIFEST_ACCEPT.join(', ') },
      signal: options.signal,
    });
    const bytes = new Uint8Array(await response.arrayBuffer());
    const mediaType = (response.headers.get('content-type') ?? '').split(';')[0]!.trim();
    if (reference.startsWith('sha256:')) {
      verifyDigest(`manifest ${repository}@${reference}`, bytes, reference as Digest);
    }
    return { mediaType, bytes, digest: sha256Digest(bytes) };
  }

  /** `PUT /v2/<name>/manifests/<tag or digest>`; returns the manifest's digest. */
  async putManifest(
    repository: string,
    reference: string,
    manifest: { readonly bytes: Uint8Array; readonly mediaType: string },
    options: RequestOptions = {},
  ): Promise<Digest> {
    const digest = sha256Digest(manifest.bytes);
    const response = await this.#call({
      method: 'PUT',
      url: `/v2/${repository}/manifests/${reference}`,
      scope: { repository, push: true },
      expect: [201],
      headers: { 'content-type': manifest.mediaType },
      body: manifest.bytes,
      signal: options.signal,
    });
    await response.body?.cancel();
    const echoed = response.headers.get('docker-content-digest');
    if (echoed !== null && echoed !== digest) {
      throw new RegistryError({
        method: 'PUT',
        url: response.url,
        status: response.status,
        codes: [],
        detail: `registry stored the manifest as ${echoed}, expected ${digest}`,
      });
    }
    return digest;
  }

  /**
   * `HEAD /v2/<name>/blobs/<digest>`: whether the repository already has the blob. Pass
   * `access: 'push'` when an upload may follow, so one token serves the check and the upload.
   */
  async hasBlob(
    repository: string,
    digest: Digest,
    options: RequestOptions & { readonly access?: 'pull' | 'push' } = {},
  ): Promise<boolean> {
    const response = await this.#call({
      method: 'HEAD',
      url: `/v2/${repository}/blobs/${digest}`,
      scope: { repository, push: options.access === 'push' },
      expect: [200, 404],
      signal: options.signal,
    });
    await response.body?.cancel();
    return response.status === 200;
  }

  /** `GET /v2/<name>/blobs/<digest>`, read whole and checked against the digest. */
  async getBlob(
    repository: string,
    digest: Digest,
    options: RequestOptions = {},
  ): Promise<Uint8Array> {
    const { body } = await this.openBlob(repository, digest, options);
    const bytes = new Uint8Array(await new Response(body).arrayBuffer());
    verifyDigest(`blob ${repository}@${digest}`, bytes, digest);
    return bytes;
  }

  /** `GET /v2/<name>/blobs/<digest>` as a stream (not checked here; the pushing registry checks). */
  async openBlob(
    repository: string,
    digest: Digest,
    options: RequestOptions = {},
  ): Promise<BlobStream> {
    const response = await this.#call({
      method: 'GET',
      url: `/v2/${repository}/blobs/${digest}`,
      scope: { repository, push: false },
      expect: [200],
      signal: options.signal,
    });
    if (response.body === null) {
      throw new RegistryError({
        method: 'GET',
        url: response.url,
        status: response.status,
        codes: [],
        detail: 'blob response has no body',
      });
    }
    const length = Number(response.headers.get('content-length') ?? Number.NaN);
    return { body: response.body, ...(Number.isSafeInteger(length) ? { size: length } : {}) };
  }

  /**
   * Cross-repository mount: `POST /v2/<name>/blobs/uploads/?mount=<digest>&from=<other>`.
   * Returns false when the registry declined (it may then have opened an upload session, which it
   * expires on its own); push the blob instead.
   */
  async mountBlob(
    repository: string,
    digest: Digest,
    from: string,
    options: RequestOptions = {},
  ): Promise<boolean> {
    const query = `mount=${encodeURIComponent(digest)}&from=${encodeURIComponent(from)}`;
    const response = await this.#call({
      method: 'POST',
      url: `/v2/${repository}/blobs/uploads/?${query}`,
      scope: { repository, push: true, mountFrom: from },
      expect: [201, 202],
      signal: options.signal,
    });
    await response.body?.cancel();
    return response.status === 201;
  }

  /**
   * Uploads a blob in one piece: `POST /v2/<name>/blobs/uploads/` opens a session, then
   * `PUT <Location>?digest=<digest>` sends the whole body. The registry checks the digest.
   */
  async pushBlob(
    repository: string,
    digest: Digest,
    body: BlobBody,
    options: RequestOptions = {},
  ): Promise<void> {
    const scope: AuthScope = { repository, push: true };
    const started = await this.#call({
      method: 'POST',
      url: `/v2/${repository}/blobs/uploads/`,
      scope,
      expect: [202],
      signal: options.signal,
    });
    await started.body?.cancel();
    const location = started.headers.get('location');
    if (location === null) {
      throw new RegistryError({
        method: 'POST',
        url: started.url,
        status: started.status,
        codes: [],
        detail: 'upload session without a Location header',
      });
    }
    const uploadUrl = new URL(location, this.baseUrl).href;
    const separator = uploadUrl.includes('?') ? '&' : '?';
    const done = await this.#call({
      method: 'PUT',
      url: `${uploadUrl}${separator}digest=${encodeURIComponent(digest)}`,
      scope,
      expect: [201],
      headers: { 'content-type': 'application/octet-stream' },
      body,
      signal: options.signal,
    });
    await done.body?.cancel();
  }

  async #call(call: Call): Promise<Response> {
    const url = new URL(call.url, this.baseUrl);
    const sameOrigin = url.origin === new URL(this.baseUrl).origin;
    let authorization = sameOrigin ? this.#auth.headerFor(call.scope) : undefined;
    let response = await this.#send(call, url, authorization);
    if (response.status === 401 && sameOrigin) {
      const challenge = response.headers.get('www-authenticate');
      await response.body?.cancel();
      if (call.body instanceof ReadableStream) {
        // A stream cannot be sent twice; callers open a session (POST) first, which authenticates.
        throw new RegistryAuthError(this.registry, `${call.method} ${url.pathname} was refused`);
      }
      authorization = await this.#auth.respond(challenge, call.scope, call.signal);
      response = await this.#send(call, url, authorization);
      if (response.status === 401 || response.status === 403) {
        await response.body?.cancel();
        throw new RegistryAuthError(
          this.registry,
          `${call.method} ${url.pathname} refused the credentials (HTTP ${response.status})`,
        );
      }
    }
    if (!call.expect.includes(response.status)) {
      const { codes, detail } = await errorDetail(response);
      throw new RegistryError({
        method: call.method,
        url: url.href,
        status: response.status,
        codes,
        detail,
      });
    }
    return response;
  }

  async #send(call: Call, url: URL, authorization: string | undefined): Promise<Response> {
    const headers: Record<string, string> = { ...call.headers };
    if (authorization !== undefined) headers.authorization = authorization;
    const init: RequestInit & { duplex?: 'half' } = {
      method: call.method,
      headers,
      signal: call.signal ?? null,
    };
    if (call.body !== undefined) {
      init.body = call.body as BodyInit;
      if (call.body instanceof ReadableStream) init.duplex = 'half';
    }
    try {
      return await this.#fetch(url, init);
    } catch (err) {
      if (call.signal?.aborted === true) throw err;
      const reason =
        err instanceof Error ? (err.cause instanceof Error ? err.cause : err).message : String(err);
      throw new RegistryError(
        {
          method: call.method,
          url: url.href,
          status: 0,
          codes: [],
          detail: `no response: ${reason}`,
        },
        { cause: err },
      );
    }
  }
}
