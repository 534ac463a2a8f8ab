/**
 * The fault timeline. A node fault names its nodes one of three ways: `node` (one
 * node by name), `pool` (+ optional `count`, chosen with the seeded stream
 * "faults"; all of the pool without count), or `zone` (every node in the zone).
 */
import { z } from "zod";
import { dnsLabel, dnsSubdomain, duration, positiveInt } from "../fields.js";


const nodeSelection = {
  at: duration.describe("when the fault happens (time since the start)"),
  node: dnsSubdomain.optional(),
  pool: dnsLabel.optional(),
  count: positiveInt().optional(),
  zone: dnsSubdomain.optional(),
};

function oneSelector(f: { node?: string; pool?: string; zone?: string; count?: number }, ctx: z.RefinementCtx): void {
  const given = (["node", "pool", "zone"] as const).filter((k) => f[k] !== undefined);
  if (given.length !== 1) {
    ctx.addIssue({ code: "custom", path: [], message: `expected exactly one of node, pool or zone, got ${given.length === 0 ? "none" : given.join(" and ")}` });
  }
  else if (f.count !== undefined && !f.pool) ctx.addIssue({ code: "custom", path: ["count"], message: "expected count only together with pool" });
}

export const nodeFailure = z
  .strictObject({
    type: z.literal("node-failure"),
    ...nodeSelection,
    recoverAfter: duration.optional().describe("shorthand for a node-recovery of the same nodes this long after"),
  })
  .superRefine(oneSelector);

export const nodeRecovery = z
  .strictObject({
    type: z.literal("node-recovery"),
    ...nodeSelection,
  })
  .superRefine(oneSelector);

const FAULT_EXPECTED = "expected a fault type: node-failure or node-recovery";

export const fault = z.discriminatedUnion("type", [nodeFailure, nodeRecovery], { error: FAULT_EXPECTED });

export const faultsSection = {
  faults: z.array(fault, { error: "expected a list of faults" }).default([]),
};
