/**
 * NodeAffinity (PreFilter, Filter, PreScore, Score, NormalizeScore).
 *
 * Filter: args.addedAffinity.required must match (else "scheduler-enforced" reason),
 * then spec.nodeSelector (every pair, exact value) and the required node affinity
 * (terms ORed; expressions and fields ANDed; an empty or unparsable term matches
 * nothing). Failures are UnschedulableAndUnresolvable.
 * PreFilter: Skip without nodeSelector, required affinity and added affinity; when
 * every required term names nodes with `metadata.name In`, the PreFilterResult is
 * the union over terms of the per-term intersections (empty => "pod affinity terms
 * conflict").
 * Score: Σ weight of matching preferred terms (pod + addedAffinity); PreScore Skip
 * when there are none; NormalizeScore = DefaultNormalizeScore (100*raw div max).
 */
import type { NodeSelector, PreferredSchedulingTerm } from "kubernetes-types/core/v1.d.ts";
import {
  Code,
  MAX_NODE_SCORE,
  PluginArgsError,
  defaultNormalizeScore,
  verdict,
  type CycleState,
  type FilterPlugin,
  type FrameworkHandle,
  type PreFilterPlugin,
  type PreScorePlugin,
  type ScorePlugin,
  type StatusCode,
} from "../framework.js";
import type { CompiledPod, WeightedTerm } from "../compiled.js";
import { anyTermMatches, compileNodeSelector, compileNodeSelectorTerm, resolveTerm, resolveTerms, termMatches, type CompiledNodeSelectorTerm } from "../labels/nodeSelector.js";

export const NODE_AFFINITY = "NodeAffinity";
/** Upstream ErrReasonPod. */
export const ERR_REASON_POD = "node(s) didn't match Pod's node affinity/selector";
/** Upstream errReasonEnforced. */
export const ERR_REASON_ENFORCED = "node(s) didn't match scheduler-enforced node affinity";
/** Upstream errReasonConflict. */
export const ERR_REASON_CONFLICT = "pod affinity terms conflict";

const REJECT_POD = verdict(Code.UnschedulableAndUnresolvable, 1);
const REJECT_ENFORCED = verdict(Code.UnschedulableAndUnresolvable, 2);

export interface NodeAffinityArgs {
  addedAffinity?: {
    requiredDuringSchedulingIgnoredDuringExecution?: NodeSelector;
    preferredDuringSchedulingIgnoredDuringExecution?: PreferredSchedulingTerm[];
  };
}

export class NodeAffinity implements PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin {
  readonly name = NODE_AFFINITY;
  /** Filter is node-local (depends only on the pod template and the node); its Score normalizes, so it is not. */
  readonly nodeLocalFilter = true;
  readonly reasons = [ERR_REASON_POD, ERR_REASON_ENFORCED];
  private readonly addedRequired: CompiledNodeSelectorTerm[] | null;
  private readonly addedPreferred: WeightedTerm[];

  constructor(args: NodeAffinityArgs | undefined, handle: FrameworkHandle) {
    const strings = handle.snapshot.strings;
    const added = args?.addedAffinity;
    this.addedRequired = compileNodeSelector(added?.requiredDuringSchedulingIgnoredDuringExecution, strings);
    this.addedPreferred = (added?.preferredDuringSchedulingIgnoredDuringExecution ?? [])
      .filter((p) => p.weight !== 0)
      .map((p) => {
        if (!(p.weight >= 1 && p.weight <= 100)) throw new PluginArgsError(`addedAffinity.preferredDuringSchedulingIgnoredDuringExecution: weight must be in the range 1-100, got ${p.weight}`);
        return { weight: p.weight, term: compileNodeSelectorTerm(p.preference ?? {}, strings) };
      });
  }

  preFilter(state: CycleState, pod: CompiledPod): StatusCode {
    const required = pod.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
    if (!required && this.addedRequired === null && pod.spec.nodeSelector === undefined) return Code.Skip;
    const terms = required?.nodeSelectorTerms ?? [];
    if (terms.length === 0) return Code.Success;
    let names: Set<string> | null = null;
    for (const t of terms) {
      let termNames: Set<string> | null = null;
      for (const f of t.matchFields ?? []) {
        if (f.key !== "metadata.name" || f.operator !== "In") continue;
        const s = new Set<string>(f.values ?? []);
        termNames = termNames === null ? s : new Set<string>([...termNames].filter((n: string) => s.has(n)));
      }
      // A term without a node-name field allows every node: no PreFilterResult.
      if (termNames === null) return Code.Success;
      names = new Set([...(names ?? []), ...termNames]);
    }
    if (names !== null && names.size === 0) {
      state.preFilterReason = ERR_REASON_CONFLICT;
      return Code.UnschedulableAndUnresolvable;
    }
    const snap = state.snapshot;
    const rows: number[] = [];
    for (const n of names ?? []) {
      const row = snap.nodeIndex(n);
      if (row >= 0) rows.push(row);
    }
    state.restrictNodes(rows);
    return Code.Success;
  }

  filter(state: CycleState, pod: CompiledPod, nodes: Int32Array, count: number, out: Int32Array): void {
    const snap = state.snapshot;
    const added = this.addedRequired;
    const sel = pod.nodeSelector;
    const req = pod.requiredTerms;
    if (added !== null) resolveTerms(added, snap);
    if (sel !== null) resolveTerm(sel, snap);
    if (req !== null) resolveTerms(req, snap);
    for (let i = 0; i < count; i++) {
      const n = nodes[i];
      if (added !== null && !anyTermMatches(added, snap, n)) out[i] = REJECT_ENFORCED;
      else if (sel !== null && !termMatches(sel, snap, n)) out[i] = REJECT_POD;
      else if (req !== null && !anyTermMatches(req, snap, n)) out[i] = REJECT_POD;
      else out[i] = 0;
    }
  }

  preScore(_state: CycleState, pod: CompiledPod, _nodes: Int32Array, _count: number): StatusCode {
    const preferred = pod.spec.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution;
    return preferred === undefined && this.addedPreferred.length === 0 ? Code.Skip : Code.Success;
  }

  score(state: CycleState, pod: CompiledPod, nodes: Int32Array, count: number, out: Int32Array): StatusCode {
    const snap = state.snapshot;
    out.fill(0, 0, count);
    addWeights(this.addedPreferred, snap, nodes, count, out);
    addWeights(pod.preferredTerms, snap, nodes, count, out);
    return Code.Success;
  }

  normalizeScore(_state: CycleState, _pod: CompiledPod, _nodes: Int32Array, count: number, scores: Int32Array): StatusCode {
    defaultNormalizeScore(MAX_NODE_SCORE, false, scores, count);
    return Code.Success;
  }
}

function addWeights(terms: readonly WeightedTerm[], snap: CycleState["snapshot"], nodes: Int32Array, count: number, out: Int32Array): void {
  for (let t = 0; t < terms.length; t++) {
    const { weight, term } = terms[t];
    if (weight === 0 || term.never) continue;
    resolveTerm(term, snap);
    for (let i = 0; i < count; i++) if (termMatches(term, snap, nodes[i])) out[i] += weight;
  }
}
