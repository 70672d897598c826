// Dispatches a parsed route to its handler.

import type { ApiContext } from './api-context.ts';
import { deleteBucket, getBucket, insertBucket, listBuckets } from './api-buckets.ts';
import {
  composeObject,
  copyObject,
  deleteObject,
  getObject,
  list,
  updateObject,
} from './api-objects.ts';
import { continueUpload, startUpload } from './api-uploads.ts';
import type { ApiRequest, Reply } from './http-io.ts';
import type { Route } from './routes.ts';

export async function dispatch(ctx: ApiContext, req: ApiRequest, route: Route): Promise<Reply> {
  switch (route.kind) {
    case 'buckets.list':
      return listBuckets(ctx, req);
    case 'buckets.insert':
      return insertBucket(ctx, req);
    case 'buckets.get':
      return getBucket(ctx, req, route.bucket);
    case 'buckets.delete':
      return deleteBucket(ctx, route.bucket);
    case 'objects.list':
      return list(ctx, req, route.bucket);
    case 'upload.start':
      return startUpload(ctx, req, route.bucket);
    case 'upload.session':
      return continueUpload(ctx, req, route.bucket, route.uploadId);
    case 'objects.get':
      return getObject(ctx, req, route.bucket, route.object, route.media === true);
    case 'objects.patch':
      return updateObject(ctx, req, route.bucket, route.object, 'patch');
    case 'objects.update':
      return updateObject(ctx, req, route.bucket, route.object, 'update');
    case 'objects.delete':
      return deleteObject(ctx, req, route.bucket, route.object);
    case 'objects.copy':
      return copyObject(ctx, req, route, 'copy');
    case 'objects.rewrite':
      return copyObject(ctx, req, route, 'rewrite');
    case 'objects.compose':
      return composeObject(ctx, req, route.bucket, route.object);
  }
}
