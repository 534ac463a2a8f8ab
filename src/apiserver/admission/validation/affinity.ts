/**
 * Affinity, as pkg/apis/core/validation validates it (validateAffinity,
 * validateNodeAffinity, ValidateNodeSelector, ValidateNodeSelectorRequirement,
 * ValidateNodeFieldSelectorRequirement, ValidatePreferredSchedulingTerms,
 * validatePodAffinity(Term), validateWeightedPodAffinityTerms,
 * validateMatchLabelKeysAndMismatchLabelKeys):
 *
 * - node selector operators In/NotIn (values required), Exists/DoesNotExist (no values),
 *   Gt/Lt (exactly one value); keys qualified names; values of required terms label values
 *   (preferred terms may hold any value: "they can succeed when the cluster has one node");
 * - matchFields: only metadata.name, with In or NotIn and exactly one node name;
 * - preferred weights 1-100, pod affinity terms a topologyKey and valid selectors.
 */
import type { Affinity, NodeSelectorTerm } from "../../../model/types.js";
import { forbidden, invalid, required, type FieldError, type Path } from "./fieldError.js";
import { isDNS1123Label, isDNS1123Subdomain, isValidLabelValue } from "./names.js";
import { validateLabelName, validateLabelSelector } from "./objectMeta.js";

type Requirement = { key?: string; operator?: string; values?: string[] | null };
type PodAffinityTerm = NonNullable<NonNullable<Affinity["podAffinity"]>["requiredDuringSchedulingIgnoredDuringExecution"]>[number];
type WeightedPodAffinityTerm = NonNullable<NonNullable<Affinity["podAffinity"]>["preferredDuringSchedulingIgnoredDuringExecution"]>[number];

const WEIGHT_RANGE = "must be in the range 1-100";

/** ValidateNodeSelectorRequirement. */
function validateNodeSelectorRequirement(rq: Requirement, allowInvalidLabelValue: boolean, path: Path, out: FieldError[]): void {
  const values = rq.values ?? [];
  switch (rq.operator) {
    case "In":
    case "NotIn":
      if (values.length === 0) out.push(required([...path, "values"], "must be specified when `operator` is 'In' or 'NotIn'"));
      break;
    case "Exists":
    case "DoesNotExist":
      if (values.length > 0) out.push(forbidden([...path, "values"], "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
      break;
    case "Gt":
    case "Lt":
      if (values.length !== 1) out.push(required([...path, "values"], "must be specified single value when `operator` is 'Lt' or 'Gt'"));
      break;
    default:
      out.push(invalid([...path, "operator"], rq.operator ?? "", "not a valid selector operator"));
  }
  validateLabelName(rq.key ?? "", [...path, "key"], out);
  if (!allowInvalidLabelValue) {
    values.forEach((v, i) => {
      for (const msg of isValidLabelValue(v)) out.push(invalid([...path, "values", i], v, msg));
    });
  }
}

/** ValidateNodeFieldSelectorRequirement: metadata.name is the only field. */
function validateNodeFieldSelectorRequirement(rq: Requirement, path: Path, out: FieldError[]): void {
  const values = rq.values ?? [];
  if (rq.operator === "In" || rq.operator === "NotIn") {
    if (values.length !== 1) out.push(required([...path, "values"], "must be only one value when `operator` is 'In' or 'NotIn' for node field selector"));
  } else {
    out.push(invalid([...path, "operator"], rq.operator ?? "", "not a valid selector operator"));
  }
  if (rq.key !== "metadata.name") {
    out.push(invalid([...path, "key"], rq.key ?? "", "not a valid field selector key"));
  } else {
    values.forEach((v, i) => {
      for (const msg of isDNS1123Subdomain(v)) out.push(invalid([...path, "values", i], v, msg));
    });
  }
}

/** ValidateNodeSelectorTerm. */
export function validateNodeSelectorTerm(term: NodeSelectorTerm, allowInvalidLabelValue: boolean, path: Path, out: FieldError[]): void {
  (term.matchExpressions ?? []).forEach((rq, j) => validateNodeSelectorRequirement(rq, allowInvalidLabelValue, [...path, "matchExpressions", j], out));
  (term.matchFields ?? []).forEach((rq, j) => validateNodeFieldSelectorRequirement(rq, [...path, "matchFields", j], out));
}

/** validateNodeAffinity: required terms (at least one), preferred terms with weights 1-100. */
function validateNodeAffinity(na: NonNullable<Affinity["nodeAffinity"]>, path: Path, out: FieldError[]): void {
  const req = na.requiredDuringSchedulingIgnoredDuringExecution;
  if (req) {
    const termsPath = [...path, "requiredDuringSchedulingIgnoredDuringExecution", "nodeSelectorTerms"];
    const terms = req.nodeSelectorTerms ?? [];
    if (terms.length === 0) out.push(required(termsPath, "must have at least one node selector term"));
    else terms.forEach((t, i) => validateNodeSelectorTerm(t ?? {}, false, [...termsPath, i], out));
  }
  (na.preferredDuringSchedulingIgnoredDuringExecution ?? []).forEach((t, i) => {
    const at = [...path, "preferredDuringSchedulingIgnoredDuringExecution", i];
    if (!(t.weight > 0 && t.weight <= 100)) out.push(invalid([...at, "weight"], t.weight ?? 0, WEIGHT_RANGE));
    validateNodeSelectorTerm(t.preference ?? {}, true, [...at, "preference"], out);
  });
}

/** validateLabelKeys for matchLabelKeys / mismatchLabelKeys of a pod affinity term. */
function validateLabelKeys(keys: string[] | undefined | null, hasSelector: boolean, path: Path, out: FieldError[]): void {
  if (!keys || keys.length === 0) return;
  if (!hasSelector) {
    out.push(forbidden(path, "must not be specified when labelSelector is not set"));
    return;
  }
  keys.forEach((k, i) => validateLabelName(k, [...path, i], out));
}

/** validatePodAffinityTerm. */
function validatePodAffinityTerm(term: PodAffinityTerm, path: Path, out: FieldError[]): void {
  validateLabelSelector(term.labelSelector, [...path, "labelSelector"], out);
  validateLabelSelector(term.namespaceSelector, [...path, "namespaceSelector"], out);
  // Upstream's path says "namespace" for an entry of `namespaces`.
  for (const ns of term.namespaces ?? []) for (const msg of isDNS1123Label(ns)) out.push(invalid([...path, "namespace"], ns, msg));
  const hasSelector = term.labelSelector !== undefined && term.labelSelector !== null;
  validateLabelKeys(term.matchLabelKeys, hasSelector, [...path, "matchLabelKeys"], out);
  validateLabelKeys(term.mismatchLabelKeys, hasSelector, [...path, "mismatchLabelKeys"], out);
  if (hasSelector) {
    // The API server merges matchLabelKeys into the selector; a key the selector holds already is an error.
    const selectorKeys = new Set([...Object.keys(term.labelSelector!.matchLabels ?? {}), ...(term.labelSelector!.matchExpressions ?? []).map((e) => e.key)]);
    (term.matchLabelKeys ?? []).forEach((k, i) => {
      // Upstream's path: the term's, indexed by the key's position.
      if (selectorKeys.has(k)) out.push(invalid([...path, i], k, "exists in both matchLabelKeys and labelSelector"));
    });
  }
  const mismatch = new Set(term.mismatchLabelKeys ?? []);
  (term.matchLabelKeys ?? []).forEach((k, i) => {
    if (mismatch.has(k)) out.push(invalid([...path, "matchLabelKeys", i], k, "exists in both matchLabelKeys and mismatchLabelKeys"));
  });
  if (!term.topologyKey) out.push(required([...path, "topologyKey"], "can not be empty"));
  validateLabelName(term.topologyKey ?? "", [...path, "topologyKey"], out);
}

function validatePodAffinityKind(pa: NonNullable<Affinity["podAffinity"]>, path: Path, out: FieldError[]): void {
  (pa.requiredDuringSchedulingIgnoredDuringExecution ?? []).forEach((t, i) => validatePodAffinityTerm(t ?? {}, [...path, "requiredDuringSchedulingIgnoredDuringExecution", i], out));
  (pa.preferredDuringSchedulingIgnoredDuringExecution ?? []).forEach((t: WeightedPodAffinityTerm, j) => {
    const at = [...path, "preferredDuringSchedulingIgnoredDuringExecution", j];
    if (!(t.weight > 0 && t.weight <= 100)) out.push(invalid([...at, "weight"], t.weight ?? 0, WEIGHT_RANGE));
    validatePodAffinityTerm(t.podAffinityTerm ?? ({} as PodAffinityTerm), [...at, "podAffinityTerm"], out);
  });
}

/** validateAffinity. */
export function validateAffinity(affinity: Affinity | undefined | null, path: Path, out: FieldError[]): void {
  if (!affinity) return;
  if (affinity.nodeAffinity) validateNodeAffinity(affinity.nodeAffinity, [...path, "nodeAffinity"], out);
  if (affinity.podAffinity) validatePodAffinityKind(affinity.podAffinity, [...path, "podAffinity"], out);
  if (affinity.podAntiAffinity) validatePodAffinityKind(affinity.podAntiAffinity, [...path, "podAntiAffinity"], out);
}
