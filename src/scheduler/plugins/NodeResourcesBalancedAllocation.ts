/**
 * NodeResourcesBalancedAllocation (PreScore, Score): favours nodes whose resource
 * fractions stay balanced after placing the pod.
 *   fraction_r = min(1, (requested_r + podRequest_r) / allocatable_r)  (actual
 *   requests, no non-zero defaults; scalars the pod does not request and resources
 *   with allocatable 0 are skipped)
 *   std = |f1 - f2| / 2 for two fractions, the population standard deviation for
 *   more, 0 for fewer;  score = int((1 - std) * 100). Weights are ignored.
 * PreScore returns Skip for a pod requesting none of the resources (best effort).
 */
import { Code, MAX_NODE_SCORE, PluginArgsError, type CycleState, type FrameworkHandle, type PreScorePlugin, type ScorePlugin, type StatusCode } from "../framework.js";
import type { CompiledPod } from "../compiled.js";
import { DEFAULT_SCORING_RESOURCES, ResourceView, resolveResources, type ResourceSpec } from "./NodeResourcesFit.js";

export const NODE_RESOURCES_BALANCED_ALLOCATION = "NodeResourcesBalancedAllocation";

export interface BalancedAllocationArgs {
  resources?: ResourceSpec[];
}

export class NodeResourcesBalancedAllocation implements PreScorePlugin, ScorePlugin {
  readonly name = NODE_RESOURCES_BALANCED_ALLOCATION;
  private readonly resources: ResourceSpec[];
  private readonly views: ResourceView[];
  private fractions = new Float64Array(0);
  /** Node-local Score: a node's score depends only on the pod template and that node (the cycle memoizes it). */
  readonly nodeLocalScore = true;

  constructor(args: BalancedAllocationArgs | undefined, _handle: FrameworkHandle) {
    this.resources = (args?.resources ?? DEFAULT_SCORING_RESOURCES).map((r) => ({ name: r.name, weight: r.weight ?? 1 }));
    if (this.resources.length === 0) throw new PluginArgsError("resources: at least one resource is required");
    this.views = this.resources.map(() => new ResourceView());
  }

  preScore(state: CycleState, pod: CompiledPod, _nodes: Int32Array, _count: number): StatusCode {
    resolveResources(state.snapshot, pod, this.resources, false, this.views);
    for (const v of this.views) if (!v.skip && v.pod !== 0) return Code.Success;
    return Code.Skip;
  }

  score(state: CycleState, pod: CompiledPod, nodes: Int32Array, count: number, out: Int32Array): StatusCode {
    const views = this.views;
    resolveResources(state.snapshot, pod, this.resources, false, views);
    const R = views.length;
    if (this.fractions.length < R) this.fractions = new Float64Array(R);
    const f = this.fractions;
    for (let i = 0; i < count; i++) {
      const n = nodes[i];
      let k = 0;
      for (let r = 0; r < R; r++) {
        const v = views[r];
        if (v.skip) continue;
        const a = v.alloc![n];
        if (a === 0) continue;
        let x = (v.req![n] + v.pod) / a;
        if (x > 1) x = 1;
        f[k++] = x;
      }
      let std = 0;
      if (k === 2) {
        std = Math.abs((f[0] - f[1]) / 2);
      } else if (k > 2) {
        let mean = 0;
        for (let j = 0; j < k; j++) mean += f[j];
        mean /= k;
        let variance = 0;
        for (let j = 0; j < k; j++) variance += (f[j] - mean) * (f[j] - mean);
        std = Math.sqrt(variance / k);
      }
      out[i] = Math.trunc((1 - std) * MAX_NODE_SCORE);
    }
    return Code.Success;
  }
}
