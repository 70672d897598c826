import { describe, expect, it } from 'vitest';
import { runDemo } from '../src/demo.ts';

describe('the standalone demo (src/main.ts)', () => {
  it('runs every step to convergence in real time', async () => {
    const lines: string[] = [];
    await runDemo({ print: (l) => void lines.push(l), installMs: 100, pollMs: 50 });
    const text = lines.join('\n');
    expect(text).toContain('line-a: 3/3 ready');
    expect(text).toContain('event io.example.device.reset line-a-1');
    expect(text).toContain('line-a: 2/2 ready');
    expect(text).toContain(
      'the store cascaded: device-group/line-a, device/line-a-0, device/line-a-1',
    );
    expect(lines.at(-1)).toMatch(/fleet now: lab-1$/);
  });
});
