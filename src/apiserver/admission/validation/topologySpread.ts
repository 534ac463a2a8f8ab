/**
 * Topology spread constraints, as pkg/apis/core/validation validates them
 * (validateTopologySpreadConstraints, ValidateMaxSkew, validateMinDomains,
 * ValidateTopologyKey, ValidateWhenUnsatisfiable, ValidateSpreadConstraintNotRepeat,
 * validateNodeInclusionPolicy, validateMatchLabelKeysInTopologySpread):
 *
 * - maxSkew > 0; topologyKey not empty; whenUnsatisfiable DoNotSchedule or ScheduleAnyway;
 * - no two constraints with the same {topologyKey, whenUnsatisfiable};
 * - minDomains > 0 and only with whenUnsatisfiable DoNotSchedule;
 * - nodeAffinityPolicy / nodeTaintsPolicy Honor or Ignore;
 * - matchLabelKeys valid label keys, not in the selector, and only with a selector;
 * - the labelSelector itself valid.
 */
import type { TopologySpreadConstraint } from "../../../model/types.js";
import { duplicate, forbidden, invalid, notSupported, required, type FieldError, type Path } from "./fieldError.js";
import { validateLabelName, validateLabelSelector } from "./objectMeta.js";

/** pkg/apis/core/validation isNotPositiveErrorMsg. */
export const IS_NOT_POSITIVE_ERROR_MSG = "must be greater than zero";
const SCHEDULE_ACTIONS = ["DoNotSchedule", "ScheduleAnyway"];
const NODE_INCLUSION_POLICIES = ["Honor", "Ignore"];

export function validateTopologySpreadConstraints(constraints: TopologySpreadConstraint[] | undefined | null, path: Path, out: FieldError[]): void {
  const list = constraints ?? [];
  list.forEach((c, i) => {
    const at = [...path, i];
    if (!(c.maxSkew > 0)) out.push(invalid([...at, "maxSkew"], c.maxSkew ?? 0, IS_NOT_POSITIVE_ERROR_MSG));
    if (!c.topologyKey) out.push(required([...at, "topologyKey"], "can not be empty"));
    if (!SCHEDULE_ACTIONS.includes(c.whenUnsatisfiable)) out.push(notSupported([...at, "whenUnsatisfiable"], c.whenUnsatisfiable ?? "", SCHEDULE_ACTIONS));
    if (list.slice(i + 1).some((o) => o.topologyKey === c.topologyKey && o.whenUnsatisfiable === c.whenUnsatisfiable)) {
      out.push(duplicate([...at, "{topologyKey, whenUnsatisfiable}"], `{${c.topologyKey}, ${c.whenUnsatisfiable}}`));
    }
    if (c.minDomains !== undefined && c.minDomains !== null) {
      if (!(c.minDomains > 0)) out.push(invalid([...at, "minDomains"], c.minDomains, IS_NOT_POSITIVE_ERROR_MSG));
      if (c.whenUnsatisfiable !== "DoNotSchedule") {
        out.push(invalid([...at, "minDomains"], c.minDomains, `can only use minDomains if whenUnsatisfiable=DoNotSchedule, not ${c.whenUnsatisfiable}`));
      }
    }
    for (const policy of ["nodeAffinityPolicy", "nodeTaintsPolicy"] as const) {
      const v = c[policy];
      if (v !== undefined && v !== null && !NODE_INCLUSION_POLICIES.includes(v)) out.push(notSupported([...at, policy], v, NODE_INCLUSION_POLICIES));
    }
    const keys = c.matchLabelKeys ?? [];
    if (keys.length > 0) {
      const selectorKeys = new Set([...Object.keys(c.labelSelector?.matchLabels ?? {}), ...(c.labelSelector?.matchExpressions ?? []).map((e) => e.key)]);
      if (!c.labelSelector) out.push(forbidden([...at, "matchLabelKeys"], "must not be specified when labelSelector is not set"));
      keys.forEach((k, j) => {
        validateLabelName(k, [...at, "matchLabelKeys", j], out);
        if (selectorKeys.has(k)) out.push(invalid([...at, "matchLabelKeys", j], k, "exists in both matchLabelKeys and labelSelector"));
      });
    }
    validateLabelSelector(c.labelSelector, [...at, "labelSelector"], out);
  });
}
