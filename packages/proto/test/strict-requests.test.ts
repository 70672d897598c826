import { BinaryWriter } from '@bufbuild/protobuf/wire';
import { status as GrpcCode, type ServiceError } from '@grpc/grpc-js';
import { InvalidArgumentError } from '@recon/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BadRequest,
  checkFields,
  type Checked,
  findStatusDetail,
  KeyState,
  messageNames,
  ProcessRequest,
  ProcessResponse,
  processRequestRules,
  StrictWorkqueueService,
  toReceiverStatus,
  unaryHandler,
  WorkqueueServiceService,
  type GetKeyStateRequest,
} from '../src/index.ts';
import { rawUnary, startServer, type TestServer } from './grpc-harness.ts';

/** ProcessRequest bytes with `keyBytes` as field 1, verbatim. */
function processBytes(keyBytes: Uint8Array, extra?: (w: BinaryWriter) => void): Uint8Array {
  const writer = new BinaryWriter().uint32(10).bytes(keyBytes);
  extra?.(writer);
  return writer.finish();
}

const invalidUtf8 = Uint8Array.from([0x66, 0x6f, 0xff, 0xfe]); // "fo" then two bytes that are never UTF-8

describe('checkFields', () => {
  it('accepts valid UTF-8 (multi-byte too) and safe integers', () => {
    expect(
      checkFields(processBytes(Buffer.from('ключ ✓ 🙂')), processRequestRules),
    ).toBeUndefined();
    expect(
      checkFields(
        processBytes(Buffer.from('k'), (w) => w.uint32(16).int64(-(2n ** 53n) + 1n)),
        processRequestRules,
      ),
    ).toBeUndefined();
  });

  it('names the field holding invalid UTF-8', () => {
    const error = checkFields(processBytes(invalidUtf8), processRequestRules);
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect(error).toMatchObject({ field: 'key', message: 'key: is not valid UTF-8' });
  });

  it('rejects overlong encodings and lone surrogates encoded as UTF-8', () => {
    expect(
      checkFields(processBytes(Uint8Array.from([0xc0, 0xaf])), processRequestRules)?.field,
    ).toBe('key');
    expect(
      checkFields(processBytes(Uint8Array.from([0xed, 0xa0, 0x80])), processRequestRules)?.field,
    ).toBe('key');
  });

  it('names an int64 field past 2^53 instead of letting the decoder throw', () => {
    const bytes = processBytes(Buffer.from('k'), (w) => w.uint32(16).int64(2n ** 60n));
    expect(checkFields(bytes, processRequestRules)?.field).toBe('priority');
    const delay = processBytes(Buffer.from('k'), (w) => w.uint32(24).int64(-(2n ** 62n)));
    expect(checkFields(delay, processRequestRules)?.field).toBe('delay_seconds');
  });

  it('skips unknown fields', () => {
    const bytes = processBytes(Buffer.from('k'), (w) =>
      w.uint32((999 << 3) | 2).bytes(invalidUtf8),
    );
    expect(checkFields(bytes, processRequestRules)).toBeUndefined();
  });
});

describe('StrictWorkqueueService over a real socket', () => {
  let server: TestServer;
  const seen: string[] = [];

  beforeAll(async () => {
    server = await startServer(StrictWorkqueueService, {
      process: unaryHandler<Checked<ProcessRequest>, ProcessResponse>(async (request) => {
        if (!request.ok) throw request.error;
        seen.push(request.message.key);
        return ProcessResponse.create();
      }, toReceiverStatus),
      getKeyState: unaryHandler<Checked<GetKeyStateRequest>, KeyState>(async (request) => {
        if (!request.ok) throw request.error;
        return { ...KeyState.create(), key: request.message.key };
      }, toReceiverStatus),
    });
  });
  afterAll(() => server.close());

  it('answers INVALID_ARGUMENT naming key for invalid UTF-8 bytes, and the handler stores nothing', async () => {
    for (const path of [
      WorkqueueServiceService.process.path,
      WorkqueueServiceService.getKeyState.path,
    ]) {
      const err = (await rawUnary(server.address, path, processBytes(invalidUtf8)).catch(
        (e: unknown) => e,
      )) as ServiceError;
      expect(err.code).toBe(GrpcCode.INVALID_ARGUMENT);
      expect(err.details).toBe('key: is not valid UTF-8');
      expect(
        findStatusDetail(err.metadata, messageNames.badRequest, BadRequest)?.fieldViolations[0]
          ?.field,
      ).toBe('key');
    }
    expect(seen).toEqual([]);
  });

  it('answers INVALID_ARGUMENT naming priority past 2^53 (not INTERNAL)', async () => {
    const bytes = processBytes(Buffer.from('k'), (w) => w.uint32(16).int64(2n ** 60n));
    const err = (await rawUnary(server.address, WorkqueueServiceService.process.path, bytes).catch(
      (e: unknown) => e,
    )) as ServiceError;
    expect(err.code).toBe(GrpcCode.INVALID_ARGUMENT);
    expect(err.details).toMatch(/^priority: /);
  });

  it('decodes a valid request as usual', async () => {
    const body = ProcessRequest.encode({
      ...ProcessRequest.create(),
      key: 'é-ok',
      priority: 3,
    }).finish();
    const reply = await rawUnary(server.address, WorkqueueServiceService.process.path, body);
    expect(ProcessResponse.decode(reply)).toEqual(ProcessResponse.create());
    expect(seen).toEqual(['é-ok']);
  });

  it('still answers INTERNAL for malformed protobuf, like grpc-go', async () => {
    const err = (await rawUnary(
      server.address,
      WorkqueueServiceService.process.path,
      Uint8Array.from([0x0a, 0x05, 0x61]),
    ).catch((e: unknown) => e)) as ServiceError;
    expect(err.code).toBe(GrpcCode.INTERNAL);
  });
});
