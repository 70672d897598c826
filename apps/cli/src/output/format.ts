import { formatDuration } from '@recon/core';

/** `12s ago`, `in 5m`, or `-` for no time. */
export function relativeTime(at: number | undefined, now: number): string {
  if (!at) return '-';
  const delta = now - at;
  return delta >= 0 ? `${formatDuration(delta)} ago` : `in ${formatDuration(-delta)}`;
}

/** ISO 8601 in UTC, or undefined for no time (JSON output). */
export function isoTime(at: number | undefined): string | undefined {
  return at ? new Date(at).toISOString() : undefined;
}

/** One line, at most `max` characters. */
export function oneLine(text: string | undefined, max = 80): string {
  if (!text) return '-';
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? flat.slice(0, max - 1) + '…' : flat;
}

/** `1 key`, `2 keys`. */
export function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}
