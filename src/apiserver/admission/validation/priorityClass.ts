/**
 * PriorityClasses, as pkg/apis/scheduling/validation ValidatePriorityClass: a
 * cluster-scoped DNS-subdomain name; names starting with "system-" only for the two
 * system classes with their values; a user class at most HighestUserDefinablePriority;
 * preemptionPolicy PreemptLowerPriority or Never.
 */
import type { PriorityClass } from "../../../model/types.js";
import { forbidden, notSupported, required, type FieldError } from "./fieldError.js";
import { dnsSubdomainName, validateObjectMeta } from "./objectMeta.js";

/** scheduling.SystemPriorityClassPrefix. */
export const SYSTEM_PRIORITY_CLASS_PREFIX = "system-";
/** scheduling.HighestUserDefinablePriority. */
export const HIGHEST_USER_DEFINABLE_PRIORITY = 1_000_000_000;
/** scheduling.SystemCriticalPriority: system-cluster-critical's value; system-node-critical has 1000 more. */
export const SYSTEM_CRITICAL_PRIORITY = 2_000_000_000;
export const SYSTEM_CLUSTER_CRITICAL = "system-cluster-critical";
export const SYSTEM_NODE_CRITICAL = "system-node-critical";
const SYSTEM_VALUES: Record<string, number> = { [SYSTEM_CLUSTER_CRITICAL]: SYSTEM_CRITICAL_PRIORITY, [SYSTEM_NODE_CRITICAL]: SYSTEM_CRITICAL_PRIORITY + 1000 };

/** scheduling.IsKnownSystemPriorityClass: why a system-prefixed class is not one of the system classes, or "". */
function unknownSystemClass(pc: PriorityClass): string {
  const name = pc.metadata?.name ?? "";
  const value = SYSTEM_VALUES[name];
  if (value === undefined) return `${name} is not a known system priority class`;
  if (value !== pc.value) return `value of ${name} PriorityClass must be ${value}`;
  if (pc.globalDefault) return `globalDefault of ${name} PriorityClass must be false`;
  return "";
}

export function validatePriorityClass(pc: PriorityClass, out: FieldError[]): void {
  validateObjectMeta(pc.metadata, false, dnsSubdomainName, ["metadata"], out);
  const name = pc.metadata?.name ?? "";
  if (name.startsWith(SYSTEM_PRIORITY_CLASS_PREFIX)) {
    const why = unknownSystemClass(pc);
    if (why !== "") out.push(forbidden(["metadata", "name"], `priority class names with '${SYSTEM_PRIORITY_CLASS_PREFIX}' prefix are reserved for system use only. error: ${why}`));
  } else if ((pc.value ?? 0) > HIGHEST_USER_DEFINABLE_PRIORITY) {
    out.push(forbidden(["value"], `maximum allowed value of a user defined priority is ${HIGHEST_USER_DEFINABLE_PRIORITY}`));
  }
  const policy = pc.preemptionPolicy;
  if (policy !== undefined && policy !== null) {
    if (policy === "") out.push(required(["preemptionPolicy"]));
    else if (policy !== "PreemptLowerPriority" && policy !== "Never") out.push(notSupported(["preemptionPolicy"], policy, ["PreemptLowerPriority", "Never"]));
  }
}
