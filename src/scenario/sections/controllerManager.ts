/**
 * kube-controller-manager's flags that shape node failures, under their flag names
 * (camelCase): the client rate limits every controller gets, and the node lifecycle
 * controller's and PodGC's settings. Defaults are upstream's (sources in
 * src/controllers/nodeLifecycle/defaults.ts, src/controllers/podGC.ts).
 */
import { z } from "zod";
import { duration, nonNegativeInt, period, positiveInt, positiveNumber } from "../fields.js";

export const controllerManagerSection = {
  controllerManager: z
    .strictObject({
      kubeApiQps: positiveNumber().default(20).describe("--kube-api-qps: each controller's client rate limit (large clusters raise it)"),
      kubeApiBurst: positiveInt().default(30).describe("--kube-api-burst"),
      nodeMonitorPeriod: period.default("5s").describe("--node-monitor-period"),
      nodeMonitorGracePeriod: duration.default("50s").describe("--node-monitor-grace-period (50s since v1.32, 40s before)"),
      nodeStartupGracePeriod: duration.default("60s").describe("--node-startup-grace-period"),
      nodeEvictionRate: z.number().min(0).default(0.1).describe("--node-eviction-rate: nodes tainted per second per zone"),
      secondaryNodeEvictionRate: z.number().min(0).default(0.01).describe("--secondary-node-eviction-rate: in a partially disrupted zone larger than largeClusterSizeThreshold"),
      largeClusterSizeThreshold: nonNegativeInt().default(50).describe("--large-cluster-size-threshold"),
      unhealthyZoneThreshold: z.number().min(0).max(1).default(0.55).describe("--unhealthy-zone-threshold"),
      terminatedPodGcThreshold: nonNegativeInt().default(12500).describe("--terminated-pod-gc-threshold (0 disables)"),
    })
    .prefault({})
    .describe("kube-controller-manager flags"),
};

