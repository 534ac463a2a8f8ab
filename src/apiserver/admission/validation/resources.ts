/**
 * Resource names and quantities, as pkg/apis/core/validation validates them
 * (ValidateResourceQuantityValue, validateResourceRequirements, validateContainerResourceName,
 * validatePodResourceName, ValidateNodeResources) with the helpers of pkg/apis/core/helper:
 *
 * - no quantity is negative: `Invalid value: "-1": must be greater than or equal to 0`;
 * - integer resources (pods and extended resources such as nvidia.com/gpu) are whole;
 * - a request is at most its limit; resources that cannot be overcommitted (extended
 *   resources, hugepages-*) need a limit and a request equal to it;
 * - hugepages are a whole number of pages and need cpu or memory beside them.
 *
 * And kubesim's own bound on every amount (MAX_EXACT_AMOUNT): amounts are exact integers
 * in JavaScript numbers, so none may exceed 2^53-1 in its unit (millicores for cpu; bytes
 * or units otherwise) — 9.0e12 cores or 8 PiB. Upstream's own ceiling is int64 in the
 * same units (Quantity.MilliValue "could overflow an int64"); without this bound
 * `cpu: 1E` passed validation and then broke the run.
 */
import { formatQuantity, parseQuantity, type Quantity } from "../../../model/quantity.js";
import { aggregateContainerRequests } from "../../../model/podRequests.js";
import type { PodSpec } from "../../../model/types.js";
import { forbidden, invalid, notSupported, required, type FieldError, type Path } from "./fieldError.js";
import { isQualifiedName } from "./names.js";
import { IS_NEGATIVE_ERROR_MSG } from "./objectMeta.js";

/** [kubesim choice] Largest amount in its integer unit (millicores for cpu): Number.MAX_SAFE_INTEGER, exact in a double. */
export const MAX_EXACT_AMOUNT = Number.MAX_SAFE_INTEGER;
/** Largest pods capacity of a node: KubeletConfiguration maxPods is an int32 (kubesim's node table holds it in an Int32Array). */
export const MAX_NODE_PODS = 2147483647;

const HUGEPAGES_PREFIX = "hugepages-";
/** core.DefaultResourceRequestsPrefix. */
const REQUESTS_PREFIX = "requests.";
/** helper standardContainerResources. */
const STANDARD_CONTAINER_RESOURCES = new Set(["cpu", "memory", "ephemeral-storage"]);
/** helper standardResources (names without a domain that upstream knows). */
const STANDARD_RESOURCES = new Set([
  "cpu", "memory", "ephemeral-storage", "requests.cpu", "requests.memory", "requests.ephemeral-storage", "limits.cpu", "limits.memory",
  "limits.ephemeral-storage", "pods", "services", "replicationcontrollers", "resourcequotas", "secrets", "persistentvolumeclaims", "storage",
  "requests.storage", "services.nodeports", "services.loadbalancers", "configmaps",
]);
/** helper integerResources. */
const INTEGER_RESOURCES = new Set(["pods", "services", "replicationcontrollers", "resourcequotas", "secrets", "configmaps", "persistentvolumeclaims", "services.nodeports", "services.loadbalancers"]);
/** component-helpers SupportedPodLevelResources() as listed in messages (cpu, memory and the hugepages- prefix). */
const POD_LEVEL_RESOURCES = ["cpu", "hugepages-", "memory"];

export const isHugePageResourceName = (name: string) => name.startsWith(HUGEPAGES_PREFIX);
/** helper.IsNativeResource: no domain, or a kubernetes.io domain. */
export const isNativeResource = (name: string) => !name.includes("/") || name.includes("kubernetes.io/");
export function isExtendedResourceName(name: string): boolean {
  if (isNativeResource(name) || name.startsWith(REQUESTS_PREFIX)) return false;
  return isQualifiedName(REQUESTS_PREFIX + name).length === 0;
}
const isIntegerResourceName = (name: string) => INTEGER_RESOURCES.has(name) || isExtendedResourceName(name);
/** helper.IsOvercommitAllowed. */
const isOvercommitAllowed = (name: string) => isNativeResource(name) && !isHugePageResourceName(name);
const isSupportedPodLevelResource = (name: string) => name === "cpu" || name === "memory" || isHugePageResourceName(name);

/** Parsed quantities of a ResourceList (strict decoding has checked they parse). */
function parsed(list: Record<string, unknown> | undefined | null): Map<string, Quantity> {
  const out = new Map<string, Quantity>();
  for (const [k, v] of Object.entries(list ?? {})) if (v !== null && v !== undefined) out.set(k, parseQuantity(v as string | number));
  return out;
}

const cmp = (a: Quantity, b: Quantity) => {
  const l = a.num * b.den;
  const r = b.num * a.den;
  return l < r ? -1 : l > r ? 1 : 0;
};

/** ceil(|v| * scale) as upstream's ScaledValue rounds, away from zero. */
function scaledAbs(q: Quantity, scale: bigint): bigint {
  const n = (q.num < 0n ? -q.num : q.num) * scale;
  return (n + q.den - 1n) / q.den;
}

/** kubesim's bound (see the file comment): cpu in millicores, pods an int32, the rest in units. */
function checkBound(name: string, q: Quantity, path: Path, out: FieldError[]): void {
  const milli = name === "cpu";
  const amount = scaledAbs(q, milli ? 1000n : 1n);
  const max = name === "pods" ? MAX_NODE_PODS : MAX_EXACT_AMOUNT;
  if (amount <= BigInt(max)) return;
  const why =
    name === "pods"
      ? "kubesim's bound: the kubelet's maxPods is an int32"
      : `kubesim's bound: amounts are exact integers up to 2^53-1${milli ? " millicores" : ""}; no node has more`;
  out.push(invalid(path, formatQuantity(q), `must be no more than ${max}${milli ? "m" : ""} (${why})`));
}

/** ValidateResourceQuantityValue: not negative; whole for integer resources; kubesim's bound. */
export function validateResourceQuantityValue(name: string, q: Quantity, path: Path, out: FieldError[]): void {
  if (q.num < 0n) out.push(invalid(path, formatQuantity(q), IS_NEGATIVE_ERROR_MSG));
  else checkBound(name, q, path, out);
  if (isIntegerResourceName(name) && (scaledAbs(q, 1000n) % 1000n !== 0n)) out.push(invalid(path, formatQuantity(q), "must be an integer"));
}

/** validateResourceName: a qualified name; without a domain, one upstream knows. */
function validateResourceName(name: string, path: Path, out: FieldError[]): boolean {
  const before = out.length;
  for (const msg of isQualifiedName(name)) out.push(invalid(path, name, msg));
  if (out.length > before) return false;
  if (!name.includes("/") && !STANDARD_RESOURCES.has(name) && !isHugePageResourceName(name)) {
    out.push(invalid(path, name, "must be a standard resource type or fully qualified"));
    return false;
  }
  return true;
}

/** validateContainerResourceName. */
function validateContainerResourceName(name: string, path: Path, out: FieldError[]): void {
  validateResourceName(name, path, out);
  if (!name.includes("/")) {
    if (!STANDARD_CONTAINER_RESOURCES.has(name) && !isHugePageResourceName(name)) out.push(invalid(path, name, "must be a standard resource for containers"));
  } else if (!isNativeResource(name) && !isExtendedResourceName(name)) {
    out.push(invalid(path, name, "doesn't follow extended resource name standard"));
  }
}

/** validatePodResourceName: pod-level resources are cpu, memory and hugepages-*. */
function validatePodResourceName(name: string, path: Path, out: FieldError[]): void {
  if (!validateResourceName(name, path, out)) return;
  if (!isSupportedPodLevelResource(name)) out.push(notSupported(path, name, POD_LEVEL_RESOURCES));
}

/** IsHugePageResourceValueDivisible: a whole number of pages of the size in the name. */
function hugePagesDivisible(name: string, q: Quantity): boolean {
  let page: Quantity;
  try {
    page = parseQuantity(name.slice(HUGEPAGES_PREFIX.length));
  } catch {
    return false;
  }
  if (page.num <= 0n || page.num % page.den !== 0n) return false;
  const pageBytes = page.num / page.den;
  return scaledAbs(q, 1n) % pageBytes === 0n;
}

type NameCheck = (name: string, path: Path, out: FieldError[]) => void;

/** validateResourceRequirements for containers, overhead (limits only) or pod-level resources. */
function validateRequirements(
  requirements: { requests?: Record<string, unknown> | null; limits?: Record<string, unknown> | null } | undefined | null,
  nameCheck: NameCheck,
  path: Path,
  out: FieldError[],
  limitsName = "limits",
): void {
  if (!requirements) return;
  const limPath = [...path, limitsName];
  const reqPath = [...path, "requests"];
  const limits = parsed(requirements.limits);
  const requests = parsed(requirements.requests);
  let cpuOrMemory = false;
  let hugePages = false;
  for (const [name, q] of limits) {
    const at = [...limPath, name];
    nameCheck(name, at, out);
    validateResourceQuantityValue(name, q, at, out);
    if (isHugePageResourceName(name)) {
      hugePages = true;
      if (!hugePagesDivisible(name, q)) out.push(invalid(at, formatQuantity(q), `${formatQuantity(q)} is not positive integer multiple of ${name}`));
    }
    if (name === "cpu" || name === "memory") cpuOrMemory = true;
  }
  for (const [name, q] of requests) {
    const at = [...reqPath, name];
    nameCheck(name, at, out);
    validateResourceQuantityValue(name, q, at, out);
    const limit = limits.get(name);
    if (limit !== undefined) {
      if (cmp(q, limit) !== 0 && !isOvercommitAllowed(name)) out.push(invalid(reqPath, formatQuantity(q), `must be equal to ${name} limit of ${formatQuantity(limit)}`));
      else if (cmp(q, limit) > 0) out.push(invalid(reqPath, formatQuantity(q), `must be less than or equal to ${name} limit of ${formatQuantity(limit)}`));
    } else if (!isOvercommitAllowed(name)) {
      out.push(required(limPath, "Limit must be set for non overcommitable resources"));
    }
    if (isHugePageResourceName(name)) {
      hugePages = true;
      if (!hugePagesDivisible(name, q)) out.push(invalid(at, formatQuantity(q), `${formatQuantity(q)} is not positive integer multiple of ${name}`));
    }
    if (name === "cpu" || name === "memory") cpuOrMemory = true;
  }
  if (!cpuOrMemory && hugePages) out.push(forbidden(path, "HugePages require cpu or memory"));
}

/** ValidateContainerResourceRequirements (a container's `resources`). */
export function validateContainerResources(resources: PodSpec["resources"] | undefined, path: Path, out: FieldError[]): void {
  validateRequirements(resources as never, validateContainerResourceName, path, out);
}

/** validateOverhead: the overhead list validated as the limits of a container. */
export function validateOverhead(overhead: Record<string, unknown> | undefined | null, path: Path, out: FieldError[]): void {
  if (!overhead) return;
  // Upstream reuses the requirements check with Limits = overhead, so errors name the overhead itself.
  const limits = parsed(overhead);
  for (const [name, q] of limits) {
    const at = [...path, name];
    validateContainerResourceName(name, at, out);
    validateResourceQuantityValue(name, q, at, out);
  }
}

/**
 * validatePodResources (PodLevelResources): names and values as for containers, then
 * pod-level requests at least the containers' aggregate requests, and each container's
 * limit at most the pod-level limit.
 */
export function validatePodResources(spec: PodSpec, path: Path, out: FieldError[]): void {
  const res = spec.resources;
  if (!res) return;
  if ((res as { claims?: unknown }).claims) out.push(forbidden([...path, "claims"], "claims cannot be set for Resources at pod-level"));
  const before = out.length;
  validateRequirements(res as never, validatePodResourceName, path, out);
  if (out.length > before) return;
  const podRequests = parsed(res.requests as Record<string, unknown> | undefined);
  const aggregate = aggregateContainerRequests(spec);
  const aggregated: [string, Quantity][] = [];
  const asQuantity = (text: string) => parseQuantity(text);
  if (aggregate.cpuMilli > 0) aggregated.push(["cpu", asQuantity(`${aggregate.cpuMilli}m`)]);
  if (aggregate.memoryBytes > 0) aggregated.push(["memory", asQuantity(String(aggregate.memoryBytes))]);
  if (aggregate.ephemeralBytes > 0) aggregated.push(["ephemeral-storage", asQuantity(String(aggregate.ephemeralBytes))]);
  for (const [name, v] of aggregate.scalars) if (v > 0) aggregated.push([name, asQuantity(String(v))]);
  for (const [name, ctr] of aggregated) {
    const pod = podRequests.get(name) ?? parseQuantity("0");
    if (cmp(ctr, pod) > 0) out.push(invalid([...path, "requests", name], formatQuantity(pod), `must be greater than or equal to aggregate container requests of ${formatQuantity(ctr)}`));
  }
  const podLimits = parsed(res.limits as Record<string, unknown> | undefined);
  (spec.containers ?? []).forEach((c, i) => {
    for (const [name, limit] of parsed(c.resources?.limits as Record<string, unknown> | undefined)) {
      const podLimit = podLimits.get(name);
      if (podLimit !== undefined && cmp(limit, podLimit) > 0) {
        // Upstream's path: spec.resources.containers[i][name].limits.
        out.push(invalid([...path, "containers", i, name, "limits"], formatQuantity(limit), `must be less than or equal to pod limits of ${formatQuantity(podLimit)}`));
      }
    }
  });
}

/** ValidateNodeResources: capacity and allocatable quantities (no name rules for nodes). */
export function validateNodeResources(status: { capacity?: Record<string, unknown> | null; allocatable?: Record<string, unknown> | null } | undefined | null, path: Path, out: FieldError[]): void {
  for (const listName of ["capacity", "allocatable"] as const) {
    for (const [name, q] of parsed(status?.[listName])) validateResourceQuantityValue(name, q, [...path, listName, name], out);
  }
}
