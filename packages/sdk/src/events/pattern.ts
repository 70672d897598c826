/**
 * Event-type patterns, matched segment by segment on `.`: `*` is exactly one segment, `**` is
 * any number of segments (none included). `io.example.device.*` matches
 * `io.example.device.created` but not `io.example.device.a.b`; `io.example.**` matches both;
 * `**` matches everything.
 */
import { InvalidArgumentError } from '@recon/core';

export type TypeMatcher = (type: string) => boolean;

export function compilePattern(pattern: string, field = 'pattern'): TypeMatcher {
  if (typeof pattern !== 'string' || pattern === '')
    throw new InvalidArgumentError(field, 'must be a non-empty string');
  const parts = pattern.split('.');
  if (parts.some((p) => p === ''))
    throw new InvalidArgumentError(field, `${JSON.stringify(pattern)} has an empty segment`);
  if (parts.some((p) => p !== '*' && p !== '**' && p.includes('*'))) {
    throw new InvalidArgumentError(
      field,
      `${JSON.stringify(pattern)}: '*' must be a whole segment`,
    );
  }
  return (type) => matchFrom(parts, 0, type.split('.'), 0);
}

function matchFrom(
  pattern: readonly string[],
  pi: number,
  segments: readonly string[],
  si: number,
): boolean {
  while (pi < pattern.length) {
    const p = pattern[pi];
    if (p === '**') {
      // Collapse runs of '**'; then try every split point for the rest.
      while (pattern[pi + 1] === '**') pi++;
      if (pi === pattern.length - 1) return true;
      for (let k = si; k <= segments.length; k++) {
        if (matchFrom(pattern, pi + 1, segments, k)) return true;
      }
      return false;
    }
    if (si >= segments.length) return false;
    if (p !== '*' && p !== segments[si]) return false;
    pi++;
    si++;
  }
  return si === segments.length;
}
