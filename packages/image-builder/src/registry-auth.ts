// Registry authentication: answers a `WWW-Authenticate` challenge (Bearer token service or Basic)
// with credentials from a caller-supplied helper, and caches the result per repository.
import { RegistryAuthError } from './errors.ts';

export interface RegistryCredential {
  readonly username: string;
  readonly password: string;
}

/**
 * Supplies credentials for a registry host, or `undefined` for anonymous access. For Artifact
 * Registry: `{ username: 'oauth2accesstoken', password: <OAuth2 access token> }`.
 */
export type CredentialHelper = (
  registry: string,
  signal?: AbortSignal,
) => Promise<RegistryCredential | undefined> | RegistryCredential | undefined;

export interface AuthScope {
  readonly repository: string;
  readonly push: boolean;
  /** Another repository of the same registry read by this request (a cross-repository mount). */
  readonly mountFrom?: string;
}

export interface Challenge {
  /** Lower-cased scheme, e.g. `bearer`, `basic`. */
  readonly scheme: string;
  readonly params: Readonly<Record<string, string>>;
}

/** Parses a `WWW-Authenticate` value: `Bearer realm="...",service="...",scope="a:b:pull,push"`. */
export function parseChallenges(header: string): Challenge[] {
  const challenges: { scheme: string; params: Record<string, string> }[] = [];
  const token = /\s*([!#$%&'*+\-.^_`|~0-9A-Za-z]+)/y;
  let i = 0;
  while (i < header.length) {
    token.lastIndex = i;
    const name = token.exec(header);
    if (name === null) break;
    i = token.lastIndex;
    if (header[i] === '=') {
      // key=value parameter of the current challenge
      i++;
      let value = '';
      if (header[i] === '"') {
        i++;
        while (i < header.length && header[i] !== '"') {
          if (header[i] === '\\') i++;
          value += header[i] ?? '';
          i++;
        }
        i++;
      } else {
        const end = header.indexOf(',', i);
        value = header.slice(i, end === -1 ? undefined : end).trim();
        i = end === -1 ? header.length : end;
      }
      const current = challenges.at(-1);
      if (current !== undefined) current.params[name[1]!.toLowerCase()] = value;
    } else {
      challenges.push({ scheme: name[1]!.toLowerCase(), params: {} });
    }
    while (i < header.length && (header[i] === ',' || header[i] === ' ')) i++;
  }
  return challenges;
}

function scopes(scope: AuthScope): string[] {
  const list = [`repository:${scope.repository}:${scope.push ? 'pull,push' : 'pull'}`];
  if (scope.mountFrom !== undefined) list.push(`repository:${scope.mountFrom}:pull`);
  return list;
}

function basicHeader(credential: RegistryCredential): string {
  return `Basic ${Buffer.from(`${credential.username}:${credential.password}`).toString('base64')}`;
}

export interface RegistryAuthOptions {
  /** Host name used in errors and passed to `credentials`. */
  readonly registry: string;
  /** Default: anonymous. */
  readonly credentials?: CredentialHelper;
  readonly fetch: typeof fetch;
}

export class RegistryAuth {
  readonly #registry: string;
  readonly #credentials: CredentialHelper | undefined;
  readonly #fetch: typeof fetch;
  #basic: string | undefined;
  readonly #bearer = new Map<string, { readonly header: string; readonly push: boolean }>();
  // Requests refused at the same time (parallel HEADs) share one token request.
  readonly #pending = new Map<string, Promise<string>>();

  constructor(options: RegistryAuthOptions) {
    this.#registry = options.registry;
    this.#credentials = options.credentials;
    this.#fetch = options.fetch;
  }

  /** The `Authorization` value to send up front, if an earlier challenge was answered. */
  headerFor(scope: AuthScope): string | undefined {
    if (this.#basic !== undefined) return this.#basic;
    if (scope.mountFrom !== undefined) return undefined;
    const cached = this.#bearer.get(scope.repository);
    return cached !== undefined && (cached.push || !scope.push) ? cached.header : undefined;
  }

  /** Answers the challenge of a 401 response; returns the `Authorization` value to retry with. */
  async respond(challenge: string | null, scope: AuthScope, signal?: AbortSignal): Promise<string> {
    const parsed = parseChallenges(challenge ?? '');
    const bearer = parsed.find((c) => c.scheme === 'bearer');
    if (bearer !== undefined) {
      const key = scopes(scope).join(' ');
      let pending = this.#pending.get(key);
      if (pending === undefined) {
        pending = this.#fetchToken(bearer, scope, signal).finally(() => this.#pending.delete(key));
        this.#pending.set(key, pending);
      }
      const header = await pending;
      if (scope.mountFrom === undefined) {
        this.#bearer.set(scope.repository, { header, push: scope.push });
      }
      return header;
    }
    if (parsed.some((c) => c.scheme === 'basic')) {
      const credential = await this.#credential(signal);
      if (credential === undefined) {
        throw new RegistryAuthError(
          this.#registry,
          'registry asks for credentials and none were given',
        );
      }
      this.#basic = basicHeader(credential);
      return this.#basic;
    }
    throw new RegistryAuthError(
      this.#registry,
      `unsupported authentication challenge ${JSON.stringify(challenge)}`,
    );
  }

  async #credential(signal: AbortSignal | undefined): Promise<RegistryCredential | undefined> {
    return this.#credentials === undefined ? undefined : this.#credentials(this.#registry, signal);
  }

  async #fetchToken(challenge: Challenge, scope: AuthScope, signal?: AbortSignal): Promise<string> {
    const realm = challenge.params.realm;
    if (realm === undefined || realm === '') {
      throw new RegistryAuthError(this.#registry, 'Bearer challenge without a realm');
    }
    const url = new URL(realm);
    if (challenge.params.service !== undefined) {
      url.searchParams.set('service', challenge.params.service);
    }
    for (const s of scopes(scope)) url.searchParams.append('scope', s);
    const credential = await this.#credential(signal);
    const headers: Record<string, string> = { accept: 'application/json' };
    if (credential !== undefined) headers.authorization = basicHeader(credential);

    let response: Response;
    try {
      response = await this.#fetch(url, { headers, signal: signal ?? null });
    } catch (err) {
      throw new RegistryAuthError(this.#registry, `token service ${url.origin} unreachable`, {
        cause: err,
      });
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new RegistryAuthError(
        this.#registry,
        `token service ${url.origin}${url.pathname} answered HTTP ${response.status}` +
          (credential === undefined ? ' (no credentials were given)' : ''),
      );
    }
    const body = (await response.json()) as { token?: unknown; access_token?: unknown };
    const token = typeof body.token === 'string' ? body.token : body.access_token;
    if (typeof token !== 'string' || token === '') {
      throw new RegistryAuthError(this.#registry, 'token service answered without a token');
    }
    return `Bearer ${token}`;
  }
}
