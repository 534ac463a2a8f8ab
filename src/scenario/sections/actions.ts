/**
 * Actions on the timeline, beside the faults: what an operator does with kubectl.
 *
 *   - {at: 10m, type: scale, deployment: web, namespace: shop, replicas: 900}   kubectl scale (or statefulSet: db)
 *   - {at: 15m, type: set-image, daemonSet: agent, container: c, image: x:2}  a rollout (or deployment:, statefulSet:; rollout-restart)
 *   - {at: 20m, type: cordon, node: general-3}                                 kubectl cordon
 *   - {at: 30m, type: uncordon, pool: general}                                 kubectl uncordon
 *   - {at: 40m, type: drain, zone: zone-b, count: 2}                           kubectl drain --ignore-daemonsets --force
 *   - {at: 1h, type: node-pool-upgrade, pool: general, maxSurge: 1}            a managed surge upgrade of the pool
 *   - {at: 2h, type: apply, workloads: [{manifests: nightly.yaml}]}            kubectl apply: objects created then
 *   - {at: 50m, type: pause, deployment: web}  (resume)                          kubectl rollout pause / resume
 *   - {at: 55m, type: delete, kind: Deployment, name: web, namespace: shop}     kubectl delete (background cascading)
 *   - {at: 58m, type: delete-namespace, namespace: shop}                        kubectl delete namespace
 *
 * Nodes are named as in faults: `node`, `pool` or `zone` (+ `count`, chosen with the seeded
 * stream "actions"). Each action is a row in events.csv.
 */
import { z } from "zod";
import { dnsLabel, dnsSubdomain, duration, nonNegativeInt } from "../fields.js";
import { nodeSelection, oneSelector } from "./faults.js";
import { workload } from "./workloads.js";

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
const onNodes = (type: "cordon" | "uncordon", what: string) => z.strictObject({ type: z.literal(type), ...nodeSelection }).describe(what).superRefine(oneSelector);
const drain = z
  .strictObject({ type: z.literal("drain"), ...nodeSelection, timeout: duration.optional().describe("kubectl drain --timeout: give up this long after the start (default: wait for ever, kubectl's 0)") })
  .describe("kubectl drain --ignore-daemonsets --force: cordon, then evict every pod but DaemonSet pods")
  .superRefine(oneSelector);

/** GKE's surge upgrade defaults: maxSurge 1, maxUnavailable 0 (NodePool.UpgradeSettings). */
export const UPGRADE_MAX_SURGE_DEFAULT = 1;
export const UPGRADE_MAX_UNAVAILABLE_DEFAULT = 0;
/** GKE respects PodDisruptionBudgets for up to one hour of a node's drain during an upgrade, then deletes the pods left. */
export const UPGRADE_DRAIN_TIMEOUT_DEFAULT = "1h";
/** kubesim's assumption, not an upstream default: from the cloud's VM create to its kubelet starting. Measure yours. */
export const UPGRADE_PROVISION_TIME_DEFAULT = "60s";

/**
 * kubectl apply of new objects: Kubernetes workloads written as in `workloads` (inline or
 * `{manifests: file}`), created at `at` instead of at the start. The loader adds them to
 * the scenario's workloads (so every check and bound applies to them) and remembers when.
 */
export const apply = z
  .strictObject({
    type: z.literal("apply"),
    at: nodeSelection.at,
    workloads: z.array(workload, { error: "expected a list of workloads" }).min(1, { error: "expected at least one object to apply" }),
  })
  .describe("kubectl apply: Deployments, DaemonSets, StatefulSets, Jobs, Pods and PodDisruptionBudgets created at this time");

const nodePoolUpgrade = z
  .strictObject({
    type: z.literal("node-pool-upgrade"),
    at: nodeSelection.at,
    pool: dnsLabel.describe("the node pool to upgrade"),
    maxSurge: nonNegativeInt("a non-negative number of nodes").default(UPGRADE_MAX_SURGE_DEFAULT).describe("new nodes created beyond the pool's size during the upgrade (GKE default 1)"),
    maxUnavailable: nonNegativeInt("a non-negative number of nodes").default(UPGRADE_MAX_UNAVAILABLE_DEFAULT).describe("old nodes drained without a new node in their place (GKE default 0)"),
    drainTimeout: duration.default(UPGRADE_DRAIN_TIMEOUT_DEFAULT).describe("PodDisruptionBudgets are respected this long in a node's drain, then the pods left are deleted (GKE: 1h)"),
    provisionTime: duration.default(UPGRADE_PROVISION_TIME_DEFAULT).describe("from creating a new node's machine to its kubelet starting (kubesim's assumption: 60s)"),
  })
  .describe("a managed surge upgrade: new nodes, then old ones cordoned, drained and deleted, maxSurge + maxUnavailable at a time")
  .superRefine((a, ctx) => {
    if (a.maxSurge + a.maxUnavailable === 0) ctx.addIssue({ code: "custom", path: ["maxSurge"], message: "expected maxSurge + maxUnavailable of at least 1 (nothing could be upgraded)" });
  });

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
const rolloutPause = <T extends "pause" | "resume">(type: T, what: string) =>
  z.strictObject({ type: z.literal(type), at: nodeSelection.at, deployment: dnsSubdomain.describe("the Deployment's name"), namespace: dnsLabel.default("default") }).describe(what);

/** The workload kinds a `delete` action can name. */
export const DELETABLE_KINDS = ["Deployment", "StatefulSet", "DaemonSet", "Job"] as const;
const deleteWorkload = z
  .strictObject({
    type: z.literal("delete"),
    at: nodeSelection.at,
    kind: z.enum(DELETABLE_KINDS, { error: `expected one of ${DELETABLE_KINDS.join(", ")}` }).describe("the workload's kind"),
    name: dnsSubdomain.describe("the workload's name"),
    namespace: dnsLabel.default("default"),
  })
  .describe("kubectl delete <kind>/<name>: the object goes at once (background cascading), its controller stops, the garbage collector deletes its pods gracefully");
const deleteNamespace = z
  .strictObject({ type: z.literal("delete-namespace"), at: nodeSelection.at, namespace: dnsLabel.describe("the namespace to delete (not default, kube-system, kube-public, kube-node-lease)") })
  .describe("kubectl delete namespace: Terminating at once (NamespaceLifecycle refuses new objects in it), the namespace controller deletes its workloads and pods, then the namespace is gone");

export const ACTION_TYPES = ["scale", "set-image", "rollout-restart", "pause", "resume", "cordon", "uncordon", "drain", "node-pool-upgrade", "apply", "delete", "delete-namespace"] as const;

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
    drain,
    nodePoolUpgrade,
    apply,
    deleteWorkload,
    deleteNamespace,
  ],
  { error: `expected an action type: ${ACTION_TYPES.join(", ")}` },
);

export const actionsSection = {
  actions: z.array(action, { error: "expected a list of actions" }).default([]),
};
