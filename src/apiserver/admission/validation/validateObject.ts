/**
 * One object through the API server's checks, in upstream's order: the kind and
 * apiVersion must be served, the body must decode strictly (strictDecode.ts), fit in an
 * etcd request, and — defaulted — pass the kind's validation. The first error, or
 * undefined. Both `kubesim run` (the scenario's workloads and manifest files) and
 * `kubesim explain` (its --cluster and --pod files) call this, so they reject the same
 * objects with the same messages.
 */
import type { DaemonSet, Deployment, Job, Namespace, Node, Pod, PodDisruptionBudget, PodTemplateSpec, PriorityClass, ReplicaSet, Service, StatefulSet } from "../../../model/types.js";
import { setDefaultsDaemonSet, setDefaultsDeployment, setDefaultsJob, setDefaultsPod, setDefaultsStatefulSet } from "../defaults.js";
import { decodeError, type FieldError } from "./fieldError.js";
import { validateNamespace } from "./namespace.js";
import { validateNode } from "./node.js";
import { validatePodCreate, validatePodSpec, validatePodTemplateSpec } from "./podSpec.js";
import { validatePodDisruptionBudget } from "./policy.js";
import { validatePriorityClass } from "./priorityClass.js";
import { validateService } from "./service.js";
import { strictDecode } from "./strictDecode.js";
import { dnsSubdomainName, validateObjectMeta } from "./objectMeta.js";
import { validateDaemonSet, validateDeployment, validateJob, validateReplicaSet, validateStatefulSet } from "./workloads.js";

/**
 * etcd's default --max-request-bytes (embed.DefaultMaxRequestBytes, 1.5 MiB): the largest
 * object the API server can store. Upstream bounds labels by nothing else; kubesim measures
 * an object's size as JSON, roughly (strictDecode.ts), while etcd sees protobuf, which is
 * somewhat smaller.
 */
export const ETCD_MAX_REQUEST_BYTES = 1.5 * 1024 * 1024;

export interface ValidateOptions {
  /**
   * The object exists already (a `kubectl get -o yaml` export given to explain): the rules
   * that only apply when it is created are skipped (ephemeral containers, nodeName with
   * scheduling gates).
   */
  stored?: boolean;
}

interface ApiKind {
  apiVersion: string;
  /** Its Go type in apiTypes.generated.ts. */
  type: string;
  validate(obj: never, out: FieldError[], options: ValidateOptions): void;
}

/** The kinds kubesim reads and their validation (on the defaulted object). */
export const API_KINDS: Readonly<Record<string, ApiKind>> = {
  Pod: {
    apiVersion: "v1",
    type: "core.Pod",
    validate: (pod: Pod, out, options) => {
      const p = setDefaultsPod(pod);
      if (options.stored) {
        validateObjectMeta(p.metadata, true, dnsSubdomainName, ["metadata"], out);
        validatePodSpec(p.spec, ["spec"], true, out);
      } else validatePodCreate(p, out);
    },
  },
  Node: { apiVersion: "v1", type: "core.Node", validate: (n: Node, out) => validateNode(n, out) },
  Namespace: { apiVersion: "v1", type: "core.Namespace", validate: (ns: Namespace, out) => validateNamespace(ns, out) },
  Service: { apiVersion: "v1", type: "core.Service", validate: (s: Service, out) => validateService(s, out) },
  Deployment: { apiVersion: "apps/v1", type: "apps.Deployment", validate: (d: Deployment, out) => validateDeployment(setDefaultsDeployment(d), out) },
  ReplicaSet: { apiVersion: "apps/v1", type: "apps.ReplicaSet", validate: (rs: ReplicaSet, out) => validateReplicaSet(rs, out) },
  StatefulSet: { apiVersion: "apps/v1", type: "apps.StatefulSet", validate: (s: StatefulSet, out) => validateStatefulSet(setDefaultsStatefulSet(s), out) },
  DaemonSet: { apiVersion: "apps/v1", type: "apps.DaemonSet", validate: (ds: DaemonSet, out) => validateDaemonSet(setDefaultsDaemonSet(ds), out) },
  Job: { apiVersion: "batch/v1", type: "batch.Job", validate: (job: Job, out) => validateJob(setDefaultsJob(job), out) },
  PodDisruptionBudget: { apiVersion: "policy/v1", type: "policy.PodDisruptionBudget", validate: (p: PodDisruptionBudget, out) => validatePodDisruptionBudget(p, out) },
  PriorityClass: { apiVersion: "scheduling.k8s.io/v1", type: "scheduling.PriorityClass", validate: (pc: PriorityClass, out) => validatePriorityClass(pc, out) },
};

/** Validate an object of one of API_KINDS, by its kind; the first error (a path inside the object), or undefined. */
export function validateObject(obj: unknown, options: ValidateOptions = {}): FieldError | undefined {
  if (obj === null || typeof obj !== "object" || Array.isArray(obj)) return decodeError([], "expected a Kubernetes object (a mapping with apiVersion and kind)");
  const { kind } = obj as { kind?: unknown };
  if (typeof kind !== "string" || API_KINDS[kind] === undefined) {
    return decodeError(["kind"], `no kind ${JSON.stringify(kind ?? "")} is served here (kubesim reads ${Object.keys(API_KINDS).join(", ")})`);
  }
  return validateAs(kind, obj, options);
}

/**
 * Validate `obj` as an object of `kind` (a method of the API server that knows its kind:
 * apiVersion and kind may be left out, but must match when given).
 */
export function validateAs(kind: string, obj: unknown, options: ValidateOptions = {}): FieldError | undefined {
  const error = decodeAs(kind, obj);
  if (error) return error;
  const out: FieldError[] = [];
  API_KINDS[kind].validate(obj as never, out, options);
  return out[0];
}

/** The decoding half of validateAs: kind and apiVersion if given, strict decoding, the size limit. */
export function decodeAs(kind: string, obj: unknown): FieldError | undefined {
  const api = API_KINDS[kind];
  if (obj === null || typeof obj !== "object" || Array.isArray(obj)) return decodeError([], `json: cannot unmarshal ${Array.isArray(obj) ? "array" : typeof obj} into Go value of type v1.${kind}`);
  const { kind: given, apiVersion } = obj as { kind?: unknown; apiVersion?: unknown };
  if (given !== undefined && given !== kind) return decodeError(["kind"], `expected kind ${kind}, got ${JSON.stringify(given)}`);
  if (apiVersion !== undefined && apiVersion !== api.apiVersion) {
    return decodeError(["apiVersion"], `no matches for kind "${kind}" in version ${JSON.stringify(typeof apiVersion === "string" ? apiVersion : String(apiVersion))} (${kind} is ${api.apiVersion})`);
  }
  const decoded = strictDecode(obj, api.type);
  if (decoded.error) return decoded.error;
  if (decoded.sizeBytes > ETCD_MAX_REQUEST_BYTES) {
    return decodeError([], `etcdserver: request is too large (the object is about ${(decoded.sizeBytes / 1e6).toFixed(1)} MB as JSON; etcd's default --max-request-bytes is 1.5 MiB)`);
  }
  return undefined;
}

/** A pod template on its own (kubesim's PoissonArrivals.template): decoded, defaulted, validated as a template. */
export function validatePodTemplate(template: unknown): FieldError | undefined {
  const decoded = strictDecode(template, "core.PodTemplateSpec");
  if (decoded.error) return decoded.error;
  const t = template as PodTemplateSpec;
  const out: FieldError[] = [];
  validatePodTemplateSpec({ ...t, spec: t.spec ? setDefaultsPod({ spec: t.spec }).spec : t.spec }, [], out);
  return out[0];
}
