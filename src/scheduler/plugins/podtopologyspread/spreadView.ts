/**
 * The pods one spread constraint of one template counts, per domain of its topology
 * key: pods of the matching groups (same namespace, selector matches, not
 * terminating) on the nodes the constraint considers. Those nodes are the nodes with
 * the key, further restricted by a node mask when
 *   - nodeAffinityPolicy is Honor and the pod has a nodeSelector / required node
 *     affinity (the node must match them),
 *   - nodeTaintsPolicy is Honor (the node's NoSchedule/NoExecute taints must be
 *     tolerated),
 *   - the node must have every topology key of the pod's constraints of that phase
 *     (always for DoNotSchedule; for ScheduleAnyway unless system defaults apply).
 * The view keeps one PodGroups watch per matching group and is rebuilt when nodes are
 * added. `domains` lists the values present on the considered nodes (minDomains and
 * the global minimum are taken over them).
 */
import type { CompiledPod } from "../../compiled.js";
import type { Snapshot } from "../../snapshot.js";
import { anyTermMatches, resolveTerm, resolveTerms, termMatches } from "../../labels/nodeSelector.js";
import { selectorMatches } from "../../labels/labelSelector.js";
import { Op, type Requirement } from "../../labels/requirement.js";
import { pairCode, termIndex } from "../interpodaffinity/termIndex.js";
import { TaintEffect } from "../../labels/strings.js";
import { countOf, liveValues, PodGroups, type DomainCount, type NodeMask } from "../interpodaffinity/podGroups.js";
import type { CompiledSpreadConstraint } from "./constraints.js";

let nextMaskId = 1;

export class SpreadView {
  /** Label column of the key (refreshed with the node table). */
  col: Int32Array;
  /** Distinct values of the key on the considered nodes. */
  domains: Int32Array = new Int32Array(0);
  /** Matching group ids and their watches (parallel). */
  readonly groupIds: number[] = [];
  readonly watches: DomainCount[] = [];
  private mask: NodeMask | null = null;
  private readonly maskId = nextMaskId++;
  private nodeCount = -1;
  private groupsSeen = 0;
  /** The selector's first `In` requirement: matching groups carry one of its labels. */
  private readonly anchor: Requirement | null;
  /** How far refresh() has read each candidate list of the term index. */
  private anchorSeen = new Map<number[], number>();
  /** nodeTaintsPolicy Honor: each node's taint list when the mask was built (Snapshot.setTaints replaces it). */
  private taintRefs: Int32Array[] = [];

  constructor(
    readonly c: CompiledSpreadConstraint,
    /** All topology keys a considered node must have (the phase's constraints), or [] */
    private readonly requiredKeys: readonly number[],
    private readonly pod: CompiledPod,
    private readonly snapshot: Snapshot,
    private readonly groups: PodGroups,
  ) {
    this.col = snapshot.labelColumn(c.key);
    this.anchor = c.selector.reqs.find((r) => r.op === Op.In) ?? null;
  }

  /** Is node n one of the considered nodes (policies and required keys)? */
  considers(n: number): boolean {
    if (this.col[n] < 0) return false;
    return this.mask === null || this.mask.bits[n] === 1;
  }

  /** Bring the view up to date (call after PodGroups.sync). */
  refresh(): void {
    const s = this.snapshot;
    if (s.nodeCount !== this.nodeCount || (this.c.honorNodeTaints && this.taintsChanged())) this.rebuild();
    if (this.c.countsNothing || this.c.selector.matchesNothing) return;
    // Candidates: groups carrying the selector's first `In` label (term index), else all.
    const x = termIndex(this.groups, s);
    const anchor = this.anchor;
    if (anchor === null) {
      const all = this.groups.groups;
      for (let g = this.groupsSeen; g < all.length; g++) this.consider(g);
      this.groupsSeen = all.length;
      return;
    }
    for (let i = 0; i < anchor.values.length; i++) {
      const list = x.byLabel.get(pairCode(anchor.key, anchor.values[i]));
      if (!list) continue;
      const from = this.anchorSeen.get(list) ?? 0;
      for (let k = from; k < list.length; k++) this.consider(list[k]);
      this.anchorSeen.set(list, list.length);
    }
  }

  private consider(g: number): void {
    const group = this.groups.groups[g];
    if (group.terminating || group.pod.namespaceId !== this.pod.namespaceId) return;
    if (!selectorMatches(this.c.selector, group.pod.labelIds, this.snapshot.strings.valueInt)) return;
    this.groupIds.push(g);
    this.watches.push(this.groups.watch(g, this.c.key, this.mask, this.maskId));
  }

  /**
   * Add the matching pods of every domain marked with `stamp` into `into`
   * (O(domains holding matching pods), however many groups match).
   */
  accumulate(into: Int32Array, mark: Int32Array, stamp: number): void {
    const ws = this.watches;
    for (let i = 0; i < ws.length; i++) {
      const w = ws[i];
      const vs = liveValues(w);
      for (let k = 0; k < vs.length; k++) {
        const v = vs[k];
        if (mark[v] === stamp) into[v] += countOf(w, v);
      }
    }
  }

  /** Add the matching pods per node row into `into` (hostname scoring counts a node's own pods); returns the rows touched. */
  accumulateNodes(into: Int32Array, touched: number[]): void {
    for (const g of this.groupIds) {
      const w = this.groups.nodeWatch(g);
      const ns = liveValues(w);
      for (let k = 0; k < ns.length; k++) {
        into[ns[k]] += countOf(w, ns[k]);
        touched.push(ns[k]);
      }
    }
  }

  /** Does a pod of group g count for this constraint? */
  matchesGroup(g: number): boolean {
    const group = this.groups.groups[g];
    if (group.terminating || this.c.countsNothing || group.pod.namespaceId !== this.pod.namespaceId) return false;
    return selectorMatches(this.c.selector, group.pod.labelIds, this.snapshot.strings.valueInt);
  }

  private taintsChanged(): boolean {
    const taints = this.snapshot.nodes.taints;
    const refs = this.taintRefs;
    for (let n = 0; n < refs.length; n++) if (taints[n] !== refs[n]) return true;
    return false;
  }

  private rebuild(): void {
    const s = this.snapshot;
    this.nodeCount = s.nodeCount;
    if (this.c.honorNodeTaints) this.taintRefs = s.nodes.taints.slice(0, s.nodeCount);
    const c = this.c;
    const pod = this.pod;
    const byAffinity = c.honorNodeAffinity && (pod.nodeSelector !== null || pod.requiredTerms !== null);
    const byKeys = this.requiredKeys.some((k) => k !== c.key);
    const needMask = byAffinity || c.honorNodeTaints || byKeys;
    if (this.mask !== null) this.groups.unwatchMask(this.maskId);
    this.groupIds.length = 0;
    this.watches.length = 0;
    this.groupsSeen = 0;
    this.anchorSeen = new Map();
    const col = s.labelColumn(c.key);
    this.col = col;
    const keyCols = this.requiredKeys.map((k) => s.labelColumn(k));
    if (pod.nodeSelector) resolveTerm(pod.nodeSelector, s);
    if (pod.requiredTerms) resolveTerms(pod.requiredTerms, s);
    const bits = new Uint8Array(Math.max(1, s.nodes.capacity));
    const seen = new Set<number>();
    const values: number[] = [];
    for (let n = 0; n < s.nodeCount; n++) {
      if (col[n] < 0) continue;
      let ok = true;
      if (byKeys) for (const kc of keyCols) if (kc[n] < 0) ok = false;
      if (ok && byAffinity) {
        if (pod.nodeSelector && !termMatches(pod.nodeSelector, s, n)) ok = false;
        if (ok && pod.requiredTerms && !anyTermMatches(pod.requiredTerms, s, n)) ok = false;
      }
      if (ok && c.honorNodeTaints) ok = toleratesNode(pod, s, n);
      if (!ok) continue;
      bits[n] = 1;
      if (!seen.has(col[n])) {
        seen.add(col[n]);
        values.push(col[n]);
      }
    }
    this.mask = needMask ? { bits } : null;
    this.domains = Int32Array.from(values);
  }
}

/** Are all NoSchedule/NoExecute taints of node n tolerated by the pod? */
export function toleratesNode(pod: CompiledPod, s: Snapshot, n: number): boolean {
  const taints = s.nodes.taints[n];
  for (let i = 0; i < taints.length; i++) {
    const t = taints[i];
    const e = s.strings.taintEffect[t];
    if (e !== TaintEffect.NoSchedule && e !== TaintEffect.NoExecute) continue;
    if (!pod.tolerates(t, s.strings)) return false;
  }
  return true;
}
