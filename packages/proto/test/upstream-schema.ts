/**
 * The upstream (Go) schema, without our ext fields, built at run time as descriptors for
 * protobuf-es — an independent, conformant protobuf implementation. Decoding our bytes with it
 * is what a Go peer does: it knows fields 1–3 and treats 100+ as unknown.
 * Also google.rpc.Status over protobuf-es's own google.protobuf.Any, to read status details the
 * way Go's `status.Details()` does (resolve the Any's type URL in a registry, then unmarshal).
 */
import { create, createFileRegistry, type DescMessage } from '@bufbuild/protobuf';
import {
  FieldDescriptorProto_Label as Label,
  FieldDescriptorProto_Type as Type,
  file_google_protobuf_any,
  FileDescriptorProtoSchema,
} from '@bufbuild/protobuf/wkt';

const optional = Label.OPTIONAL;
const field = (name: string, number: number, type: Type, extra: Record<string, unknown> = {}) => ({
  name,
  number,
  type,
  label: optional,
  jsonName: name.replace(/_(\w)/g, (_, c: string) => c.toUpperCase()),
  ...extra,
});

const workqueueFile = create(FileDescriptorProtoSchema, {
  name: 'upstream/workqueue.proto',
  package: 'chainguard.workqueue',
  syntax: 'proto3',
  messageType: [
    {
      name: 'ProcessRequest',
      field: [
        field('key', 1, Type.STRING),
        field('priority', 2, Type.INT64),
        field('delay_seconds', 3, Type.INT64),
      ],
    },
    {
      name: 'ProcessResponse',
      field: [
        field('requeue_after_seconds', 1, Type.INT64),
        field('queue_keys', 2, Type.MESSAGE, {
          label: Label.REPEATED,
          typeName: '.chainguard.workqueue.QueueKeyRequest',
        }),
        field('requeue_floor', 3, Type.BOOL),
      ],
    },
    {
      name: 'QueueKeyRequest',
      field: [
        field('key', 1, Type.STRING),
        field('priority', 2, Type.INT64),
        field('delay_seconds', 3, Type.INT64),
      ],
    },
    {
      name: 'KeyState',
      field: [
        field('key', 1, Type.STRING),
        field('status', 2, Type.ENUM, { typeName: '.chainguard.workqueue.KeyState.Status' }),
        field('priority', 3, Type.INT64),
        field('attempts', 4, Type.INT32),
        field('queued_time', 5, Type.INT64),
        field('not_before_time', 6, Type.INT64),
      ],
      enumType: [
        {
          name: 'Status',
          value: [
            { name: 'UNKNOWN', number: 0 },
            { name: 'QUEUED', number: 1 },
            { name: 'IN_PROGRESS', number: 2 },
            { name: 'DEAD_LETTER', number: 3 },
          ],
        },
      ],
    },
    { name: 'NoRetryDetails', field: [field('message', 1, Type.STRING)] },
  ],
});

const statusFile = create(FileDescriptorProtoSchema, {
  name: 'upstream/status.proto',
  package: 'google.rpc',
  syntax: 'proto3',
  dependency: ['google/protobuf/any.proto'],
  messageType: [
    {
      name: 'Status',
      field: [
        field('code', 1, Type.INT32),
        field('message', 2, Type.STRING),
        field('details', 3, Type.MESSAGE, {
          label: Label.REPEATED,
          typeName: '.google.protobuf.Any',
        }),
      ],
    },
  ],
});

const workqueue = createFileRegistry(workqueueFile, () => undefined);
const status = createFileRegistry(statusFile, (name) =>
  name === 'google/protobuf/any.proto' ? file_google_protobuf_any : undefined,
);
/** Both files, for resolving Any type URLs. */
export const upstreamRegistry = createFileRegistry(workqueue, status);

function message(registry: typeof upstreamRegistry, name: string): DescMessage {
  const desc = registry.getMessage(name);
  if (!desc) throw new Error(`no ${name}`);
  return desc;
}

export const Upstream = {
  ProcessRequest: message(workqueue, 'chainguard.workqueue.ProcessRequest'),
  ProcessResponse: message(workqueue, 'chainguard.workqueue.ProcessResponse'),
  KeyState: message(workqueue, 'chainguard.workqueue.KeyState'),
  NoRetryDetails: message(workqueue, 'chainguard.workqueue.NoRetryDetails'),
  Status: message(status, 'google.rpc.Status'),
};
