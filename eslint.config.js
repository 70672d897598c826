// Lint: type-aware promise rules (no floating promises) plus Nx module boundaries.
import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

const depConstraints = [
  // The contract is free of I/O and of every other layer.
  { sourceTag: 'type:core', onlyDependOnLibsWithTags: ['type:core'] },
  // Storage backends implement the contract and nothing more.
  { sourceTag: 'type:backend', onlyDependOnLibsWithTags: ['type:core', 'type:proto'] },
  { sourceTag: 'type:proto', onlyDependOnLibsWithTags: ['type:core', 'type:proto'] },
  // Libraries build on the contract, the wire and backends; never on apps or infra.
  {
    sourceTag: 'type:lib',
    onlyDependOnLibsWithTags: ['type:core', 'type:proto', 'type:backend', 'type:lib'],
  },
  // Services and apps compose libraries; infra never imports runtime code.
  {
    sourceTag: 'type:app',
    onlyDependOnLibsWithTags: ['type:core', 'type:proto', 'type:backend', 'type:lib', 'type:app'],
  },
  { sourceTag: 'type:infra', onlyDependOnLibsWithTags: ['type:infra'] },
  {
    sourceTag: 'type:tool',
    onlyDependOnLibsWithTags: [
      'type:core',
      'type:proto',
      'type:backend',
      'type:lib',
      'type:app',
      'type:tool',
    ],
  },
];

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      '**/.nx/**',
      '**/.recon/**',
      'packages/proto/src/gen/**',
      '**/templates/**',
      '**/static/**',
      '**/*.js',
      '**/*.mjs',
      '**/*.cjs',
    ],
  },
  {
    files: ['**/*.ts'],
    plugins: { '@nx': nx, '@typescript-eslint': tseslint.plugin },
    languageOptions: {
      parser: tseslint.parser,
      // One program for the whole tree: a project service per package runs out of memory.
      parserOptions: { project: './tsconfig.json', tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          depConstraints,
          // The CLI imports services lazily to start fast; other files may import them statically.
          checkDynamicDependenciesExceptions: ['@recon/*'],
        },
      ],
    },
  },
  {
    // Tests are not shipped: a backend's test may run the conformance suite (a lib), and test-only
    // dependencies make project cycles that no runtime import follows.
    files: ['**/test/**/*.ts'],
    rules: { '@nx/enforce-module-boundaries': 'off' },
  },
  prettier,
);
