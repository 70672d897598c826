// The packer behind `npm run pack:packages` (tools/scripts/pack-packages.ts): its pure parts.
import { describe, expect, it } from 'vitest';
import { packedManifest, toDist } from '../../../tools/scripts/pack/manifest.ts';
import {
  bareSpecifiers,
  packageNameOf,
  type WorkspacePackage,
} from '../../../tools/scripts/pack/workspaces.ts';

describe('packing workspace packages', () => {
  it('finds bare specifiers in static, dynamic and type imports', () => {
    const text = [
      "import { a } from '@recon/core';",
      "import type { B } from '@google-cloud/storage';",
      "export * from './local.js';",
      "const m = await import('@recon/receiver');",
      "import x from 'node:fs';",
      'export { y } from "commander";',
    ].join('\n');
    expect(bareSpecifiers(text).sort()).toEqual([
      '@google-cloud/storage',
      '@recon/core',
      '@recon/receiver',
      'commander',
    ]);
    expect(packageNameOf('@pulumi/pulumi/automation')).toBe('@pulumi/pulumi');
    expect(packageNameOf('cli-progress')).toBe('cli-progress');
  });

  it('points exports and bin at the emitted JavaScript and lists every import as a dependency', () => {
    const pkg: WorkspacePackage = {
      name: '@recon/cli',
      version: '0.1.0',
      dir: process.cwd(),
      rel: 'apps/cli',
      manifest: {
        name: '@recon/cli',
        version: '0.1.0',
        type: 'module',
        exports: { '.': './src/index.ts', './testing': './src/testing/index.ts' },
        bin: { recon: './src/bin.ts' },
        scripts: { test: 'vitest run' },
        nx: { tags: ['type:app'] },
        dependencies: { '@recon/core': '*' },
      },
    };
    const workspace = new Map([['@recon/core', { ...pkg, name: '@recon/core', version: '0.2.0' }]]);
    const { manifest, missing } = packedManifest({
      pkg,
      imports: ['@recon/core', 'commander', 'node:path', 'fs', 'no-such-package-anywhere'],
      workspace,
      resolveFrom: process.cwd(),
    });
    expect(missing).toEqual(['no-such-package-anywhere']);
    expect(manifest).toMatchObject({
      exports: {
        '.': { types: './dist/index.d.ts', default: './dist/index.js' },
        './testing': { types: './dist/testing/index.d.ts', default: './dist/testing/index.js' },
      },
      bin: { recon: './dist/bin.js' },
      dependencies: {
        '@recon/core': '0.2.0',
        commander: expect.stringMatching(/^\d+\.\d+\.\d+/) as unknown,
      },
    });
    expect(manifest).not.toHaveProperty('scripts');
    expect(manifest).not.toHaveProperty('nx');
    expect(toDist('./src/a/b.ts', '.d.ts')).toBe('./dist/a/b.d.ts');
  });
});
