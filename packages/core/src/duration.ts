import { InvalidArgumentError } from './errors.ts';

const unitMs: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * Parses `500ms`, `30s`, `5m`, `2h`, `1h30m` or `1.5s` into milliseconds. A bare number is seconds
 * (the Go binaries' `300` style). Throws InvalidArgumentError naming `field`.
 */
export function parseDuration(text: string, field = 'duration'): number {
  const s = text.trim();
  if (/^\d+(\.\d+)?$/.test(s)) return Math.round(Number(s) * 1000);
  const part = /(\d+(?:\.\d+)?)(ms|s|m|h)/gy;
  let total = 0;
  let matched = 0;
  let m: RegExpExecArray | null;
  while ((m = part.exec(s)) !== null) {
    total += Number(m[1]) * (unitMs[m[2] ?? ''] ?? 0);
    matched = part.lastIndex;
  }
  if (s === '' || matched !== s.length) {
    throw new InvalidArgumentError(
      field,
      `${JSON.stringify(text)} is not a duration (use e.g. 500ms, 30s, 5m, 2h)`,
    );
  }
  return Math.round(total);
}

/** Formats milliseconds compactly for humans: `850ms`, `12s`, `5m30s`, `2h`. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  const sign = ms < 0 ? '-' : '';
  let rest = Math.abs(Math.round(ms));
  if (rest < 1000) return `${sign}${rest}ms`;
  rest = Math.floor(rest / 1000);
  const h = Math.floor(rest / 3600);
  const m = Math.floor((rest % 3600) / 60);
  const s = rest % 60;
  return sign + (h ? `${h}h` : '') + (m ? `${m}m` : '') + (s || (!h && !m) ? `${s}s` : '');
}
