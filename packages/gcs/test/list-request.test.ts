/**
 * The listing's own transport (list-request.ts): the same JSON API call the storage client would
 * make, with its endpoint and credentials, and failures the retry policy reads as it reads the
 * client's. A local HTTP server stands in for GCS where the emulator cannot answer as needed.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Storage } from '@google-cloud/storage';
import { OAuth2Client } from 'google-auth-library';
import { afterEach, describe, expect, it } from 'vitest';
import { classifyFailure } from '../src/gcs-errors.ts';
import { requestObjectList, StorageHttpError } from '../src/list-request.ts';
import { freshBucket, useEmulator } from './emulator.ts';

const fx = useEmulator();
const fields = 'items(name,generation,metadata),nextPageToken';

describe('on the emulator', () => {
  it('pages through a prefix with the field selection and page tokens', async () => {
    const bucket = freshBucket();
    for (const name of ['queued/a', 'queued/b', 'queued/c', 'in-progress/a']) {
      await fx.storage
        .bucket(bucket)
        .file(name)
        .save('', { resumable: false, metadata: { metadata: { priority: '1' } } });
    }
    const first = (await requestObjectList(fx.storage, bucket, {
      prefix: 'queued/',
      maxResults: 2,
      fields,
    })) as { items: Record<string, unknown>[]; nextPageToken: string };
    expect(first.items.map((i) => i['name'])).toEqual(['queued/a', 'queued/b']);
    expect(Object.keys(first.items[0] ?? {}).sort()).toEqual(['generation', 'metadata', 'name']);
    const second = (await requestObjectList(fx.storage, bucket, {
      prefix: 'queued/',
      maxResults: 2,
      fields,
      pageToken: first.nextPageToken,
    })) as { items: { name: string }[]; nextPageToken?: string };
    expect(second.items.map((i) => i.name)).toEqual(['queued/c']);
    expect(second.nextPageToken).toBeUndefined();
  });
});

describe('against a stand-in server', () => {
  let server: Server | undefined;
  afterEach(async () => {
    await new Promise((resolve) => server?.close(resolve));
    server = undefined;
  });

  /** Answers every request with `status` and `body`; records the headers it saw. */
  async function standIn(
    status: number,
    body: string,
  ): Promise<{ url: string; seen: IncomingHttpHeaders[] }> {
    const seen: IncomingHttpHeaders[] = [];
    server = createServer((req, res) => {
      seen.push(req.headers);
      res.writeHead(status, { 'content-type': 'application/json' }).end(body);
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
  }

  it("sends the client's credentials when it authenticates", async () => {
    const { url, seen } = await standIn(200, '{"items":[]}');
    const authClient = new OAuth2Client();
    authClient.setCredentials({ access_token: 'token-123', expiry_date: Date.now() + 3_600_000 });
    const storage = new Storage({ apiEndpoint: url, useAuthWithCustomEndpoint: true, authClient });
    await requestObjectList(storage, 'b', { prefix: 'queued/', maxResults: 1, fields });
    expect(seen[0]?.authorization).toBe('Bearer token-123');
  });

  it('sends no credentials to an emulator endpoint', async () => {
    const { url, seen } = await standIn(200, '{}');
    const storage = new Storage({ apiEndpoint: url, projectId: 'p' });
    await requestObjectList(storage, 'b', { prefix: 'queued/', maxResults: 1, fields });
    expect(seen[0]?.authorization).toBeUndefined();
  });

  it("fails with the status and GCS's message, classified as the client's errors are", async () => {
    for (const [status, kind] of [
      [503, 'transient'],
      [429, 'transient'],
      [404, 'not-found'],
      [403, 'fatal'],
    ] as const) {
      const { url } = await standIn(
        status,
        JSON.stringify({ error: { code: status, message: `said ${status}` } }),
      );
      const storage = new Storage({ apiEndpoint: url, projectId: 'p' });
      const err = await requestObjectList(storage, 'b', {
        prefix: '',
        maxResults: 1,
        fields,
      }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(StorageHttpError);
      expect(err).toMatchObject({ code: status, message: `said ${status}` });
      expect(classifyFailure(err)).toBe(kind);
      await new Promise((resolve) => server?.close(resolve));
    }
  });

  it('a refused connection is transient and names the endpoint and the reason', async () => {
    const { url } = await standIn(200, '{}');
    await new Promise((resolve) => server?.close(resolve));
    const storage = new Storage({ apiEndpoint: url, projectId: 'p' });
    const err = await requestObjectList(storage, 'b', { prefix: '', maxResults: 1, fields }).catch(
      (e: unknown) => e,
    );
    expect(classifyFailure(err)).toBe('transient');
    expect(String(err)).toMatch(new RegExp(`cannot reach ${url}: .*ECONNREFUSED`));
  });
});
