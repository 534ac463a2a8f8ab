/**
 * A template's inter-pod affinity, compiled once per CompiledPod and cached in its
 * pluginData, plus the per-(pod, group) answers the plugin needs: which of this pod's
 * terms a group's pods match, and which of the group's terms this pod matches. Those
 * answers never change for a pair of templates, so every replica after the first
 * reads them from a table.
 */
import type { CompiledPod } from "../../compiled.js";
import type { Snapshot } from "../../snapshot.js";
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
  /** Per group id, filled on first use. */
  readonly pairs: (PairInfo | undefined)[] = [];

  constructor(readonly pod: CompiledPod, snapshot: Snapshot) {
    const a = pod.spec.affinity;
    this.required = compileRequiredTerms(a?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution, pod, snapshot);
    this.antiRequired = compileRequiredTerms(a?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution, pod, snapshot);
    this.preferred = compileWeightedTerms(a?.podAffinity?.preferredDuringSchedulingIgnoredDuringExecution, pod, snapshot);
    this.antiPreferred = compileWeightedTerms(a?.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution, pod, snapshot);
    this.matchesOwnRequired = this.required.every((t) => termMatchesPod(t, pod, snapshot));
    this.hasAffinity = a?.podAffinity !== undefined || a?.podAntiAffinity !== undefined;
  }

  static of(pod: CompiledPod, snapshot: Snapshot): PodAffinitySpec {
    let s = pod.pluginData.get(SPEC_KEY) as PodAffinitySpec | undefined;
    if (!s) {
      s = new PodAffinitySpec(pod, snapshot);
      pod.pluginData.set(SPEC_KEY, s);
    }
    return s;
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
