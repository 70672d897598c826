import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CommandError } from './errors.ts';

/** A queue a project addresses by name. */
export interface QueueRef {
  bucket?: string;
  receiver?: string;
  project?: string;
}

/** `recon.config.json`: the project's reconciler, queues and stacks. */
export interface ProjectConfig {
  /** The reconciler source `recon dev` serves. */
  reconciler?: string;
  queues?: Record<string, QueueRef>;
  /** Pulumi program directory for `recon deploy`. */
  infra?: string;
  stacks?: string[];
}

/** Reads `recon.config.json` from `dir`; undefined when there is none. */
export async function readProjectConfig(dir: string): Promise<ProjectConfig | undefined> {
  const path = join(dir, 'recon.config.json');
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
  try {
    const parsed = JSON.parse(text) as unknown;
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
      throw new Error('not an object');
    return parsed as ProjectConfig;
  } catch (err) {
    throw new CommandError(
      `${path} is not valid JSON: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
}
