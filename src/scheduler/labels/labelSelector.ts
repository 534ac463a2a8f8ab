/**
 * metav1.LabelSelector compiled to interned requirements, matched against a pod's
 * flat sorted label list (ClusterStrings.labelList). Upstream conventions:
 * a null selector matches nothing, an empty one `{}` matches everything, and a
 * selector that fails to convert (bad operator/values) matches nothing.
 */
import type { LabelSelector } from "../../model/types.js";
import { compileRequirement, InvalidRequirement, requirementMatches, type Requirement } from "./requirement.js";
import { labelValue, type ClusterStrings } from "./strings.js";

export interface CompiledLabelSelector {
  /** True for a null or invalid selector. */
  readonly matchesNothing: boolean;
  /** ANDed requirements (matchLabels become In with one value). */
  readonly reqs: readonly Requirement[];
}

export const MATCH_NOTHING: CompiledLabelSelector = { matchesNothing: true, reqs: [] };
export const MATCH_EVERYTHING: CompiledLabelSelector = { matchesNothing: false, reqs: [] };

export function compileLabelSelector(sel: LabelSelector | null | undefined, strings: ClusterStrings): CompiledLabelSelector {
  if (sel === null || sel === undefined) return MATCH_NOTHING;
  try {
    const reqs: Requirement[] = [];
    for (const [k, v] of Object.entries(sel.matchLabels ?? {})) reqs.push(compileRequirement(strings, k, "In", [v]));
    for (const e of sel.matchExpressions ?? []) reqs.push(compileRequirement(strings, e.key, e.operator, e.values));
    return { matchesNothing: false, reqs };
  } catch (e) {
    if (e instanceof InvalidRequirement) return MATCH_NOTHING;
    throw e;
  }
}

/** Does a flat sorted label list (key, value, ...) satisfy the selector? */
export function selectorMatches(sel: CompiledLabelSelector, labels: Int32Array, valueInt: readonly number[]): boolean {
  if (sel.matchesNothing) return false;
  const reqs = sel.reqs;
  for (let i = 0; i < reqs.length; i++) {
    const r = reqs[i];
    if (!requirementMatches(r, labelValue(labels, r.key), valueInt)) return false;
  }
  return true;
}
