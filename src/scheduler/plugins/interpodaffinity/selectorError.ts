/**
 * Why a metav1.LabelSelector would fail metav1.LabelSelectorAsSelector, or null when
 * it converts. The compiled selector of an invalid one matches nothing; the plugins use
 * this text for upstream's PreFilter/PreScore failures ("parsing pod: ...").
 */
import type { LabelSelector } from "../../../model/types.js";
import { isValidLabelValue } from "../../labels/requirement.js";

const VALUE_RULE = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";

export function labelSelectorError(sel: LabelSelector | null | undefined): string | null {
  if (!sel) return null;
  for (const v of Object.values(sel.matchLabels ?? {})) if (!isValidLabelValue(v)) return `Invalid value: "${v}": ${VALUE_RULE}`;
  for (const e of sel.matchExpressions ?? []) {
    const values = e.values ?? [];
    switch (e.operator) {
      case "In":
      case "NotIn":
        if (values.length === 0) return `values: Invalid value: []: for 'in', 'notin' operators, values set can't be empty`;
        for (const v of values) if (!isValidLabelValue(v)) return `Invalid value: "${v}": ${VALUE_RULE}`;
        break;
      case "Exists":
      case "DoesNotExist":
        if (values.length !== 0) return `values: Invalid value: ${JSON.stringify(values)}: values set must be empty for exists and does not exist`;
        break;
      default:
        return `operator: Invalid value: "${e.operator}": not a valid selector operator`;
    }
  }
  return null;
}
