import { describe, expect, it } from 'vitest';
import { desiredLabels, parseConventionalTitle, planLabels } from '../src/conventional-title.ts';

describe('conventional titles', () => {
  it.each([
    ['feat: add widgets', ['type: feat']],
    ['fix(api): handle nulls', ['type: fix']],
    ['refactor(core)!: drop v1', ['type: refactor', 'breaking-change']],
  ])('%s → %j', (title, labels) => {
    expect(desiredLabels(parseConventionalTitle(title))).toEqual(labels);
  });

  it.each([
    'Add widgets',
    'feature: add widgets',
    'feat:no space',
    'feat(): empty scope',
    'feat: ',
  ])('rejects %j, saying why', (title) => {
    const parsed = parseConventionalTitle(title);
    expect(parsed.valid).toBe(false);
    if (!parsed.valid) expect(parsed.problem).not.toBe('');
    expect(desiredLabels(parsed)).toEqual([]);
  });

  it('plans only managed labels', () => {
    expect(planLabels(['type: fix', 'breaking-change', 'help wanted'], ['type: feat'])).toEqual({
      add: ['type: feat'],
      remove: ['type: fix', 'breaking-change'],
    });
    expect(planLabels(['type: feat'], ['type: feat'])).toEqual({ add: [], remove: [] });
  });
});
