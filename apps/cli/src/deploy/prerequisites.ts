/**
 * What `recon deploy` needs before it touches anything, each missing piece reported as one line
 * that says what to install or set: a recon project, the Pulumi CLI, Google Cloud credentials.
 */
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { CommandError } from '../errors.ts';
import type { ProjectConfig } from '../project-config.ts';

type Env = Record<string, string | undefined>;

export const messages = {
  noProject: 'no recon project here: run `recon init`',
  noPulumi:
    'Pulumi CLI not found: install it from https://www.pulumi.com/docs/install/ and run `pulumi login`',
  noCredentials: 'no Google Cloud credentials: run `gcloud auth application-default login`',
} as const;

/** The project's Pulumi program directory; CommandError when there is no project. */
export function requireProject(cwd: string, config: ProjectConfig | undefined): string {
  if (!config) throw new CommandError(messages.noProject);
  const infra = resolve(cwd, config.infra ?? 'infra');
  if (!existsSync(join(infra, 'Pulumi.yaml')) && !existsSync(join(infra, 'Pulumi.yml'))) {
    throw new CommandError(
      `${messages.noProject} (recon.config.json names no Pulumi program: ${infra}/Pulumi.yaml is missing)`,
    );
  }
  return infra;
}

/** The `pulumi` executable on PATH; CommandError when there is none. */
export function requirePulumi(env: Env): string {
  const names = process.platform === 'win32' ? ['pulumi.exe', 'pulumi.cmd'] : ['pulumi'];
  for (const dir of (env['PATH'] ?? '').split(delimiter)) {
    if (!dir) continue;
    for (const name of names) {
      const file = join(dir, name);
      try {
        accessSync(file, constants.X_OK);
        if (statSync(file).isFile()) return file;
      } catch {
        // not here
      }
    }
  }
  throw new CommandError(messages.noPulumi);
}

/** Application Default Credentials: the variable's file, or gcloud's ADC file. */
export function requireCredentials(env: Env): string {
  const explicit = env['GOOGLE_APPLICATION_CREDENTIALS'];
  if (explicit) {
    if (existsSync(explicit)) return explicit;
    throw new CommandError(
      `GOOGLE_APPLICATION_CREDENTIALS names ${explicit}, which does not exist: fix it, or unset it and run \`gcloud auth application-default login\``,
    );
  }
  const configDir =
    env['CLOUDSDK_CONFIG'] ??
    (process.platform === 'win32' && env['APPDATA']
      ? join(env['APPDATA'], 'gcloud')
      : join(env['HOME'] ?? '', '.config', 'gcloud'));
  const adc = join(configDir, 'application_default_credentials.json');
  if (existsSync(adc)) return adc;
  throw new CommandError(messages.noCredentials);
}
