// Derives the new image config from the base config: our process settings, one more layer.
import type { Digest } from './digest.ts';
import { ImageInputError } from './errors.ts';
import type { ContainerConfig, HistoryEntry, ImageConfig } from './oci-types.ts';

export interface ProcessSettings {
  /** Replaces the base Entrypoint. */
  readonly entrypoint: readonly string[];
  /**
   * Replaces the base Cmd. Default: no Cmd at all. As with a Dockerfile `ENTRYPOINT`, the base
   * image's Cmd (e.g. `node` in `node:24`) would otherwise be passed as arguments to our entrypoint.
   */
  readonly cmd?: readonly string[];
  /** Set over the base Env: a key already there keeps its place with the new value; new keys follow, sorted. */
  readonly env?: Readonly<Record<string, string>>;
  /** Default: unchanged from the base. */
  readonly workdir?: string;
  /** Merged over the base Labels; new keys sorted. */
  readonly labels?: Readonly<Record<string, string>>;
}

export interface DeriveConfigOptions extends ProcessSettings {
  readonly base: ImageConfig;
  readonly diffId: Digest;
  /** RFC 3339 time written to `created` and to the new history entry. */
  readonly created: string;
  /** The history entry's `created_by`. */
  readonly createdBy: string;
}

const ENV_KEY = /^[^=\0]+$/;

function checkArgv(field: string, argv: readonly string[]): string[] {
  if (!Array.isArray(argv) || argv.some((a) => typeof a !== 'string')) {
    throw new ImageInputError(field, 'must be an array of strings');
  }
  return [...argv];
}

function mergeEnv(base: readonly string[], env: Readonly<Record<string, string>>): string[] {
  const updates = new Map<string, string>();
  for (const key of Object.keys(env).sort()) {
    if (!ENV_KEY.test(key)) throw new ImageInputError(`env.${key}`, 'is not a valid variable name');
    updates.set(key, env[key]!);
  }
  const merged = base.map((entry) => {
    const key = entry.split('=', 1)[0]!;
    const value = updates.get(key);
    if (value === undefined) return entry;
    updates.delete(key);
    return `${key}=${value}`;
  });
  for (const [key, value] of updates) merged.push(`${key}=${value}`);
  return merged;
}

function mergeLabels(
  base: Readonly<Record<string, string>>,
  labels: Readonly<Record<string, string>>,
): Record<string, string> {
  const merged: Record<string, string> = { ...base };
  for (const key of Object.keys(labels).sort()) merged[key] = labels[key]!;
  return merged;
}

/**
 * The base config with Entrypoint/Cmd/Env/WorkingDir/Labels set, `created` fixed, the new layer's
 * diff ID appended to `rootfs.diff_ids` and a history entry for it. Fields this package does not
 * know are carried over as they are.
 */
export function deriveConfig(options: DeriveConfigOptions): ImageConfig {
  const { base } = options;
  const baseProcess: ContainerConfig = base.config ?? {};
  const process: Record<string, unknown> = { ...baseProcess };

  process.Entrypoint = checkArgv('entrypoint', options.entrypoint);
  if (options.entrypoint.length === 0) throw new ImageInputError('entrypoint', 'must not be empty');
  if (options.cmd === undefined) delete process.Cmd;
  else process.Cmd = checkArgv('cmd', options.cmd);
  if (options.env !== undefined) process.Env = mergeEnv(baseProcess.Env ?? [], options.env);
  if (options.workdir !== undefined) {
    if (!options.workdir.startsWith('/')) {
      throw new ImageInputError('workdir', `${JSON.stringify(options.workdir)} must be absolute`);
    }
    process.WorkingDir = options.workdir;
  }
  if (options.labels !== undefined) {
    process.Labels = mergeLabels(baseProcess.Labels ?? {}, options.labels);
  }

  const history: HistoryEntry[] = [
    ...(base.history ?? []),
    { created: options.created, created_by: options.createdBy },
  ];
  return {
    ...base,
    created: options.created,
    config: process as ContainerConfig,
    rootfs: { type: 'layers', diff_ids: [...base.rootfs.diff_ids, options.diffId] },
    history,
  };
}
