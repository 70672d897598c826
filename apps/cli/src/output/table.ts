import { visibleWidth } from './style.ts';

export interface TableOptions {
  /** Column titles; printed first. */
  header?: readonly string[];
  /** Columns aligned to the right (numbers), by index. */
  alignRight?: readonly number[];
  /** Cut each line to this many characters (terminal width). Default: no limit. */
  maxWidth?: number;
  /** Styles the header. Default: as is. */
  headerStyle?: (text: string) => string;
}

/** Aligned columns separated by two spaces; the last column is never padded. */
export function renderTable(
  rows: readonly (readonly string[])[],
  options: TableOptions = {},
): string {
  const all = options.header ? [options.header, ...rows] : rows;
  const widths: number[] = [];
  for (const row of all) {
    row.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, visibleWidth(cell));
    });
  }
  const right = new Set(options.alignRight ?? []);
  const line = (row: readonly string[]) =>
    row
      .map((cell, i) => {
        const pad = ' '.repeat(Math.max(0, (widths[i] ?? 0) - visibleWidth(cell)));
        if (right.has(i)) return pad + cell;
        return i === row.length - 1 ? cell : cell + pad;
      })
      .join('  ');
  const lines = all.map((row, index) => {
    const text = line(row);
    const styled =
      index === 0 && options.header && options.headerStyle ? options.headerStyle(text) : text;
    return options.maxWidth && visibleWidth(text) > options.maxWidth
      ? cut(styled, options.maxWidth)
      : styled;
  });
  return lines.join('\n');
}

/** Label/value pairs as two aligned columns. */
export function renderPairs(pairs: ReadonlyArray<readonly [string, string]>): string {
  return renderTable(pairs.map(([k, v]) => [k, v]));
}

function cut(text: string, width: number): string {
  // Lines with colour codes are left whole: cutting could leave a colour open.
  if (visibleWidth(text) !== text.length) return text;
  return text.length > width ? text.slice(0, Math.max(0, width - 1)) + '…' : text;
}
