/**
 * Indexes over a snapshot's pod groups that let a new template find the groups its
 * affinity terms can match (and the groups whose terms can match it) without
 * testing every group:
 *
 *   byLabel        label pair (key, value) -> groups whose pods carry it;
 *   termsByAnchor  label pair -> [group, kind, term] of existing groups' terms whose
 *                  selector requires that pair (its first `In` requirement);
 *   unanchored     terms without an `In` requirement (Exists/NotIn only): always checked.
 *
 * A term with an `In` requirement on key K can only select pods labelled K=v for one of
 * its values v, so its candidates are the union of byLabel(K, v). Candidates are then
 * tested in full (namespace and every requirement). Built incrementally as groups appear.
 */
import type { Snapshot } from "../../snapshot.js";
import { Op } from "../../labels/requirement.js";
import type { CompiledAffinityTerm } from "./affinityTerm.js";
import type { PodGroups } from "./podGroups.js";
import { PodAffinitySpec } from "./podAffinitySpec.js";

/** Which term list of a spec an index entry refers to. */
export const Kind = { AntiRequired: 0, Required: 1, Preferred: 2, AntiPreferred: 3 } as const;

export interface TermIndex {
  /** Spec of every group, by group id. */
  readonly specs: PodAffinitySpec[];
  /** Groups whose template has inter-pod affinity terms (upstream PodsWithAffinity). */
  readonly withAffinity: number[];
  readonly byLabel: Map<number, number[]>;
  readonly termsByAnchor: Map<number, number[]>;
  readonly unanchored: number[];
}

const perIndex = new WeakMap<PodGroups, TermIndex>();

/** A label pair as one number (key and value ids are far below 2^21). */
export function pairCode(key: number, value: number): number {
  return key * 4294967296 + value;
}

/** The `In` requirement that anchors a term, or null (none, or the term matches nothing). */
export function anchorOf(t: CompiledAffinityTerm): { key: number; values: Int32Array } | null {
  if (t.selector.matchesNothing) return null;
  for (const r of t.selector.reqs) if (r.op === Op.In) return { key: r.key, values: r.values };
  return null;
}

export function termsOfKind(spec: PodAffinitySpec, kind: number): readonly CompiledAffinityTerm[] {
  switch (kind) {
    case Kind.AntiRequired:
      return spec.antiRequired;
    case Kind.Required:
      return spec.required;
    case Kind.Preferred:
      return spec.preferred;
    default:
      return spec.antiPreferred;
  }
}

/** The index of a pod-group set, brought up to date with its groups. */
export function termIndex(groups: PodGroups, snapshot: Snapshot): TermIndex {
  let x = perIndex.get(groups);
  if (!x) {
    x = { specs: [], withAffinity: [], byLabel: new Map(), termsByAnchor: new Map(), unanchored: [] };
    perIndex.set(groups, x);
  }
  const all = groups.groups;
  for (let g = x.specs.length; g < all.length; g++) {
    const spec = PodAffinitySpec.of(all[g].pod, snapshot);
    x.specs.push(spec);
    const labels = spec.pod.labelIds;
    for (let i = 0; i < labels.length; i += 2) push(x.byLabel, pairCode(labels[i], labels[i + 1]), g);
    if (!spec.hasAffinity) continue;
    x.withAffinity.push(g);
    for (let kind = 0; kind < 4; kind++) {
      const terms = termsOfKind(spec, kind);
      for (let j = 0; j < terms.length; j++) {
        if (terms[j].selector.matchesNothing) continue;
        const a = anchorOf(terms[j]);
        if (a === null) x.unanchored.push(g, kind, j);
        else for (const v of a.values) push(x.termsByAnchor, pairCode(a.key, v), g, kind, j);
      }
    }
  }
  return x;
}

function push(map: Map<number, number[]>, code: number, ...items: number[]): void {
  let list = map.get(code);
  if (!list) {
    list = [];
    map.set(code, list);
  }
  list.push(...items);
}
