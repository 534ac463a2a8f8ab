/**
 * Pods and pod specs, as pkg/apis/core/validation validates them on create (ValidatePodCreate,
 * validatePodMetadataAndSpec, ValidatePodTemplateSpec, ValidatePodSpec, validateContainers,
 * validateInitContainers, validateContainerCommon, validateContainerPorts,
 * AccumulateUniqueHostPorts), on the defaulted object. What is checked: every field a
 * kubesim component reads, and the cheap rules around them (names, enums, ports).
 *
 * Not checked (the field's structure still is, by strict decoding): volumes and mounts,
 * env, probes' handler fields (validation/probe.ts checks the rest of a probe), security contexts, DNS config, resource claims — kubesim models
 * none of them.
 *
 * [kubesim choice] A container's `image` may be left out (upstream: "Required value"):
 * kubesim pulls nothing, and scenarios describe pods by their requests.
 */
import type { Container, Pod, PodSpec, PodTemplateSpec } from "../../../model/types.js";
import { validateAffinity } from "./affinity.js";
import { validateContainerProbes } from "./probe.js";
import { duplicate, forbidden, invalid, notSupported, required, type FieldError, type Path } from "./fieldError.js";
import { inclusiveRangeError, isDNS1123Label, isDNS1123Subdomain, isValidPortName, isValidPortNum } from "./names.js";
import { dnsSubdomainName, validateAnnotations, validateLabelName, validateLabels, validateObjectMeta } from "./objectMeta.js";
import { validateContainerResources, validateOverhead, validatePodResources } from "./resources.js";
import { validateTolerations } from "./taints.js";
import { validateTopologySpreadConstraints } from "./topologySpread.js";

const MAX_INT32 = 2147483647;
const RESTART_POLICIES = ["Always", "OnFailure", "Never"];
const DNS_POLICIES = ["ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"];
const PULL_POLICIES = ["Always", "IfNotPresent", "Never"];
const TERMINATION_MESSAGE_POLICIES = ["File", "FallbackToLogsOnError"];
const PREEMPTION_POLICIES = ["PreemptLowerPriority", "Never"];
const PORT_PROTOCOLS = ["SCTP", "TCP", "UDP"];
const OS_NAMES = ["linux", "windows"];

const str = (v: unknown) => (typeof v === "string" ? v : "");

/** validateContainerPorts. */
function validateContainerPorts(ports: Container["ports"], path: Path, out: FieldError[]): void {
  const names = new Set<string>();
  (ports ?? []).forEach((p, i) => {
    const at = [...path, i];
    if (p.name) {
      const msgs = isValidPortName(p.name);
      if (msgs.length > 0) for (const m of msgs) out.push(invalid([...at, "name"], p.name, m));
      else if (names.has(p.name)) out.push(duplicate([...at, "name"], p.name));
      else names.add(p.name);
    }
    if (!p.containerPort) out.push(required([...at, "containerPort"]));
    else for (const m of isValidPortNum(p.containerPort)) out.push(invalid([...at, "containerPort"], p.containerPort, m));
    if (p.hostPort) for (const m of isValidPortNum(p.hostPort)) out.push(invalid([...at, "hostPort"], p.hostPort, m));
    if (p.protocol && !PORT_PROTOCOLS.includes(p.protocol)) out.push(notSupported([...at, "protocol"], p.protocol, PORT_PROTOCOLS));
  });
}

/** AccumulateUniqueHostPorts: a protocol/hostIP/hostPort used twice. The protocol defaults to TCP. */
function checkHostPortConflicts(containers: Container[], path: Path, out: FieldError[], offset = 0): void {
  const seen = new Set<string>();
  containers.forEach((c, ci) => {
    (c.ports ?? []).forEach((p, pi) => {
      if (!p.hostPort) return;
      const key = `${p.protocol || "TCP"}/${p.hostIP ?? ""}/${p.hostPort}`;
      if (seen.has(key)) out.push(duplicate([...path, ci + offset, "ports", pi, "hostPort"], key));
      else seen.add(key);
    });
  });
}

/** validateContainerCommon: name, enums, ports, resources. */
function validateContainerCommon(c: Container, path: Path, isPod: boolean, out: FieldError[]): void {
  if (!c.name) out.push(required([...path, "name"]));
  else for (const m of isDNS1123Label(c.name)) out.push(invalid([...path, "name"], c.name, m));
  if (isPod && c.image !== undefined && c.image !== null && c.image.trim() !== c.image) {
    out.push(invalid([...path, "image"], c.image, "must not have leading or trailing whitespace"));
  }
  if (c.terminationMessagePolicy && !TERMINATION_MESSAGE_POLICIES.includes(c.terminationMessagePolicy)) {
    out.push(notSupported([...path, "terminationMessagePolicy"], c.terminationMessagePolicy, TERMINATION_MESSAGE_POLICIES));
  }
  validateContainerPorts(c.ports, [...path, "ports"], out);
  if (c.imagePullPolicy && !PULL_POLICIES.includes(c.imagePullPolicy)) out.push(notSupported([...path, "imagePullPolicy"], c.imagePullPolicy, PULL_POLICIES));
  validateContainerResources(c.resources, [...path, "resources"], out);
}

/** validateContainers and validateInitContainers: unique names across both lists, restart policies, host ports. */
function validateContainers(spec: PodSpec, path: Path, isPod: boolean, out: FieldError[]): void {
  const containers = spec.containers ?? [];
  const names = new Set<string>();
  if (containers.length === 0) out.push(required([...path, "containers"]));
  containers.forEach((c, i) => {
    const at = [...path, "containers", i];
    validateContainerCommon(c, at, isPod, out);
    if (names.has(c.name)) out.push(duplicate([...at, "name"], c.name));
    else names.add(c.name);
    if (c.restartPolicy) out.push(forbidden([...at, "restartPolicy"], "may not be set for non-init containers"));
    validateContainerProbes(c, at, out);
  });
  checkHostPortConflicts(containers, [...path, "containers"], out);
  (spec.initContainers ?? []).forEach((c, i) => {
    const at = [...path, "initContainers", i];
    validateContainerCommon(c, at, isPod, out);
    if (c.restartPolicy && c.restartPolicy !== "Always") out.push(notSupported([...at, "restartPolicy"], c.restartPolicy, ["Always"]));
    if (names.has(c.name)) out.push(duplicate([...at, "name"], c.name));
    else if (c.name) names.add(c.name);
    checkHostPortConflicts([c], [...path, "initContainers"], out, i);
    if (c.restartPolicy === "Always") validateContainerProbes(c, at, out);
    else {
      for (const f of ["lifecycle", "livenessProbe", "readinessProbe", "startupProbe"] as const) {
        if (c[f]) out.push(forbidden([...at, f], "may not be set for init containers without restartPolicy=Always"));
      }
    }
  });
}

function nameRule(value: string | undefined, rule: (s: string) => string[], path: Path, out: FieldError[]): void {
  if (value) for (const m of rule(value)) out.push(invalid(path, value, m));
}

/** ValidatePodSpec (on a defaulted spec). */
export function validatePodSpec(spec: PodSpec | undefined, path: Path, isPod: boolean, out: FieldError[]): void {
  const s: PodSpec = spec ?? ({ containers: [] } as PodSpec);
  validateContainers(s, path, isPod, out);
  validatePodResources(s, [...path, "resources"], out);
  if (s.restartPolicy && !RESTART_POLICIES.includes(s.restartPolicy)) out.push(notSupported([...path, "restartPolicy"], s.restartPolicy, RESTART_POLICIES));
  if (s.dnsPolicy && !DNS_POLICIES.includes(s.dnsPolicy)) out.push(notSupported([...path, "dnsPolicy"], s.dnsPolicy, DNS_POLICIES));
  validateLabels(s.nodeSelector, [...path, "nodeSelector"], out);
  validateAffinity(s.affinity, [...path, "affinity"], out);
  (s.readinessGates ?? []).forEach((g, i) => validateLabelName(str(g.conditionType), [...path, "readinessGates", i, "conditionType"], out));
  const gates = new Set<string>();
  (s.schedulingGates ?? []).forEach((g, i) => {
    validateLabelName(str(g.name), [...path, "schedulingGates", i], out);
    if (gates.has(g.name)) out.push(duplicate([...path, "schedulingGates", i], g.name));
    gates.add(g.name);
  });
  validateTopologySpreadConstraints(s.topologySpreadConstraints, [...path, "topologySpreadConstraints"], out);
  nameRule(s.serviceAccountName, dnsSubdomainName, [...path, "serviceAccountName"], out);
  nameRule(s.nodeName, isDNS1123Subdomain, [...path, "nodeName"], out);
  const deadline = s.activeDeadlineSeconds;
  if (deadline !== undefined && deadline !== null && (deadline < 1 || deadline > MAX_INT32)) out.push(invalid([...path, "activeDeadlineSeconds"], deadline, inclusiveRangeError(1, MAX_INT32)));
  nameRule(s.hostname, isDNS1123Label, [...path, "hostname"], out);
  nameRule(s.subdomain, isDNS1123Label, [...path, "subdomain"], out);
  validateTolerations(s.tolerations, [...path, "tolerations"], out);
  nameRule(s.priorityClassName, isDNS1123Subdomain, [...path, "priorityClassName"], out);
  if (s.preemptionPolicy !== undefined && s.preemptionPolicy !== null && !PREEMPTION_POLICIES.includes(s.preemptionPolicy)) {
    out.push(s.preemptionPolicy === "" ? required([...path, "preemptionPolicy"]) : notSupported([...path, "preemptionPolicy"], s.preemptionPolicy, PREEMPTION_POLICIES));
  }
  validateOverhead(s.overhead as Record<string, unknown> | undefined, [...path, "overhead"], out);
  if (s.os) {
    if (!s.os.name) out.push(required([...path, "os", "name"], "cannot be empty"));
    else if (!OS_NAMES.includes(s.os.name)) out.push(notSupported([...path, "os"], s.os.name, OS_NAMES));
  }
}

/** ValidatePodCreate: metadata (name required, or generateName), the spec, the create-only rules. */
export function validatePodCreate(pod: Pod, out: FieldError[]): void {
  validateObjectMeta(pod.metadata, true, dnsSubdomainName, ["metadata"], out);
  validatePodSpec(pod.spec, ["spec"], true, out);
  const spec = pod.spec;
  if (spec?.ephemeralContainers && spec.ephemeralContainers.length > 0) out.push(forbidden(["spec", "ephemeralContainers"], "cannot be set on create"));
  if (spec?.nodeName && spec.schedulingGates && spec.schedulingGates.length > 0) out.push(forbidden(["spec", "nodeName"], "cannot be set until all schedulingGates have been cleared"));
}

/** ValidatePodTemplateSpec: labels, annotations and the spec of a template (its pods' names are generated). */
export function validatePodTemplateSpec(template: PodTemplateSpec | undefined, path: Path, out: FieldError[]): void {
  validateLabels(template?.metadata?.labels, [...path, "metadata", "labels"], out);
  validateAnnotations(template?.metadata?.annotations, [...path, "metadata", "annotations"], out);
  validatePodSpec(template?.spec, [...path, "spec"], false, out);
  const ephemeral = template?.spec?.ephemeralContainers;
  if (ephemeral && ephemeral.length > 0) out.push(forbidden([...path, "spec", "ephemeralContainers"], "ephemeral containers not allowed in pod template"));
}
