/**
 * The parts of Kubernetes v1 objects kubesim reads, validated loosely: every other
 * field a `kubectl get -o yaml` output carries (status, managedFields, probes, ...)
 * is accepted and ignored, so real manifests load unchanged.
 */
import { z } from "zod";
import { dnsSubdomain, nonNegativeInt, quantity, stringMap } from "./fields.js";

const resourceList = z.record(z.string(), quantity, { error: "expected a mapping of resource names to quantities" });

export const container = z.looseObject({
  name: z.string({ error: "expected a container name" }),
  image: z.string().optional(),
  resources: z
    .looseObject({
      requests: resourceList.optional(),
      limits: resourceList.optional(),
    })
    .optional(),
  /** `Always` on an init container makes it a sidecar (KEP-753). */
  restartPolicy: z.string().optional(),
});

const toleration = z.looseObject({
  key: z.string().optional(),
  operator: z.enum(["Exists", "Equal"], { error: "expected toleration operator Exists or Equal" }).optional(),
  value: z.string().optional(),
  effect: z.enum(["NoSchedule", "PreferNoSchedule", "NoExecute", ""], { error: "expected a taint effect" }).optional(),
  tolerationSeconds: z.number().optional(),
});

export const podSpec = z.looseObject({
  containers: z
    .array(container, { error: "expected a list of containers" })
    .min(1, { error: "expected at least one container" }),
  initContainers: z.array(container, { error: "expected a list of containers" }).optional(),
  overhead: resourceList.optional(),
  /** Pod-level resources (PodLevelResources, beta and on by default since 1.34). */
  resources: z
    .looseObject({
      requests: resourceList.optional(),
      limits: resourceList.optional(),
    })
    .optional(),
  nodeSelector: stringMap.optional(),
  nodeName: z.string().optional(),
  tolerations: z.array(toleration, { error: "expected a list of tolerations" }).optional(),
  priority: z.number().int().optional(),
  priorityClassName: z.string().optional(),
  preemptionPolicy: z.enum(["PreemptLowerPriority", "Never"], { error: "expected preemptionPolicy PreemptLowerPriority or Never" }).optional(),
  schedulerName: z.string().optional(),
  activeDeadlineSeconds: z.number().int().positive().optional(),
});

export const objectMeta = z.looseObject({
  name: dnsSubdomain.optional(),
  generateName: z.string().optional(),
  namespace: dnsSubdomain.optional(),
  labels: stringMap.optional(),
  annotations: stringMap.optional(),
});

export const podTemplateSpec = z.looseObject({
  metadata: objectMeta.optional(),
  spec: podSpec,
});

export const deployment = z.looseObject({
  apiVersion: z.literal("apps/v1", { error: "expected apiVersion apps/v1 for a Deployment" }),
  kind: z.literal("Deployment"),
  metadata: objectMeta.extend({ name: dnsSubdomain }),
  spec: z.looseObject({
    /** Deployment spec.replicas defaults to 1. */
    replicas: nonNegativeInt("a non-negative integer number of replicas").default(1),
    selector: z.looseObject({}).optional(),
    template: podTemplateSpec,
  }),
});

export const pod = z.looseObject({
  apiVersion: z.literal("v1", { error: "expected apiVersion v1 for a Pod" }),
  kind: z.literal("Pod"),
  metadata: objectMeta.extend({ name: dnsSubdomain }),
  spec: podSpec,
});

/** A scheduling.k8s.io/v1 PriorityClass: pods name it in spec.priorityClassName. */
export const priorityClass = z.looseObject({
  apiVersion: z.literal("scheduling.k8s.io/v1", { error: "expected apiVersion scheduling.k8s.io/v1 for a PriorityClass" }),
  kind: z.literal("PriorityClass"),
  metadata: objectMeta.extend({ name: dnsSubdomain }),
  value: z.number({ error: "expected an integer priority" }).int({ error: "expected an integer priority" }).min(-2147483648).max(2147483647),
  globalDefault: z.boolean().optional(),
  preemptionPolicy: z.enum(["PreemptLowerPriority", "Never"], { error: "expected preemptionPolicy PreemptLowerPriority or Never" }).optional(),
  description: z.string().optional(),
});

/** A v1 Namespace: its labels are what pod affinity's namespaceSelector matches. */
export const namespace = z.looseObject({
  apiVersion: z.literal("v1", { error: "expected apiVersion v1 for a Namespace" }),
  kind: z.literal("Namespace"),
  metadata: objectMeta.extend({ name: dnsSubdomain }),
});

export type PodTemplateSpecInput = z.output<typeof podTemplateSpec>;
export type PodSpecInput = z.output<typeof podSpec>;
