import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import type { CliContext } from '../context.ts';
import { CommandError, UsageError } from '../errors.ts';
import { printJson } from '../output/json.ts';
import { createStyle } from '../output/style.ts';
import {
  registrySource,
  tarballSource,
  workspaceRoot,
  type DependencySource,
} from './init-packages.ts';
import {
  isTemplateName,
  reconPackagesFor,
  renderProject,
  templates,
  type TemplateName,
} from './init-templates.ts';

interface InitFlags {
  template: string;
  name?: string;
  force?: boolean;
  linkWorkspace?: boolean;
  packages?: string;
  json?: boolean;
}

export function registerInit(program: Command, ctx: CliContext): void {
  const root = workspaceRoot();
  const names = Object.keys(templates) as TemplateName[];
  program
    .command('init')
    .description(
      'scaffold a reconciler project: source, tests, a Pulumi program, recon.config.json',
    )
    .argument('<dir>', 'where to create the project (must be empty unless --force)')
    .option('--template <name>', names.join(' | '), 'basic')
    .option('--name <name>', 'npm package and reconciler name (default: the directory name)')
    .option('--force', 'write into a non-empty directory, replacing files of the same names')
    .option(
      '--link-workspace',
      'depend on @recon packages packed from this checkout (default when run from the recon repository)',
    )
    .option('--no-link-workspace', 'depend on published @recon packages from the npm registry')
    .option(
      '--packages <dir>',
      'with --link-workspace: the packed tarballs (default <repo>/dist/packages)',
    )
    .option('--json', 'print the result as one JSON document')
    .addHelpText(
      'after',
      `
Templates:
${names.map((n) => `  ${n.padEnd(12)} ${templates[n].summary}`).join('\n')}

Examples:
  recon init my-reconciler && cd my-reconciler && npm install && npm test && npx recon dev
  recon init pr-bot --template github-pr`,
    )
    .action(async (dir: string, flags: InitFlags) => {
      if (!isTemplateName(flags.template)) {
        throw new UsageError(
          `unknown template ${JSON.stringify(flags.template)}; one of: ${names.join(', ')}`,
        );
      }
      const template = flags.template;
      const target = resolve(ctx.cwd, dir);
      const name = flags.name ?? packageNameOf(basename(target));
      if (
        !/^(@[a-z0-9-~][a-z0-9-._~]*\/)?[a-z0-9-~][a-z0-9-._~]*$/.test(name) ||
        name.length > 214
      ) {
        throw new UsageError(
          `--name: ${JSON.stringify(name)} is not an npm package name (lowercase letters, digits, -, ., _)`,
        );
      }
      await refuseNonEmpty(target, flags.force === true, ctx.cwd);
      const deps = await dependencySource(flags, root, template, ctx);
      const files = await renderProject({ template, name, deps });
      for (const [path, content] of files) {
        await mkdir(dirname(join(target, path)), { recursive: true });
        await writeFile(join(target, path), content);
      }
      const shown = relative(ctx.cwd, target) || '.';
      if (flags.json) {
        printJson(ctx, {
          dir: target,
          name,
          template,
          dependencies: deps.description,
          files: [...files.keys()],
        });
        return;
      }
      const style = createStyle(ctx.isTTY);
      ctx.stdout(
        [
          `${style.green('created')} ${name} (template ${template}) in ${shown}, with @recon packages from ${deps.description}`,
          ...[...files.keys()].map((f) => style.dim(`  ${f}`)),
          '',
          'Next:',
          ...(shown === '.' ? [] : [`  cd ${shown}`]),
          '  npm install',
          '  npm test',
          '  npx recon dev              # your reconciler, a queue and a dispatcher on this machine',
          `  npx recon enqueue ${templates[template].exampleKey}    # in another terminal`,
        ].join('\n') + '\n',
      );
    });
}

async function refuseNonEmpty(target: string, force: boolean, cwd: string): Promise<void> {
  let entries: string[];
  try {
    entries = await readdir(target);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    if ((err as NodeJS.ErrnoException).code === 'ENOTDIR')
      throw new CommandError(`${relative(cwd, target) || target} is a file, not a directory`);
    throw err;
  }
  if (entries.length > 0 && !force) {
    throw new CommandError(
      `${relative(cwd, target) || '.'} is not empty (${entries.length} entries): choose an empty or new directory, or pass --force to write into it`,
    );
  }
}

async function dependencySource(
  flags: InitFlags,
  root: string | undefined,
  template: TemplateName,
  ctx: CliContext,
): Promise<DependencySource> {
  const link = flags.linkWorkspace ?? root !== undefined;
  if (!link) return registrySource();
  const packagesDir = flags.packages
    ? resolve(ctx.cwd, flags.packages)
    : root
      ? join(root, 'dist', 'packages')
      : undefined;
  if (!packagesDir) {
    throw new UsageError(
      '--link-workspace needs --packages DIR (this recon is not run from a repository checkout)',
    );
  }
  return tarballSource({
    packagesDir,
    needed: reconPackagesFor(template),
    root,
    write: (line) => ctx.stderr(line + '\n'),
  });
}

/** A directory name as an npm package name. */
function packageNameOf(dirName: string): string {
  return (
    dirName
      .toLowerCase()
      .replace(/[^a-z0-9-._~]+/g, '-')
      .replace(/^[-._]+/, '')
      .slice(0, 214) || 'reconciler'
  );
}
