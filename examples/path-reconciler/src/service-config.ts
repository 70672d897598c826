/**
 * What this path reconciler checks: service configuration files, `services/<name>.json`.
 *
 *   { "name": "checkout", "owner": "team-payments", "replicas": 3,
 *     "image": "ghcr.io/acme/checkout:1.4.2", "env": { "LOG_LEVEL": "info" } }
 *
 * Pure: text in, problems out. Each problem names the field that is wrong.
 */

export const serviceConfigFields = ['name', 'owner', 'replicas', 'image', 'env'] as const;

/** Every problem with the file at `path` whose content is `text`; empty when it is valid. */
export function validateServiceConfig(path: string, text: string): string[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    return [`not valid JSON: ${(err as Error).message}`];
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    return ['the document must be a JSON object'];
  }
  const config = doc as Record<string, unknown>;
  const problems: string[] = [];
  const expectedName = basename(path).replace(/\.json$/, '');

  const name = config['name'];
  if (typeof name !== 'string' || name === '') problems.push('name: required, a non-empty string');
  else if (name !== expectedName) {
    problems.push(
      `name: must match the file name ${JSON.stringify(expectedName)}, got ${JSON.stringify(name)}`,
    );
  }

  const owner = config['owner'];
  if (typeof owner !== 'string' || owner.trim() === '') {
    problems.push('owner: required, the owning team (a non-empty string)');
  }

  const replicas = config['replicas'];
  if (!Number.isInteger(replicas) || (replicas as number) < 1 || (replicas as number) > 100) {
    problems.push(`replicas: required, an integer from 1 to 100, got ${JSON.stringify(replicas)}`);
  }

  const image = config['image'];
  if (typeof image !== 'string' || image === '')
    problems.push('image: required, an image reference');
  else if (
    !/@sha256:[0-9a-f]{64}$/.test(image) &&
    !/:[\w][\w.-]{0,127}$/.test(lastSegment(image))
  ) {
    problems.push(`image: must be pinned to a tag or digest, got ${JSON.stringify(image)}`);
  } else if (/:latest$/.test(image)) {
    problems.push('image: must not use the moving tag "latest"');
  }

  const env = config['env'];
  if (env !== undefined) {
    if (typeof env !== 'object' || env === null || Array.isArray(env)) {
      problems.push('env: must be an object of strings');
    } else {
      for (const [k, v] of Object.entries(env)) {
        if (!/^[A-Z_][A-Z0-9_]*$/.test(k))
          problems.push(`env.${k}: must be an UPPER_SNAKE_CASE name`);
        if (typeof v !== 'string')
          problems.push(`env.${k}: must be a string, got ${JSON.stringify(v)}`);
      }
    }
  }

  for (const field of Object.keys(config)) {
    if (!(serviceConfigFields as readonly string[]).includes(field)) {
      problems.push(`${field}: unknown field (allowed: ${serviceConfigFields.join(', ')})`);
    }
  }
  return problems;
}

function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

function lastSegment(image: string): string {
  return image.slice(image.lastIndexOf('/') + 1);
}
