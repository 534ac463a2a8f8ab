/**
 * The Kubernetes objects of a scenario (Deployment, DaemonSet, StatefulSet, Job, Pod, PriorityClass, Namespace, and the
 * pod template of kubesim's PoissonArrivals), checked by the API server's own validation
 * (apiserver/admission/validation): strict decoding (an unknown field is an error, as with
 * `kubectl --validate=strict`; `kubectl get -o yaml` output loads unchanged) and
 * upstream's rules, with upstream's messages and field paths:
 *
 *   s.yaml: workloads[0].spec.template.spec.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight: Invalid value: -1: must be in the range 1-100
 *
 * The zod schemas here only pick the kind and give the objects their types; the one
 * validation is the API server's, the same that `kubesim explain` runs on its inputs.
 */
import { z } from "zod";
import { errorBody, type FieldError } from "../apiserver/admission/validation/fieldError.js";
import { validateObject, validatePodTemplate } from "../apiserver/admission/validation/validateObject.js";
import type { DaemonSet, Deployment, Job, Namespace, PodDisruptionBudget, StatefulSet, ObjectMeta, Pod, PodSpec, PodTemplateSpec, PriorityClass, Service } from "../model/types.js";
import { VERBATIM } from "./errors.js";
import { unmodelledServiceField } from "./serviceFidelity.js";

type Named = ObjectMeta & { name: string };
/** spec.replicas may be left out: SetDefaults_Deployment makes it 1 (resolve.ts applies it). */
export type DeploymentObject = Deployment & {
  metadata: Named;
  spec: NonNullable<Deployment["spec"]> & { template: PodTemplateSpec };
};
export type DaemonSetObject = DaemonSet & {
  metadata: Named;
  spec: NonNullable<DaemonSet["spec"]> & { template: PodTemplateSpec };
};
export type JobObject = Job & {
  metadata: Named;
  spec: NonNullable<Job["spec"]> & { template: PodTemplateSpec };
};
export type PodDisruptionBudgetObject = PodDisruptionBudget & { metadata: Named };
export type StatefulSetObject = StatefulSet & {
  metadata: Named;
  spec: NonNullable<StatefulSet["spec"]> & { template: PodTemplateSpec };
};
export type PodObject = Pod & { metadata: Named; spec: PodSpec };
export type PriorityClassObject = PriorityClass & { metadata: Named };
export type NamespaceObject = Namespace & { metadata: Named };
export type ServiceObject = Service & { metadata: Named };
export type PodTemplateSpecInput = PodTemplateSpec & { spec: PodSpec };

/** A validation error as a zod issue that the scenario's error reporting prints as it is. */
function report(ctx: z.core.$RefinementCtx, e: FieldError): void {
  ctx.addIssue({ code: "custom", path: [...e.path], message: errorBody(e), params: { [VERBATIM]: true } });
}

/** A scenario's objects need a name: kubesim names pods after it (generateName is not supported). */
function requireName(obj: { metadata?: ObjectMeta }, ctx: z.core.$RefinementCtx): void {
  if (!obj.metadata?.name) report(ctx, { type: "Required value", path: ["metadata", "name"], value: undefined, detail: "kubesim needs the name (generateName is not supported in scenarios)" });
}

/**
 * The schema of one kind: the discriminating kind, then the API server's validation. The
 * output type is asserted, not transformed (a transform would hide the defaults of the
 * scenario format from its JSON Schema).
 */
function apiObject<T>(kind: string, apiVersion: string, description: string) {
  const schema = z
    .looseObject({
      apiVersion: z.unknown().meta({ type: "string", const: apiVersion }),
      kind: z.literal(kind),
    })
    .superRefine((obj, ctx) => {
      const e = validateObject(obj);
      if (e) report(ctx, e);
      else requireName(obj as { metadata?: ObjectMeta }, ctx);
    })
    .describe(`${apiVersion} ${kind}: ${description} (validated as the API server does: https://kubernetes.io/docs/reference/kubernetes-api/)`);
  return schema as unknown as z.ZodType<T, z.input<typeof schema>> & typeof schema;
}

export const deployment = apiObject<DeploymentObject>("Deployment", "apps/v1", "its replicas are created at the start and kept at spec.replicas (default 1)");
export const daemonSet = apiObject<DaemonSetObject>("DaemonSet", "apps/v1", "a pod on every eligible node (nodeSelector, required node affinity, taints with the daemon pods' default tolerations)");
export const job = apiObject<JobObject>(
  "Job",
  "batch/v1",
  "its pods run to completion: annotate it with kubesim.io/run-time (how long each pod runs: a duration or a distribution) and optionally kubesim.io/failure-probability",
);
export const statefulSet = apiObject<StatefulSetObject>("StatefulSet", "apps/v1", "pods <name>-<ordinal>, created in order (OrderedReady) or at once (Parallel)");
export const pod = apiObject<PodObject>("Pod", "v1", "created at the start; spec.activeDeadlineSeconds ends it");
export const podDisruptionBudget = apiObject<PodDisruptionBudgetObject>(
  "PodDisruptionBudget",
  "policy/v1",
  "the eviction API (a drain) honours it: minAvailable or maxUnavailable, a number or a percentage",
);
export const priorityClass = apiObject<PriorityClassObject>("PriorityClass", "scheduling.k8s.io/v1", "pods name it in spec.priorityClassName");
export const namespace = apiObject<NamespaceObject>("Namespace", "v1", "its labels are what pod affinity's namespaceSelector matches");

/**
 * A Service: ClusterIP (or headless) with a selector; what kubesim does not model is
 * refused at its field (serviceFidelity.ts), after the API server's own validation.
 */
const serviceSchema = apiObject<ServiceObject>("Service", "v1", "a ClusterIP Service: the EndpointSlice controller keeps its endpoints, kube-proxy on every node routes requestLoad to them").superRefine((svc, ctx) => {
  const e = unmodelledServiceField(svc as unknown as Service);
  if (e) report(ctx, e);
});
export const service = serviceSchema as unknown as z.ZodType<ServiceObject, z.input<typeof serviceSchema>> & typeof serviceSchema;

/** A pod template (PoissonArrivals.template): validated as the template of a controller's pods. */
const podTemplateSchema = z
  .looseObject({})
  .superRefine((t, ctx) => {
    const e = validatePodTemplate(t);
    if (e) report(ctx, e);
  })
  .describe("a v1 PodTemplateSpec ({metadata: {labels}, spec: {containers: [...]}}), validated as the API server does");
export const podTemplateSpec = podTemplateSchema as unknown as z.ZodType<PodTemplateSpecInput, z.input<typeof podTemplateSchema>> & typeof podTemplateSchema;
