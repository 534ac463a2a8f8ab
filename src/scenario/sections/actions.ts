/**
 * Actions on the timeline, beside the faults: what an operator does with kubectl.
 *
 *   - {at: 10m, type: scale, deployment: web, namespace: shop, replicas: 900}   kubectl scale (or statefulSet: db)
 *   - {at: 15m, type: set-image, daemonSet: agent, container: c, image: x:2}  a rollout (or deployment:, statefulSet:; rollout-restart)
 *   - {at: 20m, type: cordon, node: general-3}                                 kubectl cordon
 *   - {at: 30m, type: uncordon, pool: general}                                 kubectl uncordon
 *   - {at: 40m, type: drain, zone: zone-b, count: 2}                           kubectl drain --ignore-daemonsets --force
 *
 * Nodes are named as in faults: `node`, `pool` or `zone` (+ `count`, chosen with the seeded
 * stream "actions"). Each action is a row in events.csv.
 */
import { z } from "zod";
import { dnsLabel, dnsSubdomain, nonNegativeInt } from "../fields.js";
import { nodeSelection, oneSelector } from "./faults.js";

const scale = z
  .strictObject({
    type: z.literal("scale"),
    at: nodeSelection.at,
    deployment: dnsSubdomain.optional().describe("the Deployment's name"),
    statefulSet: dnsSubdomain.optional().describe("the StatefulSet's name"),
    namespace: dnsLabel.default("default"),
    replicas: nonNegativeInt("a non-negative number of replicas"),
  })
  .superRefine((a, ctx) => {
    if ((a.deployment === undefined) === (a.statefulSet === undefined)) {
      ctx.addIssue({ code: "custom", path: [], message: `expected exactly one of deployment or statefulSet, got ${a.deployment === undefined ? "neither" : "both"}` });
    }
  });
const onNodes = (type: "cordon" | "uncordon" | "drain", what: string) => z.strictObject({ type: z.literal(type), ...nodeSelection }).describe(what).superRefine(oneSelector);

/** The workload a rollout names: exactly one of deployment, statefulSet, daemonSet. */
const rolloutWorkload = {
  deployment: dnsSubdomain.optional().describe("the Deployment's name"),
  statefulSet: dnsSubdomain.optional().describe("the StatefulSet's name"),
  daemonSet: dnsSubdomain.optional().describe("the DaemonSet's name"),
  namespace: dnsLabel.default("default"),
};
function oneWorkload(a: { deployment?: string; statefulSet?: string; daemonSet?: string }, ctx: z.core.$RefinementCtx): void {
  const given = (["deployment", "statefulSet", "daemonSet"] as const).filter((k) => a[k] !== undefined);
  if (given.length !== 1) ctx.addIssue({ code: "custom", path: [], message: `expected exactly one of deployment, statefulSet or daemonSet, got ${given.length === 0 ? "none" : given.join(" and ")}` });
}
const setImage = z
  .strictObject({
    type: z.literal("set-image"),
    at: nodeSelection.at,
    ...rolloutWorkload,
    container: z.string().min(1).describe("the container's name"),
    image: z.string().min(1).describe("its new image"),
  })
  .superRefine(oneWorkload)
  .describe("kubectl set image deployment|statefulset|daemonset/<name> <container>=<image>: a new pod template, a rollout");
const rolloutRestart = z
  .strictObject({ type: z.literal("rollout-restart"), at: nodeSelection.at, ...rolloutWorkload })
  .superRefine(oneWorkload)
  .describe("kubectl rollout restart deployment|statefulset|daemonset/<name>: the kubectl.kubernetes.io/restartedAt annotation, a rollout");

export const ACTION_TYPES = ["scale", "set-image", "rollout-restart", "cordon", "uncordon", "drain"] as const;

export const action = z.discriminatedUnion(
  "type",
  [
    scale.describe("kubectl scale: the Deployment's spec.replicas"),
    setImage,
    rolloutRestart,
    onNodes("cordon", "kubectl cordon: spec.unschedulable, nothing new is scheduled there"),
    onNodes("uncordon", "kubectl uncordon"),
    onNodes("drain", "kubectl drain --ignore-daemonsets --force: cordon, then evict every pod but DaemonSet pods"),
  ],
  { error: `expected an action type: ${ACTION_TYPES.join(", ")}` },
);

export const actionsSection = {
  actions: z.array(action, { error: "expected a list of actions" }).default([]),
};
