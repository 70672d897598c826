// Pub/Sub subscription filters for CloudEvents on a broker topic. In the Pub/Sub binding of
// CloudEvents (binary mode) every context attribute travels as a message attribute named
// `ce-<attribute>`, so `{ type: "x" }` filters on `attributes.ce-type`.
import type { ArgProblem } from './errors.ts';

export const cloudEventAttributePrefix = 'ce-';
/** Pub/Sub rejects filter expressions longer than this (bytes). */
export const maxFilterBytes = 256;
const attributeNamePattern = /^[a-z0-9]{1,20}$/;

function quote(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** `{ type: "a", source: "b" }` → `attributes.ce-type = "a" AND attributes.ce-source = "b"`. */
export function cloudEventFilterExpression(filter: Record<string, string>): string {
  return Object.entries(filter)
    .map(([name, value]) => `attributes.${cloudEventAttributePrefix}${name} = ${quote(value)}`)
    .join(' AND ');
}

/** Filters: at least one; each a non-empty map of CloudEvent attribute names to exact values. */
export function checkCloudEventFilters(filters: unknown): ArgProblem[] {
  if (!Array.isArray(filters) || filters.length === 0) {
    return [
      { field: 'filters', message: 'at least one filter (attribute → exact value) is required' },
    ];
  }
  const problems: ArgProblem[] = [];
  filters.forEach((filter: unknown, i) => {
    const field = `filters[${i}]`;
    if (typeof filter !== 'object' || filter === null || Object.keys(filter).length === 0) {
      problems.push({ field, message: 'must map at least one attribute to a value' });
      return;
    }
    for (const [name, value] of Object.entries(filter)) {
      if (!attributeNamePattern.test(name)) {
        problems.push({
          field: `${field}.${name}`,
          message: 'CloudEvent attribute names are 1–20 lowercase letters or digits',
        });
      }
      if (typeof value !== 'string') {
        problems.push({ field: `${field}.${name}`, message: 'must be a string' });
      }
    }
    const expression = cloudEventFilterExpression(filter as Record<string, string>);
    const bytes = Buffer.byteLength(expression, 'utf8');
    if (bytes > maxFilterBytes) {
      problems.push({
        field,
        message: `its Pub/Sub filter is ${bytes} bytes; Pub/Sub allows ${maxFilterBytes}`,
      });
    }
  });
  return problems;
}
