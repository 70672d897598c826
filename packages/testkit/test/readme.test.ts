import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const dir = dirname(fileURLToPath(import.meta.url));

it('the README opens with test/readme-example.test.ts (importing the package by name)', async () => {
  const readme = await readFile(join(dir, '..', 'README.md'), 'utf8');
  const example = await readFile(join(dir, 'readme-example.test.ts'), 'utf8');
  // The README imports the package by name; the test file imports the sources it ships.
  const asPublished = example.replace("from '../src/index.ts'", "from '@recon/testkit'");
  expect(/```ts\n([\s\S]*?)```/.exec(readme)?.[1]).toBe(asPublished);
});
