/**
 * Controllers' objects, as pkg/apis/apps/validation validates them (ValidateDeployment,
 * ValidateDeploymentSpec, ValidateReplicaSet, ValidateStatefulSet,
 * ValidatePodTemplateSpecForReplicaSet; recalled from upstream, the messages are
 * upstream's): replicas not negative, a non-empty selector that selects the template's
 * labels, a valid template whose restartPolicy is Always and that sets no
 * activeDeadlineSeconds.
 *
 * [kubesim choice] A Deployment runs at most MAX_DEPLOYMENT_REPLICAS replicas: each pod
 * costs a run about 1.6 KB and 16 µs (measured: 600,000 replicas on 6,000 nodes took
 * 10 s and 0.97 GB), so 10^9 replicas would never finish. Kubernetes' own tested limits
 * (sig-scalability thresholds) are 150,000 pods per cluster and 3,000 per namespace;
 * kubesim allows more, to study clusters beyond them.
 */
import type { DaemonSet, Deployment, Job, LabelSelector, PodTemplateSpec, ReplicaSet, StatefulSet } from "../../../model/types.js";
import { validateIntOrPercent } from "./policy.js";
import { forbidden, invalid, notSupported, required, type FieldError, type Path } from "./fieldError.js";
import { dnsSubdomainName, IS_NEGATIVE_ERROR_MSG, selectorMatches, validateLabelSelector, validateObjectMeta } from "./objectMeta.js";
import { validatePodTemplateSpec } from "./podSpec.js";

/** [kubesim choice] The most replicas one Deployment (ReplicaSet, StatefulSet) may ask for; see the file comment. */
export const MAX_DEPLOYMENT_REPLICAS = 1_000_000;
const STRATEGY_TYPES = ["Recreate", "RollingUpdate"];

function nonNegative(value: number | undefined | null, path: Path, out: FieldError[]): void {
  if (value !== undefined && value !== null && value < 0) out.push(invalid(path, value, IS_NEGATIVE_ERROR_MSG));
}

function validateReplicas(replicas: number | undefined | null, path: Path, kind: string, out: FieldError[]): void {
  nonNegative(replicas, path, out);
  if (replicas !== undefined && replicas !== null && replicas > MAX_DEPLOYMENT_REPLICAS) {
    out.push(
      invalid(path, replicas, `must be no more than ${MAX_DEPLOYMENT_REPLICAS} (kubesim's limit for one ${kind}: its pods take about 1.6 KB of memory each in a run; Kubernetes' tested limits are 150,000 pods per cluster and 3,000 per namespace)`),
    );
  }
}

/** The selector rules shared by Deployments, ReplicaSets and StatefulSets, then the template. */
function validateSelectorAndTemplate(selector: LabelSelector | undefined | null, template: PodTemplateSpec | undefined, path: Path, kind: string, out: FieldError[]): void {
  let selectorValid = false;
  if (!selector) out.push(required([...path, "selector"]));
  else {
    const before = out.length;
    validateLabelSelector(selector, [...path, "selector"], out);
    selectorValid = out.length === before;
    if (Object.keys(selector.matchLabels ?? {}).length + (selector.matchExpressions ?? []).length === 0) {
      // ReplicaSets share the Deployment's wording upstream.
      out.push(invalid([...path, "selector"], selector, `empty selector is invalid for ${kind === "StatefulSet" ? "statefulset" : kind === "DaemonSet" ? "daemonset" : "deployment"}`));
    }
  }
  const tpath = [...path, "template"];
  if (!template) {
    out.push(required(tpath));
    return;
  }
  const labels = template.metadata?.labels ?? {};
  if (selector && selectorValid && !selectorMatches(selector, labels)) {
    const sorted = Object.fromEntries(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : 1)));
    out.push(invalid([...tpath, "metadata", "labels"], sorted, "`selector` does not match template `labels`"));
  }
  validatePodTemplateSpec(template, tpath, out);
  const restartPolicy = template.spec?.restartPolicy;
  if (restartPolicy && restartPolicy !== "Always") out.push(notSupported([...tpath, "spec", "restartPolicy"], restartPolicy, ["Always"]));
  const deadline = template.spec?.activeDeadlineSeconds;
  if (deadline !== undefined && deadline !== null) {
    if (kind === "DaemonSet") out.push(invalid([...tpath, "spec", "activeDeadlineSeconds"], deadline, "activeDeadlineSeconds must be nil for daemon set"));
    else out.push(forbidden([...tpath, "spec", "activeDeadlineSeconds"], `activeDeadlineSeconds in ${kind === "Deployment" ? "ReplicaSet" : kind} is not Supported`));
  }
}

/** ValidateDeployment (on the defaulted object). */
export function validateDeployment(d: Deployment, out: FieldError[]): void {
  validateObjectMeta(d.metadata, true, dnsSubdomainName, ["metadata"], out);
  const spec = d.spec;
  if (!spec) {
    out.push(required(["spec", "template"]));
    return;
  }
  validateReplicas(spec.replicas, ["spec", "replicas"], "Deployment", out);
  validateSelectorAndTemplate(spec.selector, spec.template as PodTemplateSpec, ["spec"], "Deployment", out);
  const strategy = spec.strategy?.type;
  if (strategy && !STRATEGY_TYPES.includes(strategy)) out.push(notSupported(["spec", "strategy", "type"], strategy, STRATEGY_TYPES));
  nonNegative(spec.minReadySeconds, ["spec", "minReadySeconds"], out);
  nonNegative(spec.revisionHistoryLimit, ["spec", "revisionHistoryLimit"], out);
  const deadline = spec.progressDeadlineSeconds;
  if (deadline !== undefined && deadline !== null) {
    nonNegative(deadline, ["spec", "progressDeadlineSeconds"], out);
    if (deadline <= (spec.minReadySeconds ?? 0)) out.push(invalid(["spec", "progressDeadlineSeconds"], deadline, "must be greater than minReadySeconds"));
  }
}

/** ValidateReplicaSet. */
export function validateReplicaSet(rs: ReplicaSet, out: FieldError[]): void {
  validateObjectMeta(rs.metadata, true, dnsSubdomainName, ["metadata"], out);
  validateReplicas(rs.spec?.replicas, ["spec", "replicas"], "ReplicaSet", out);
  nonNegative(rs.spec?.minReadySeconds, ["spec", "minReadySeconds"], out);
  validateSelectorAndTemplate(rs.spec?.selector, rs.spec?.template as PodTemplateSpec, ["spec"], "ReplicaSet", out);
}

const POD_MANAGEMENT_POLICIES = ["OrderedReady", "Parallel"];

/**
 * ValidateStatefulSet (the parts kubesim reads: replicas, selector, template,
 * podManagementPolicy, updateStrategy: RollingUpdate or OnDelete, rollingUpdate only
 * with RollingUpdate, partition not negative, maxUnavailable a positive number or
 * percentage up to 100 %; validateRollingUpdateStatefulSet).
 */
export function validateStatefulSet(sts: StatefulSet, out: FieldError[]): void {
  validateObjectMeta(sts.metadata, true, dnsSubdomainName, ["metadata"], out);
  validateReplicas(sts.spec?.replicas, ["spec", "replicas"], "StatefulSet", out);
  validateSelectorAndTemplate(sts.spec?.selector, sts.spec?.template as PodTemplateSpec, ["spec"], "StatefulSet", out);
  const policy = sts.spec?.podManagementPolicy;
  if (policy && !POD_MANAGEMENT_POLICIES.includes(policy)) out.push(notSupported(["spec", "podManagementPolicy"], policy, POD_MANAGEMENT_POLICIES));
  const strategy = sts.spec?.updateStrategy;
  const path = ["spec", "updateStrategy"];
  if (!strategy?.type) {
    out.push(required(path));
    return;
  }
  if (strategy.type === "OnDelete") {
    if (strategy.rollingUpdate) out.push(invalid([...path, "rollingUpdate"], strategy.rollingUpdate, "only allowed for updateStrategy 'RollingUpdate'"));
    return;
  }
  if (strategy.type !== "RollingUpdate") {
    out.push(invalid(path, strategy, "must be 'RollingUpdate' or 'OnDelete'"));
    return;
  }
  const ru = strategy.rollingUpdate;
  if (!ru) return;
  nonNegative(ru.partition, [...path, "rollingUpdate", "partition"], out);
  if (ru.maxUnavailable !== undefined && ru.maxUnavailable !== null) {
    const before = out.length;
    validateIntOrPercent(ru.maxUnavailable, [...path, "rollingUpdate", "maxUnavailable"], out);
    if (out.length === before && (ru.maxUnavailable === 0 || ru.maxUnavailable === "0%")) out.push(invalid([...path, "rollingUpdate", "maxUnavailable"], ru.maxUnavailable, "cannot be 0"));
  }
}

const DAEMONSET_UPDATE_STRATEGIES = ["OnDelete", "RollingUpdate"];

/**
 * ValidateDaemonSet (on the defaulted object; ValidateDaemonSetSpec and
 * ValidateDaemonSetUpdateStrategy, recalled): selector and template as above (the
 * template's activeDeadlineSeconds must be nil), minReadySeconds and
 * revisionHistoryLimit not negative, updateStrategy OnDelete or RollingUpdate whose
 * maxUnavailable and maxSurge are non-negative numbers or percentages up to 100 %, not
 * both zero and not both non-zero (so a maxSurge needs maxUnavailable: 0, the default
 * being 1).
 */
export function validateDaemonSet(ds: DaemonSet, out: FieldError[]): void {
  validateObjectMeta(ds.metadata, true, dnsSubdomainName, ["metadata"], out);
  const spec = ds.spec;
  if (!spec) {
    out.push(required(["spec", "template"]));
    return;
  }
  validateSelectorAndTemplate(spec.selector, spec.template as PodTemplateSpec, ["spec"], "DaemonSet", out);
  nonNegative(spec.minReadySeconds, ["spec", "minReadySeconds"], out);
  nonNegative(spec.revisionHistoryLimit, ["spec", "revisionHistoryLimit"], out);
  const strategy = spec.updateStrategy;
  const path = ["spec", "updateStrategy"];
  if (!strategy?.type) {
    out.push(required([...path, "type"]));
    return;
  }
  if (!DAEMONSET_UPDATE_STRATEGIES.includes(strategy.type)) out.push(notSupported([...path, "type"], strategy.type, DAEMONSET_UPDATE_STRATEGIES));
  const ru = strategy.rollingUpdate;
  if (strategy.type !== "RollingUpdate" || !ru) return;
  const before = out.length;
  validateIntOrPercent(ru.maxUnavailable, [...path, "rollingUpdate", "maxUnavailable"], out);
  validateIntOrPercent(ru.maxSurge, [...path, "rollingUpdate", "maxSurge"], out);
  const zero = (v: number | string | undefined | null) => v === 0 || v === "0%";
  if (out.length === before && zero(ru.maxUnavailable) && zero(ru.maxSurge ?? 0)) {
    out.push(invalid([...path, "rollingUpdate", "maxUnavailable"], ru.maxUnavailable, "may not be 0 when `maxSurge` is 0"));
  }
  // ValidateRollingUpdateDaemonSet: exactly one of maxSurge and maxUnavailable is non-zero.
  if (out.length === before && !zero(ru.maxUnavailable ?? 0) && !zero(ru.maxSurge ?? 0)) {
    out.push(invalid([...path, "rollingUpdate", "maxSurge"], ru.maxSurge, "may not be set when maxUnavailable is non-zero"));
  }
}

const JOB_RESTART_POLICIES = ["OnFailure", "Never"];
const COMPLETION_MODES = ["NonIndexed", "Indexed"];

/**
 * ValidateJob (on the defaulted object; pkg/apis/batch/validation, recalled): parallelism,
 * completions, backoffLimit and ttlSecondsAfterFinished not negative,
 * activeDeadlineSeconds positive, completionMode NonIndexed or Indexed (Indexed needs
 * completions), a valid template whose restartPolicy is OnFailure or Never. The selector
 * and its labels are the API server's to generate (manualSelector false).
 */
export function validateJob(job: Job, out: FieldError[]): void {
  validateObjectMeta(job.metadata, true, dnsSubdomainName, ["metadata"], out);
  const spec = job.spec;
  if (!spec) {
    out.push(required(["spec", "template"]));
    return;
  }
  nonNegative(spec.parallelism, ["spec", "parallelism"], out);
  nonNegative(spec.completions, ["spec", "completions"], out);
  validateReplicas(spec.completions, ["spec", "completions"], "Job", out);
  nonNegative(spec.backoffLimit, ["spec", "backoffLimit"], out);
  nonNegative(spec.ttlSecondsAfterFinished, ["spec", "ttlSecondsAfterFinished"], out);
  const deadline = spec.activeDeadlineSeconds;
  if (deadline !== undefined && deadline !== null && deadline <= 0) out.push(invalid(["spec", "activeDeadlineSeconds"], deadline, "must be greater than 0"));
  const mode = spec.completionMode;
  if (mode && !COMPLETION_MODES.includes(mode)) out.push(notSupported(["spec", "completionMode"], mode, COMPLETION_MODES));
  if (mode === "Indexed" && (spec.completions === undefined || spec.completions === null)) out.push(required(["spec", "completions"], "when completion mode is Indexed"));
  const template = spec.template as PodTemplateSpec | undefined;
  if (!template) {
    out.push(required(["spec", "template"]));
    return;
  }
  validatePodTemplateSpec(template, ["spec", "template"], out);
  const restartPolicy = template.spec?.restartPolicy;
  if (restartPolicy && !JOB_RESTART_POLICIES.includes(restartPolicy)) out.push(notSupported(["spec", "template", "spec", "restartPolicy"], restartPolicy, JOB_RESTART_POLICIES));
}
