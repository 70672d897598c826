import { describe, expect, it } from 'vitest';
import { oneLine, plural, relativeTime } from '../src/output/format.ts';
import { startProgress } from '../src/output/progress.ts';
import { createStyle, visibleWidth } from '../src/output/style.ts';
import { renderTable } from '../src/output/table.ts';
import { testContext } from './support/run-cli.ts';

describe('output', () => {
  it('aligns columns, numbers to the right, and never pads the last column', () => {
    const text = renderTable(
      [
        ['a', '1', 'x'],
        ['longer', '100', 'y'],
      ],
      { header: ['KEY', 'N', 'NOTE'], alignRight: [1] },
    );
    expect(text).toBe('KEY       N  NOTE\na         1  x\nlonger  100  y');
  });

  it('measures and aligns coloured cells by their visible width', () => {
    const style = createStyle(true);
    expect(visibleWidth(style.red('abc'))).toBe(3);
    expect(
      renderTable([
        [style.red('a'), 'b'],
        ['cc', 'd'],
      ]),
    ).toBe(`${style.red('a')}   b\ncc  d`);
  });

  it('cuts long lines to the terminal width', () => {
    expect(renderTable([['k', 'x'.repeat(50)]], { maxWidth: 20 })).toBe(`k  ${'x'.repeat(16)}…`);
  });

  it('has no colour off a terminal', () => {
    const style = createStyle(false);
    expect(style.red('x') + style.bold('y') + style.dim('z')).toBe('xyz');
  });

  it('formats times, plurals and one-line errors', () => {
    expect(relativeTime(1000, 6000)).toBe('5s ago');
    expect(relativeTime(7000, 6000)).toBe('in 1s');
    expect(relativeTime(undefined, 6000)).toBe('-');
    expect(plural(1, 'key')).toBe('1 key');
    expect(plural(2, 'key')).toBe('2 keys');
    expect(oneLine('a\n  b', 80)).toBe('a b');
    expect(oneLine('x'.repeat(10), 5)).toBe('xxxx…');
  });

  it('draws a progress bar only on a terminal', () => {
    const plain = testContext({ cwd: '/' });
    const off = startProgress(plain, { total: 3, label: 'moving', enabled: true });
    off.update(1, 'k');
    off.stop();
    expect(plain.err).toEqual([]);

    const tty = testContext({ cwd: '/', isTTY: true });
    const on = startProgress(tty, { total: 3, label: 'moving', enabled: true });
    on.update(3, 'k');
    on.stop();
    expect(tty.err.join('')).toContain('moving [');
    expect(tty.err.join('')).toContain('3/3 k');
  });
});
