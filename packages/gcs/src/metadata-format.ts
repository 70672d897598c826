/**
 * Scalar codecs for object metadata, in the formats the Go workqueue writes and reads. Parsers are
 * lenient (a peer's odd value must not wedge a key) and return undefined for what they cannot read;
 * the caller picks the fallback.
 */

/** Go writes "no not-before" as the zero time, formatted RFC 3339. */
export const zeroTime = '0001-01-01T00:00:00Z';

const maxPadded = 99_999_999;

/** `%08d` for 0..99999999 (what Go writes and sorts as text), plain decimal otherwise. */
export function formatPriority(priority: number): string {
  return priority >= 0 && priority <= maxPadded
    ? String(priority).padStart(8, '0')
    : String(priority);
}

/** A decimal integer, zero-padded or not, possibly negative. Never compared as text. */
export function parseInteger(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const t = text.trim();
  if (!/^[+-]?\d+$/.test(t)) return undefined;
  const n = Number(t);
  return Number.isSafeInteger(n) ? n : undefined;
}

/** A count such as `attempts`: a non-negative decimal; missing or malformed reads as undefined. */
export function parseCount(text: string | undefined): number | undefined {
  const n = parseInteger(text);
  return n !== undefined && n >= 0 ? n : undefined;
}

const rfc3339 = /^(\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

/** RFC 3339 (any offset, any fraction) to Unix ms; undefined when it is not RFC 3339. */
export function parseRfc3339(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const m = rfc3339.exec(text.trim());
  if (!m) return undefined;
  const fraction = (m[2] ?? '').slice(0, 4); // '.' and at most three digits: ms precision
  const zone = m[3] === 'z' ? 'Z' : m[3];
  const ms = Date.parse(`${m[1]?.replace(/[t ]/, 'T')}${fraction}${zone}`);
  return Number.isFinite(ms) ? ms : undefined;
}

/** RFC 3339 UTC at second precision, rounded up so a Go peer never runs a key early. */
export function formatSecondsCeil(ms: number): string {
  return new Date(Math.ceil(ms / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** RFC 3339 UTC at second precision, rounded down (a moment that has passed: failed-time). */
export function formatSecondsFloor(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** RFC 3339 UTC with milliseconds (Go's RFC 3339 parser accepts the fraction). */
export function formatMillis(ms: number): string {
  return new Date(ms).toISOString();
}

/** Unix seconds, as `last-attempted` holds them. */
export function formatUnixSeconds(ms: number): string {
  return String(Math.floor(ms / 1000));
}

export function parseUnixSeconds(text: string | undefined): number | undefined {
  const s = parseInteger(text);
  return s === undefined ? undefined : s * 1000;
}

export function parseUnixMillis(text: string | undefined): number | undefined {
  return parseInteger(text);
}
