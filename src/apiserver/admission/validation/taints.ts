/**
 * Tolerations and taints, as pkg/apis/core/validation validates them (ValidateTolerations,
 * validateTaintEffect, validateNodeTaints):
 *
 * - a toleration's operator is Equal (or empty) with a label value, or Exists with no value;
 *   an empty key needs Exists ("match all values and all keys");
 * - tolerationSeconds only with effect NoExecute; effects NoSchedule, PreferNoSchedule, NoExecute;
 * - a taint has a qualified key, a label value, an effect, and is unique by key and effect.
 *
 * (Gt/Lt tolerations, the alpha TaintTolerationComparisonOperators, are not accepted: the
 * gate is off by default in 1.35.)
 */
import type { Taint, Toleration } from "../../../model/types.js";
import { invalid, notSupported, required, type FieldError, type Path } from "./fieldError.js";
import { isValidLabelValue } from "./names.js";
import { validateLabelName } from "./objectMeta.js";

export const TAINT_EFFECTS = ["NoSchedule", "PreferNoSchedule", "NoExecute"] as const;

/** validateTaintEffect. */
function validateTaintEffect(effect: string | undefined, allowEmpty: boolean, path: Path, out: FieldError[]): void {
  if (!allowEmpty && !effect) {
    out.push(required(path));
    return;
  }
  if (!(TAINT_EFFECTS as readonly string[]).includes(effect ?? "")) out.push(notSupported(path, effect ?? "", TAINT_EFFECTS));
}

/** ValidateTolerations. */
export function validateTolerations(tolerations: Toleration[] | undefined | null, path: Path, out: FieldError[]): void {
  (tolerations ?? []).forEach((t, i) => {
    const at = [...path, i];
    if (t.key) validateLabelName(t.key, [...at, "key"], out);
    if (!t.key && t.operator !== "Exists") {
      out.push(invalid([...at, "operator"], t.operator ?? "", 'operator must be Exists when `key` is empty, which means "match all values and all keys"'));
    }
    if (t.tolerationSeconds !== undefined && t.tolerationSeconds !== null && t.effect !== "NoExecute") {
      out.push(invalid([...at, "effect"], t.effect ?? "", "effect must be 'NoExecute' when `tolerationSeconds` is set"));
    }
    switch (t.operator ?? "") {
      case "Equal":
      case "": {
        const errs = isValidLabelValue(t.value ?? "");
        if (errs.length > 0) out.push(invalid([...at, "operator"], t.value ?? "", errs.join(";")));
        break;
      }
      case "Exists":
        if (t.value) out.push(invalid([...at, "operator"], t.value, "value must be empty when `operator` is 'Exists'"));
        break;
      default:
        out.push(notSupported([...at, "operator"], t.operator, ["Equal", "Exists"]));
    }
    if (t.effect) validateTaintEffect(t.effect, true, [...at, "effect"], out);
  });
}

/** validateNodeTaints. */
export function validateTaints(taints: Taint[] | undefined | null, path: Path, out: FieldError[]): void {
  const seen = new Map<string, Set<string>>();
  (taints ?? []).forEach((t, i) => {
    const at = [...path, i];
    validateLabelName(t.key ?? "", [...at, "key"], out);
    const errs = isValidLabelValue(t.value ?? "");
    if (errs.length > 0) out.push(invalid([...at, "value"], t.value ?? "", errs.join(";")));
    validateTaintEffect(t.effect, false, [...at, "effect"], out);
    const keys = seen.get(t.effect) ?? new Set<string>();
    if (keys.has(t.key)) {
      out.push({ type: "Duplicate value", path: at, value: t, detail: "taints must be unique by key and effect pair" });
      return;
    }
    keys.add(t.key);
    seen.set(t.effect, keys);
  });
}
