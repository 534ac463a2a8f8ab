/**
 * Node pools: `count` identical nodes spread over zones (round-robin, or in
 * proportion to weights), with allocatable resources as Kubernetes quantities,
 * labels and taints.
 */
import { z } from "zod";
import { dnsLabel, dnsSubdomain, positiveInt, positiveNumber, quantity, stringMap } from "../fields.js";
import { instanceGroupFields } from "./cloud.js";

/** kubelet --max-pods default (KubeletConfiguration maxPods: 110). */
export const DEFAULT_MAX_PODS = 110;

const EXTENDED_RESOURCE_EXPECTED =
  "expected cpu, memory, pods, ephemeral-storage, hugepages-<size> or an extended resource name like example.com/gpu";
/** Extended resources are domain-qualified (nvidia.com/gpu); hugepages-* are native. */
const RESOURCE_NAME = /^(([a-z0-9]([-a-z0-9]*[a-z0-9])?\.)*[a-z0-9]([-a-z0-9]*[a-z0-9])?\/[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?|hugepages-[0-9A-Za-z.]+)$/;

export const allocatable = z
  .looseObject({
    cpu: quantity,
    memory: quantity,
    pods: positiveInt("a positive integer (kubelet maxPods)").default(DEFAULT_MAX_PODS),
    "ephemeral-storage": quantity.optional(),
  })
  .catchall(quantity)
  .superRefine((a, ctx) => {
    for (const key of Object.keys(a)) {
      if (key === "cpu" || key === "memory" || key === "pods" || key === "ephemeral-storage") continue;
      if (!RESOURCE_NAME.test(key)) ctx.addIssue({ code: "custom", path: [key], message: EXTENDED_RESOURCE_EXPECTED });
    }
  });

const TAINT_EFFECT_EXPECTED = "expected a taint effect: NoSchedule, PreferNoSchedule or NoExecute";
export const taint = z.strictObject({
  key: z.string({ error: "expected a taint key" }).min(1, { error: "expected a taint key" }),
  value: z.string({ error: "expected a string value (quote numbers and booleans)" }).optional(),
  effect: z.enum(["NoSchedule", "PreferNoSchedule", "NoExecute"], { error: TAINT_EFFECT_EXPECTED }),
});

const ZONES_EXPECTED = "expected a list of zone names, or of {name, weight}";
export const zone = z.union([dnsSubdomain, z.strictObject({ name: dnsSubdomain, weight: positiveNumber("a positive weight") })], {
  error: ZONES_EXPECTED,
});

/**
 * Labels of one pool. [kubesim choice] Kubernetes sets no count, only the object's size
 * (etcd's 1.5 MiB request limit); real nodes carry a few dozen (kubelet's well-known
 * labels, the cloud provider's, the operator's). Every node of the pool gets a copy.
 */
export const MAX_POOL_LABELS = 256;
/** Taints of one pool. [kubesim choice] Real nodes carry a handful; every pod is checked against each. */
export const MAX_POOL_TAINTS = 64;
/** Zones of one pool. [kubesim choice] Cloud regions have 3 to 6 zones; spreading nodes costs zones x nodes. */
export const MAX_POOL_ZONES = 64;

export const nodePool = z.strictObject({
  name: dnsLabel.describe("pool name; nodes are named <pool>-<index>"),
  count: positiveInt().describe("nodes in the pool (all pools together at most limits.nodes)"),
  zones: z
    .array(zone, { error: ZONES_EXPECTED })
    .min(1, { error: "expected at least one zone (or leave zones out)" })
    .max(MAX_POOL_ZONES, { error: `expected at most ${MAX_POOL_ZONES} zones` })
    .optional(),
  allocatable,
  labels: stringMap
    .refine((m) => Object.keys(m).length <= MAX_POOL_LABELS, { error: (i) => `expected at most ${MAX_POOL_LABELS} labels, got ${Object.keys(i.input as object).length}` })
    .optional(),
  taints: z
    .array(taint, { error: "expected a list of taints {key, value, effect}" })
    .max(MAX_POOL_TAINTS, { error: `expected at most ${MAX_POOL_TAINTS} taints` })
    .optional(),
  // --- the pool as an instance group (issue 12, src/cloud) ---
  ...instanceGroupFields,
});

export const nodePoolsSection = {
  nodePools: z
    .array(nodePool, { error: "expected a list of node pools" })
    .min(1, { error: "expected at least one node pool" }),
};
