/**
 * NodeName (Filter): a pod with spec.nodeName fits only the node of that name.
 */
import { Code, verdict, type CycleState, type FilterPlugin } from "../framework.js";
import type { CompiledPod } from "../compiled.js";

export const NODE_NAME = "NodeName";
/** Upstream ErrReason. */
export const ERR_REASON_NODE_NAME = "node(s) didn't match the requested node name";

const REJECT = verdict(Code.UnschedulableAndUnresolvable, 1);

export class NodeName implements FilterPlugin {
  readonly name = NODE_NAME;
  /** Node-local Filter: the verdict depends only on the pod template and the node (the cycle memoizes it). */
  readonly nodeLocalFilter = true;
  readonly reasons = [ERR_REASON_NODE_NAME];

  filter(state: CycleState, pod: CompiledPod, nodes: Int32Array, count: number, out: Int32Array): boolean {
    if (pod.nodeName === "") {
      out.fill(0, 0, count);
      return true;
    }
    const want = state.snapshot.nodeIndex(pod.nodeName);
    for (let i = 0; i < count; i++) out[i] = nodes[i] === want ? 0 : REJECT;
    return false;
  }
}
