/**
 * The real DeployEngine: the project's Pulumi program run through the Automation API
 * (`LocalWorkspace.createOrSelectStack` with workDir = the program's directory), which drives the
 * Pulumi CLI. `@pulumi/pulumi` is loaded from the program's own dependencies (the version the
 * program was written against), falling back to the one beside this CLI.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { CommandError } from '../errors.ts';
import type { ChangeSummary, DeployEngine, DeployRequest } from './engine.ts';

/** The part of `@pulumi/pulumi/automation` this engine uses. */
export interface AutomationModule {
  LocalWorkspace: {
    createOrSelectStack(
      args: { stackName: string; workDir: string },
      options?: { envVars?: Record<string, string> },
    ): Promise<AutomationStack>;
  };
}

export interface AutomationStack {
  setAllConfig(config: Record<string, { value: string; secret?: boolean }>): Promise<void>;
  preview(options: OperationOptions): Promise<{ changeSummary: ChangeSummary }>;
  up(options: OperationOptions): Promise<{
    outputs: Record<string, { value: unknown; secret: boolean }>;
    summary: { resourceChanges?: ChangeSummary };
  }>;
}

interface OperationOptions {
  onOutput?: (out: string) => void;
  signal?: AbortSignal;
  color?: 'always' | 'never' | 'raw' | 'auto';
}

export interface AutomationEngineOptions {
  /** Loads the Automation API for a program directory. Default: see loadAutomation. */
  load?: (workDir: string) => AutomationModule;
  /** Installs the program's npm dependencies when its node_modules is missing. Default: `npm install`. */
  install?: (workDir: string, onOutput: (text: string) => void) => Promise<void>;
  /** Colour in the engine's output. Default false. */
  color?: boolean;
}

export function automationEngine(options: AutomationEngineOptions = {}): DeployEngine {
  const load = options.load ?? loadAutomation;
  const install = options.install ?? npmInstall;
  const color = options.color ? 'always' : 'never';
  const open = async (request: DeployRequest): Promise<AutomationStack> => {
    if (
      existsSync(join(request.workDir, 'package.json')) &&
      !existsSync(join(request.workDir, 'node_modules'))
    ) {
      request.onOutput(`installing the Pulumi program's dependencies in ${request.workDir}…\n`);
      await install(request.workDir, request.onOutput);
    }
    const automation = load(request.workDir);
    const stack = await automation.LocalWorkspace.createOrSelectStack({
      stackName: request.stack,
      workDir: request.workDir,
    });
    const config = Object.fromEntries(
      Object.entries(request.config).map(([k, value]) => [k, { value }]),
    );
    if (Object.keys(config).length) await stack.setAllConfig(config);
    return stack;
  };
  const operation = (request: DeployRequest): OperationOptions => ({
    onOutput: request.onOutput,
    color,
    ...(request.signal ? { signal: request.signal } : {}),
  });
  return {
    async preview(request) {
      const stack = await open(request);
      const result = await stack.preview(operation(request));
      return { changes: result.changeSummary };
    },
    async up(request) {
      const stack = await open(request);
      const result = await stack.up(operation(request));
      const outputs = Object.fromEntries(
        Object.entries(result.outputs).map(([k, o]) => [k, o.secret ? '[secret]' : o.value]),
      );
      return { changes: result.summary.resourceChanges ?? {}, outputs };
    },
  };
}

/** `@pulumi/pulumi/automation` as the program resolves it, else as this CLI does. */
export function loadAutomation(workDir: string): AutomationModule {
  for (const from of [join(workDir, 'package.json'), import.meta.url]) {
    try {
      return createRequire(from)('@pulumi/pulumi/automation') as AutomationModule;
    } catch {
      // try the next place
    }
  }
  throw new CommandError(
    `the Pulumi SDK is not installed for ${workDir}: run \`npm install\` there (it needs @pulumi/pulumi)`,
  );
}

async function npmInstall(workDir: string, onOutput: (text: string) => void): Promise<void> {
  const child = spawn('npm', ['install', '--no-audit', '--no-fund'], {
    cwd: workDir,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', (b: Buffer) => onOutput(b.toString()));
  child.stderr.on('data', (b: Buffer) => onOutput(b.toString()));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', resolve);
  });
  if (code !== 0) throw new CommandError(`npm install in ${workDir} failed (exit ${code})`);
}
