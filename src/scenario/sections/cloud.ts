/**
 * The cloud (issue 12): a node pool as an instance group (instance type and price,
 * autoscaling bounds, provisioning delay, launch failures), the cloud-controller-manager
 * and the Cluster Autoscaler. Defaults are upstream's flag defaults, sourced in
 * src/cloud/ccm/defaults.ts and src/cloud/autoscaler/defaults.ts.
 */
import { z } from "zod";
import { dnsLabel, duration, durationDistribution, nonNegativeInt, period, positiveInt, positiveNumber } from "../fields.js";
import { CCM_CLIENT_BURST, CCM_CLIENT_QPS, LB_HEALTHY_THRESHOLD, LB_UNHEALTHY_THRESHOLD } from "../../cloud/ccm/defaults.js";

/** The fields a node pool gains as an instance group (merged into nodePool in nodePools.ts). */
export const instanceGroupFields = {
  instanceType: z
    .strictObject({
      name: z.string({ error: "expected an instance type name (n2-standard-8, m5.2xlarge)" }).min(1, { error: "expected an instance type name (n2-standard-8, m5.2xlarge)" }),
      pricePerHour: z.number({ error: "expected an hourly price (a non-negative number)" }).nonnegative({ error: "expected an hourly price (a non-negative number)" }).finite({ error: "expected an hourly price (a non-negative number)" }),
    })
    .optional()
    .describe("the machines' instance type and hourly price (cost in summary.csv)"),
  autoscaling: z
    .strictObject({
      minSize: nonNegativeInt("a non-negative integer (the group's minimum size)"),
      maxSize: nonNegativeInt("a non-negative integer (the group's maximum size)"),
    })
    .optional()
    .describe("the Cluster Autoscaler's bounds for this group (count is the start size, between them)"),
  provisioningDelay: durationDistribution.optional().describe("from a machine's create request to its kubelet starting (default 60s)"),
  launchFailureProbability: z
    .number({ error: "expected a probability between 0 and 1" })
    .min(0, { error: "expected a probability between 0 and 1" })
    .max(1, { error: "expected a probability between 0 and 1" })
    .optional()
    .describe("chance that a machine create fails at once with a cloud error (the Cluster Autoscaler sees it at its next loop and backs the group off)"),
  bootFailureProbability: z
    .number({ error: "expected a probability between 0 and 1" })
    .min(0, { error: "expected a probability between 0 and 1" })
    .max(1, { error: "expected a probability between 0 and 1" })
    .optional()
    .describe("chance that a created machine never boots (its Node never registers: the Cluster Autoscaler gives up after maxNodeProvisionTime)"),
};

const EXPANDERS = ["random", "least-waste", "most-pods", "price", "priority"] as const;

export const cloudSection = {
  cloudControllerManager: z
    .strictObject({
      nodeMonitorPeriod: period.default("5s").describe("--node-monitor-period: the cloud node lifecycle controller's period"),
      kubeApiQps: positiveNumber().default(CCM_CLIENT_QPS).describe("--kube-api-qps: each CCM controller's client rate limit"),
      kubeApiBurst: positiveInt().default(CCM_CLIENT_BURST).describe("--kube-api-burst"),
      loadBalancers: z
        .strictObject({
          provisioningDelay: durationDistribution.default("60s").describe("the cloud's: from EnsureLoadBalancer to the load balancer existing with an address (kubesim's default 60s)"),
          updateDelay: duration.default("5s").describe("the cloud's: from UpdateLoadBalancer to the new backend set taking effect (kubesim's default 5s)"),
          healthCheckInterval: period.default("10s").describe("the cloud's health check of each backend node (AWS Load Balancer Controller NLB default 10s)"),
          healthyThreshold: positiveInt().default(LB_HEALTHY_THRESHOLD).describe("passes in a row before a backend takes traffic (NLB default 3)"),
          unhealthyThreshold: positiveInt().default(LB_UNHEALTHY_THRESHOLD).describe("failures in a row before a backend stops taking traffic (NLB default 3)"),
        })
        .prefault({})
        .describe("the cloud's load balancers for Services of type LoadBalancer"),
    })
    .optional()
    .describe("the cloud-controller-manager: kubelets run with --cloud-provider=external and register with the uninitialized taint"),
  clusterAutoscaler: z
    .strictObject({
      scanInterval: period.default("10s").describe("--scan-interval"),
      expander: z.enum(EXPANDERS, { error: `expected an expander: ${EXPANDERS.join(", ")}` }).default("least-waste").describe("--expander (least-waste is the default since 1.33)"),
      priorities: z.record(dnsLabel, z.number({ error: "expected an integer priority" }).int({ error: "expected an integer priority" }), { error: "expected a mapping of pool name to priority" }).optional().describe("priority expander: pool name -> priority (higher wins)"),
      scaleDownEnabled: z.boolean({ error: "expected true or false" }).default(true).describe("--scale-down-enabled"),
      scaleDownUtilizationThreshold: z.number({ error: "expected a number between 0 and 1" }).min(0, { error: "expected a number between 0 and 1" }).max(1, { error: "expected a number between 0 and 1" }).default(0.5).describe("--scale-down-utilization-threshold"),
      scaleDownUnneededTime: duration.default("10m").describe("--scale-down-unneeded-time"),
      scaleDownDelayAfterAdd: duration.default("10m").describe("--scale-down-delay-after-add"),
      maxNodeProvisionTime: duration.default("15m").describe("--max-node-provision-time"),
      newPodScaleUpDelay: duration.default("0s").describe("--new-pod-scale-up-delay"),
      maxGracefulTerminationSec: nonNegativeInt().default(600).describe("--max-graceful-termination-sec"),
    })
    .optional()
    .describe("the Cluster Autoscaler, with upstream's flag defaults"),
};

