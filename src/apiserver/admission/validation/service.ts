/**
 * Services, as pkg/apis/core/validation ValidateService checks what kubesim reads
 * (PodTopologySpread's default constraints find a pod's Services by selector): a
 * DNS-1035 label name, and a selector of valid labels.
 */
import type { Service } from "../../../model/types.js";
import type { FieldError } from "./fieldError.js";
import { validateLabels, validateObjectMeta } from "./objectMeta.js";
import { isDNS1035Label } from "./names.js";

export function validateService(svc: Service, out: FieldError[]): void {
  validateObjectMeta(svc.metadata, true, isDNS1035Label, ["metadata"], out);
  validateLabels(svc.spec?.selector, ["spec", "selector"], out);
}
