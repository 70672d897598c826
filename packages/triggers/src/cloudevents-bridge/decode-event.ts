/**
 * CloudEvents carried by Pub/Sub (the CloudEvents Pub/Sub protocol binding), flattened to their
 * context attributes (extensions included) as strings — all a filter or a key needs:
 * - binary mode: each attribute is a `ce-<name>` message attribute; the data is the event's data;
 * - structured mode: the data is a JSON CloudEvent (`content-type: application/cloudevents+json`,
 *   or JSON with a `specversion`).
 * Anything else is not a CloudEvent (`undefined`). The data itself is never read further.
 */
export interface PubsubMessageLike {
  data?: Buffer | Uint8Array | null;
  attributes?: Readonly<Record<string, string>> | null;
}

export type EventAttributes = Record<string, string>;

export function decodePubsubCloudEvent(message: PubsubMessageLike): EventAttributes | undefined {
  const attributes = message.attributes ?? {};
  const binary: EventAttributes = {};
  for (const [name, value] of Object.entries(attributes)) {
    const lower = name.toLowerCase();
    if (lower.startsWith('ce-') && lower.length > 3) binary[lower.slice(3)] = value;
  }
  if (binary['specversion'] !== undefined) return binary;
  return decodeStructured(message.data);
}

/** A structured-mode CloudEvent (JSON) → its context attributes; `undefined` if it is not one. */
export function decodeStructured(
  data: Buffer | Uint8Array | string | null | undefined,
): EventAttributes | undefined {
  if (data === null || data === undefined || data.length === 0) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(typeof data === 'string' ? data : Buffer.from(data).toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
  const event = parsed as Record<string, unknown>;
  if (typeof event['specversion'] !== 'string') return undefined;
  const out: EventAttributes = {};
  for (const [name, value] of Object.entries(event)) {
    if (name === 'data' || name === 'data_base64') continue;
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
      out[name.toLowerCase()] = String(value);
    }
  }
  return out;
}
