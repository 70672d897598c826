// Container images of recon's own services. Every image runs the `recon` entry point; the
// components pass `serve <role>` as container args. The defaults are placeholders on a public
// registry: build real ones from a checkout with `recon images push --registry <host/path>`
// (it prints `<host/path>/<role>@sha256:…` per role) and pass them pinned by digest, e.g.
// `images: { receiver: '<host/path>/receiver@sha256:…', dispatcher: '…', reenqueue: '…' }`.
import type * as pulumi from '@pulumi/pulumi';

export const defaultImageRegistry = 'ghcr.io/recon-dev';

/** The services recon ships and the `recon serve <role>` each runs. */
export const serviceRoles = [
  'receiver',
  'dispatcher',
  'reenqueue',
  'router',
  'cloudevents-bridge',
  'github-push',
  'resync',
] as const;
export type ServiceRole = (typeof serviceRoles)[number];

/** `ghcr.io/recon-dev/<role>:latest`: a placeholder; override it with a digest-pinned image. */
export function defaultImage(role: ServiceRole): string {
  return `${defaultImageRegistry}/${role}:latest`;
}

/** Container args of a service: `serve <role>` (the entry point is `recon`). */
export function serveArgs(role: ServiceRole): string[] {
  return ['serve', role];
}

/** Images of a workqueue's services. Each default: `defaultImage(<role>)`. */
export interface WorkqueueImages {
  receiver?: pulumi.Input<string>;
  dispatcher?: pulumi.Input<string>;
  reenqueue?: pulumi.Input<string>;
}

/**
 * Google Managed Prometheus sidecar for Cloud Run: scrapes the app's Prometheus endpoint and
 * writes the series to Cloud Monitoring. Without a RunMonitoring file it scrapes `:8080/metrics`
 * every 60 s; RegionalService's `metricsSidecar: { port, path, intervalSeconds }` mounts one.
 */
export const gmpSidecarImage =
  'us-docker.pkg.dev/cloud-ops-agents-artifacts/cloud-run-gmp-sidecar/cloud-run-gmp-sidecar:1.1.1';
