/**
 * Branded errors, matched with `X.is(err)`: the brand is a global symbol holding a code string,
 * so a check survives duplicate copies of this package and never reads message text. (Infra may
 * not import runtime packages, so this mirrors `@recon/core`'s scheme instead of importing it.)
 */
const codeKey = Symbol.for('recon.error.code');

/** One thing wrong with a component's arguments: the field (a path such as `pathPatterns[1]`). */
export interface ArgProblem {
  readonly field: string;
  readonly message: string;
}

/**
 * A component was given arguments it cannot deploy. Thrown before any resource is registered;
 * lists every problem found, each naming its field.
 */
export class InvalidArgsError extends Error {
  static readonly code = 'INFRA_INVALID_ARGS';
  readonly [codeKey]: string;
  /** The component type token, e.g. `recon:gcp:Workqueue`. */
  readonly component: string;
  /** The component's resource name. */
  readonly resourceName: string;
  readonly problems: readonly ArgProblem[];

  constructor(component: string, resourceName: string, problems: readonly ArgProblem[]) {
    const lines = problems.map((p) => `  - ${p.field}: ${p.message}`).join('\n');
    super(`${component} "${resourceName}": invalid arguments:\n${lines}`);
    this.name = 'InvalidArgsError';
    this[codeKey] = InvalidArgsError.code;
    this.component = component;
    this.resourceName = resourceName;
    this.problems = problems;
  }

  get code(): string {
    return this[codeKey];
  }

  static is(err: unknown): err is InvalidArgsError {
    if (typeof err !== 'object' || err === null) return false;
    return (err as Record<symbol, unknown>)[codeKey] === InvalidArgsError.code;
  }
}

/** Throws an InvalidArgsError listing `problems`, if there are any. */
export function failOnProblems(
  component: string,
  resourceName: string,
  problems: readonly ArgProblem[],
): void {
  if (problems.length > 0) throw new InvalidArgsError(component, resourceName, problems);
}
