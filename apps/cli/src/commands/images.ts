import type { Command } from 'commander';
import type { CliContext } from '../context.ts';
import { defaultBaseImage, googleRegistryAuth } from '../deploy/image.ts';
import { UsageError } from '../errors.ts';
import { bundleFileName, imageEntrypoint, pushServiceImages } from '../images/service-images.ts';
import { plural } from '../output/format.ts';
import { printJson } from '../output/json.ts';
import { createStyle } from '../output/style.ts';
import { renderTable } from '../output/table.ts';
import { deployedRoles, serviceNames } from './serve.ts';

interface PushFlags {
  registry: string;
  tag?: string;
  baseImage: string;
  roles?: string;
  json?: boolean;
}

export function registerImages(program: Command, ctx: CliContext): void {
  const images = program
    .command('images')
    .description("recon's own service images (receiver, dispatcher, …) for the Pulumi components")
    .addHelpText(
      'after',
      '\nExamples:\n  recon images push --registry us-docker.pkg.dev/my-project/recon',
    );
  images
    .command('push')
    .description('build the service images from this checkout and push them, pinned by digest')
    .requiredOption('--registry <host/path>', 'push each role to <registry>/<role>')
    .option('--tag <tag>', 'tag to push as well (default: 12 hex digits of the bundle sha256)')
    .option('--base-image <ref>', 'the Node base image', defaultBaseImage)
    .option('--roles <list>', `comma-separated roles (default: ${deployedRoles.join(',')})`)
    .option('--json', 'print [{ role, reference, digest }] as JSON (progress goes to stderr)')
    .addHelpText(
      'after',
      `
One bundle of the services (${bundleFileName}, every dependency inlined, no node_modules) is laid
on the base image and pushed once per role as <registry>/<role>:<tag>. Every image has the
entrypoint ${JSON.stringify(imageEntrypoint)} and the Cmd ["serve", "<role>"], so the args the
Pulumi components pass (serve <role>) run the same thing. The default tag names the source
(the bundle's sha256): the same tree on the same base pushes the same tags and digests.
Pin the printed digests in your stack:
  images: { receiver: '<registry>/receiver@sha256:…', dispatcher: '…', … }
Artifact Registry and gcr.io get credentials from gcloud auth application-default login;
other registries are used anonymously (127.0.0.1 and localhost over plain http).

Roles: ${serviceNames.join(', ')}

Examples:
  recon images push --registry us-docker.pkg.dev/my-project/recon
  recon images push --registry us-docker.pkg.dev/my-project/recon --roles receiver,dispatcher --json
  recon images push --registry 127.0.0.1:5000/recon --tag dev --base-image 127.0.0.1:5000/node:24-slim`,
    )
    .action(async (flags: PushFlags) => {
      const roles = parseRoles(flags.roles);
      await validateReferences(flags);
      const log = (line: string) => ctx.stderr(line + '\n');
      const pushed = await pushServiceImages({
        registry: flags.registry,
        roles,
        ...(flags.tag === undefined ? {} : { tag: flags.tag }),
        baseImage: flags.baseImage,
        registryAuth: googleRegistryAuth(),
        log,
        signal: ctx.interrupted,
      });
      if (flags.json) {
        printJson(ctx, pushed.images);
        return;
      }
      const style = createStyle(ctx.isTTY);
      ctx.stdout(
        `${style.green(`pushed ${plural(pushed.images.length, 'image')} (tag ${pushed.tag})`)}\n` +
          renderTable(pushed.images.map((i) => [`  ${i.role}`, i.reference])) +
          '\n',
      );
    });
}

/** `--roles a,b`: known roles, each once, in the order given; default the deployed ones. */
export function parseRoles(value: string | undefined): string[] {
  if (value === undefined) return [...deployedRoles];
  const roles = [...new Set(value.split(',').map((r) => r.trim()))].filter((r) => r !== '');
  const unknown = roles.filter((r) => !serviceNames.includes(r));
  if (unknown.length > 0)
    throw new UsageError(
      `--roles: unknown ${unknown.length === 1 ? 'role' : 'roles'} ${unknown.map((r) => JSON.stringify(r)).join(', ')}; valid roles: ${serviceNames.join(', ')}`,
    );
  if (roles.length === 0)
    throw new UsageError(`--roles: name at least one of ${serviceNames.join(', ')}`);
  return roles;
}

/** Bad --registry, --tag or --base-image: exit 2 before anything is built. */
async function validateReferences(flags: PushFlags): Promise<void> {
  const ib = await import('@recon/image-builder');
  if (flags.tag !== undefined && !ib.isValidTag(flags.tag))
    throw new UsageError(
      `--tag: ${JSON.stringify(flags.tag)} is not a valid tag (letters, digits, _ . -, at most 128)`,
    );
  try {
    ib.parseRepository(`${flags.registry.replace(/\/+$/, '')}/receiver`, '--registry');
    ib.parseReference(flags.baseImage, '--base-image');
  } catch (err) {
    if (ib.ImageInputError.is(err)) throw new UsageError(err.message, { cause: err });
    throw err;
  }
}
