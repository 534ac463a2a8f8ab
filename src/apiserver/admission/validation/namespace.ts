/** Namespaces, as pkg/apis/core/validation ValidateNamespace: a cluster-scoped object named by a DNS label. */
import type { Namespace } from "../../../model/types.js";
import type { FieldError } from "./fieldError.js";
import { dnsLabelName, validateLabelName, validateObjectMeta } from "./objectMeta.js";

export function validateNamespace(ns: Namespace, out: FieldError[]): void {
  validateObjectMeta(ns.metadata, false, dnsLabelName, ["metadata"], out);
  (ns.spec?.finalizers ?? []).forEach((f) => validateLabelName(f, ["spec", "finalizers"], out));
}
