/**
 * NodeUnschedulable (Filter): a cordoned node (spec.unschedulable) admits only pods
 * tolerating the virtual taint node.kubernetes.io/unschedulable:NoSchedule.
 */
import { Code, verdict, type CycleState, type FilterPlugin } from "../framework.js";
import type { CompiledPod } from "../compiled.js";

export const NODE_UNSCHEDULABLE = "NodeUnschedulable";
/** Upstream ErrReasonUnschedulable. */
export const ERR_REASON_UNSCHEDULABLE = "node(s) were unschedulable";

const REJECT = verdict(Code.UnschedulableAndUnresolvable, 1);

export class NodeUnschedulable implements FilterPlugin {
  readonly name = NODE_UNSCHEDULABLE;
  /** Node-local Filter: the verdict depends only on the pod template and the node (the cycle memoizes it). */
  readonly nodeLocalFilter = true;
  readonly reasons = [ERR_REASON_UNSCHEDULABLE];

  filter(state: CycleState, pod: CompiledPod, nodes: Int32Array, count: number, out: Int32Array): boolean {
    const unsched = state.snapshot.nodes.unschedulable;
    const tolerated = pod.toleratesUnschedulable;
    if (tolerated || state.snapshot.unschedulableNodes === 0) {
      out.fill(0, 0, count);
      return true;
    }
    for (let i = 0; i < count; i++) out[i] = unsched[nodes[i]] === 1 ? REJECT : 0;
    return false;
  }
}
