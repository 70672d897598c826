/**
 * Path patterns of a path reconciler: regexes over repository paths, each anchored (`^…$`) with
 * exactly one capture group. The first pattern that matches a path wins, and its capture is the
 * part of the key after `blob/<branch>/` — so several files can share one key (capture a
 * directory), and a file no pattern matches has no key.
 */
import { ConfigError } from '@recon/core';

export interface PathPatterns {
  readonly sources: readonly string[];
  /** The first matching pattern's capture, or `undefined` (no match, or an empty capture). */
  match(path: string): string | undefined;
}

/** Every problem with `patterns`, each naming `field[i]`; empty when they are all usable. */
export function pathPatternProblems(patterns: unknown, field = 'PATH_PATTERNS'): string[] {
  if (!Array.isArray(patterns) || patterns.length === 0) {
    return [`${field} must be a non-empty JSON array of regular expressions`];
  }
  const problems: string[] = [];
  patterns.forEach((p: unknown, i) => {
    const name = `${field}[${i}]`;
    if (typeof p !== 'string' || p === '') {
      problems.push(`${name} must be a non-empty string`);
      return;
    }
    let re: RegExp;
    try {
      re = new RegExp(p);
    } catch (err) {
      problems.push(
        `${name} ${JSON.stringify(p)} is not a valid regular expression: ${(err as Error).message}`,
      );
      return;
    }
    if (!p.startsWith('^') || !p.endsWith('$') || /(^|[^\\])(\\\\)*\\\$$/.test(p)) {
      problems.push(`${name} ${JSON.stringify(p)} must be anchored: start with ^ and end with $`);
    }
    const groups = (new RegExp(`${re.source}|`).exec('')?.length ?? 1) - 1;
    if (groups !== 1) {
      problems.push(
        `${name} ${JSON.stringify(p)} must have exactly one capture group (the key's path), found ${groups}; use (?:…) for the others`,
      );
    }
  });
  return problems;
}

/** Compiles validated patterns; ConfigError listing every problem otherwise. */
export function compilePathPatterns(patterns: unknown, field = 'PATH_PATTERNS'): PathPatterns {
  const problems = pathPatternProblems(patterns, field);
  if (problems.length > 0) throw new ConfigError(problems);
  const sources = patterns as string[];
  const compiled = sources.map((p) => new RegExp(p));
  return {
    sources,
    match(path) {
      for (const re of compiled) {
        const m = re.exec(path);
        if (m) return m[1] ? m[1] : undefined;
      }
      return undefined;
    },
  };
}

/** Parses `PATH_PATTERNS` (a JSON array of strings); problems are pushed, naming the variable. */
export function parsePathPatterns(
  raw: string | undefined,
  problems: string[],
  field = 'PATH_PATTERNS',
): PathPatterns | undefined {
  if (raw === undefined || raw.trim() === '') {
    problems.push(
      `${field} is required (a JSON array of anchored regexes, each with one capture group)`,
    );
    return undefined;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    problems.push(`${field} must be JSON: an array of regular expression strings`);
    return undefined;
  }
  const found = pathPatternProblems(parsed, field);
  if (found.length > 0) {
    problems.push(...found);
    return undefined;
  }
  return compilePathPatterns(parsed, field);
}
