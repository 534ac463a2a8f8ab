/**
 * Actions on the timeline, beside the faults: what an operator does with kubectl.
 *
 *   - {at: 10m, type: scale, deployment: web, namespace: shop, replicas: 900}   kubectl scale (or statefulSet: db)
 *   - {at: 20m, type: cordon, node: general-3}                                 kubectl cordon
 *   - {at: 30m, type: uncordon, pool: general}                                 kubectl uncordon
 *   - {at: 40m, type: drain, zone: zone-b, count: 2}                           kubectl drain --ignore-daemonsets --force
 *   - {at: 50m, type: pause, deployment: web}  (resume)                          kubectl rollout pause / resume
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

const setImage = z
  .strictObject({
    type: z.literal("set-image"),
    at: nodeSelection.at,
    deployment: dnsSubdomain.describe("the Deployment's name"),
    namespace: dnsLabel.default("default"),
    container: z.string().min(1).describe("the container's name"),
    image: z.string().min(1).describe("its new image"),
  })
  .describe("kubectl set image deployment/<name> <container>=<image>: a new pod template, a rollout");
const rolloutRestart = z
  .strictObject({ type: z.literal("rollout-restart"), at: nodeSelection.at, deployment: dnsSubdomain.describe("the Deployment's name"), namespace: dnsLabel.default("default") })
  .describe("kubectl rollout restart deployment/<name>: the kubectl.kubernetes.io/restartedAt annotation, a rollout");
const rolloutPause = <T extends "pause" | "resume">(type: T, what: string) =>
  z.strictObject({ type: z.literal(type), at: nodeSelection.at, deployment: dnsSubdomain.describe("the Deployment's name"), namespace: dnsLabel.default("default") }).describe(what);

export const ACTION_TYPES = ["scale", "set-image", "rollout-restart", "pause", "resume", "cordon", "uncordon", "drain"] as const;

export const action = z.discriminatedUnion(
  "type",
  [
    scale.describe("kubectl scale: the Deployment's spec.replicas"),
    setImage,
    rolloutRestart,
    rolloutPause("pause", "kubectl rollout pause deployment/<name>: spec.paused, a template change waits for resume (a scale still applies)"),
    rolloutPause("resume", "kubectl rollout resume deployment/<name>: the template change that waited rolls out"),
    onNodes("cordon", "kubectl cordon: spec.unschedulable, nothing new is scheduled there"),
    onNodes("uncordon", "kubectl uncordon"),
    onNodes("drain", "kubectl drain --ignore-daemonsets --force: cordon, then evict every pod but DaemonSet pods"),
  ],
  { error: `expected an action type: ${ACTION_TYPES.join(", ")}` },
);

export const actionsSection = {
  actions: z.array(action, { error: "expected a list of actions" }).default([]),
};
