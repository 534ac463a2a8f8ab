/**
 * The API server's defaulting of the objects kubesim reads, as pkg/apis/core/v1
 * defaults.go and pkg/apis/scheduling/v1 defaults.go apply it when an object is
 * decoded, before admission. Only the defaults that change what a component reads:
 *
 * - SetDefaults_Pod: a container (or init container) that sets a limit but no request
 *   for a resource requests its limit; with pod-level limits (PodLevelResources, on by
 *   default since 1.34), missing pod-level requests of cpu and memory default to the
 *   containers' aggregate requests, then any missing supported one (cpu, memory,
 *   hugepages-*) to the pod-level limit (defaultPodRequests).
 * - SetDefaults_PodSpec: schedulerName "default-scheduler", terminationGracePeriodSeconds
 *   30, restartPolicy Always.
 * - SetDefaults_Container: imagePullPolicy Always for an image tagged ":latest" or
 *   untagged, else IfNotPresent.
 * - SetDefaults_Probe (liveness, readiness and startup probes): timeoutSeconds 1,
 *   periodSeconds 10, successThreshold 1, failureThreshold 3, each where it is 0 or unset.
 * - SetDefaults_Namespace: the label kubernetes.io/metadata.name = the namespace's name.
 * - SetDefaults_PriorityClass: preemptionPolicy PreemptLowerPriority.
 * - SetDefaults_Deployment (apps/v1): replicas 1, strategy RollingUpdate with maxSurge and
 *   maxUnavailable 25%, revisionHistoryLimit 10, progressDeadlineSeconds 600; its pod
 *   template is defaulted as a pod spec is.
 *
 * Simplification: the pod-level limit defaults (defaultPodLimits, defaultHugePagePodLimits)
 * are not applied; no component reads limits.
 */
import { aggregateContainerRequests } from "../../model/podRequests.js";
import type { Container, DaemonSet, Deployment, Job, StatefulSet, Namespace, Pod, PodSpec, PriorityClass } from "../../model/types.js";
import { DEFAULT_SCHEDULER_NAME, DEFAULT_TERMINATION_GRACE_PERIOD_S, LABEL_METADATA_NAME } from "../../model/wellKnown.js";

type ResourceList = Record<string, string | number>;

/** v1.PreemptLowerPriority: the default preemptionPolicy of a PriorityClass (and so of a pod). */
export const PREEMPT_LOWER_PRIORITY = "PreemptLowerPriority";

/** SetDefaults_Probe: timeoutSeconds. */
export const PROBE_DEFAULT_TIMEOUT_S = 1;
/** SetDefaults_Probe: periodSeconds. */
export const PROBE_DEFAULT_PERIOD_S = 10;
/** SetDefaults_Probe: successThreshold. */
export const PROBE_DEFAULT_SUCCESS_THRESHOLD = 1;
/** SetDefaults_Probe: failureThreshold. */
export const PROBE_DEFAULT_FAILURE_THRESHOLD = 3;

type Probe = NonNullable<Container["readinessProbe"]>;

/** SetDefaults_Probe on a copy: the zero (or unset) fields get their defaults. */
export function setDefaultsProbe(p: Probe): Probe {
  return {
    ...p,
    timeoutSeconds: p.timeoutSeconds || PROBE_DEFAULT_TIMEOUT_S,
    periodSeconds: p.periodSeconds || PROBE_DEFAULT_PERIOD_S,
    successThreshold: p.successThreshold || PROBE_DEFAULT_SUCCESS_THRESHOLD,
    failureThreshold: p.failureThreshold || PROBE_DEFAULT_FAILURE_THRESHOLD,
  };
}

/** The containers' requests with each missing request set to its limit; their probes defaulted. */
function defaultContainer(c: Container): Container {
  const limits = c.resources?.limits as ResourceList | undefined;
  const out: Container = { ...c };
  if (limits !== undefined) {
    const requests: ResourceList = { ...((c.resources?.requests as ResourceList | undefined) ?? {}) };
    for (const [name, q] of Object.entries(limits)) if (!(name in requests)) requests[name] = q;
    out.resources = { ...c.resources, requests } as Container["resources"];
  }
  for (const f of ["livenessProbe", "readinessProbe", "startupProbe"] as const) if (c[f]) out[f] = setDefaultsProbe(c[f]);
  if (out.imagePullPolicy === undefined && out.image !== undefined) out.imagePullPolicy = imageTag(out.image) === "latest" ? "Always" : "IfNotPresent";
  return out;
}

/** The tag of an image reference ("latest" when none; a digest reference has no tag). */
export function imageTag(image: string): string {
  if (image.includes("@")) return "";
  const slash = image.lastIndexOf("/");
  const colon = image.lastIndexOf(":");
  return colon > slash ? image.slice(colon + 1) : "latest";
}

const isPodLevelResource = (name: string) => name === "cpu" || name === "memory" || name.startsWith("hugepages-");

/** defaultPodRequests (KEP-2837): only when pod-level limits are set. */
function defaultPodLevelRequests(spec: PodSpec): void {
  const limits = spec.resources?.limits as ResourceList | undefined;
  if (!limits || Object.keys(limits).length === 0) return;
  const requests: ResourceList = { ...((spec.resources?.requests as ResourceList | undefined) ?? {}) };
  const aggregate = aggregateContainerRequests(spec);
  // Overcommittable resources (cpu, memory) that some container requests: their aggregate.
  const hasContainerRequest = (name: string) => [...(spec.containers ?? []), ...(spec.initContainers ?? [])].some((c) => (c.resources?.requests as ResourceList | undefined)?.[name] !== undefined);
  if (requests.cpu === undefined && hasContainerRequest("cpu")) requests.cpu = `${aggregate.cpuMilli}m`;
  if (requests.memory === undefined && hasContainerRequest("memory")) requests.memory = String(aggregate.memoryBytes);
  for (const [name, q] of Object.entries(limits)) if (requests[name] === undefined && isPodLevelResource(name)) requests[name] = q;
  if (Object.keys(requests).length > 0) spec.resources = { ...spec.resources, requests: requests as never };
}

/** SetDefaults_Pod and SetDefaults_PodSpec on a copy of the pod. */
export function setDefaultsPod(pod: Pod): Pod {
  const src = pod.spec ?? { containers: [] };
  const spec: PodSpec = {
    ...src,
    containers: (src.containers ?? []).map(defaultContainer),
    ...(src.initContainers ? { initContainers: src.initContainers.map(defaultContainer) } : {}),
  };
  defaultPodLevelRequests(spec);
  spec.schedulerName ||= DEFAULT_SCHEDULER_NAME;
  spec.terminationGracePeriodSeconds ??= DEFAULT_TERMINATION_GRACE_PERIOD_S;
  spec.restartPolicy ||= "Always";
  return { ...pod, spec };
}

/** SetDefaults_Namespace on a copy. */
export function setDefaultsNamespace(ns: Namespace): Namespace {
  const name = ns.metadata?.name ?? "";
  if (name === "") return ns;
  return { ...ns, metadata: { ...ns.metadata, labels: { ...(ns.metadata?.labels ?? {}), [LABEL_METADATA_NAME]: name } } };
}

/** SetDefaults_PriorityClass on a copy. */
export function setDefaultsPriorityClass(pc: PriorityClass): PriorityClass {
  return pc.preemptionPolicy === undefined ? { ...pc, preemptionPolicy: PREEMPT_LOWER_PRIORITY } : pc;
}

/** apps/v1 SetDefaults_Deployment: spec.replicas. */
export const DEFAULT_DEPLOYMENT_REPLICAS = 1;
/** apps/v1 SetDefaults_Deployment: revisionHistoryLimit, progressDeadlineSeconds, rolling update 25%/25%. */
export const DEFAULT_REVISION_HISTORY_LIMIT = 10;
export const DEFAULT_PROGRESS_DEADLINE_SECONDS = 600;
export const DEFAULT_ROLLING_UPDATE = "25%";

/** SetDefaults_Deployment on a copy (and SetDefaults_PodSpec on its template). */
export function setDefaultsDeployment(d: Deployment): Deployment {
  const spec = d.spec ?? ({} as NonNullable<Deployment["spec"]>);
  const strategy = { ...(spec.strategy ?? {}) };
  strategy.type ??= "RollingUpdate";
  if (strategy.type === "RollingUpdate") {
    strategy.rollingUpdate = { maxUnavailable: DEFAULT_ROLLING_UPDATE, maxSurge: DEFAULT_ROLLING_UPDATE, ...(strategy.rollingUpdate ?? {}) };
  }
  const template = spec.template ?? {};
  const podSpec = template.spec ? setDefaultsPod({ spec: template.spec as PodSpec }).spec : template.spec;
  return {
    ...d,
    spec: {
      ...spec,
      replicas: spec.replicas ?? DEFAULT_DEPLOYMENT_REPLICAS,
      revisionHistoryLimit: spec.revisionHistoryLimit ?? DEFAULT_REVISION_HISTORY_LIMIT,
      progressDeadlineSeconds: spec.progressDeadlineSeconds ?? DEFAULT_PROGRESS_DEADLINE_SECONDS,
      strategy,
      template: { ...template, spec: podSpec as never },
    },
  };
}

/** SetDefaults_DaemonSet: updateStrategy RollingUpdate with maxUnavailable 1 and maxSurge 0. */
export const DEFAULT_DAEMONSET_MAX_UNAVAILABLE = 1;
export const DEFAULT_DAEMONSET_MAX_SURGE = 0;

/**
 * SetDefaults_DaemonSet (k/k pkg/apis/apps/v1/defaults.go): updateStrategy type
 * RollingUpdate with maxUnavailable 1 and maxSurge 0, revisionHistoryLimit 10; the
 * template's pod spec defaulted as a pod's.
 */
export function setDefaultsDaemonSet(ds: DaemonSet): DaemonSet {
  const spec = ds.spec ?? ({} as NonNullable<DaemonSet["spec"]>);
  const updateStrategy = { ...(spec.updateStrategy ?? {}) };
  updateStrategy.type ??= "RollingUpdate";
  if (updateStrategy.type === "RollingUpdate") {
    updateStrategy.rollingUpdate = { maxUnavailable: DEFAULT_DAEMONSET_MAX_UNAVAILABLE, maxSurge: DEFAULT_DAEMONSET_MAX_SURGE, ...(updateStrategy.rollingUpdate ?? {}) };
  }
  const template = spec.template ?? {};
  const podSpec = template.spec ? setDefaultsPod({ spec: template.spec as PodSpec }).spec : template.spec;
  return {
    ...ds,
    spec: { ...spec, revisionHistoryLimit: spec.revisionHistoryLimit ?? DEFAULT_REVISION_HISTORY_LIMIT, updateStrategy, template: { ...template, spec: podSpec as never } } as NonNullable<DaemonSet["spec"]>,
  };
}

/** SetDefaults_Job: backoffLimit 6 (k/k pkg/apis/batch/v1/defaults.go). */
export const DEFAULT_JOB_BACKOFF_LIMIT = 6;

/**
 * SetDefaults_Job: completions and parallelism 1 when both are unset, parallelism 1 when
 * unset, backoffLimit 6, completionMode NonIndexed, suspend false; the template's pod spec
 * defaulted as a pod's (restartPolicy, left unset, becomes Always, which validation
 * then refuses for a Job, as upstream does).
 */
export function setDefaultsJob(job: Job): Job {
  const spec = job.spec ?? ({} as NonNullable<Job["spec"]>);
  const bothUnset = (spec.completions === undefined || spec.completions === null) && (spec.parallelism === undefined || spec.parallelism === null);
  const template = spec.template ?? {};
  const podSpec = template.spec ? setDefaultsPod({ spec: template.spec as PodSpec }).spec : template.spec;
  return {
    ...job,
    spec: {
      ...spec,
      completions: bothUnset ? 1 : spec.completions,
      parallelism: spec.parallelism ?? 1,
      backoffLimit: spec.backoffLimit ?? DEFAULT_JOB_BACKOFF_LIMIT,
      completionMode: spec.completionMode ?? "NonIndexed",
      suspend: spec.suspend ?? false,
      template: { ...template, spec: podSpec as never },
    } as NonNullable<Job["spec"]>,
  };
}

/** SetDefaults_StatefulSet: updateStrategy RollingUpdate with rollingUpdate.partition 0. */
export const DEFAULT_STATEFULSET_PARTITION = 0;

/**
 * SetDefaults_StatefulSet (k/k pkg/apis/apps/v1/defaults.go): replicas 1,
 * podManagementPolicy OrderedReady, updateStrategy RollingUpdate with partition 0,
 * revisionHistoryLimit 10; the template's pod spec defaulted as a pod's.
 */
export function setDefaultsStatefulSet(sts: StatefulSet): StatefulSet {
  const spec = sts.spec ?? ({} as NonNullable<StatefulSet["spec"]>);
  const updateStrategy = { ...(spec.updateStrategy ?? {}) };
  updateStrategy.type ??= "RollingUpdate";
  if (updateStrategy.type === "RollingUpdate") updateStrategy.rollingUpdate = { partition: DEFAULT_STATEFULSET_PARTITION, ...(updateStrategy.rollingUpdate ?? {}) };
  const template = spec.template ?? {};
  const podSpec = template.spec ? setDefaultsPod({ spec: template.spec as PodSpec }).spec : template.spec;
  return {
    ...sts,
    spec: {
      ...spec,
      replicas: spec.replicas ?? 1,
      podManagementPolicy: spec.podManagementPolicy ?? "OrderedReady",
      revisionHistoryLimit: spec.revisionHistoryLimit ?? DEFAULT_REVISION_HISTORY_LIMIT,
      updateStrategy,
      template: { ...template, spec: podSpec as never },
    } as NonNullable<StatefulSet["spec"]>,
  };
}
