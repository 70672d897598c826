import { basename, resolve } from 'node:path';
import type { Command } from 'commander';
import type { CliContext } from '../context.ts';
import { automationEngine } from '../deploy/automation-engine.ts';
import type { ChangeSummary, DeployEngine } from '../deploy/engine.ts';
import { defaultBaseImage, publishReconcilerImage, type ImagePublisher } from '../deploy/image.ts';
import { requireCredentials, requireProject, requirePulumi } from '../deploy/prerequisites.ts';
import { UsageError } from '../errors.ts';
import { printJson } from '../output/json.ts';
import { createStyle } from '../output/style.ts';
import { renderTable } from '../output/table.ts';
import { readProjectConfig, type ProjectConfig } from '../project-config.ts';

/** `recon.config.json` → `deploy`: where the image goes and what the stack is told. */
export interface DeploySettings {
  /** Google Cloud project, set as the stack's `gcp:project`. */
  project?: string;
  /** Registry path the image is pushed under, e.g. `us-docker.pkg.dev/my-project/recon`. */
  registry?: string;
  /** Image name under the registry. Default: the project directory's name. */
  imageName?: string;
  /** Default `mirror.gcr.io/library/node:24-slim`. */
  baseImage?: string;
  /** The production entry bundled into the image. Default `src/serve.ts`. */
  serve?: string;
}

/**
 * Tests reach the outside world of `recon deploy` through the context: a fake engine and image
 * publisher stand in for Pulumi and the registry.
 */
export interface DeployContext extends CliContext {
  deploy?: { engine?: DeployEngine; publishImage?: ImagePublisher };
}

interface DeployFlags {
  stack?: string;
  preview?: boolean;
  json?: boolean;
}

export function registerDeploy(program: Command, ctx: DeployContext): void {
  program
    .command('deploy')
    .description("build the reconciler's image from source and run the project's Pulumi program")
    .option(
      '--stack <name>',
      'the Pulumi stack (default: the first of recon.config.json "stacks", else dev)',
    )
    .option('--preview', 'show the plan; change nothing')
    .option('--json', 'print the result as one JSON document (engine output goes to stderr)')
    .addHelpText(
      'after',
      `
Needs: a recon project (recon.config.json and its "infra" Pulumi program), the Pulumi CLI
(logged in), and Google Cloud credentials (gcloud auth application-default login).
The image is built when recon.config.json has "deploy": { "registry": "…" }; its digest is
passed to the stack as the config value reconImage.

Examples:
  recon deploy --preview
  recon deploy --stack prod
  recon deploy --stack dev --json`,
    )
    .action(async (flags: DeployFlags) => {
      const config = await readProjectConfig(ctx.cwd);
      const workDir = requireProject(ctx.cwd, config);
      requirePulumi(ctx.env);
      requireCredentials(ctx.env);
      const settings = deploySettings(config);
      const stack = flags.stack ?? config?.stacks?.[0] ?? 'dev';
      if (!/^[A-Za-z0-9_.\-/]+$/.test(stack))
        throw new UsageError(`--stack: ${JSON.stringify(stack)} is not a stack name`);
      const log = (line: string) => ctx.stderr(line + '\n');

      const stackConfig: Record<string, string> = {};
      if (settings.project) stackConfig['gcp:project'] = settings.project;
      let image: string | undefined;
      if (settings.registry) {
        const repository = `${settings.registry.replace(/\/+$/, '')}/${settings.imageName ?? imageNameOf(ctx.cwd)}`;
        log(`building ${repository} from ${settings.serve ?? 'src/serve.ts'}…`);
        const publish = ctx.deploy?.publishImage ?? publishReconcilerImage;
        const published = await publish({
          entry: resolve(ctx.cwd, settings.serve ?? 'src/serve.ts'),
          repository,
          baseImage: settings.baseImage ?? defaultBaseImage,
          signal: ctx.interrupted,
        });
        image = published.reference;
        stackConfig['reconImage'] = image;
        log(`pushed ${image}`);
      } else {
        log(
          'not building an image: recon.config.json has no "deploy": { "registry": … } (the stack keeps its reconImage)',
        );
      }

      const engine = ctx.deploy?.engine ?? automationEngine({ color: ctx.isTTY });
      const request = {
        stack,
        workDir,
        config: stackConfig,
        onOutput: (text: string) => ctx.stderr(text),
        signal: ctx.interrupted,
      };
      const style = createStyle(ctx.isTTY);
      if (flags.preview) {
        const { changes } = await engine.preview(request);
        if (flags.json) printJson(ctx, { stack, preview: true, image, changes });
        else ctx.stdout(`${style.bold(`plan for stack ${stack}`)}\n${renderChanges(changes)}\n`);
        return;
      }
      const { changes, outputs } = await engine.up(request);
      if (flags.json) {
        printJson(ctx, { stack, preview: false, image, changes, outputs });
        return;
      }
      const lines = [style.green(`stack ${stack} is up to date`), renderChanges(changes)];
      const shown = Object.entries(outputs);
      if (shown.length) {
        lines.push(
          'outputs:',
          renderTable(
            shown.map(([k, v]) => [`  ${k}`, typeof v === 'string' ? v : JSON.stringify(v)]),
          ),
        );
      }
      ctx.stdout(lines.join('\n') + '\n');
    });
}

function deploySettings(config: ProjectConfig | undefined): DeploySettings {
  const raw = (config as { deploy?: unknown } | undefined)?.deploy;
  if (raw === undefined) return {};
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new UsageError('recon.config.json: "deploy" must be an object');
  }
  const settings: DeploySettings = {};
  for (const field of ['project', 'registry', 'imageName', 'baseImage', 'serve'] as const) {
    const value = (raw as Record<string, unknown>)[field];
    if (value === undefined || value === '') continue;
    if (typeof value !== 'string')
      throw new UsageError(`recon.config.json: deploy.${field} must be a string`);
    settings[field] = value;
  }
  return settings;
}

/** An image name from the project directory: lower case, registry-safe. */
function imageNameOf(cwd: string): string {
  return (
    basename(cwd)
      .toLowerCase()
      .replace(/[^a-z0-9._-]+/g, '-')
      .replace(/^[^a-z0-9]+/, '') || 'reconciler'
  );
}

function renderChanges(changes: ChangeSummary): string {
  const entries = Object.entries(changes).filter(([, n]) => n > 0);
  if (entries.length === 0) return '  no changes';
  return renderTable(
    entries.map(([op, n]) => [`  ${op}`, String(n)]),
    { alignRight: [1] },
  );
}
