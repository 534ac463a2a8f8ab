/**
 * The fault timeline. A node fault names its nodes one of three ways: `node` (one
 * node by name), `pool` or `zone` (+ optional `count`, chosen with the seeded stream
 * "faults"; all of the pool or zone without count).
 */
import { z } from "zod";
import { dnsLabel, dnsSubdomain, duration, positiveInt } from "../fields.js";


export const nodeSelection = {
  at: duration.describe("when the fault happens (time since the start)"),
  node: dnsSubdomain.optional(),
  pool: dnsLabel.optional(),
  count: positiveInt().optional(),
  zone: dnsSubdomain.optional(),
};

export function oneSelector(f: { node?: string; pool?: string; zone?: string; count?: number }, ctx: z.RefinementCtx): void {
  const given = (["node", "pool", "zone"] as const).filter((k) => f[k] !== undefined);
  if (given.length !== 1) {
    ctx.addIssue({ code: "custom", path: [], message: `expected exactly one of node, pool or zone, got ${given.length === 0 ? "none" : given.join(" and ")}` });
  }
  else if (f.count !== undefined && f.node) ctx.addIssue({ code: "custom", path: ["count"], message: "expected count only together with pool or zone" });
}

const recovery = {
  recoverAfter: duration.optional().describe("shorthand for a node-recovery of the same nodes this long after"),
  notReadyFor: duration.optional().describe("on recovery, the kubelet reports Ready=False this long (a slow-starting node)"),
};

export const nodeFailure = z
  .strictObject({ type: z.literal("node-failure"), ...nodeSelection, ...recovery })
  .describe("the nodes crash: kubelet and containers stop")
  .superRefine(oneSelector);

export const nodePartition = z
  .strictObject({ type: z.literal("node-partition"), ...nodeSelection, ...recovery })
  .describe("the nodes are cut off from the control plane; the kubelet and its pods keep running")
  .superRefine(oneSelector);

export const kubeletStop = z
  .strictObject({ type: z.literal("kubelet-stop"), ...nodeSelection, ...recovery })
  .describe("the kubelet process stops; the pods keep running, nothing is reported")
  .superRefine(oneSelector);

export const zoneOutage = z
  .strictObject({
    type: z.literal("zone-outage"),
    at: nodeSelection.at,
    zone: dnsSubdomain,
    controlPlane: z.boolean().default(false).describe("cut off the zone's control-plane hosts too (isolate-zone)"),
    ...recovery,
  })
  .describe("every node of the zone is cut off from the control plane");

export const nodeDeletion = z
  .strictObject({ type: z.literal("node-deletion"), ...nodeSelection })
  .describe("the Node objects are deleted (kubectl delete node); PodGC removes their pods")
  .superRefine(oneSelector);

export const nodeRecovery = z
  .strictObject({ type: z.literal("node-recovery"), ...nodeSelection, notReadyFor: recovery.notReadyFor })
  .describe("whatever fault the nodes have ends")
  .superRefine(oneSelector);

/**
 * The cloud's fault (issue 12): a zone out of capacity. Named after the zone-outage it
 * resembles (the zone is the scope) and the clouds' own words (GCE
 * ZONE_RESOURCE_POOL_EXHAUSTED, AWS InsufficientInstanceCapacity): while it holds,
 * machine creates in the zone fail; running machines are untouched.
 */
export const zoneCapacityExhausted = z
  .strictObject({
    type: z.literal("zone-capacity-exhausted"),
    at: nodeSelection.at,
    zone: dnsSubdomain,
    pool: dnsLabel.optional().describe("only this pool's machines in the zone (default: every pool's)"),
    recoverAfter: duration.optional().describe("capacity is back this long after"),
  })
  .describe("machine creates in the zone fail with the cloud's out-of-capacity error (needs a cloud: instance groups)");

export const NODE_FAULT_TYPES = ["node-failure", "node-partition", "kubelet-stop", "zone-outage", "node-deletion", "node-recovery"] as const;
const FAULT_EXPECTED = `expected a fault type: ${[...NODE_FAULT_TYPES, "zone-capacity-exhausted"].join(", ")}`;

export const fault = z.discriminatedUnion("type", [nodeFailure, nodePartition, kubeletStop, zoneOutage, nodeDeletion, nodeRecovery, zoneCapacityExhausted], { error: FAULT_EXPECTED });

export const faultsSection = {
  faults: z.array(fault, { error: "expected a list of faults" }).default([]),
};
