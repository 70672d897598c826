import type * as pulumi from '@pulumi/pulumi';

/** Where a region's services send their egress (Direct VPC egress). Both optional. */
export interface RegionNetwork {
  /** VPC network name or self link. */
  network?: pulumi.Input<string>;
  /** Subnetwork name or self link in that region. */
  subnet?: pulumi.Input<string>;
}

/** Region name (`us-central1`) → its network. Keys must be literal strings: they name resources. */
export type Regions = Record<string, RegionNetwork>;

/**
 * `global`: one multi-region bucket for every region (exact dedup and exclusion everywhere).
 * `regional`: a bucket per region (lower latency; a key enqueued in two regions lives twice, and
 * nothing stops both regions reconciling it at once).
 */
export type Scope = 'global' | 'regional';

/** Multi-region location of a `global` bucket. */
export type MultiRegion = 'US' | 'EU' | 'ASIA';

/** Cloud Run ingress settings (the API's own names). */
export type Ingress =
  | 'INGRESS_TRAFFIC_ALL'
  | 'INGRESS_TRAFFIC_INTERNAL_ONLY'
  | 'INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER';

export const ingressValues: readonly Ingress[] = [
  'INGRESS_TRAFFIC_ALL',
  'INGRESS_TRAFFIC_INTERNAL_ONLY',
  'INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER',
];

/** Which egress goes through the region's VPC network (only used when the region has one). */
export type Egress = 'ALL_TRAFFIC' | 'PRIVATE_RANGES_ONLY';
export const egressValues: readonly Egress[] = ['ALL_TRAFFIC', 'PRIVATE_RANGES_ONLY'];

export const scopes: readonly Scope[] = ['global', 'regional'];
export const multiRegions: readonly MultiRegion[] = ['US', 'EU', 'ASIA'];

/**
 * A Cloud Run service deployed under one name in several regions: what callers need to reach it
 * (per-region URL) and to be allowed to (the name, for `roles/run.invoker`).
 */
export interface ServiceRef {
  name: pulumi.Input<string>;
  /** Region → `https://…run.app` URL. */
  uris: Record<string, pulumi.Input<string>>;
}

/** The same, as a component's outputs. */
export interface ServiceOutputs {
  name: pulumi.Output<string>;
  uris: Record<string, pulumi.Output<string>>;
}

/** Arguments shared by every component that deploys into regions. */
export interface CommonArgs {
  /** Google Cloud project id. */
  project: pulumi.Input<string>;
  /** Region → network; at least one. Order matters: the first is the default primary region. */
  regions: Regions;
  /** Region of single-homed resources (jobs, schedules). Default: the first key of `regions`. */
  primaryRegion?: string;
  /** `team` label on every resource. Default: none. */
  team?: string;
  /** `product` label on every resource. Default: `unknown` (as the Terraform modules). */
  product?: string;
  /** Extra labels on every resource that takes labels. Default: none. */
  labels?: Record<string, string>;
  /** Cloud Monitoring notification channel ids for alerts. Default: none. */
  notificationChannels?: pulumi.Input<string>[];
  /** Deletion protection on services, jobs and buckets (no force-destroy). Default: true. */
  deletionProtection?: boolean;
}
