/**
 * TaintToleration (Filter, PreScore, Score, NormalizeScore).
 *
 * Filter: every node taint with effect NoSchedule or NoExecute must be tolerated by
 * some pod toleration (PreferNoSchedule never filters); failure is
 * UnschedulableAndUnresolvable.
 * Score: the number of the node's PreferNoSchedule taints not tolerated by the pod's
 * tolerations with effect "" or PreferNoSchedule; NormalizeScore is
 * DefaultNormalizeScore(reverse): 100 - 100*count div maxCount (all 100 when max is 0).
 * Toleration matches are cached per template and taint id, so the loops read bytes.
 */
import { Code, MAX_NODE_SCORE, defaultNormalizeScore, verdict, type CycleState, type FilterPlugin, type PreScorePlugin, type ScorePlugin, type StatusCode } from "../framework.js";
import type { CompiledPod } from "../compiled.js";
import { TaintEffect } from "../labels/strings.js";

export const TAINT_TOLERATION = "TaintToleration";
/** Upstream ErrReasonNotMatch (current text; older releases printed the taint). */
export const ERR_REASON_UNTOLERATED = "node(s) had untolerated taint(s)";

const REJECT = verdict(Code.UnschedulableAndUnresolvable, 1);

export class TaintToleration implements FilterPlugin, PreScorePlugin, ScorePlugin {
  readonly name = TAINT_TOLERATION;
  /** Filter is node-local (depends only on the pod template and the node); its Score normalizes, so it is not. */
  readonly nodeLocalFilter = true;
  readonly reasons = [ERR_REASON_UNTOLERATED];

  filter(state: CycleState, pod: CompiledPod, nodes: Int32Array, count: number, out: Int32Array): boolean {
    const snap = state.snapshot;
    if (snap.nodesWithHardTaints === 0) {
      out.fill(0, 0, count);
      return true;
    }
    const taints = snap.nodes.taints;
    const strings = snap.strings;
    const effect = strings.taintEffect;
    const gt = snap.features.taintTolerationComparisonOperators;
    for (let i = 0; i < count; i++) {
      const ts = taints[nodes[i]];
      let v = 0;
      for (let j = 0; j < ts.length; j++) {
        const t = ts[j];
        const e = effect[t];
        if ((e === TaintEffect.NoSchedule || e === TaintEffect.NoExecute) && !pod.tolerates(t, strings, gt)) {
          v = REJECT;
          break;
        }
      }
      out[i] = v;
    }
    return false;
  }

  preScore(_state: CycleState, _pod: CompiledPod, _nodes: Int32Array, _count: number): StatusCode {
    return Code.Success;
  }

  score(state: CycleState, pod: CompiledPod, nodes: Int32Array, count: number, out: Int32Array): StatusCode {
    const snap = state.snapshot;
    if (snap.nodesWithPreferTaints === 0) {
      // No PreferNoSchedule taint anywhere: every raw count is 0, normalized to 100.
      out.fill(0, 0, count);
      state.scoresUniform = true;
      return Code.Success;
    }
    const taints = snap.nodes.taints;
    const strings = snap.strings;
    const effect = strings.taintEffect;
    const gt = snap.features.taintTolerationComparisonOperators;
    for (let i = 0; i < count; i++) {
      const ts = taints[nodes[i]];
      let n = 0;
      for (let j = 0; j < ts.length; j++) {
        const t = ts[j];
        if (effect[t] === TaintEffect.PreferNoSchedule && !pod.toleratesPrefer(t, strings, gt)) n++;
      }
      out[i] = n;
    }
    return Code.Success;
  }

  normalizeScore(state: CycleState, _pod: CompiledPod, _nodes: Int32Array, count: number, scores: Int32Array): StatusCode {
    if (state.scoresUniform) {
      // All raw counts were 0 (no PreferNoSchedule taint anywhere): DefaultNormalizeScore(reverse) gives 100.
      scores.fill(MAX_NODE_SCORE, 0, count);
      return Code.Success;
    }
    defaultNormalizeScore(MAX_NODE_SCORE, true, scores, count);
    return Code.Success;
  }
}
