/**
 * InterPodAffinity (pkg/scheduler/framework/plugins/interpodaffinity): required and
 * preferred pod affinity / anti-affinity, including existing pods' anti-affinity
 * (symmetry), namespaces + namespaceSelector, matchLabelKeys / mismatchLabelKeys.
 *
 * PreFilter builds three counts per topology domain (key, value):
 *   affinity          pods matching ALL required affinity terms of the incoming pod;
 *   anti-affinity     per required anti-affinity term, pods matching it;
 *   existing anti     pods whose required anti-affinity terms match the incoming pod.
 * Filter(node), in upstream's current order:
 *   1. every affinity term's key on the node and a matching pod in each domain, or the
 *      first-pod rule (no matching pod anywhere and the pod matches its own terms) --
 *      else UnschedulableAndUnresolvable "node(s) didn't match pod affinity rules";
 *   2. no anti-affinity domain of the node holds a matching pod -- else Unschedulable
 *      "node(s) didn't match pod anti-affinity rules";
 *   3. no existing pod's anti-affinity term covers the node -- else Unschedulable
 *      "node(s) didn't satisfy existing pods anti-affinity rules".
 * PreFilter returns Skip when the pod has no required terms and no existing pod's
 * required anti-affinity term covers a domain; a term that fails to parse fails it
 * with UnschedulableAndUnresolvable "parsing pod: ...".
 *
 * Score: per domain, + weight for each existing pod matching a preferred affinity
 * term, - weight for preferred anti-affinity; + hardPodAffinityWeight for each
 * existing pod whose required affinity term matches the incoming pod, +/- weight for
 * existing pods' preferred terms matching it (unless ignorePreferredTermsOfExistingPods).
 * raw(node) = sum over keys of the node's domain score. NormalizeScore is min-max:
 * int(100 * (raw - min) / (max - min)) truncated, 0 everywhere when max == min.
 * PreScore returns Skip when no term matched any pod on a node with the term's key,
 * and at once when ignorePreferredTermsOfExistingPods is set and the pod has no
 * preferred terms.
 *
 * Counts come from PodGroups (per-template counters kept up to date incrementally);
 * which templates matter to this pod is answered once per pair of templates
 * (PodAffinitySpec.relate); the per-node loops read typed arrays only.
 */
import type { CompiledPod } from "../compiled.js";
import { Code, MAX_NODE_SCORE, verdict, type CycleState, type FilterPlugin, type FrameworkHandle, type PreFilterPlugin, type PreScorePlugin, type ScorePlugin, type StatusCode } from "../framework.js";
import type { Snapshot } from "../snapshot.js";
import { DomainSum } from "./interpodaffinity/domainSum.js";
import { groupSpecs, PodAffinitySpec } from "./interpodaffinity/podAffinitySpec.js";
import { countOf, liveValues, PodGroups, type DomainCount } from "./interpodaffinity/podGroups.js";

export const NAME = "InterPodAffinity";

/** Upstream v1.DefaultHardPodAffinitySymmetricWeight (InterPodAffinityArgs default). */
export const DEFAULT_HARD_POD_AFFINITY_WEIGHT = 1;

export const ERR_REASON_AFFINITY_RULES_NOT_MATCH = "node(s) didn't match pod affinity rules";
export const ERR_REASON_ANTI_AFFINITY_RULES_NOT_MATCH = "node(s) didn't match pod anti-affinity rules";
export const ERR_REASON_EXISTING_ANTI_AFFINITY_RULES_NOT_MATCH = "node(s) didn't satisfy existing pods anti-affinity rules";

const BIT_AFFINITY = 1;
const BIT_ANTI = 2;
const BIT_EXISTING = 4;

export interface InterPodAffinityArgs {
  hardPodAffinityWeight?: number;
  ignorePreferredTermsOfExistingPods?: boolean;
}

/** Per-key score accumulator of one PreScore; `touched` lists the values to clear next time. */
interface KeyScore {
  key: number;
  col: Int32Array;
  scores: Int32Array;
  touched: number[];
}

export class InterPodAffinity implements PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin {
  readonly name = NAME;
  readonly reasons = [ERR_REASON_AFFINITY_RULES_NOT_MATCH, ERR_REASON_ANTI_AFFINITY_RULES_NOT_MATCH, ERR_REASON_EXISTING_ANTI_AFFINITY_RULES_NOT_MATCH] as const;
  readonly hardPodAffinityWeight: number;
  readonly ignorePreferredTermsOfExistingPods: boolean;

  // PreFilter state of the pod being scheduled (reused every cycle).
  private spec: PodAffinitySpec | null = null;
  private skipped = true;
  private groups: PodGroups | null = null;
  private readonly affinity: DomainSum[] = [];
  private readonly anti: DomainSum[] = [];
  private readonly existing: DomainSum[] = [];
  private existingCount = 0;
  /** Filter scratch: label columns and counts of the anti-affinity and existing sums that hold pods. */
  private blockCols: Int32Array[] = [];
  private blockCounts: Int32Array[] = [];

  // PreScore state.
  private readonly keyScores: KeyScore[] = [];
  private keyScoreCount = 0;

  constructor(args: InterPodAffinityArgs = {}) {
    this.hardPodAffinityWeight = args.hardPodAffinityWeight ?? DEFAULT_HARD_POD_AFFINITY_WEIGHT;
    this.ignorePreferredTermsOfExistingPods = args.ignorePreferredTermsOfExistingPods ?? false;
  }

  // ---------------------------------------------------------------------------
  // PreFilter / Filter

  preFilter(state: CycleState, pod: CompiledPod): StatusCode {
    const snapshot = state.snapshot;
    const groups = this.syncGroups(snapshot);
    const spec = PodAffinitySpec.of(pod, snapshot);
    this.spec = spec;
    this.existingCount = 0;
    if (spec.parseError !== null) {
      // Upstream: NewPodInfo fails -> UnschedulableAndUnresolvable "parsing pod: ...".
      this.skipped = true;
      state.preFilterReason = `parsing pod: ${spec.parseError}`;
      return Code.UnschedulableAndUnresolvable;
    }

    spec.relate(groups, snapshot);
    const r = spec.relevant;
    const all = groups.groups;
    const specs = groupSpecs(groups, snapshot);
    const hasOwn = spec.required.length > 0 || spec.antiRequired.length > 0;
    let existingAnti = false;
    for (let k = 0; k < r.existingAnti.length && !existingAnti; k += 2) if (all[r.existingAnti[k]].total > 0) existingAnti = true;
    if (!hasOwn && !existingAnti) {
      this.skipped = true;
      return Code.Skip;
    }
    this.skipped = false;
    const cap = groups.valueCapacity;

    resetSums(this.affinity, spec.required.length, spec.required, snapshot, cap);
    resetSums(this.anti, spec.antiRequired.length, spec.antiRequired, snapshot, cap);
    for (const g of r.allRequired) {
      if (all[g].total === 0) continue;
      for (let i = 0; i < spec.required.length; i++) this.affinity[i].add(groups.watch(g, spec.required[i].key));
    }
    for (let k = 0; k < r.anti.length; k += 2) {
      const g = r.anti[k];
      if (all[g].total === 0) continue;
      const i = r.anti[k + 1];
      this.anti[i].add(groups.watch(g, spec.antiRequired[i].key));
    }
    for (let k = 0; k < r.existingAnti.length; k += 2) {
      const g = r.existingAnti[k];
      if (all[g].total === 0) continue;
      const key = specs[g].antiRequired[r.existingAnti[k + 1]].key;
      this.existingSum(key, snapshot, cap).add(groups.watch(g, key));
    }
    if (!hasOwn) {
      // Upstream (current releases): Skip when no existing pod's anti-affinity term covers any domain.
      let entries = false;
      for (let i = 0; i < this.existingCount; i++) if (this.existing[i].total > 0) entries = true;
      if (!entries) {
        this.skipped = true;
        return Code.Skip;
      }
    }
    return Code.Success;
  }

  /** Returns true when every node passed (the cycle's hint to skip scanning `out`). */
  filter(state: CycleState, pod: CompiledPod, nodes: Int32Array, count: number, out: Int32Array): boolean {
    const spec = this.spec!;
    const req = spec.required.length;
    let anyAffinity = false;
    for (let i = 0; i < req; i++) if (this.affinity[i].total > 0) anyAffinity = true;
    const firstPodOk = !anyAffinity && spec.matchesOwnRequired;
    // Only domains that hold pods can block: flatten those sums into locals.
    const cols = this.blockCols;
    const counts = this.blockCounts;
    let antiN = 0;
    for (let i = 0; i < spec.antiRequired.length; i++) {
      const sum = this.anti[i];
      if (sum.total <= 0) continue;
      cols[antiN] = sum.col;
      counts[antiN++] = sum.counts;
    }
    let blockN = antiN;
    for (let i = 0; i < this.existingCount; i++) {
      const sum = this.existing[i];
      if (sum.total <= 0) continue;
      cols[blockN] = sum.col;
      counts[blockN++] = sum.counts;
    }
    const failAnti = verdict(Code.Unschedulable, BIT_ANTI);
    const failExisting = verdict(Code.Unschedulable, BIT_EXISTING);
    if (req === 0) {
      if (blockN === 0) {
        out.fill(0, 0, count);
        return true;
      }
      if (blockN === 1) return filterOneBlock(nodes, count, out, cols[0], counts[0], antiN === 1 ? failAnti : failExisting);
      return filterBlocks(nodes, count, out, cols, counts, blockN, antiN, failAnti, failExisting);
    }
    let allPass = true;
    const failAffinity = verdict(Code.UnschedulableAndUnresolvable, BIT_AFFINITY);
    for (let k = 0; k < count; k++) {
      const n = nodes[k];
      if (!this.affinityOk(n, req, firstPodOk)) {
        out[k] = failAffinity;
        allPass = false;
        continue;
      }
      let result = 0;
      for (let j = 0; j < blockN; j++) {
        const v = cols[j][n];
        if (v >= 0 && counts[j][v] > 0) {
          result = j < antiN ? failAnti : failExisting;
          break;
        }
      }
      out[k] = result;
      if (result !== 0) allPass = false;
    }
    return allPass;
  }

  /** Incoming affinity on node n: all keys present, and matching pods in every domain or the first-pod rule. */
  private affinityOk(n: number, req: number, firstPodOk: boolean): boolean {
    let podsExist = true;
    for (let i = 0; i < req; i++) {
      const s = this.affinity[i];
      const v = s.col[n];
      if (v < 0) return false;
      if (s.at(v) <= 0) podsExist = false;
    }
    return podsExist || firstPodOk;
  }

  /** PreFilterExtensions.AddPod: as if pod row `podToAdd` were on `node`. */
  addPod(state: CycleState, pod: CompiledPod, podToAdd: number, node: number): void {
    this.updateWithPod(state, podToAdd, node, 1);
  }

  /** PreFilterExtensions.RemovePod: the exact inverse of addPod. */
  removePod(state: CycleState, pod: CompiledPod, podToRemove: number, node: number): void {
    this.updateWithPod(state, podToRemove, node, -1);
  }

  private updateWithPod(state: CycleState, row: number, node: number, d: number): void {
    if (this.skipped || this.spec === null || this.groups === null) return;
    const snapshot = state.snapshot;
    // No sync here: the sums may be views on the index's counters, which must keep
    // the PreFilter-time state while a dry run edits the snapshot.
    const groups = this.groups;
    const spec = this.spec;
    const g = groups.groupOfRow(row);
    const other = PodAffinitySpec.of(groups.groups[g].pod, snapshot);
    const pi = spec.pair(g, other, snapshot);
    if (pi.matchesAllRequired) for (let i = 0; i < spec.required.length; i++) this.affinity[i].update(node, d);
    for (let i = 0; i < spec.antiRequired.length; i++) if (pi.anti[i] === 1) this.anti[i].update(node, d);
    for (let j = 0; j < other.antiRequired.length; j++) {
      if (pi.existingAnti[j] === 1) this.existingSum(other.antiRequired[j].key, snapshot, groups.valueCapacity).update(node, d);
    }
  }

  private existingSum(key: number, snapshot: Snapshot, cap: number): DomainSum {
    for (let i = 0; i < this.existingCount; i++) if (this.existing[i].key === key) return this.existing[i];
    if (this.existingCount === this.existing.length) this.existing.push(new DomainSum());
    const s = this.existing[this.existingCount++];
    s.reset(key, snapshot.labelColumn(key), cap);
    return s;
  }

  // ---------------------------------------------------------------------------
  // PreScore / Score / NormalizeScore

  preScore(state: CycleState, pod: CompiledPod, nodes: Int32Array, count: number): StatusCode {
    const snapshot = state.snapshot;
    const spec = PodAffinitySpec.of(pod, snapshot);
    if (spec.parseError !== null) return Code.Error;
    const hasPreferred = spec.preferred.length > 0 || spec.antiPreferred.length > 0;
    if (this.ignorePreferredTermsOfExistingPods && !hasPreferred) return Code.Skip;
    const groups = this.syncGroups(snapshot);
    this.clearKeyScores();
    spec.relate(groups, snapshot);
    const r = spec.relevant;
    const all = groups.groups;
    const specs = groupSpecs(groups, snapshot);
    let entries = false;
    // Each list holds [group, term index] pairs; only groups with pods on nodes contribute.
    for (let k = 0; k < r.preferred.length; k += 2) {
      const g = r.preferred[k];
      const t = spec.preferred[r.preferred[k + 1]];
      if (all[g].total > 0 && this.addScore(groups.watch(g, t.key), t.weight, snapshot, groups)) entries = true;
    }
    for (let k = 0; k < r.antiPreferred.length; k += 2) {
      const g = r.antiPreferred[k];
      const t = spec.antiPreferred[r.antiPreferred[k + 1]];
      if (all[g].total > 0 && this.addScore(groups.watch(g, t.key), -t.weight, snapshot, groups)) entries = true;
    }
    const hard = this.hardPodAffinityWeight;
    if (hard > 0) {
      for (let k = 0; k < r.existingRequired.length; k += 2) {
        const g = r.existingRequired[k];
        if (all[g].total === 0) continue;
        const t = specs[g].required[r.existingRequired[k + 1]];
        if (this.addScore(groups.watch(g, t.key), hard, snapshot, groups)) entries = true;
      }
    }
    if (!this.ignorePreferredTermsOfExistingPods) {
      for (let k = 0; k < r.existingPreferred.length; k += 2) {
        const g = r.existingPreferred[k];
        if (all[g].total === 0) continue;
        const t = specs[g].preferred[r.existingPreferred[k + 1]];
        if (this.addScore(groups.watch(g, t.key), t.weight, snapshot, groups)) entries = true;
      }
      for (let k = 0; k < r.existingAntiPreferred.length; k += 2) {
        const g = r.existingAntiPreferred[k];
        if (all[g].total === 0) continue;
        const t = specs[g].antiPreferred[r.existingAntiPreferred[k + 1]];
        if (this.addScore(groups.watch(g, t.key), -t.weight, snapshot, groups)) entries = true;
      }
    }
    return entries ? Code.Success : Code.Skip;
  }

  /** Add weight x the group's per-domain counts; false when it creates no entry. */
  private addScore(dc: DomainCount, weight: number, snapshot: Snapshot, groups: PodGroups): boolean {
    if (dc.withKey === 0) return false;
    let ks: KeyScore | undefined;
    for (let i = 0; i < this.keyScoreCount; i++) if (this.keyScores[i].key === dc.key) ks = this.keyScores[i];
    if (!ks) {
      if (this.keyScoreCount === this.keyScores.length) this.keyScores.push({ key: -1, col: new Int32Array(0), scores: new Int32Array(0), touched: [] });
      ks = this.keyScores[this.keyScoreCount++];
      ks.key = dc.key;
      ks.col = snapshot.labelColumn(dc.key);
      if (ks.scores.length < groups.valueCapacity) ks.scores = new Int32Array(groups.valueCapacity);
    }
    const vs = liveValues(dc);
    const dst = ks.scores;
    for (let i = 0; i < vs.length; i++) {
      const v = vs[i];
      dst[v] += weight * countOf(dc, v);
      ks.touched.push(v);
    }
    return true;
  }

  /** Zero the values the last PreScore touched (every accumulator, used or not). */
  private clearKeyScores(): void {
    for (const ks of this.keyScores) {
      for (let i = 0; i < ks.touched.length; i++) ks.scores[ks.touched[i]] = 0;
      ks.touched.length = 0;
    }
    this.keyScoreCount = 0;
  }

  score(state: CycleState, pod: CompiledPod, nodes: Int32Array, count: number, out: Int32Array): StatusCode {
    const ksN = this.keyScoreCount;
    for (let k = 0; k < count; k++) {
      const n = nodes[k];
      let s = 0;
      for (let i = 0; i < ksN; i++) {
        const ks = this.keyScores[i];
        const v = ks.col[n];
        if (v >= 0) s += ks.scores[v];
      }
      out[k] = s;
    }
    return Code.Success;
  }

  normalizeScore(state: CycleState, pod: CompiledPod, nodes: Int32Array, count: number, scores: Int32Array): StatusCode {
    if (this.keyScoreCount === 0) return Code.Success;
    let min = Infinity;
    let max = -Infinity;
    for (let k = 0; k < count; k++) {
      const s = scores[k];
      if (s > max) max = s;
      if (s < min) min = s;
    }
    const diff = max - min;
    for (let k = 0; k < count; k++) scores[k] = diff > 0 ? Math.trunc(MAX_NODE_SCORE * ((scores[k] - min) / diff)) : 0;
    return Code.Success;
  }

  // ---------------------------------------------------------------------------

  private syncGroups(snapshot: Snapshot): PodGroups {
    const groups = PodGroups.of(snapshot);
    groups.sync();
    this.groups = groups;
    return groups;
  }

}

/** Hot loop: one blocking domain count (e.g. hostname anti-affinity). */
function filterOneBlock(nodes: Int32Array, count: number, out: Int32Array, col: Int32Array, counts: Int32Array, fail: number): boolean {
  let rejected = 0;
  for (let k = 0; k < count; k++) {
    const v = col[nodes[k]];
    const r = v >= 0 && counts[v] > 0 ? fail : 0;
    out[k] = r;
    rejected |= r;
  }
  return rejected === 0;
}

/** Hot loop: several blocking domain counts; the first antiN are the pod's anti-affinity. */
function filterBlocks(nodes: Int32Array, count: number, out: Int32Array, cols: Int32Array[], counts: Int32Array[], blockN: number, antiN: number, failAnti: number, failExisting: number): boolean {
  let rejected = 0;
  for (let k = 0; k < count; k++) {
    const n = nodes[k];
    let result = 0;
    for (let j = 0; j < blockN; j++) {
      const v = cols[j][n];
      if (v >= 0 && counts[j][v] > 0) {
        result = j < antiN ? failAnti : failExisting;
        break;
      }
    }
    out[k] = result;
    rejected |= result;
  }
  return rejected === 0;
}

function resetSums(sums: DomainSum[], n: number, terms: { key: number }[], snapshot: Snapshot, cap: number): void {
  while (sums.length < n) sums.push(new DomainSum());
  for (let i = 0; i < n; i++) sums[i].reset(terms[i].key, snapshot.labelColumn(terms[i].key), cap);
}

/** Registry factory: args are InterPodAffinityArgs (already validated by the config reader). */
export function newInterPodAffinity(args: unknown, _handle?: FrameworkHandle): InterPodAffinity {
  return new InterPodAffinity((args ?? {}) as InterPodAffinityArgs);
}
