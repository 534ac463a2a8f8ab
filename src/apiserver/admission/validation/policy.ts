/**
 * PodDisruptionBudgets, as pkg/apis/policy/validation ValidatePodDisruptionBudget checks
 * what kubesim reads (explain honours PDBs in its input): metadata, minAvailable and
 * maxUnavailable (not both; a non-negative count or a percentage up to 100%), selector.
 */
import type { PodDisruptionBudget } from "../../../model/types.js";
import { invalid, type FieldError, type Path } from "./fieldError.js";
import { dnsSubdomainName, IS_NEGATIVE_ERROR_MSG, validateLabelSelector, validateObjectMeta } from "./objectMeta.js";

/** ValidatePositiveIntOrPercent and IsNotMoreThan100Percent. */
export function validateIntOrPercent(v: number | string | undefined | null, path: Path, out: FieldError[]): void {
  if (v === undefined || v === null) return;
  if (typeof v === "number") {
    if (v < 0) out.push(invalid(path, v, IS_NEGATIVE_ERROR_MSG));
    return;
  }
  const m = /^([0-9]+)%$/.exec(v);
  if (!m) out.push(invalid(path, v, "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')"));
  else if (Number(m[1]) > 100) out.push(invalid(path, v, "must not be greater than 100%"));
}

export function validatePodDisruptionBudget(pdb: PodDisruptionBudget, out: FieldError[]): void {
  validateObjectMeta(pdb.metadata, true, dnsSubdomainName, ["metadata"], out);
  const spec = pdb.spec ?? {};
  if (spec.minAvailable !== undefined && spec.minAvailable !== null && spec.maxUnavailable !== undefined && spec.maxUnavailable !== null) {
    out.push(invalid(["spec"], spec, "minAvailable and maxUnavailable cannot be both set"));
  }
  validateIntOrPercent(spec.minAvailable, ["spec", "minAvailable"], out);
  validateIntOrPercent(spec.maxUnavailable, ["spec", "maxUnavailable"], out);
  validateLabelSelector(spec.selector, ["spec", "selector"], out);
}
