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
  initialSize: number;
  minSize: number;
  maxSize: number;
  /** Whether the Cluster Autoscaler manages it (the pool has `autoscaling`). */
  autoscaled: boolean;
  instanceType: string;
  pricePerHour: number;
  /** Create request to the machine booted (its kubelet starts), in seconds. */
  provisioningDelay: DistributionSpec;
  launchFailureProbability: number;
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
  ccm?: { nodeMonitorPeriodUs: number; kubeApiQps: number; kubeApiBurst: number };
  autoscaler?: AutoscalerSpec;
}
