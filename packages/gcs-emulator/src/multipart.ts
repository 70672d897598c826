// `uploadType=multipart` bodies (multipart/related): a JSON resource part, then the media part.
// Parsed on Buffers so binary media survives untouched.

import { badRequest } from './errors.ts';

export interface MultipartUpload {
  /** The parsed JSON resource part. */
  readonly resource: unknown;
  readonly media: Buffer;
  /** Content-Type of the media part, when given. */
  readonly mediaContentType?: string;
}

interface Part {
  readonly headers: Map<string, string>;
  readonly body: Buffer;
}

export function boundaryOf(contentType: string | undefined): string {
  const m = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType ?? '');
  const boundary = m?.[1] ?? m?.[2];
  if (!boundary) throw badRequest('multipart upload without a boundary in Content-Type');
  return boundary;
}

function splitParts(body: Buffer, boundary: string): Part[] {
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: Part[] = [];
  let at = body.indexOf(delimiter);
  if (at < 0) throw badRequest('multipart body without its boundary');
  for (;;) {
    let start = at + delimiter.length;
    if (body[start] === 0x2d && body[start + 1] === 0x2d) break; // "--": closing delimiter
    start = skipLineBreak(body, start);
    const next = body.indexOf(delimiter, start);
    if (next < 0) throw badRequest('multipart body is not terminated');
    // The line break before a delimiter belongs to the delimiter.
    let end = next;
    if (body[end - 1] === 0x0a) end--;
    if (body[end - 1] === 0x0d) end--;
    parts.push(parsePart(body.subarray(start, Math.max(start, end))));
    at = next;
  }
  return parts;
}

function skipLineBreak(body: Buffer, i: number): number {
  if (body[i] === 0x0d) i++;
  if (body[i] === 0x0a) i++;
  return i;
}

function parsePart(raw: Buffer): Part {
  let sep = raw.indexOf('\r\n\r\n');
  let sepLength = 4;
  if (sep < 0) {
    sep = raw.indexOf('\n\n');
    sepLength = 2;
  }
  const headers = new Map<string, string>();
  if (sep < 0) return { headers, body: raw };
  for (const line of raw.subarray(0, sep).toString('latin1').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0)
      headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return { headers, body: raw.subarray(sep + sepLength) };
}

export function parseMultipartUpload(
  body: Buffer,
  contentType: string | undefined,
): MultipartUpload {
  const parts = splitParts(body, boundaryOf(contentType));
  const [meta, media] = parts;
  if (!meta || !media) throw badRequest('multipart upload needs a resource part and a media part');
  let resource: unknown;
  try {
    resource = meta.body.length === 0 ? {} : JSON.parse(meta.body.toString('utf8'));
  } catch {
    throw badRequest('multipart resource part is not JSON');
  }
  const encoding = media.headers.get('content-transfer-encoding')?.toLowerCase();
  const data =
    encoding === 'base64'
      ? Buffer.from(media.body.toString('latin1'), 'base64')
      : Buffer.from(media.body);
  const mediaContentType = media.headers.get('content-type');
  return mediaContentType === undefined
    ? { resource, media: data }
    : { resource, media: data, mediaContentType };
}
