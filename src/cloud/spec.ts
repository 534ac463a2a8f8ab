/**
 * The cloud of a run, resolved (issue 12): each node pool as an instance group, the
 * cloud-controller-manager and the Cluster Autoscaler when the scenario has them.
 * Every time in integer microseconds.
 */
import type { DistributionSpec } from "../engine/distribution.js";

export interface InstanceGroupSpec {
  pool: string;
  /** The group's node rows: the `count` machines of the start first, then rows up to maxSize (NodeSpec.provisionLater). */
  nodes: number[];
  /** The zone of each of `nodes` ("" for none): where its machine is created. */
  zones: string[];
  initialSize: number;
  minSize: number;
  maxSize: number;
  /** Whether the Cluster Autoscaler manages it (the pool has `autoscaling`). */
  autoscaled: boolean;
  instanceType: string;
  pricePerHour: number;
  /** Create request to the machine booted (its kubelet starts), in seconds. */
  provisioningDelay: DistributionSpec;
  /** A create fails at once with the cloud's error (OtherErrorClass), seen by the autoscaler at its next loop. */
  launchFailureProbability: number;
  /** A create succeeds but the machine never boots (its Node never registers): the autoscaler's 15 min path. */
  bootFailureProbability: number;
}

/** A zone out of capacity (fault zone-capacity-exhausted): creates there fail while it holds. */
export interface ZoneCapacityFaultSpec {
  atUs: number;
  zone: string;
  /** Only this group's creates, -1 for every group's. */
  group: number;
  /** Capacity back this long after, -1 never. */
  recoverAfterUs: number;
  /** Its index in the scenario's faults (events.csv fault/<index>). */
  index: number;
  description: string;
}

/** The cloud's load balancers (Services of type LoadBalancer). */
export interface LoadBalancerCloudSpec {
  /** EnsureLoadBalancer's call to the load balancer existing, in seconds. */
  provisioningDelay: DistributionSpec;
  updateDelayUs: number;
  healthCheckIntervalUs: number;
  healthyThreshold: number;
  unhealthyThreshold: number;
}

export interface AutoscalerSpec {
  scanIntervalUs: number;
  expander: "random" | "least-waste" | "most-pods" | "price" | "priority";
  /** priority expander: group index -> priority. */
  priorities: number[];
  scaleDownEnabled: boolean;
  scaleDownUtilizationThreshold: number;
  scaleDownUnneededTimeUs: number;
  scaleDownDelayAfterAddUs: number;
  maxNodeProvisionTimeUs: number;
  newPodScaleUpDelayUs: number;
  maxGracefulTerminationUs: number;
}

export interface CloudSpec {
  groups: InstanceGroupSpec[];
  /** The cloud-controller-manager (kubelets --cloud-provider=external); undefined: not modelled. */
  ccm?: { nodeMonitorPeriodUs: number; kubeApiQps: number; kubeApiBurst: number; loadBalancers: LoadBalancerCloudSpec };
  autoscaler?: AutoscalerSpec;
  /** zone-capacity-exhausted faults, in file order (absent: none). */
  zoneCapacityFaults?: ZoneCapacityFaultSpec[];
}
