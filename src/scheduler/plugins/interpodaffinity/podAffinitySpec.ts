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
  private groupsRelated = 0;
  private relatedTo: PodGroups | null = null;

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
   * Extend the relevant lists with the groups created since the last call. A pod
   * without terms of its own only relates to groups that have terms, so templates
   * without inter-pod affinity never cost a pair per group.
   */
  relate(groups: PodGroups, snapshot: Snapshot): void {
    if (this.relatedTo !== groups) {
      this.relatedTo = groups;
      this.groupsRelated = 0;
      for (const list of Object.values(this.relevant)) list.length = 0;
    }
    const own = this.required.length + this.antiRequired.length + this.preferred.length + this.antiPreferred.length > 0;
    if (own) {
      const specs = groupSpecs(groups, snapshot);
      for (let g = this.groupsRelated; g < specs.length; g++) this.relateGroup(g, specs[g], snapshot);
      this.groupsRelated = specs.length;
    } else {
      const withTerms = groupsWithAffinity(groups, snapshot);
      const specs = groupSpecs(groups, snapshot);
      for (let k = this.groupsRelated; k < withTerms.length; k++) this.relateGroup(withTerms[k], specs[withTerms[k]], snapshot);
      this.groupsRelated = withTerms.length;
    }
  }

  /** Record group g in the relevant lists (no allocation: relate() runs for every new group). */
  private relateGroup(g: number, other: PodAffinitySpec, snapshot: Snapshot): void {
    const r = this.relevant;
    const them = other.pod;
    const me = this.pod;
    if (this.required.length > 0 && allMatch(this.required, them, snapshot)) r.allRequired.push(g);
    pushMatches(r.anti, g, this.antiRequired, them, snapshot);
    pushMatches(r.preferred, g, this.preferred, them, snapshot);
    pushMatches(r.antiPreferred, g, this.antiPreferred, them, snapshot);
    if (!other.hasAffinity) return;
    pushMatches(r.existingAnti, g, other.antiRequired, me, snapshot);
    pushMatches(r.existingRequired, g, other.required, me, snapshot);
    pushMatches(r.existingPreferred, g, other.preferred, me, snapshot);
    pushMatches(r.existingAntiPreferred, g, other.antiPreferred, me, snapshot);
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

/** Append [g, i] for each term i that selects `target`. */
function pushMatches(list: number[], g: number, terms: readonly CompiledAffinityTerm[], target: CompiledPod, snapshot: Snapshot): void {
  for (let i = 0; i < terms.length; i++) if (termMatchesPod(terms[i], target, snapshot)) list.push(g, i);
}

function allMatch(terms: readonly CompiledAffinityTerm[], target: CompiledPod, snapshot: Snapshot): boolean {
  for (let i = 0; i < terms.length; i++) if (!termMatchesPod(terms[i], target, snapshot)) return false;
  return true;
}

/** Per index: each group's spec, and the ids of groups whose template has terms (upstream PodsWithAffinity). */
interface GroupSpecs {
  specs: PodAffinitySpec[];
  withAffinity: number[];
}
const perIndex = new WeakMap<PodGroups, GroupSpecs>();

function indexed(groups: PodGroups, snapshot: Snapshot): GroupSpecs {
  let w = perIndex.get(groups);
  if (!w) {
    w = { specs: [], withAffinity: [] };
    perIndex.set(groups, w);
  }
  const all = groups.groups;
  for (let g = w.specs.length; g < all.length; g++) {
    const spec = PodAffinitySpec.of(all[g].pod, snapshot);
    w.specs.push(spec);
    if (spec.hasAffinity) w.withAffinity.push(g);
  }
  return w;
}

/** The spec of every group, by group id. */
export function groupSpecs(groups: PodGroups, snapshot: Snapshot): PodAffinitySpec[] {
  return indexed(groups, snapshot).specs;
}

function groupsWithAffinity(groups: PodGroups, snapshot: Snapshot): number[] {
  return indexed(groups, snapshot).withAffinity;
}
