/**
 * The project templates of `recon init`: files under `apps/cli/templates/<name>/` (and
 * `common/`, which every template shares and may override; `{{> name}}` includes
 * `partials/name.md.tmpl`), each ending in `.tmpl` so no tool
 * of this repository mistakes them for its own sources. `{{var}}` is replaced; `_gitignore`
 * becomes `.gitignore`. package.json files and recon.config.json are built here, because their
 * dependencies depend on where the packages come from.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DependencySource } from './init-packages.ts';

export const templates = {
  basic: {
    summary: 'a reconciler with its tests on the test kit',
    packages: [],
    exampleKey: 'hello',
  },
  'github-pr': {
    summary: 'reconciles GitHub pull requests (keys parsed by @recon/github)',
    packages: ['@recon/github'],
    exampleKey: 'https://github.com/OWNER/REPO/pull/1',
  },
  'github-path': {
    summary: 'reconciles files of a GitHub repository (push events + periodic resync)',
    packages: ['@recon/github'],
    exampleKey: 'https://github.com/OWNER/REPO/blob/main/config/app.yaml',
  },
  cloudevents: {
    summary: 'reconciles keys carried by CloudEvents from a broker',
    packages: [],
    exampleKey: 'orders/1001',
  },
} as const satisfies Record<
  string,
  { summary: string; packages: readonly string[]; exampleKey: string }
>;

export type TemplateName = keyof typeof templates;

export function isTemplateName(name: string): name is TemplateName {
  return Object.hasOwn(templates, name);
}

/** Versions of third-party tools a project gets; a test keeps them equal to this repository's. */
export const toolVersions = {
  node: '24.21.0',
  typescript: '5.9.3',
  vitest: '5.1.0',
  '@types/node': '24.19.2',
  '@pulumi/pulumi': '3.270.0',
} as const;

/** Every @recon package a project of this template depends on (for packing). */
export function reconPackagesFor(template: TemplateName): string[] {
  return [
    '@recon/sdk',
    '@recon/testkit',
    '@recon/cli',
    '@recon/pulumi-gcp',
    ...templates[template].packages,
  ];
}

export interface RenderOptions {
  template: TemplateName;
  /** npm package name and the reconciler's name. */
  name: string;
  deps: DependencySource;
}

/** Relative path → content of every file of the new project. */
export async function renderProject(options: RenderOptions): Promise<Map<string, string>> {
  const vars: Record<string, string> = {
    name: options.name,
    baseName: baseNameOf(options.name),
    template: options.template,
    exampleKey: templates[options.template].exampleKey,
  };
  const files = new Map<string, string>();
  for (const source of ['common', options.template]) {
    const dir = join(templatesDir(), source);
    for (const file of await listFiles(dir)) {
      const target = relative(dir, file)
        .replace(/\.tmpl$/, '')
        .replace(/(^|\/)_gitignore$/, '$1.gitignore');
      const text = await withPartials(await readFile(file, 'utf8'));
      files.set(target, substitute(text, vars, target));
    }
  }
  files.set('package.json', json(projectManifest(options)));
  files.set('infra/package.json', json(infraManifest(options)));
  files.set('recon.config.json', json(projectConfig()));
  return new Map([...files].sort(([a], [b]) => (a < b ? -1 : 1)));
}

export function templatesDir(): string {
  return fileURLToPath(new URL('../../templates/', import.meta.url));
}

function projectManifest({ name, template, deps }: RenderOptions): Record<string, unknown> {
  const runtime = ['@recon/sdk', ...templates[template].packages];
  return {
    name,
    version: '0.1.0',
    private: true,
    type: 'module',
    scripts: {
      test: 'vitest run',
      dev: 'recon dev',
      typecheck: 'tsc -p tsconfig.json',
      deploy: 'recon deploy',
    },
    dependencies: Object.fromEntries(runtime.map((p) => [p, deps.spec(p)])),
    devDependencies: {
      '@recon/cli': deps.spec('@recon/cli'),
      '@recon/testkit': deps.spec('@recon/testkit'),
      '@types/node': toolVersions['@types/node'],
      node: toolVersions.node,
      typescript: toolVersions.typescript,
      vitest: toolVersions.vitest,
    },
    ...(deps.overrides ? { overrides: deps.overrides } : {}),
  };
}

function infraManifest({ name, deps }: RenderOptions): Record<string, unknown> {
  return {
    name: `${name}-infra`,
    version: '0.1.0',
    private: true,
    type: 'module',
    main: 'index.ts',
    dependencies: {
      '@pulumi/pulumi': toolVersions['@pulumi/pulumi'],
      '@recon/pulumi-gcp': deps.spec('@recon/pulumi-gcp'),
    },
    devDependencies: {
      '@types/node': toolVersions['@types/node'],
      typescript: toolVersions.typescript,
    },
    ...(deps.overrides ? { overrides: deps.overrides } : {}),
  };
}

function projectConfig(): Record<string, unknown> {
  return {
    reconciler: 'src/reconciler.ts',
    infra: 'infra',
    stacks: ['dev'],
    queues: { local: {} },
    deploy: { serve: 'src/serve.ts' },
  };
}

/** A Cloud resource base name: lowercase letters, digits, hyphens; a letter first; short. */
export function baseNameOf(name: string): string {
  const cleaned = name
    .replace(/^@[^/]+\//, '')
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^[^a-z]+/, '')
    .slice(0, 20)
    .replace(/-+$/, '');
  return cleaned || 'reconciler';
}

/** `{{> name}}` → the text of `templates/partials/name.md.tmpl`. */
async function withPartials(text: string): Promise<string> {
  let out = text;
  for (const m of text.matchAll(/\{\{> ([\w-]+)\}\}/g)) {
    const partial = await readFile(join(templatesDir(), 'partials', `${m[1]}.md.tmpl`), 'utf8');
    out = out.replace(m[0], partial.trimEnd());
  }
  return out;
}

function substitute(text: string, vars: Record<string, string>, file: string): string {
  return text.replace(/\{\{(\w+)\}\}/g, (whole, key: string) => {
    const value = vars[key];
    if (value === undefined) throw new Error(`template ${file}: unknown variable ${whole}`);
    return value;
  });
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

function json(value: unknown): string {
  return JSON.stringify(value, null, 2) + '\n';
}
