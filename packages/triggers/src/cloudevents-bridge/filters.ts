/**
 * Exact-match attribute filters, as Knative and Eventarc triggers have them: a filter is a map of
 * CloudEvent attribute → value, matching when every entry equals the event's attribute; a list of
 * filters is OR-ed; an empty list accepts every event.
 */
export type AttributeFilter = Readonly<Record<string, string>>;

export function matchesFilters(
  attributes: Readonly<Record<string, string>>,
  filters: readonly AttributeFilter[],
): boolean {
  if (filters.length === 0) return true;
  return filters.some((filter) =>
    Object.entries(filter).every(([name, value]) => attributes[name] === value),
  );
}

/** Parses `FILTERS` (a JSON array of string maps); problems are pushed, naming `field`. */
export function parseFilters(
  raw: string | undefined,
  field: string,
  problems: string[],
): AttributeFilter[] {
  if (raw === undefined || raw.trim() === '') return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    problems.push(`${field} must be JSON (an array of {"attribute": "value"} maps)`);
    return [];
  }
  if (!Array.isArray(parsed)) {
    problems.push(`${field} must be a JSON array of {"attribute": "value"} maps`);
    return [];
  }
  const filters: AttributeFilter[] = [];
  parsed.forEach((item: unknown, i) => {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      problems.push(`${field}[${i}] must be an object of attribute → value`);
      return;
    }
    const entries = Object.entries(item as Record<string, unknown>);
    const bad = entries.filter(([, v]) => typeof v !== 'string').map(([k]) => k);
    if (bad.length > 0) {
      problems.push(`${field}[${i}]: values must be strings (${bad.join(', ')})`);
      return;
    }
    const badNames = entries.map(([k]) => k).filter((k) => !attributeName.test(k));
    if (badNames.length > 0) {
      problems.push(
        `${field}[${i}]: ${badNames.join(', ')} not CloudEvent attribute names (a-z, 0-9)`,
      );
      return;
    }
    filters.push(Object.fromEntries(entries) as Record<string, string>);
  });
  return filters;
}

/** CloudEvents attribute names: lower-case ASCII letters and digits. */
export const attributeName = /^[a-z0-9]+$/;
