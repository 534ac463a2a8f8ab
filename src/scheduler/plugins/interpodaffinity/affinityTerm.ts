/**
 * A v1 PodAffinityTerm compiled against the snapshot's interned strings
 * (upstream framework.AffinityTerm):
 *
 *   namespaces   term.namespaces, or the owner's namespace when both namespaces and
 *                namespaceSelector are empty/nil; namespaceSelector {} selects all;
 *   selector     term.labelSelector (null matches nothing) with matchLabelKeys /
 *                mismatchLabelKeys merged in as `key In (owner's value)` /
 *                `key NotIn (owner's value)` for keys the owner pod has (1.29+);
 *   topologyKey  an interned label key.
 *
 * A term "matches" pod P when P's namespace is selected and P's labels satisfy the
 * selector. The owner of a term is the pod that declares it.
 */
import type { PodAffinityTerm, WeightedPodAffinityTerm } from "kubernetes-types/core/v1.d.ts";
import type { LabelSelector } from "../../../model/types.js";
import type { CompiledPod } from "../../compiled.js";
import type { Snapshot } from "../../snapshot.js";
import { compileLabelSelector, selectorMatches, type CompiledLabelSelector } from "../../labels/labelSelector.js";

export interface CompiledAffinityTerm {
  readonly selector: CompiledLabelSelector;
  /** Interned topology key. */
  readonly key: number;
  /** Explicit namespace ids (sorted); when empty and nsSelector is null, ownerNamespace only. */
  readonly namespaces: Int32Array;
  /** namespaceSelector; null when nil. */
  readonly nsSelector: CompiledLabelSelector | null;
  readonly ownerNamespace: number;
  /** Preferred terms: the weight; required terms: 1. */
  readonly weight: number;
}

export function compileAffinityTerm(t: PodAffinityTerm, owner: CompiledPod, snapshot: Snapshot, weight = 1): CompiledAffinityTerm {
  const strings = snapshot.strings;
  const nsNames = t.namespaces ?? [];
  const namespaces = Int32Array.from(nsNames.map((n) => strings.namespaces.id(n))).sort();
  const nsSelector = t.namespaceSelector ? compileLabelSelector(t.namespaceSelector, strings) : null;
  const useOwner = namespaces.length === 0 && nsSelector === null;
  return {
    selector: compileLabelSelector(mergeLabelKeys(t, owner.labels), strings),
    key: strings.key(t.topologyKey ?? ""),
    namespaces: useOwner ? Int32Array.of(owner.namespaceId) : namespaces,
    nsSelector,
    ownerNamespace: owner.namespaceId,
    weight,
  };
}

export function compileWeightedTerms(ts: WeightedPodAffinityTerm[] | undefined, owner: CompiledPod, snapshot: Snapshot): CompiledAffinityTerm[] {
  return (ts ?? []).map((w) => compileAffinityTerm(w.podAffinityTerm, owner, snapshot, w.weight));
}

export function compileRequiredTerms(ts: PodAffinityTerm[] | undefined, owner: CompiledPod, snapshot: Snapshot): CompiledAffinityTerm[] {
  return (ts ?? []).map((t) => compileAffinityTerm(t, owner, snapshot, 1));
}

/** matchLabelKeys / mismatchLabelKeys merged into the selector (owner's label values). */
function mergeLabelKeys(t: PodAffinityTerm, ownerLabels: Readonly<Record<string, string>>): LabelSelector | undefined {
  const sel = t.labelSelector;
  if (!sel) return undefined;
  const extra: NonNullable<LabelSelector["matchExpressions"]> = [];
  for (const k of t.matchLabelKeys ?? []) if (k in ownerLabels) extra.push({ key: k, operator: "In", values: [ownerLabels[k]] });
  for (const k of t.mismatchLabelKeys ?? []) if (k in ownerLabels) extra.push({ key: k, operator: "NotIn", values: [ownerLabels[k]] });
  if (extra.length === 0) return sel;
  return { matchLabels: sel.matchLabels, matchExpressions: [...(sel.matchExpressions ?? []), ...extra] };
}

/** Does the term select a pod of namespace `ns` with labels `labels`? */
export function termMatches(t: CompiledAffinityTerm, ns: number, labels: Int32Array, snapshot: Snapshot): boolean {
  if (!namespaceSelected(t, ns, snapshot)) return false;
  return selectorMatches(t.selector, labels, snapshot.strings.valueInt);
}

export function termMatchesPod(t: CompiledAffinityTerm, pod: CompiledPod, snapshot: Snapshot): boolean {
  return termMatches(t, pod.namespaceId, pod.labelIds, snapshot);
}

function namespaceSelected(t: CompiledAffinityTerm, ns: number, snapshot: Snapshot): boolean {
  for (let i = 0; i < t.namespaces.length; i++) if (t.namespaces[i] === ns) return true;
  if (t.nsSelector === null) return false;
  return selectorMatches(t.nsSelector, snapshot.namespaceLabelIds(ns), snapshot.strings.valueInt);
}
