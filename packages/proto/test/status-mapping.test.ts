import { status as GrpcCode } from '@grpc/grpc-js';
import {
  InvalidArgumentError,
  LeaseLostError,
  NotFoundError,
  UnavailableError,
  validateKey,
} from '@recon/core';
import { describe, expect, it } from 'vitest';
import {
  BadRequest,
  findStatusDetail,
  fromGrpcError,
  grpcError,
  isRetriableStatus,
  messageNames,
  readStatusDetails,
  toReceiverStatus,
  WorkqueueRpcError,
} from '../src/index.ts';

const invalidKey = (): InvalidArgumentError => {
  try {
    validateKey('');
  } catch (err) {
    return err as InvalidArgumentError;
  }
  throw new Error('validateKey accepted an empty key');
};

describe('toReceiverStatus (our errors → gRPC)', () => {
  it('InvalidArgumentError → INVALID_ARGUMENT naming the field, in text and as BadRequest', () => {
    const status = toReceiverStatus(invalidKey());
    expect(status.code).toBe(GrpcCode.INVALID_ARGUMENT);
    expect(status.details).toBe('key: must not be empty');
    expect(readStatusDetails(status.metadata)).toMatchObject({
      code: GrpcCode.INVALID_ARGUMENT,
      message: 'key: must not be empty',
    });
    expect(findStatusDetail(status.metadata, messageNames.badRequest, BadRequest)).toEqual({
      fieldViolations: [{ field: 'key', description: 'must not be empty' }],
    });
  });

  it('NotFoundError → NOT_FOUND', () => {
    expect(toReceiverStatus(new NotFoundError('no such key')).code).toBe(GrpcCode.NOT_FOUND);
  });

  it('UnavailableError and any other failure → UNAVAILABLE', () => {
    expect(toReceiverStatus(new UnavailableError('503 from GCS')).code).toBe(GrpcCode.UNAVAILABLE);
    expect(toReceiverStatus(new Error('socket hang up'))).toMatchObject({
      code: GrpcCode.UNAVAILABLE,
      details: 'storage failed: socket hang up',
    });
    expect(toReceiverStatus(new LeaseLostError('k')).code).toBe(GrpcCode.UNAVAILABLE);
    expect(toReceiverStatus('a string').code).toBe(GrpcCode.UNAVAILABLE);
  });

  it('an aborted call → CANCELLED', () => {
    expect(toReceiverStatus(new DOMException('aborted', 'AbortError')).code).toBe(
      GrpcCode.CANCELLED,
    );
  });
});

describe('fromGrpcError (gRPC → our errors)', () => {
  it('INVALID_ARGUMENT with BadRequest → InvalidArgumentError with that field', () => {
    const err = fromGrpcError(toReceiverStatus(invalidKey()));
    expect(InvalidArgumentError.is(err)).toBe(true);
    expect(err).toMatchObject({ field: 'key', message: 'key: must not be empty' });
  });

  it('INVALID_ARGUMENT without details (a Go receiver) → field "request"', () => {
    const err = fromGrpcError(grpcError(GrpcCode.INVALID_ARGUMENT, 'bad key'));
    expect(err).toMatchObject({ field: 'request', message: 'request: bad key' });
  });

  it('NOT_FOUND, UNAVAILABLE, others', () => {
    expect(NotFoundError.is(fromGrpcError(grpcError(GrpcCode.NOT_FOUND, 'x')))).toBe(true);
    const unavailable = fromGrpcError(grpcError(GrpcCode.UNAVAILABLE, 'down'));
    expect(UnavailableError.is(unavailable)).toBe(true);
    expect((unavailable as Error).cause).toMatchObject({ code: GrpcCode.UNAVAILABLE });
    const other = fromGrpcError(grpcError(GrpcCode.PERMISSION_DENIED, 'who are you'));
    expect(WorkqueueRpcError.is(other)).toBe(true);
    expect(other).toMatchObject({
      grpcCode: GrpcCode.PERMISSION_DENIED,
      message: 'PERMISSION_DENIED: who are you',
    });
  });

  it('passes non-gRPC errors through', () => {
    const plain = new Error('x');
    expect(fromGrpcError(plain)).toBe(plain);
  });

  it('only UNAVAILABLE is retriable for enqueue', () => {
    expect(isRetriableStatus(grpcError(GrpcCode.UNAVAILABLE, 'x'))).toBe(true);
    expect(isRetriableStatus(grpcError(GrpcCode.DEADLINE_EXCEEDED, 'x'))).toBe(false);
    expect(isRetriableStatus(grpcError(GrpcCode.INVALID_ARGUMENT, 'x'))).toBe(false);
    expect(isRetriableStatus(new Error('x'))).toBe(false);
  });
});

describe('toReceiverStatus pass-through', () => {
  it('returns an error that already is a gRPC status unchanged', () => {
    const status = grpcError(GrpcCode.RESOURCE_EXHAUSTED, 'quota');
    expect(toReceiverStatus(status)).toBe(status);
  });
});
