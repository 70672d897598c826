/**
 * The seam between `recon deploy` and Pulumi: the command asks an engine to preview or update a
 * stack of the project's Pulumi program. The real engine drives the Automation API
 * (automation-engine.ts); tests pass a fake through the command's context.
 */
export interface DeployRequest {
  /** Stack name, e.g. `dev`. */
  stack: string;
  /** The Pulumi program's directory (the project's `infra`). */
  workDir: string;
  /** Stack configuration set before the operation, e.g. `reconImage`, `gcp:project`. */
  config: Record<string, string>;
  /** The engine's progress output, as it comes (for stderr). */
  onOutput: (text: string) => void;
  signal?: AbortSignal;
}

/** Resource operations and their counts: `{ create: 12, same: 3 }`. */
export type ChangeSummary = Record<string, number>;

export interface PreviewResult {
  changes: ChangeSummary;
}

export interface UpResult {
  changes: ChangeSummary;
  /** Stack outputs; secrets shown as `[secret]`. */
  outputs: Record<string, unknown>;
}

export interface DeployEngine {
  preview(request: DeployRequest): Promise<PreviewResult>;
  up(request: DeployRequest): Promise<UpResult>;
}
