import { describe, expect, it } from 'vitest';
import { validateServiceConfig } from '../src/service-config.ts';

const valid = {
  name: 'checkout',
  owner: 'team-payments',
  replicas: 3,
  image: 'ghcr.io/acme/checkout:1.4.2',
};

const check = (doc: unknown) =>
  validateServiceConfig('services/checkout.json', JSON.stringify(doc));

describe('service config validation', () => {
  it('accepts a complete file, pinned by tag or by digest', () => {
    expect(check(valid)).toEqual([]);
    expect(
      check({
        ...valid,
        image: `ghcr.io/acme/checkout@sha256:${'a'.repeat(64)}`,
        env: { A_B: '1' },
      }),
    ).toEqual([]);
    expect(check({ ...valid, image: 'localhost:5000/checkout:1' })).toEqual([]);
  });

  it('rejects what does not parse, or is not an object', () => {
    expect(validateServiceConfig('services/x.json', '{ "name": ')[0]).toMatch(/^not valid JSON/);
    expect(validateServiceConfig('services/x.json', '[]')).toEqual([
      'the document must be a JSON object',
    ]);
  });

  it.each([
    [{ ...valid, name: 'cart' }, 'name: must match the file name "checkout", got "cart"'],
    [{ ...valid, owner: ' ' }, 'owner: required, the owning team (a non-empty string)'],
    [{ ...valid, replicas: 1.5 }, 'replicas: required, an integer from 1 to 100, got 1.5'],
    [{ ...valid, replicas: '3' }, 'replicas: required, an integer from 1 to 100, got "3"'],
    [
      { ...valid, image: 'ghcr.io/acme/checkout' },
      'image: must be pinned to a tag or digest, got "ghcr.io/acme/checkout"',
    ],
    [
      { ...valid, image: 'localhost:5000/checkout' },
      'image: must be pinned to a tag or digest, got "localhost:5000/checkout"',
    ],
    [
      { ...valid, image: 'ghcr.io/acme/checkout:latest' },
      'image: must not use the moving tag "latest"',
    ],
    [{ ...valid, env: { lower: 'x' } }, 'env.lower: must be an UPPER_SNAKE_CASE name'],
    [{ ...valid, env: { PORT: 8080 } }, 'env.PORT: must be a string, got 8080'],
    [
      { ...valid, replica: 2 },
      'replica: unknown field (allowed: name, owner, replicas, image, env)',
    ],
  ])('names the field: %j', (doc, problem) => {
    expect(check(doc)).toEqual([problem]);
  });
});
