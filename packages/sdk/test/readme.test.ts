/** Runs the README's opening example as a program, so the documentation cannot rot. */
import { execFile } from 'node:child_process';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');

it('the README example runs', async () => {
  const readme = await readFile(join(packageDir, 'README.md'), 'utf8');
  const code = /```ts\n([\s\S]*?)```/.exec(readme)?.[1];
  expect(code).toBeDefined();
  // Inside the package, so `@recon/sdk` resolves through the workspace like a user's code would.
  const file = join(packageDir, `.readme-example-${process.pid}.ts`);
  await writeFile(file, code ?? '');
  try {
    const { stdout } = await promisify(execFile)(process.execPath, [file], {
      cwd: packageDir,
      timeout: 20_000,
    });
    expect(stdout).toMatch(/gRPC on :\d+; \/healthz and \/metrics on :\d+/);
    const keys = stdout
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { message?: string; key?: string })
      .filter((e) => e.message === 'reconciling')
      .map((e) => e.key);
    expect(keys).toEqual(['repo/recon', 'repo/recon/checks']);
  } finally {
    await rm(file, { force: true });
  }
});
