import { anyUnpack } from '@bufbuild/protobuf/wkt';
import { fromBinary } from '@bufbuild/protobuf';
import { status as GrpcCode } from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import {
  nonRetriableError,
  statusDetailsKey,
  unpackAny,
  NoRetryDetails,
  messageNames,
} from '../src/index.ts';
import { Upstream, upstreamRegistry } from './upstream-schema.ts';

/** Length-delimited field: tag, varint length (< 128 here), bytes. */
const ld = (tag: number, body: Buffer) => Buffer.concat([Buffer.from([tag, body.length]), body]);
const str = (s: string) => Buffer.from(s, 'utf8');

describe('NoRetryDetails as a Go peer expects it', () => {
  const error = nonRetriableError('bad input');
  const trailer = error.metadata.get(statusDetailsKey)[0] as Buffer;

  it('is exactly google.rpc.Status{code, message, details:[Any{type_url, value}]} in binary', () => {
    const noRetry = ld(0x0a, str('bad input')); // NoRetryDetails.message = 1
    const any = Buffer.concat([
      ld(0x0a, str('type.googleapis.com/chainguard.workqueue.NoRetryDetails')), // type_url = 1
      ld(0x12, noRetry), // value = 2
    ]);
    const expected = Buffer.concat([
      Buffer.from([0x08, GrpcCode.UNKNOWN]), // code = 1
      ld(0x12, str('bad input')), // message = 2
      ld(0x1a, any), // details = 3
    ]);
    expect(trailer.toString('hex')).toBe(expected.toString('hex'));
  });

  it('unpacks through an independent implementation resolving the type URL in a registry', () => {
    const status = fromBinary(Upstream.Status, trailer) as unknown as {
      code: number;
      message: string;
      details: Parameters<typeof anyUnpack>[0][];
    };
    expect(status.code).toBe(GrpcCode.UNKNOWN);
    expect(status.message).toBe('bad input');
    const detail = anyUnpack(status.details[0]!, upstreamRegistry) as unknown as {
      $typeName: string;
      message: string;
    };
    expect(detail.$typeName).toBe('chainguard.workqueue.NoRetryDetails');
    expect(detail.message).toBe('bad input');
  });

  it('unpackAny matches the name after the last slash, like Go', () => {
    const value = Buffer.from(NoRetryDetails.encode({ message: 'm' }).finish());
    expect(
      unpackAny(
        { typeUrl: 'example.com/x/chainguard.workqueue.NoRetryDetails', value },
        messageNames.noRetryDetails,
        NoRetryDetails,
      ),
    ).toEqual({ message: 'm' });
    expect(
      unpackAny(
        { typeUrl: 'type.googleapis.com/other.Message', value },
        messageNames.noRetryDetails,
        NoRetryDetails,
      ),
    ).toBeUndefined();
  });
});
