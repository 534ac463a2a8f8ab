/**
 * The node lifecycle controller's settings and their upstream defaults
 * (kube-controller-manager flags; k/k pkg/controller/nodelifecycle, cmd/kube-controller-manager/app/options/
 * nodelifecyclecontroller.go). Facts: /work/shared/reference/node-controller-facts.md §4.1.
 */
import { US_PER_MS, US_PER_S } from "../../engine/simulation.js";

export interface NodeLifecycleConfig {
  /** --node-monitor-period: how often monitorNodeHealth runs. */
  nodeMonitorPeriodUs: number;
  /** --node-monitor-grace-period: no status post nor Lease renewal for this long -> Ready=Unknown. */
  nodeMonitorGracePeriodUs: number;
  /** --node-startup-grace-period: the grace of a node that never posted a Ready condition. */
  nodeStartupGracePeriodUs: number;
  /** --node-eviction-rate: NoExecute taints per second per zone while the zone is healthy. */
  evictionLimiterQps: number;
  /** --secondary-node-eviction-rate: per zone in PartialDisruption, when the zone is large. */
  secondaryEvictionLimiterQps: number;
  /** --large-cluster-size-threshold: a zone with more nodes than this is "large". */
  largeClusterSizeThreshold: number;
  /** --unhealthy-zone-threshold: fraction of not-Ready nodes (at least 3) for PartialDisruption. */
  unhealthyZoneThreshold: number;
  /** NodeEvictionPeriod: the doNoExecuteTaintingPass loop period. */
  nodeEvictionPeriodUs: number;
}

/** --node-monitor-period default (KubeCloudSharedConfiguration SetDefaults: 5 * time.Second). */
export const NODE_MONITOR_PERIOD_US = 5 * US_PER_S;
/** --node-monitor-grace-period default since v1.32 (k/k PR #126287, CHANGELOG-1.32 v1.32.0-alpha.2). */
export const NODE_MONITOR_GRACE_PERIOD_US = 50 * US_PER_S;
/** --node-monitor-grace-period default before v1.32 (nodelifecycle/config/v1alpha1/defaults.go). */
export const NODE_MONITOR_GRACE_PERIOD_BEFORE_1_32_US = 40 * US_PER_S;
/** --node-startup-grace-period default (nodelifecycle/config/v1alpha1/defaults.go). */
export const NODE_STARTUP_GRACE_PERIOD_US = 60 * US_PER_S;
/** --node-eviction-rate default. */
export const EVICTION_LIMITER_QPS = 0.1;
/** --secondary-node-eviction-rate default. */
export const SECONDARY_EVICTION_LIMITER_QPS = 0.01;
/** --large-cluster-size-threshold default. */
export const LARGE_CLUSTER_SIZE_THRESHOLD = 50;
/** --unhealthy-zone-threshold default. */
export const UNHEALTHY_ZONE_THRESHOLD = 0.55;
/** NodeEvictionPeriod (node_lifecycle_controller.go const): the NoExecute tainting loop. */
export const NODE_EVICTION_PERIOD_US = 100 * US_PER_MS;
/** EvictionRateLimiterBurst (nodelifecycle/scheduler/rate_limited_queue.go). */
export const EVICTION_RATE_LIMITER_BURST = 1;
/**
 * doNoExecuteTaintingPass: a queued node that has no Ready condition is retried after
 * 50 ms (node_lifecycle_controller.go, "retry in 50 millisecond").
 */
export const NO_CONDITION_RETRY_US = 50 * US_PER_MS;
/**
 * RateLimitedTimedQueue.Try requeues a failed value at now + wait + 1 ns; kubesim's
 * clock counts microseconds, so 1 us [kubesim choice].
 */
export const TRY_REQUEUE_EPSILON_US = 1;
/** Label that excludes a node from zone-state computation (isNodeExcludedFromDisruptionChecks). */
export const LABEL_EXCLUDE_DISRUPTION = "node.kubernetes.io/exclude-disruption";

export const DEFAULT_NODE_LIFECYCLE_CONFIG: Readonly<NodeLifecycleConfig> = Object.freeze({
  nodeMonitorPeriodUs: NODE_MONITOR_PERIOD_US,
  nodeMonitorGracePeriodUs: NODE_MONITOR_GRACE_PERIOD_US,
  nodeStartupGracePeriodUs: NODE_STARTUP_GRACE_PERIOD_US,
  evictionLimiterQps: EVICTION_LIMITER_QPS,
  secondaryEvictionLimiterQps: SECONDARY_EVICTION_LIMITER_QPS,
  largeClusterSizeThreshold: LARGE_CLUSTER_SIZE_THRESHOLD,
  unhealthyZoneThreshold: UNHEALTHY_ZONE_THRESHOLD,
  nodeEvictionPeriodUs: NODE_EVICTION_PERIOD_US,
});
