// Direct VPC egress settings of a Cloud Run service or job, from a region's network.
import type { Egress, RegionNetwork } from './types.ts';

export interface VpcAccess {
  egress: Egress;
  networkInterfaces: { network?: RegionNetwork['network']; subnetwork?: RegionNetwork['subnet'] }[];
}

/** `{ vpcAccess }` to spread into a template, or `{}` when the region has no network. */
export function vpcAccessOf(network: RegionNetwork, egress: Egress): { vpcAccess?: VpcAccess } {
  if (network.network === undefined && network.subnet === undefined) return {};
  return {
    vpcAccess: {
      egress,
      networkInterfaces: [
        {
          ...(network.network === undefined ? {} : { network: network.network }),
          ...(network.subnet === undefined ? {} : { subnetwork: network.subnet }),
        },
      ],
    },
  };
}
