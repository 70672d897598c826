// Path patterns of a GithubPathReconciler: JavaScript regular expressions (compiled with no flags,
// as the push listener and resync job compile them), each anchored and with exactly one capture
// group — the captured part becomes the path in the key URL.
import type { ArgProblem } from './errors.ts';

/** Number of capturing groups (numbered and named) of a compiled expression. */
export function captureGroupCount(re: RegExp): number {
  // An alternative that matches the empty string makes every group report `undefined`.
  const match = new RegExp(`(?:${re.source})|`).exec('');
  return match === null ? 0 : match.length - 1;
}

/** True when the pattern ends with a `$` anchor (not an escaped `\$`). */
function endsWithAnchor(pattern: string): boolean {
  if (!pattern.endsWith('$')) return false;
  let backslashes = 0;
  for (let i = pattern.length - 2; i >= 0 && pattern[i] === '\\'; i--) backslashes++;
  return backslashes % 2 === 0;
}

export function checkPathPatterns(patterns: unknown): ArgProblem[] {
  if (!Array.isArray(patterns) || patterns.length === 0) {
    return [{ field: 'pathPatterns', message: 'at least one pattern is required' }];
  }
  const problems: ArgProblem[] = [];
  patterns.forEach((pattern: unknown, i) => {
    const field = `pathPatterns[${i}]`;
    if (typeof pattern !== 'string' || pattern.length === 0) {
      problems.push({ field, message: 'must be a non-empty string' });
      return;
    }
    let re: RegExp;
    try {
      re = new RegExp(pattern);
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      problems.push({
        field,
        message: `"${pattern}" is not a valid regular expression: ${reason}`,
      });
      return;
    }
    const groups = captureGroupCount(re);
    if (groups !== 1) {
      problems.push({
        field,
        message: `"${pattern}" has ${groups} capture groups; exactly one is required (use (?:…) for the others)`,
      });
    }
    if (!pattern.startsWith('^') || !endsWithAnchor(pattern)) {
      problems.push({
        field,
        message: `"${pattern}" must be anchored: start with ^ and end with $`,
      });
    }
  });
  return problems;
}
