import { describe, expect, it } from 'vitest';
import { InProgressCache } from '../src/in-progress-cache.ts';

describe('InProgressCache', () => {
  it('own keys are busy until released for the same generation', () => {
    const c = new InProgressCache();
    c.addMine('k', '10');
    expect(c.isBusy('k', Number.MAX_SAFE_INTEGER)).toBe(true);
    c.removeMine('k', '9');
    expect(c.hasMine('k')).toBe(true);
    c.removeMine('k', '10');
    expect(c.isBusy('k', 0)).toBe(false);
  });

  it("others' keys are busy until their lease expires by the queue clock", () => {
    const c = new InProgressCache();
    c.noteOther('k', 100);
    expect(c.isBusy('k', 99)).toBe(true);
    expect(c.isBusy('k', 100)).toBe(false);
  });

  it('a sweep replaces what is known of others, never our own keys', () => {
    const c = new InProgressCache();
    c.addMine('mine', '1');
    c.noteOther('gone', 1000);
    c.replaceOthers(
      new Map([
        ['new', 1000],
        ['mine', 1000],
      ]),
    );
    expect(c.isBusy('gone', 0)).toBe(false);
    expect(c.isBusy('new', 0)).toBe(true);
    c.removeMine('mine', '1');
    expect(c.isBusy('mine', 0)).toBe(false); // our delete proved it gone
  });

  it('starting a key forgets a stale note about another owner', () => {
    const c = new InProgressCache();
    c.noteOther('k', 1000);
    c.addMine('k', '5');
    c.removeMine('k', '5');
    expect(c.isBusy('k', 0)).toBe(false);
  });
});
