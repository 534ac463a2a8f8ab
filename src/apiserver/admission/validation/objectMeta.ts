/**
 * Object metadata, labels, annotations and label selectors, as upstream validates them
 * (k8s.io/apimachinery v0.35 pkg/api/validation/objectmeta.go ValidateObjectMetaAccessor,
 * pkg/apis/meta/v1/validation/validation.go ValidateLabels, ValidateLabelSelector).
 *
 * Labels have no count limit upstream; an object as a whole is bounded by etcd's request
 * size (objectSize.ts). Annotations have their own total: 256 KiB of keys and values.
 */
import type { LabelSelector, ObjectMeta } from "../../../model/types.js";
import { forbidden, invalid, required, tooLong, type FieldError, type Path } from "./fieldError.js";
import { isDNS1123Label, isDNS1123Subdomain, isQualifiedName, isValidLabelValue, maskTrailingDash } from "./names.js";

/** apimachinery validation.TotalAnnotationSizeLimitB: 256 kB of annotation keys and values. */
export const TOTAL_ANNOTATION_SIZE_LIMIT_BYTES = 256 * 1024;
/** apimachinery validation.IsNegativeErrorMsg. */
export const IS_NEGATIVE_ERROR_MSG = "must be greater than or equal to 0";

/** How an object's name is checked (a ValidateNameFunc): DNS subdomain for most kinds, DNS label for namespaces. */
export type NameRule = (name: string) => string[];
export const dnsSubdomainName: NameRule = isDNS1123Subdomain;
export const dnsLabelName: NameRule = isDNS1123Label;

/** ValidateLabelName: a qualified name. */
export function validateLabelName(name: string, path: Path, out: FieldError[]): void {
  for (const msg of isQualifiedName(name)) out.push(invalid(path, name, msg));
}

/** ValidateLabels: keys qualified names, values label values; errors name the map, not the key. */
export function validateLabels(labels: Record<string, string> | undefined | null, path: Path, out: FieldError[]): void {
  if (!labels) return;
  for (const k in labels) {
    validateLabelName(k, path, out);
    for (const msg of isValidLabelValue(labels[k])) out.push(invalid(path, labels[k], msg));
  }
}

/** ValidateAnnotations: keys are qualified names (lower-cased first), 256 KiB in total. */
export function validateAnnotations(annotations: Record<string, string> | undefined | null, path: Path, out: FieldError[]): void {
  if (!annotations) return;
  let totalBytes = 0;
  for (const k in annotations) {
    for (const msg of isQualifiedName(k.toLowerCase())) out.push(invalid(path, k, msg));
    totalBytes += Buffer.byteLength(k) + Buffer.byteLength(annotations[k]);
  }
  if (totalBytes > TOTAL_ANNOTATION_SIZE_LIMIT_BYTES) out.push(tooLong(path, TOTAL_ANNOTATION_SIZE_LIMIT_BYTES));
}

/**
 * ValidateObjectMetaAccessor on create: name (or generateName) by the kind's rule, the
 * namespace of namespaced kinds a DNS label (empty is defaulted to "default" by kubesim,
 * as kubectl does), no namespace on cluster-scoped kinds, generation, labels, annotations,
 * finalizers.
 */
export function validateObjectMeta(meta: ObjectMeta | undefined, namespaced: boolean, nameRule: NameRule, path: Path, out: FieldError[]): void {
  const m = meta ?? {};
  if (m.generateName) for (const msg of nameRule(maskTrailingDash(m.generateName))) out.push(invalid([...path, "generateName"], m.generateName, msg));
  if (!m.name) {
    if (!m.generateName) out.push(required([...path, "name"], "name or generateName is required"));
  } else {
    for (const msg of nameRule(m.name)) out.push(invalid([...path, "name"], m.name, msg));
  }
  validateNamespaceField(m.namespace, namespaced, path, out);
  if (m.generation !== undefined && m.generation !== null && m.generation < 0) out.push(invalid([...path, "generation"], m.generation, IS_NEGATIVE_ERROR_MSG));
  validateLabels(m.labels, [...path, "labels"], out);
  validateAnnotations(m.annotations, [...path, "annotations"], out);
  for (const f of m.finalizers ?? []) validateLabelName(f, [...path, "finalizers"], out);
}

function validateNamespaceField(namespace: string | undefined, namespaced: boolean, path: Path, out: FieldError[]): void {
  if (namespaced) {
    if (namespace) for (const msg of isDNS1123Label(namespace)) out.push(invalid([...path, "namespace"], namespace, msg));
  } else if (namespace) {
    out.push(forbidden([...path, "namespace"], "not allowed on this type"));
  }
}

/** What a label selector may hold: upstream's LabelSelectorValidationOptions. */
export interface SelectorOptions {
  /** Values of matchExpressions need not be valid label values (preferred terms of old objects). */
  allowInvalidLabelValue?: boolean;
}

/** ValidateLabelSelector: matchLabels as labels, each requirement's operator, values and key. */
export function validateLabelSelector(selector: LabelSelector | undefined | null, path: Path, out: FieldError[], options: SelectorOptions = {}): void {
  if (!selector) return;
  validateLabels(selector.matchLabels, [...path, "matchLabels"], out);
  (selector.matchExpressions ?? []).forEach((req, i) => {
    const at = [...path, "matchExpressions", i];
    const values = req.values ?? [];
    switch (req.operator) {
      case "In":
      case "NotIn":
        if (values.length === 0) out.push(required([...at, "values"], "must be specified when `operator` is 'In' or 'NotIn'"));
        break;
      case "Exists":
      case "DoesNotExist":
        if (values.length > 0) out.push(forbidden([...at, "values"], "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
        break;
      default:
        out.push(invalid([...at, "operator"], req.operator ?? "", "not a valid selector operator"));
    }
    validateLabelName(req.key ?? "", [...at, "key"], out);
    if (!options.allowInvalidLabelValue) {
      values.forEach((v, j) => {
        for (const msg of isValidLabelValue(v)) out.push(invalid([...at, "values", j], v, msg));
      });
    }
  });
}

/** Does a label selector select this label set? (metav1.LabelSelectorAsSelector then Matches; a validated selector.) */
export function selectorMatches(selector: LabelSelector, labels: Record<string, string>): boolean {
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const req of selector.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(labels, req.key);
    const values = req.values ?? [];
    switch (req.operator) {
      case "In":
        if (!has || !values.includes(labels[req.key])) return false;
        break;
      case "NotIn":
        if (has && values.includes(labels[req.key])) return false;
        break;
      case "Exists":
        if (!has) return false;
        break;
      case "DoesNotExist":
        if (has) return false;
        break;
    }
  }
  return true;
}
