// The OCI Distribution client against a real registry (Debian's docker-registry), plus an auth
// gate in front of it for the Bearer-token and Basic flows.
import { createServer, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  MediaTypes,
  RegistryAuthError,
  RegistryClient,
  RegistryError,
  sha256Digest,
  type RegistryCredential,
} from '../src/index.ts';
import { startAuthProxy, type AuthProxy } from './support/auth-proxy.ts';
import { registryAvailable, startRegistry, type LocalRegistry } from './support/registry.ts';
import { makeTestBase, pushTestBase } from './support/test-base.ts';

const available = registryAvailable('RegistryClient tests against a real registry');

function blob(text: string): { bytes: Uint8Array; digest: ReturnType<typeof sha256Digest> } {
  const bytes = new TextEncoder().encode(text);
  return { bytes, digest: sha256Digest(bytes) };
}

describe('RegistryClient without a registry', () => {
  it('reports an unreachable registry as RegistryError with status 0 and the URL', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((resolve) => server.close(() => resolve()));

    const err = await new RegistryClient({ registry: `127.0.0.1:${port}` })
      .getManifest('x/y', 'latest')
      .catch((e: unknown) => e);
    expect(RegistryError.is(err) && err.status).toBe(0);
    expect((err as RegistryError).url).toBe(`http://127.0.0.1:${port}/v2/x/y/manifests/latest`);
  });

  it('stops on an aborted signal', async () => {
    const client = new RegistryClient({ registry: '127.0.0.1:1' });
    const err = await client
      .getManifest('x/y', 'latest', { signal: AbortSignal.abort() })
      .catch((e: unknown) => e);
    expect((err as Error).name).toBe('AbortError');
  });
});

describe.skipIf(!available)('RegistryClient', { timeout: 30_000 }, () => {
  let registry: LocalRegistry;
  let client: RegistryClient;

  beforeAll(async () => {
    registry = await startRegistry();
    client = new RegistryClient({ registry: registry.host });
  }, 30_000);
  afterAll(async () => {
    await registry?.stop();
  });

  it('talks plain http to loopback registries only', () => {
    expect(client.baseUrl).toBe(`http://${registry.host}`);
    expect(new RegistryClient({ registry: 'us-docker.pkg.dev' }).baseUrl).toBe(
      'https://us-docker.pkg.dev',
    );
    expect(new RegistryClient({ registry: 'docker.io' }).baseUrl).toBe(
      'https://registry-1.docker.io',
    );
  });

  it('pushes a blob with POST+PUT, finds it with HEAD and reads it back', async () => {
    const { bytes, digest } = blob('hello blob');
    expect(await client.hasBlob('t/blobs', digest)).toBe(false);
    await client.pushBlob('t/blobs', digest, bytes);
    expect(await client.hasBlob('t/blobs', digest)).toBe(true);
    expect(Buffer.from(await client.getBlob('t/blobs', digest)).toString()).toBe('hello blob');
  });

  it('uploads a stream body', async () => {
    const { bytes, digest } = blob('streamed '.repeat(10_000));
    const body = new Blob([Buffer.from(bytes)]).stream();
    await client.pushBlob('t/stream', digest, body);
    expect(await client.getBlob('t/stream', digest)).toEqual(bytes);
  });

  it('lets the registry refuse content that does not match the digest', async () => {
    const { digest } = blob('claimed');
    const err = await client
      .pushBlob('t/blobs', digest, blob('actual').bytes)
      .catch((e: unknown) => e);
    expect(RegistryError.is(err)).toBe(true);
    expect((err as RegistryError).status).toBe(400);
    expect((err as RegistryError).codes).toContain('DIGEST_INVALID');
  });

  it('mounts a blob from another repository of the same registry', async () => {
    const { bytes, digest } = blob('mount me');
    await client.pushBlob('t/source', digest, bytes);
    expect(await client.mountBlob('t/target', digest, 't/source')).toBe(true);
    expect(await client.hasBlob('t/target', digest)).toBe(true);
    const missing = blob('never pushed').digest;
    expect(await client.mountBlob('t/target', missing, 't/source')).toBe(false);
  });

  it('puts a manifest by tag and gets it by tag and by digest', async () => {
    const base = await makeTestBase('oci');
    const pushed = await pushTestBase(client, 't/manifests', 'v1', base);
    expect(pushed.digest).toBe(base.manifestDigest);

    const byTag = await client.getManifest('t/manifests', 'v1');
    expect(byTag).toEqual({
      mediaType: MediaTypes.ociManifest,
      bytes: new Uint8Array(base.manifestBytes),
      digest: base.manifestDigest,
    });
    const byDigest = await client.getManifest('t/manifests', base.manifestDigest);
    expect(byDigest.digest).toBe(base.manifestDigest);
  });

  it('reports an unknown manifest with its OCI error code', async () => {
    const err = await client.getManifest('t/manifests', 'nope').catch((e: unknown) => e);
    expect(RegistryError.is(err) && err.status).toBe(404);
    expect((err as RegistryError).codes).toEqual(['MANIFEST_UNKNOWN']);
  });

  describe('behind an auth gate', () => {
    const credential: RegistryCredential = { username: 'oauth2accesstoken', password: 's3cret' };
    let bearer: AuthProxy;
    let basic: AuthProxy;

    beforeAll(async () => {
      const common = { upstream: registry.host, ...credential };
      bearer = await startAuthProxy({ ...common, scheme: 'bearer' });
      basic = await startAuthProxy({ ...common, scheme: 'basic' });
    });
    afterAll(async () => {
      await Promise.all([bearer?.close(), basic?.close()]);
    });

    it('answers Bearer challenges with a token bought with the helper credentials', async () => {
      const asked: string[] = [];
      const authed = new RegistryClient({
        registry: bearer.host,
        credentials: (host) => {
          asked.push(host);
          return credential;
        },
      });
      const { bytes, digest } = blob('behind bearer');
      await authed.pushBlob('auth/app', digest, bytes);
      expect(await authed.hasBlob('auth/app', digest)).toBe(true);
      expect(await authed.getBlob('auth/app', digest)).toEqual(bytes);

      expect(asked.every((h) => h === bearer.host)).toBe(true);
      expect(bearer.tokenScopes).toEqual([['repository:auth/app:pull,push']]);
      // One challenge; the push token is reused for the PUT, HEAD and GET that follow.
      expect(bearer.challenges).toEqual(['POST /v2/auth/app/blobs/uploads/']);
    });

    it('asks for source and target scopes when mounting', async () => {
      const authed = new RegistryClient({ registry: bearer.host, credentials: () => credential });
      const { bytes, digest } = blob('mount behind bearer');
      await authed.pushBlob('auth/src', digest, bytes);
      expect(await authed.mountBlob('auth/dst', digest, 'auth/src')).toBe(true);
      expect(bearer.tokenScopes.at(-1)).toEqual([
        'repository:auth/dst:pull,push',
        'repository:auth/src:pull',
      ]);
    });

    it('fails with RegistryAuthError when the token service refuses', async () => {
      const anonymous = new RegistryClient({ registry: bearer.host });
      const wrong = new RegistryClient({
        registry: bearer.host,
        credentials: async () => ({ username: 'oauth2accesstoken', password: 'wrong' }),
      });
      for (const c of [anonymous, wrong]) {
        const err = await c.hasBlob('auth/app', blob('x').digest).catch((e: unknown) => e);
        expect(RegistryAuthError.is(err)).toBe(true);
      }
    });

    it('answers Basic challenges', async () => {
      const authed = new RegistryClient({ registry: basic.host, credentials: () => credential });
      const { bytes, digest } = blob('behind basic');
      await authed.pushBlob('auth/basic', digest, bytes);
      expect(await authed.getBlob('auth/basic', digest)).toEqual(bytes);
      expect(basic.challenges).toEqual(['POST /v2/auth/basic/blobs/uploads/']);

      const anonymous = new RegistryClient({ registry: basic.host });
      const err = await anonymous.hasBlob('auth/basic', digest).catch((e: unknown) => e);
      expect(RegistryAuthError.is(err)).toBe(true);
    });
  });
});
