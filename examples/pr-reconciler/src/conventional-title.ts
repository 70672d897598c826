/**
 * Conventional-commit pull-request titles (`feat(api)!: add widgets`) and the state they ask for:
 * a `type: <type>` label, a `breaking-change` label for `!`, and a passing or failing check.
 * Pure functions: the reconciler reads GitHub, these decide, the reconciler writes.
 */

/** The types this repository accepts, in the order the check's message lists them. */
export const conventionalTypes = [
  'feat',
  'fix',
  'docs',
  'style',
  'refactor',
  'perf',
  'test',
  'build',
  'ci',
  'chore',
  'revert',
] as const;

export type ConventionalType = (typeof conventionalTypes)[number];

/** Labels this reconciler owns; every other label on a pull request is left alone. */
export const typeLabelPrefix = 'type: ';
export const breakingLabel = 'breaking-change';

export type ParsedTitle =
  | {
      valid: true;
      type: ConventionalType;
      scope: string | undefined;
      breaking: boolean;
      subject: string;
    }
  | { valid: false; problem: string };

const titlePattern =
  /^(?<type>[a-z]+)(?:\((?<scope>[^()\s]+)\))?(?<breaking>!)?: (?<subject>\S.*)$/;

export function parseConventionalTitle(title: string): ParsedTitle {
  const m = titlePattern.exec(title.trim());
  if (!m?.groups) {
    return {
      valid: false,
      problem: 'the title must look like `type(scope): subject` (the scope is optional)',
    };
  }
  const type = m.groups['type'] ?? '';
  if (!(conventionalTypes as readonly string[]).includes(type)) {
    return {
      valid: false,
      problem: `\`${type}\` is not a conventional type; use one of ${conventionalTypes.join(', ')}`,
    };
  }
  return {
    valid: true,
    type: type as ConventionalType,
    scope: m.groups['scope'],
    breaking: m.groups['breaking'] === '!',
    subject: m.groups['subject'] ?? '',
  };
}

/** The managed labels a title asks for (empty for a title that is not conventional). */
export function desiredLabels(parsed: ParsedTitle): string[] {
  if (!parsed.valid) return [];
  return [`${typeLabelPrefix}${parsed.type}`, ...(parsed.breaking ? [breakingLabel] : [])];
}

export function isManagedLabel(name: string): boolean {
  return name.startsWith(typeLabelPrefix) || name === breakingLabel;
}

export interface LabelPlan {
  add: string[];
  remove: string[];
}

/** What to add and remove so the managed labels on the pull request are exactly `desired`. */
export function planLabels(current: readonly string[], desired: readonly string[]): LabelPlan {
  return {
    add: desired.filter((l) => !current.includes(l)),
    remove: current.filter((l) => isManagedLabel(l) && !desired.includes(l)),
  };
}
