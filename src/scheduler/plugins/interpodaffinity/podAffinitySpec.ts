/**
 * A template's inter-pod affinity, compiled once per CompiledPod and cached in its
 * pluginData, plus the per-(pod, group) answers the plugin needs: which of this pod's
 * terms a group's pods match, and which of the group's terms this pod matches. Those
 * answers never change for a pair of templates, so every replica after the first
 * reads them from a table.
 */
import type { CompiledPod } from "../../compiled.js";
import type { Snapshot } from "../../snapshot.js";
import type { PodGroups } from "./podGroups.js";
import { labelSelectorError } from "./selectorError.js";
import { anchorOf, Kind, pairCode, termIndex, termsOfKind, type TermIndex } from "./termIndex.js";
import { compileRequiredTerms, compileWeightedTerms, termMatchesPod, type CompiledAffinityTerm } from "./affinityTerm.js";

export const SPEC_KEY = "InterPodAffinity";

/** What one pod template and one pod group know about each other. */
export interface PairInfo {
  /** The group's pods match every required affinity term of the pod. */
  readonly matchesAllRequired: boolean;
  /** Per required anti-affinity term of the pod: the group's pods match it. */
  readonly anti: Uint8Array;
  /** Per preferred (anti-)affinity term of the pod. */
  readonly preferred: Uint8Array;
  readonly antiPreferred: Uint8Array;
  /** Per required anti-affinity term of the group: the pod matches it (symmetry). */
  readonly existingAnti: Uint8Array;
  /** Per required affinity term of the group (hardPodAffinityWeight scoring). */
  readonly existingRequired: Uint8Array;
  readonly existingPreferred: Uint8Array;
  readonly existingAntiPreferred: Uint8Array;
}

export class PodAffinitySpec {
  readonly required: CompiledAffinityTerm[];
  readonly antiRequired: CompiledAffinityTerm[];
  readonly preferred: CompiledAffinityTerm[];
  readonly antiPreferred: CompiledAffinityTerm[];
  /** The pod matches all of its own required affinity terms (first-pod rule). */
  readonly matchesOwnRequired: boolean;
  /** Any (anti-)affinity term at all (upstream: pod is in PodsWithAffinity). */
  readonly hasAffinity: boolean;
  /** Why the pod's terms fail to parse (upstream framework.NewPodInfo), or null. */
  readonly parseError: string | null;
  /** Per group id, filled on first use (PreFilterExtensions only: relate() keeps lists). */
  readonly pairs: (PairInfo | undefined)[] = [];

  /**
   * The groups that matter to this pod, kept up to date by relate(): flat lists of
   * [group, term index] pairs, so a cycle visits only relevant groups.
   */
  readonly relevant = {
    /** Groups matching all required affinity terms. */
    allRequired: [] as number[],
    /** [g, i]: group g matches required anti-affinity term i. */
    anti: [] as number[],
    /** [g, i]: group g matches preferred (anti-)affinity term i. */
    preferred: [] as number[],
    antiPreferred: [] as number[],
    /** [g, j]: this pod matches group g's required anti-affinity / affinity / preferred terms. */
    existingAnti: [] as number[],
    existingRequired: [] as number[],
    existingPreferred: [] as number[],
    existingAntiPreferred: [] as number[],
  };
  private relatedTo: PodGroups | null = null;
  /** How far relate() has read each candidate list (index lists are append-only). */
  private seen = new Map<number[] | string, number>();

  constructor(readonly pod: CompiledPod, snapshot: Snapshot) {
    const a = pod.spec.affinity;
    this.required = compileRequiredTerms(a?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution, pod, snapshot);
    this.antiRequired = compileRequiredTerms(a?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution, pod, snapshot);
    this.preferred = compileWeightedTerms(a?.podAffinity?.preferredDuringSchedulingIgnoredDuringExecution, pod, snapshot);
    this.antiPreferred = compileWeightedTerms(a?.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution, pod, snapshot);
    this.matchesOwnRequired = this.required.every((t) => termMatchesPod(t, pod, snapshot));
    this.hasAffinity = a?.podAffinity !== undefined || a?.podAntiAffinity !== undefined;
    const terms = [
      ...(a?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []),
      ...(a?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []),
      ...(a?.podAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []).map((w) => w.podAffinityTerm),
      ...(a?.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []).map((w) => w.podAffinityTerm),
    ];
    let err: string | null = null;
    for (const t of terms) err ??= labelSelectorError(t.labelSelector) ?? labelSelectorError(t.namespaceSelector);
    this.parseError = err;
  }

  static of(pod: CompiledPod, snapshot: Snapshot): PodAffinitySpec {
    let s = pod.pluginData.get(SPEC_KEY) as PodAffinitySpec | undefined;
    if (!s) {
      s = new PodAffinitySpec(pod, snapshot);
      pod.pluginData.set(SPEC_KEY, s);
    }
    return s;
  }

  /**
   * Extend the relevant lists with the groups created since the last call, visiting
   * only candidates from the term index (groups carrying a term's anchor label, terms
   * anchored on one of this pod's labels, unanchored terms, or every group for this
   * pod's own unanchored terms), so a new template costs O(matching groups).
   */
  relate(groups: PodGroups, snapshot: Snapshot): void {
    if (this.relatedTo !== groups) {
      this.relatedTo = groups;
      this.seen = new Map();
      for (const list of Object.values(this.relevant)) list.length = 0;
    }
    const x = termIndex(groups, snapshot);
    if (this.required.length > 0) this.relateOwn(Kind.Required, 0, x, snapshot);
    for (let i = 0; i < this.antiRequired.length; i++) this.relateOwn(Kind.AntiRequired, i, x, snapshot);
    for (let i = 0; i < this.preferred.length; i++) this.relateOwn(Kind.Preferred, i, x, snapshot);
    for (let i = 0; i < this.antiPreferred.length; i++) this.relateOwn(Kind.AntiPreferred, i, x, snapshot);
    // Existing groups' terms that may select this pod.
    const labels = this.pod.labelIds;
    for (let i = 0; i < labels.length; i += 2) {
      const list = x.termsByAnchor.get(pairCode(labels[i], labels[i + 1]));
      if (list) this.relateExisting(list, x, snapshot);
    }
    this.relateExisting(x.unanchored, x, snapshot);
  }

  /** Candidates for own term i of `kind` (for Required: all required terms together). */
  private relateOwn(kind: number, i: number, x: TermIndex, snapshot: Snapshot): void {
    const term = termsOfKind(this, kind)[i];
    if (term.selector.matchesNothing) return;
    const anchor = anchorOf(term);
    if (anchor === null) {
      const tag = `${kind}/${i}`;
      const from = this.seen.get(tag) ?? 0;
      for (let g = from; g < x.specs.length; g++) this.relateOwnGroup(kind, i, g, x, snapshot);
      this.seen.set(tag, x.specs.length);
      return;
    }
    for (const v of anchor.values) {
      const list = x.byLabel.get(pairCode(anchor.key, v));
      if (!list) continue;
      // One list per (term, value): a group carries one value per key, so no duplicates.
      const tag = `${kind}/${i}/${v}`;
      const from = this.seen.get(tag) ?? 0;
      for (let k = from; k < list.length; k++) this.relateOwnGroup(kind, i, list[k], x, snapshot);
      this.seen.set(tag, list.length);
    }
  }

  private relateOwnGroup(kind: number, i: number, g: number, x: TermIndex, snapshot: Snapshot): void {
    const them = x.specs[g].pod;
    const r = this.relevant;
    switch (kind) {
      case Kind.Required:
        if (allMatch(this.required, them, snapshot)) r.allRequired.push(g);
        break;
      case Kind.AntiRequired:
        if (termMatchesPod(this.antiRequired[i], them, snapshot)) r.anti.push(g, i);
        break;
      case Kind.Preferred:
        if (termMatchesPod(this.preferred[i], them, snapshot)) r.preferred.push(g, i);
        break;
      default:
        if (termMatchesPod(this.antiPreferred[i], them, snapshot)) r.antiPreferred.push(g, i);
    }
  }

  /** Entries [g, kind, j] of existing groups' terms: keep those that select this pod. */
  private relateExisting(list: number[], x: TermIndex, snapshot: Snapshot): void {
    const from = this.seen.get(list) ?? 0;
    const r = this.relevant;
    for (let k = from; k < list.length; k += 3) {
      const g = list[k];
      const kind = list[k + 1];
      const j = list[k + 2];
      if (!termMatchesPod(termsOfKind(x.specs[g], kind)[j], this.pod, snapshot)) continue;
      switch (kind) {
        case Kind.AntiRequired:
          r.existingAnti.push(g, j);
          break;
        case Kind.Required:
          r.existingRequired.push(g, j);
          break;
        case Kind.Preferred:
          r.existingPreferred.push(g, j);
          break;
        default:
          r.existingAntiPreferred.push(g, j);
      }
    }
    this.seen.set(list, list.length);
  }

  /** The pair answers of this pod and group `g` whose template is `other`. */
  pair(g: number, other: PodAffinitySpec, snapshot: Snapshot): PairInfo {
    let p = this.pairs[g];
    if (p) return p;
    const them = other.pod;
    const me = this.pod;
    const flags = (terms: CompiledAffinityTerm[], target: CompiledPod) => Uint8Array.from(terms.map((t) => (termMatchesPod(t, target, snapshot) ? 1 : 0)));
    p = {
      matchesAllRequired: this.required.length > 0 && this.required.every((t) => termMatchesPod(t, them, snapshot)),
      anti: flags(this.antiRequired, them),
      preferred: flags(this.preferred, them),
      antiPreferred: flags(this.antiPreferred, them),
      existingAnti: flags(other.antiRequired, me),
      existingRequired: flags(other.required, me),
      existingPreferred: flags(other.preferred, me),
      existingAntiPreferred: flags(other.antiPreferred, me),
    };
    while (this.pairs.length < g) this.pairs.push(undefined);
    this.pairs[g] = p;
    return p;
  }
}

function allMatch(terms: readonly CompiledAffinityTerm[], target: CompiledPod, snapshot: Snapshot): boolean {
  for (let i = 0; i < terms.length; i++) if (!termMatchesPod(terms[i], target, snapshot)) return false;
  return true;
}

/** The spec of every group, by group id. */
export function groupSpecs(groups: PodGroups, snapshot: Snapshot): PodAffinitySpec[] {
  return termIndex(groups, snapshot).specs;
}
