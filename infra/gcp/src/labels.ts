// Labels on every resource that takes them: who made it, which component, team and product.

/** Makes `value` a valid label value: lowercase, `[a-z0-9_-]`, at most 63 characters. */
export function labelValue(value: string): string {
  return value
    .toLowerCase()
    .replace(/[^a-z0-9_-]/g, '-')
    .slice(0, 63);
}

export interface LabelOptions {
  /** Component kind, e.g. `workqueue`. */
  component: string;
  /** The component's base name. */
  name: string;
  team?: string;
  /** Default `unknown`, as in the Terraform modules. */
  product?: string;
  /** User labels; they win over the defaults. */
  labels?: Record<string, string>;
}

export function resourceLabels(options: LabelOptions): Record<string, string> {
  const out: Record<string, string> = {
    'managed-by': 'recon',
    'recon-component': labelValue(options.component),
    'recon-name': labelValue(options.name),
    product: labelValue(options.product ?? 'unknown'),
  };
  if (options.team !== undefined && options.team !== '') out['team'] = labelValue(options.team);
  return { ...out, ...options.labels };
}
