// Bucket methods. Buckets also appear on their own on first use by any object operation.

import type { ApiContext } from './api-context.ts';
import { parseJsonBody } from './api-context.ts';
import { badRequest, notFound } from './errors.ts';
import type { ApiRequest, Reply } from './http-io.ts';
import { bucketResource } from './resource.ts';
import { validateBucketName } from './routes.ts';

export async function insertBucket(ctx: ApiContext, req: ApiRequest): Promise<Reply> {
  const body = parseJsonBody(req.body);
  const name =
    typeof body === 'object' && body !== null
      ? (body as Record<string, unknown>)['name']
      : undefined;
  if (typeof name !== 'string') throw badRequest('Required: bucket name');
  const rec = await ctx.store.createBucket(validateBucketName(name));
  return { status: 200, body: bucketResource(rec, req.baseUrl), operation: 'buckets.insert' };
}

export function getBucket(ctx: ApiContext, req: ApiRequest, bucket: string): Reply {
  const b = ctx.store.getBucket(bucket);
  if (!b) throw notFound(`The bucket ${bucket} does not exist.`);
  return { status: 200, body: bucketResource(b.record, req.baseUrl), operation: 'buckets.get' };
}

export function listBuckets(ctx: ApiContext, req: ApiRequest): Reply {
  const prefix = req.query.get('prefix') ?? '';
  const items = ctx.store
    .listBuckets()
    .filter((b) => b.name.startsWith(prefix))
    .map((b) => bucketResource(b, req.baseUrl));
  return {
    status: 200,
    body: items.length ? { kind: 'storage#buckets', items } : { kind: 'storage#buckets' },
    operation: 'buckets.list',
  };
}

export async function deleteBucket(ctx: ApiContext, bucket: string): Promise<Reply> {
  await ctx.store.deleteBucket(bucket);
  return { status: 204, operation: 'buckets.delete' };
}
